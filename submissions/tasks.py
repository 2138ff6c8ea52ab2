"""Intake side effects, queued after commit. Each takes an id and is safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def task_extract_text(*, file_id: int) -> None:
    services.entry_file_extract_text(file_id=file_id)


@shared_task(acks_late=True)
def task_send_receipt(*, entry_id: int) -> bool:
    return services.entry_send_receipt(entry_id=entry_id)
