"""Celery tasks of screening and intake. Thin: take ids, call the service; safe to run
twice (notices are recorded once sent, the cover letter is rendered once)."""

from celery import shared_task

from contest.enums import ContestPhase
from contest.models import Contest

from . import notifications
from .cover_letter import cover_letter_store


@shared_task
def task_notify_entrant(*, entry_id: int, version: int, status: str) -> bool:
    return notifications.entrant_outcome_notify(entry_id=entry_id, version=version, status=status)


@shared_task
def task_render_cover_letter(*, batch_id: int) -> bool:
    return cover_letter_store(batch_id=batch_id)


@shared_task
def task_send_quota_reminders(*, contest_id: int) -> int:
    return notifications.quota_reminders_send(contest_id=contest_id)


@shared_task
def task_send_all_quota_reminders() -> int:
    """The daily beat entry: every contest taking entries gets its reminders checked."""
    total = 0
    for contest_id in Contest.objects.filter(phase=ContestPhase.OPEN).values_list("pk", flat=True):
        total += task_send_quota_reminders(contest_id=contest_id)
    return total
