"""Side effects of judging, run by Celery after commit. Each task takes an id and is safe to
run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def task_send_judge_reminder(*, reminder_id: int) -> None:
    from .services.reminders import reminder_send

    reminder_send(reminder_id=reminder_id)


@shared_task(acks_late=True)
def task_similarity_scan(*, contest_id: int) -> None:
    from contest.models import Contest

    from .services.similarity import similarity_scan

    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is not None:
        similarity_scan(contest=contest)
