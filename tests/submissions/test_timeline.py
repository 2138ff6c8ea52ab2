import datetime as dt

import pytest

from contest.enums import Role
from contest.models import Event
from contest.services import event_record
from submissions.enums import EntryStatus
from submissions.timeline import ACTION_PHRASES, entry_timeline, events_by_entry
from submissions.workflow import TRANSITIONS, entry_transition
from tests.factories import (
    VN,
    AuthorFactory,
    EntryFactory,
    UserFactory,
    district_with_communes,
    grant,
    submit_entry,
)

AT = dt.datetime(2025, 6, 2, 8, 15, tzinfo=VN)


def _event(action: str, *, from_state: str = "", to_state: str = "", reason: str = "") -> Event:
    return Event(
        pk=1, at=AT, action=action, from_state=from_state, to_state=to_state, reason=reason
    )


@pytest.fixture
def commune_entry(contest):
    _district, (commune, _other) = district_with_communes(contest, name="UBND huyện Cao Lộc")
    return EntryFactory(contest=contest, unit=commune, holder=commune)


EXPECTED = {
    "draft_created": "Bắt đầu soạn bài dự thi",
    "paper_draft_created": "UBND xã Thử 1 bắt đầu nhập bài nộp bằng bản giấy",
    "submitted": "Đã gửi bài đến UBND xã Thử 1",
    "registered_on_paper": "UBND xã Thử 1 đã tiếp nhận bài nộp bằng bản giấy",
    "withdrawn": "Tác giả đã rút bài dự thi",
    "screening_started": "UBND xã Thử 1 bắt đầu sơ loại",
    "rejected": "Không được chọn tại UBND xã Thử 1",
    "selected": "Được UBND xã Thử 1 chọn, chờ Thủ trưởng đơn vị xác nhận",
    "certified": "Thủ trưởng UBND xã Thử 1 đã xác nhận hiệu quả, tính khả thi",
    "passed_up": "UBND xã Thử 1 đã chuyển bài lên UBND huyện Cao Lộc",
    "forwarded": "UBND xã Thử 1 đã gửi bài về Ban Tổ chức (Sở Nội vụ)",
    "accepted": "Ban Tổ chức (Sở Nội vụ) xác nhận bài hợp lệ, đưa vào vòng chấm",
    "returned_ineligible": "Ban Tổ chức (Sở Nội vụ) xác định bài không hợp lệ",
}


def test_action_phrases_cover_every_workflow_action():
    assert {t.action for t in TRANSITIONS} - set(ACTION_PHRASES) == set()


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_entry_timeline_phrase_for_each_action(commune_entry, action):
    steps = entry_timeline(
        entry=commune_entry, events=[_event(action, to_state="x")], with_reasons=True
    )

    assert [(s.at, s.text) for s in steps] == [(AT, EXPECTED[action])]


def test_entry_timeline_after_pass_up_names_the_district(commune_entry):
    events = [_event("passed_up"), _event("screening_started"), _event("selected")]

    steps = entry_timeline(entry=commune_entry, events=events, with_reasons=False)

    assert [s.text for s in steps] == [
        "UBND xã Thử 1 đã chuyển bài lên UBND huyện Cao Lộc",
        "UBND huyện Cao Lộc bắt đầu sơ loại",
        "Được UBND huyện Cao Lộc chọn, chờ Thủ trưởng đơn vị xác nhận",
    ]


def test_entry_timeline_unknown_action_with_state_change_uses_fallback(commune_entry):
    event = _event("future_action", from_state="accepted", to_state="future_state")

    steps = entry_timeline(entry=commune_entry, events=[event], with_reasons=True)

    assert [s.text for s in steps] == ["Chuyển sang trạng thái “future_state”"]


def test_entry_timeline_unknown_action_with_known_state_uses_its_label(commune_entry):
    event = _event("reopened", from_state="rejected", to_state="screening")

    steps = entry_timeline(entry=commune_entry, events=[event], with_reasons=True)

    assert [s.text for s in steps] == ["Chuyển sang trạng thái “Đang sơ loại”"]


def test_entry_timeline_internal_record_without_state_change_is_hidden(commune_entry):
    steps = entry_timeline(entry=commune_entry, events=[_event("edited")], with_reasons=True)

    assert steps == []


def test_entry_timeline_reason_only_when_asked(commune_entry):
    event = _event("rejected", reason="Trùng ý tưởng với bài của ông Nguyễn Văn A")

    private = entry_timeline(entry=commune_entry, events=[event], with_reasons=True)
    public = entry_timeline(entry=commune_entry, events=[event], with_reasons=False)

    assert private[0].reason == "Trùng ý tưởng với bài của ông Nguyễn Văn A"
    assert public[0].reason == ""


def test_events_by_entry_reads_workflow_events_in_order(contest):
    district, _communes = district_with_communes(contest)
    staff = UserFactory()
    grant(staff, contest, Role.UNIT_STAFF, district)
    entry = EntryFactory(contest=contest, unit=district)
    AuthorFactory(entry=entry, user=entry.owner)
    other = EntryFactory(contest=contest, unit=district)
    submit_entry(entry)
    entry_transition(entry=entry, to=EntryStatus.SCREENING, by=staff)
    entry_transition(entry=entry, to=EntryStatus.REJECTED, by=staff, reason="Chưa đủ nội dung")
    event_record(target=other, action="edited")

    grouped = events_by_entry(entry_ids=[entry.pk, other.pk])
    steps = entry_timeline(entry=entry, events=grouped[entry.pk], with_reasons=True)

    assert [(s.text, s.reason) for s in steps] == [
        ("Đã gửi bài đến UBND huyện Cao Lộc", ""),
        ("UBND huyện Cao Lộc bắt đầu sơ loại", ""),
        ("Không được chọn tại UBND huyện Cao Lộc", "Chưa đủ nội dung"),
    ]
    assert [e.action for e in grouped[other.pk]] == ["edited"]
