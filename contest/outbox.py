"""The transactional outbox: every background job is first a row (OutboxTask) written in the
transaction of the change that needs it, then sent to the broker after commit. When the broker
is down the request still succeeds, the row stays pending, and `outbox_flush` (Celery beat every
minute, a worker coming up, or `manage.py outbox_flush`) sends it when the broker is back. Sending
is at least once: a job may run twice, so every task is safe to run twice."""

import logging
import time
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from .models import OutboxTask

log = logging.getLogger(__name__)

# After a failed send, requests stop trying the broker for this long and leave the rows to the
# flush, so that an outage costs one failed connection attempt, not one per request.
BROKER_PAUSE_SECONDS = 30.0
_broker_paused_until = 0.0


def outbox_enqueue(task, /, **kwargs) -> OutboxTask:
    """Record `task` (a Celery task) to run with `kwargs` once the current transaction commits."""
    row = OutboxTask.objects.create(task=task.name, kwargs=kwargs)
    transaction.on_commit(partial(_send_after_commit, row.pk))
    return row


def _send_after_commit(pk: int) -> None:
    if time.monotonic() < _broker_paused_until:
        return
    outbox_send(OutboxTask.objects.filter(pk=pk))


def outbox_send(rows, *, app=None) -> tuple[int, int]:
    """Send the pending rows among `rows` (a queryset) through `app` (the portal's Celery app
    by default); returns (sent, failed). Rows another process is sending are skipped; a
    failure leaves the row pending with its error and stops this round."""
    from config.celery import app as portal_app

    global _broker_paused_until
    # The portal's app, never celery's "current" one: a test worker or another library can
    # make a different app current in this process.
    app = app or portal_app
    sent = failed = 0
    for pk in list(rows.filter(sent_at__isnull=True).values_list("pk", flat=True)):
        with transaction.atomic():
            row = (
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at__isnull=True)
                .first()
            )
            if row is None:
                continue
            task = app.tasks[row.task]
            if app.conf.task_always_eager:
                # Embedded default: the job runs here and now; its errors propagate as before.
                row.sent_at = timezone.now()
                row.attempts += 1
                row.save(update_fields=["sent_at", "attempts"])
                task.apply(kwargs=row.kwargs, throw=True)
                sent += 1
                continue
            try:
                # ignore_result: nothing reads job results, and subscribing to one first
                # would retry the result store for ~20 s while Redis is down.
                task.apply_async(kwargs=row.kwargs, retry=False, ignore_result=True)
            except Exception as exc:  # the broker is unreachable: keep the row for the flush
                row.attempts += 1
                row.last_error = f"{type(exc).__name__}: {exc}"[:500]
                row.save(update_fields=["attempts", "last_error"])
                _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
                log.warning("outbox: %s not sent (%s); it stays pending", row.task, exc)
                failed += 1
                break
            row.sent_at = timezone.now()
            row.attempts += 1
            row.save(update_fields=["sent_at", "attempts"])
            sent += 1
    return sent, failed


def outbox_flush(*, keep_days: int = 30, app=None) -> dict:
    """Send every pending job, oldest first, and forget sent ones older than `keep_days`."""
    global _broker_paused_until
    _broker_paused_until = 0.0
    sent, failed = outbox_send(OutboxTask.objects.order_by("created_at", "pk"), app=app)
    cutoff = timezone.now() - timedelta(days=keep_days)
    purged, _ = OutboxTask.objects.filter(sent_at__lt=cutoff).delete()
    return {"sent": sent, "failed": failed, "purged": purged, "pending": outbox_pending_count()}


def outbox_pending_count() -> int:
    return OutboxTask.objects.filter(sent_at__isnull=True).count()
