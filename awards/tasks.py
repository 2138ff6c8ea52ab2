"""Thin tasks: take an id, fetch, call the service. Each is safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def task_render_certificate(*, certificate_id: int) -> str:
    from .models import Certificate
    from .services import certificate_render

    certificate = (
        Certificate.objects.select_related(
            "award__tier",
            "award__entry__contest",
            "award__entry__category",
            "award__award_set__contest",
        )
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        return "missing"
    certificate_render(certificate=certificate)
    return certificate.status


@shared_task(acks_late=True)
def task_send_result_notices(*, award_set_id: int) -> int:
    from .notices import result_notices_send

    return result_notices_send(award_set_id=award_set_id)
