"""Quota reminders: sent in the window before the forwarding deadline, to staff of units
still short, once per unit and contest however often the task runs."""

import datetime as dt

import pytest

from submissions.models import SentNotice
from submissions.notifications import quota_reminders_send
from submissions.tasks_screening import task_notify_entrant, task_send_quota_reminders
from tests.submissions.screening_setup import build_world, certified_entry, forward

pytestmark = pytest.mark.django_db


def _inside_window(contest):
    return contest.forwarding_deadline - dt.timedelta(days=contest.reminder_days_before_deadline)


def test_reminder_task_run_twice_sends_once(mailoutbox):
    world = build_world()
    world.contest.reminder_days_before_deadline = 40  # the world's deadline is 30 days away
    world.contest.save()

    first = task_send_quota_reminders(contest_id=world.contest.pk)
    second = task_send_quota_reminders(contest_id=world.contest.pk)

    reminded = sorted(m.to[0] for m in mailoutbox)
    expected = sorted(
        world.staff(u).email
        for u in (world.district, world.dept_a, world.dept_b, world.organisation)
    )
    assert (first, second) == (4, 0)
    assert reminded == expected
    assert SentNotice.objects.filter(key__startswith="quota-reminder:").count() == 4


def test_reminder_skips_units_that_met_their_quota(mailoutbox):
    world = build_world()
    forward(world, world.dept_a, [certified_entry(world, world.dept_a)])

    sent = quota_reminders_send(
        contest_id=world.contest.pk, at=_inside_window(world.contest) + dt.timedelta(hours=1)
    )

    assert sent == 3
    assert world.staff(world.dept_a).email not in [m.to[0] for m in mailoutbox]


def test_reminder_not_sent_before_window_or_after_deadline(mailoutbox):
    world = build_world()
    contest = world.contest

    early = quota_reminders_send(
        contest_id=contest.pk, at=_inside_window(contest) - dt.timedelta(seconds=1)
    )
    late = quota_reminders_send(contest_id=contest.pk, at=contest.forwarding_deadline)

    assert (early, late) == (0, 0)
    assert mailoutbox == []


def test_reminder_states_progress_and_deadline(mailoutbox):
    world = build_world()

    quota_reminders_send(contest_id=world.contest.pk, at=_inside_window(world.contest))

    district_mail = next(m for m in mailoutbox if m.to == [world.staff(world.district).email])
    assert "đã gửi 0/3 bài dự thi" in district_mail.body


def test_entrant_notice_task_run_twice_sends_once(mailoutbox):
    world = build_world()
    entry = certified_entry(world, world.dept_a)
    mailoutbox.clear()

    task_notify_entrant(entry_id=entry.pk, version=entry.version, status=entry.status)
    task_notify_entrant(entry_id=entry.pk, version=entry.version, status=entry.status)
    task_notify_entrant(entry_id=entry.pk, version=entry.version - 1, status="selected")
    task_notify_entrant(entry_id=entry.pk, version=entry.version - 1, status="selected")

    assert [m.subject for m in mailoutbox] == [
        f"[Cuộc thi CCHC] Bài dự thi {entry.tracking_code} đã được đơn vị chọn"
    ]
