"""Reminding judges of what is left before the scoring deadline."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.models import Contest
from contest.outbox import outbox_enqueue
from contest.services import event_record

from ..errors import JudgingRefused
from ..models import Reminder


def reminders_create(*, contest: Contest, by, judge_ids: list[int] | None = None) -> int:
    """Queue one reminder e-mail per judge with something left (all such judges, or those
    named). Returns how many were queued."""
    from ..selectors import progress_by_judge
    from ..tasks import task_send_judge_reminder

    if not by.has_perm("contest.run_judging", contest):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    rows = [
        r
        for r in progress_by_judge(contest=contest)
        if r.remaining > 0 and (judge_ids is None or r.judge.pk in judge_ids)
    ]
    with transaction.atomic():
        for row in rows:
            reminder = Reminder.objects.create(
                contest=contest, judge=row.judge, remaining=row.remaining, created_by=by
            )
            event_record(
                target=reminder,
                action="reminder_queued",
                actor=by,
                contest=contest,
                data={"judge": row.judge.pk, "remaining": row.remaining},
            )
            outbox_enqueue(task_send_judge_reminder, reminder_id=reminder.pk)
    return len(rows)


def reminder_send(*, reminder_id: int) -> bool:
    """Send once: a reminder already sent is skipped (the task may run twice)."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .select_related("contest", "judge")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
        contest = reminder.contest
        url = settings.PORTAL_SITE_URL.rstrip("/") + reverse(
            "judging:queue", kwargs={"slug": contest.slug}
        )
        body = render_to_string(
            "judging/email/reminder.txt",
            {
                "judge": reminder.judge,
                "contest": contest,
                "remaining": reminder.remaining,
                "url": url,
            },
        )
        send_mail(
            subject=_("[Cuộc thi CCHC] Nhắc hoàn thành chấm thi"),
            message=body,
            from_email=None,
            recipient_list=[reminder.judge.email],
        )
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
    return True
