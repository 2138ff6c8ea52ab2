"""Thin tasks: take ids, fetch, call the service. Each is safe to run twice."""

import logging

from celery import shared_task
from celery.signals import worker_ready


@shared_task(acks_late=True)
def task_render_certificates(*, certificate_ids: list[int]) -> dict:
    """One batch of certificates, laid out as one document (awards.services)."""
    from .services import certificates_render_batch

    return certificates_render_batch(certificate_ids=certificate_ids)


@shared_task(acks_late=True)
def task_render_certificate(*, certificate_id: int) -> str:
    """One certificate (jobs queued before batches existed, and one-off renders)."""
    from .models import Certificate
    from .services import certificates_render_batch

    certificates_render_batch(certificate_ids=[certificate_id])
    status = Certificate.objects.filter(pk=certificate_id).values_list("status", flat=True)
    return status.first() or "missing"


@shared_task(acks_late=True)
def task_requeue_stale_certificates() -> int:
    from .services import certificates_requeue_stale

    return certificates_requeue_stale()


@worker_ready.connect
def _requeue_stale_certificates_on_start(sender=None, **kwargs):
    """A worker coming up (often: after one died) queues again what a dead worker left."""
    try:
        task_requeue_stale_certificates.apply_async(retry=False)
    except Exception as exc:  # the broker went away again; beat will ask later
        logging.getLogger(__name__).warning("certificate sweep not queued: %s", exc)


@shared_task(acks_late=True)
def task_send_result_notices(*, award_set_id: int) -> int:
    from .notices import result_notices_send

    return result_notices_send(award_set_id=award_set_id)
