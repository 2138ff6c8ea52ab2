"""Background work of the contest app."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from .models import Contest

HEARTBEAT_CACHE_KEY = "portal:worker-heartbeat"


@shared_task
def task_record_heartbeat() -> dict:
    """Monitoring: proves that a worker takes tasks from the broker and reaches the database
    and the cache. Celery beat queues it every minute; /healthz shows the last one. Safe to
    run any number of times."""
    beat = {"at": timezone.now().isoformat(), "contests": Contest.objects.count()}
    cache.set(HEARTBEAT_CACHE_KEY, beat, timeout=None)
    return beat


@shared_task
def task_outbox_flush() -> dict:
    """Send the background jobs that could not reach the broker when they were asked for
    (contest/outbox.py). Celery beat queues it every minute; a worker runs it when it starts."""
    from .outbox import outbox_flush

    return outbox_flush()
