"""An entry's event log as plain Vietnamese steps: the one place that says what each
recorded action means to the entrant and to the public."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contest.models import Event

from .enums import EntryStatus
from .models import Entry

# Action → phrase. {unit} is the unit acting at that step (the receiving unit, or its
# district once the entry was passed up); {district} the district an entry is passed to;
# {organizer} the organizing committee with its standing agency.
ACTION_PHRASES = {
    "draft_created": gettext_lazy("Bắt đầu soạn bài dự thi"),
    "paper_draft_created": gettext_lazy("{unit} bắt đầu nhập bài nộp bằng bản giấy"),
    "submitted": gettext_lazy("Đã gửi bài đến {unit}"),
    "registered_on_paper": gettext_lazy("{unit} đã tiếp nhận bài nộp bằng bản giấy"),
    "withdrawn": gettext_lazy("Tác giả đã rút bài dự thi"),
    "screening_started": gettext_lazy("{unit} bắt đầu sơ loại"),
    "rejected": gettext_lazy("Không được chọn tại {unit}"),
    "selected": gettext_lazy("Được {unit} chọn, chờ Thủ trưởng đơn vị xác nhận"),
    "certified": gettext_lazy("Thủ trưởng {unit} đã xác nhận hiệu quả, tính khả thi"),
    "passed_up": gettext_lazy("{unit} đã chuyển bài lên {district}"),
    "forwarded": gettext_lazy("{unit} đã gửi bài về {organizer}"),
    "accepted": gettext_lazy("{organizer} xác nhận bài hợp lệ, đưa vào vòng chấm"),
    "returned_ineligible": gettext_lazy("{organizer} xác định bài không hợp lệ"),
}
# Actions whose reason is shown to the entrant (never on the public look-up).
REASON_ACTIONS = frozenset({"rejected", "returned_ineligible", "withdrawn"})
# An action not listed above is shown only when it changed the entry's state; other
# records (edits, a unit's working notes) are internal and stay off the timeline.
FALLBACK_STATE_PHRASE = gettext_lazy("Chuyển sang trạng thái “{state}”")


@dataclass(frozen=True)
class TimelineStep:
    at: dt.datetime
    action: str
    text: str
    reason: str = ""


def organizer_name(entry: Entry) -> str:
    return _("Ban Tổ chức (%(agency)s)") % {"agency": entry.contest.standing_agency}


def _state_label(value: str) -> str:
    try:
        return EntryStatus(value).label
    except ValueError:
        return value


def entry_timeline(
    *, entry: Entry, events: Iterable[Event], with_reasons: bool
) -> list[TimelineStep]:
    """Steps in time order. `entry` needs contest, unit, unit.parent and holder loaded;
    `events` are this entry's Event rows. Reasons are kept only when `with_reasons`
    (the entrant's own page): a unit's reason may name people."""
    unit = entry.unit
    acting_name = unit.name if unit else ""
    district_name = unit.parent.name if unit is not None and unit.parent_id else ""
    names = {"organizer": organizer_name(entry), "district": district_name}
    steps = []
    for event in sorted(events, key=lambda e: (e.at, e.pk or 0)):
        phrase = ACTION_PHRASES.get(event.action)
        if phrase is not None:
            text = str(phrase).format(unit=acting_name, **names)
        elif event.to_state and event.to_state != event.from_state:
            text = str(FALLBACK_STATE_PHRASE).format(state=_state_label(event.to_state))
        else:
            continue
        reason = event.reason if with_reasons and event.action in REASON_ACTIONS else ""
        steps.append(TimelineStep(at=event.at, action=event.action, text=text, reason=reason))
        if event.action == "passed_up":
            acting_name = district_name
    return steps


def events_by_entry(*, entry_ids: Iterable[int]) -> dict[int, list[Event]]:
    """Every event of these entries in one query, grouped by entry id."""
    ids = list(entry_ids)
    grouped: dict[int, list[Event]] = {pk: [] for pk in ids}
    if not ids:
        return grouped
    content_type = ContentType.objects.get_for_model(Entry)
    rows = Event.objects.filter(content_type=content_type, object_id__in=ids).order_by("at", "id")
    for event in rows:
        grouped[event.object_id].append(event)
    return grouped
