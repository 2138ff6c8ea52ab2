"""The Celery app. Its settings are the CELERY_* Django settings (config/settings/base.py),
including the beat schedule; without REDIS_URL tasks run inline."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(related_name="tasks_screening")


@worker_ready.connect
def _flush_outbox_on_start(sender=None, **kwargs):
    """A worker coming up (often: the broker is back) sends what waited in the outbox."""
    from contest.tasks import task_outbox_flush

    try:
        task_outbox_flush.apply_async(retry=False, ignore_result=True)
    except Exception as exc:  # the broker went away again; beat will ask later
        logging.getLogger(__name__).warning("outbox flush not queued: %s", exc)
