"""Container health checks (docker-compose.yml): `python deploy/healthcheck.py web|worker|beat`.
Exit 0 when healthy, 1 otherwise, with one line saying why."""

import datetime as dt
import os
import socket
import sys
import urllib.request

HEARTBEAT_MAX_AGE = dt.timedelta(minutes=5)


def web() -> str:
    # Host "localhost" is always allowed in the container (docker-compose.yml adds it).
    port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[1]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"}
    )
    with urllib.request.urlopen(request, timeout=8) as response:  # noqa: S310
        return response.read().decode()


def worker() -> str:
    from config.celery import app

    name = f"worker@{socket.gethostname()}"
    replies = app.control.ping(destination=[name], timeout=5)
    if not replies:
        raise RuntimeError(f"{name} did not answer a ping")
    return f"{name} answered"


def beat() -> str:
    """Beat queues task_record_heartbeat every minute; a recent heartbeat in the cache
    shows the schedule runs (and that a worker took it)."""
    import django

    django.setup()
    from django.core.cache import cache

    from contest.tasks import HEARTBEAT_CACHE_KEY

    beat = cache.get(HEARTBEAT_CACHE_KEY)
    if not beat:
        raise RuntimeError("no worker heartbeat recorded yet")
    age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(beat["at"])
    if age > HEARTBEAT_MAX_AGE:
        raise RuntimeError(f"last worker heartbeat is {age} old")
    return f"last heartbeat {beat['at']}"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    checks = {"web": web, "worker": worker, "beat": beat}
    role = sys.argv[1] if len(sys.argv) > 1 else "web"
    try:
        print(checks[role]())
    except Exception as exc:  # any failure means unhealthy; say why on one line
        print(f"unhealthy: {exc.__class__.__name__}: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
