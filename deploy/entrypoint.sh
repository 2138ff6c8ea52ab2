#!/bin/sh
# One image, several roles: web | worker | beat | migrate | any other command.
# Bad configuration stops here with one readable line (manage.py check), not a traceback.
set -eu
role="${1:-web}"
case "$role" in
  web)
    python manage.py check --deploy --fail-level ERROR
    exec gunicorn --config deploy/gunicorn.conf.py config.wsgi:application
    ;;
  worker)
    exec celery -A config worker --loglevel "${LOG_LEVEL:-INFO}" \
      --concurrency "${CELERY_CONCURRENCY:-2}" --hostname "worker@%h"
    ;;
  beat)
    # One beat per deployment; its schedule state lives in /tmp (lost on restart is fine).
    exec celery -A config beat --loglevel "${LOG_LEVEL:-INFO}" \
      --schedule /tmp/celerybeat-schedule
    ;;
  migrate)
    python manage.py check --deploy --fail-level ERROR
    exec python manage.py migrate --noinput
    ;;
  *)
    exec "$@"
    ;;
esac
