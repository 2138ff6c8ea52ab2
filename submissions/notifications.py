"""E-mails of screening and intake: the entrant told of each outcome, the unit told of the
secretariat's decision, unit staff reminded of their quota before the forwarding deadline.
Each notice is recorded in SentNotice under a key, so a task run twice sends once."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.enums import Role
from contest.models import Contest, Event, RoleAssignment
from contest.templatetags.portal import instant

from .enums import EntryStatus as S
from .models import Entry, SentNotice
from .quotas import units_short_of_quota

SUBJECT_PREFIX = "[Cuộc thi CCHC] "
NOTIFIED_STATES = frozenset({S.REJECTED, S.SELECTED, S.FORWARDED, S.ACCEPTED, S.INELIGIBLE})


def _send_once(*, key: str, subject: str, body: str, recipients: list[str]) -> bool:
    """Send unless a notice with this key was sent; a failed send leaves no record."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return False
    try:
        with transaction.atomic():
            SentNotice.objects.create(key=key, sent_at=timezone.now())
            send_mail(SUBJECT_PREFIX + subject, body, None, recipients)
    except IntegrityError:
        return False
    return True


def entrant_address(entry: Entry) -> str:
    if entry.owner_id and entry.owner.email:
        return entry.owner.email
    representative = entry.authors.filter(is_representative=True).first() or (
        entry.authors.exclude(email="").first()
    )
    return representative.email if representative else ""


def _reason_of(entry: Entry, status: str) -> str:
    event = (
        Event.objects.filter(
            content_type=ContentType.objects.get_for_model(Entry),
            object_id=entry.pk,
            to_state=status,
        )
        .order_by("-at", "-id")
        .first()
    )
    return event.reason if event else ""


def _outcome_text(entry: Entry, status: str) -> tuple[str, str]:
    params = {
        "code": entry.tracking_code,
        "title": entry.title,
        "unit": entry.holder.name if entry.holder_id else "",
        "contest": entry.contest.short_name,
    }
    subjects = {
        S.REJECTED: _("Bài dự thi %(code)s không được chọn tại đơn vị"),
        S.SELECTED: _("Bài dự thi %(code)s đã được đơn vị chọn"),
        S.FORWARDED: _("Bài dự thi %(code)s đã được gửi về Ban Tổ chức"),
        S.ACCEPTED: _("Bài dự thi %(code)s hợp lệ, được đưa vào vòng chấm"),
        S.INELIGIBLE: _("Bài dự thi %(code)s không hợp lệ"),
    }
    openings = {
        S.REJECTED: _(
            "Bài dự thi “%(title)s” (mã %(code)s) không được %(unit)s chọn gửi "
            "về Ban Tổ chức %(contest)s."
        ),
        S.SELECTED: _(
            "Bài dự thi “%(title)s” (mã %(code)s) đã được %(unit)s chọn; đơn vị "
            "sẽ thẩm định và trình Thủ trưởng xác nhận."
        ),
        S.FORWARDED: _(
            "Bài dự thi “%(title)s” (mã %(code)s) đã được %(unit)s gửi về Ban Tổ chức %(contest)s."
        ),
        S.ACCEPTED: _(
            "Bài dự thi “%(title)s” (mã %(code)s) đã được Tổ Thư ký xác nhận hợp "
            "lệ và đưa vào vòng chấm %(contest)s."
        ),
        S.INELIGIBLE: _(
            "Bài dự thi “%(title)s” (mã %(code)s) được Tổ Thư ký xác định là không hợp lệ."
        ),
    }
    body = [openings[status] % params]
    reason = _reason_of(entry, status)
    if reason:
        body.append(_("Lý do: %(reason)s") % {"reason": reason})
    body.append(_("Tra cứu trạng thái bài dự thi tại %(url)s") % {"url": settings.PORTAL_SITE_URL})
    return subjects[status] % params, "\n\n".join(body)


def entrant_outcome_notify(*, entry_id: int, version: int, status: str) -> bool:
    """Tell the entrant (and, for the secretariat's decision, the forwarding unit) the
    outcome of the transition that brought `entry_id` to `version`."""
    if status not in NOTIFIED_STATES:
        return False
    entry = (
        Entry.objects.select_related("owner", "holder", "contest", "forwarding_batch__unit")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        return False
    subject, body = _outcome_text(entry, status)
    sent = _send_once(
        key=f"entry:{entry_id}:v{version}",
        subject=subject,
        body=body,
        recipients=[entrant_address(entry)],
    )
    if status in (S.ACCEPTED, S.INELIGIBLE) and entry.forwarding_batch_id:
        _send_once(
            key=f"unit-outcome:{entry_id}:v{version}",
            subject=subject,
            body=body,
            recipients=[entry.forwarding_batch.unit.email],
        )
    return sent


def quota_reminders_send(*, contest_id: int, at: dt.datetime | None = None) -> int:
    """Remind the staff of each unit still short of its quota, once per unit and contest,
    from `reminder_days_before_deadline` days before the forwarding deadline until it."""
    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is None:
        return 0
    now = at or timezone.now()
    starts = contest.forwarding_deadline - dt.timedelta(days=contest.reminder_days_before_deadline)
    if not (starts <= now < contest.forwarding_deadline):
        return 0
    short = {row.unit_id: row for row in units_short_of_quota(contest=contest)}
    staff: dict[int, list[str]] = {}
    for unit_id, email in RoleAssignment.objects.filter(
        contest=contest, role=Role.UNIT_STAFF, unit_id__in=short
    ).values_list("unit_id", "user__email"):
        staff.setdefault(unit_id, []).append(email)
    sent = 0
    for unit_id, row in short.items():
        subject = _("Nhắc hạn gửi bài dự thi về Ban Tổ chức: %(unit)s") % {"unit": row.name}
        body = _(
            "%(unit)s đã gửi %(forwarded)s/%(minimum)s bài dự thi về Ban Tổ chức %(contest)s. "
            "Hạn gửi bài: trước %(deadline)s.\n\nĐơn vị không đủ số bài theo chỉ tiêu cần gửi "
            "văn bản giải trình trên cổng thông tin: %(url)s"
        ) % {
            "unit": row.name,
            "forwarded": row.forwarded,
            "minimum": row.minimum,
            "contest": contest.short_name,
            "deadline": instant(contest.forwarding_deadline),
            "url": settings.PORTAL_SITE_URL,
        }
        if _send_once(
            key=f"quota-reminder:{contest.pk}:{unit_id}",
            subject=subject,
            body=body,
            recipients=staff.get(unit_id, []),
        ):
            sent += 1
    return sent
