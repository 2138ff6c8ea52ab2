"""Deadlines are exact instants in Asia/Ho_Chi_Minh: on time strictly before them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from contest.models import Event, Unit
from contest.selectors import contest_accepts_entries, unit_intake_deadline
from contest.services import deadline_is_open, unit_set_intake_deadline
from tests.factories import ContestFactory, UnitFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC
FORWARDING = dt.datetime(2025, 7, 15, 0, 0, tzinfo=VN)


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (dt.datetime(2025, 7, 14, 23, 59, 59, tzinfo=VN), True),
        (dt.datetime(2025, 7, 15, 0, 0, 0, tzinfo=VN), False),
        (dt.datetime(2025, 7, 15, 0, 0, 1, tzinfo=VN), False),
        (dt.datetime(2025, 7, 14, 16, 59, 59, tzinfo=UTC), True),
        (dt.datetime(2025, 7, 14, 17, 0, 0, tzinfo=UTC), False),
        (dt.datetime(2025, 7, 14, 17, 0, 1, tzinfo=UTC), False),
    ],
)
def test_deadline_is_open_at_the_boundary_second(at, is_open):
    assert deadline_is_open(deadline=FORWARDING, at=at) is is_open


@pytest.mark.parametrize(
    ("deadline", "before", "at"),
    [
        (
            dt.datetime(2025, 8, 31, tzinfo=VN),
            dt.datetime(2025, 8, 30, 23, 59, 59, tzinfo=VN),
            dt.datetime(2025, 8, 31, tzinfo=VN),
        ),
        (
            dt.datetime(2025, 9, 30, tzinfo=VN),
            dt.datetime(2025, 9, 29, 16, 59, 59, tzinfo=UTC),
            dt.datetime(2025, 9, 29, 17, 0, 0, tzinfo=UTC),
        ),
    ],
)
def test_scoring_and_results_deadlines_close_at_their_instant(deadline, before, at):
    assert deadline_is_open(deadline=deadline, at=before) is True
    assert deadline_is_open(deadline=deadline, at=at) is False


def test_stored_deadline_compares_equal_in_utc(contest):
    contest.refresh_from_db()

    assert contest.forwarding_deadline == dt.datetime(2025, 7, 14, 17, 0, tzinfo=UTC)
    assert (
        deadline_is_open(
            deadline=contest.forwarding_deadline, at=dt.datetime(2025, 7, 14, 23, 59, 59, tzinfo=VN)
        )
        is True
    )


def test_contest_accepts_entries_between_opening_and_forwarding_deadline(contest):
    assert (
        contest_accepts_entries(contest=contest, at=dt.datetime(2025, 2, 28, 23, 59, 59, tzinfo=VN))
        is False
    )
    assert (
        contest_accepts_entries(contest=contest, at=dt.datetime(2025, 3, 1, 0, 0, tzinfo=VN))
        is True
    )
    assert (
        contest_accepts_entries(contest=contest, at=dt.datetime(2025, 7, 14, 23, 59, 59, tzinfo=VN))
        is True
    )
    assert contest_accepts_entries(contest=contest, at=FORWARDING) is False


def test_unit_intake_deadline_defaults_to_the_forwarding_deadline(contest):
    unit = UnitFactory(contest=contest)

    assert unit_intake_deadline(unit) == FORWARDING


def test_unit_intake_deadline_is_the_units_own_when_earlier(contest):
    own = dt.datetime(2025, 7, 1, 0, 0, tzinfo=VN)
    unit = UnitFactory(contest=contest, intake_deadline=own)

    assert unit_intake_deadline(unit) == own


def test_unit_intake_deadline_never_later_than_forwarding_even_if_stored(contest):
    unit = UnitFactory(contest=contest)
    Unit.objects.filter(pk=unit.pk).update(intake_deadline=dt.datetime(2025, 8, 1, tzinfo=VN))
    unit.refresh_from_db()

    assert unit_intake_deadline(unit) == FORWARDING


def test_unit_clean_accepts_the_forwarding_instant_itself(contest):
    unit = UnitFactory(contest=contest, intake_deadline=FORWARDING)

    unit.full_clean()

    assert unit.intake_deadline == FORWARDING


def test_unit_clean_refuses_a_deadline_one_second_late(contest):
    unit = UnitFactory.build(
        contest=contest, code="so-tre", intake_deadline=FORWARDING + dt.timedelta(seconds=1)
    )

    with pytest.raises(ValidationError) as error:
        unit.full_clean()

    assert error.value.message_dict["intake_deadline"] == [
        "Hạn nhận bài của đơn vị không được muộn hơn hạn gửi bài về Ban Tổ chức "
        "(trước 00:00 ngày 15/07/2025)."
    ]


def test_unit_set_intake_deadline_saves_and_records_an_event(contest):
    unit = UnitFactory(contest=contest)
    own = dt.datetime(2025, 7, 10, 0, 0, tzinfo=VN)

    unit_set_intake_deadline(unit=unit, deadline=own)

    unit.refresh_from_db()
    event = Event.objects.get(action="unit_intake_deadline_set")
    assert unit.intake_deadline == own
    assert (event.object_id, event.contest_id) == (unit.pk, contest.pk)


def test_unit_set_intake_deadline_refuses_late_and_keeps_the_old_value(contest):
    own = dt.datetime(2025, 7, 10, 0, 0, tzinfo=VN)
    unit = UnitFactory(contest=contest, intake_deadline=own)

    with pytest.raises(ValidationError):
        unit_set_intake_deadline(unit=unit, deadline=dt.datetime(2025, 7, 20, tzinfo=VN))

    unit.refresh_from_db()
    assert unit.intake_deadline == own
    assert Event.objects.filter(action="unit_intake_deadline_set").count() == 0


def test_unit_clean_refuses_a_commune_under_a_department(contest):
    department = UnitFactory(contest=contest)
    commune = UnitFactory.build(
        contest=contest, code="xa-sai", unit_type="commune", parent=department
    )

    with pytest.raises(ValidationError) as error:
        commune.full_clean()

    assert error.value.message_dict["parent"] == [
        "Đơn vị cấp trên của UBND cấp xã phải là UBND cấp huyện."
    ]


def test_contest_clean_refuses_a_forwarding_deadline_before_a_units_own(db):
    contest = ContestFactory()
    UnitFactory(
        contest=contest, name="Sở Y tế", intake_deadline=dt.datetime(2025, 7, 10, tzinfo=VN)
    )
    contest.forwarding_deadline = dt.datetime(2025, 7, 5, tzinfo=VN)

    with pytest.raises(ValidationError) as error:
        contest.full_clean()

    assert error.value.message_dict["forwarding_deadline"] == [
        "Hạn nhận bài của các đơn vị sau muộn hơn hạn gửi bài mới: Sở Y tế. "
        "Hãy sửa hạn của các đơn vị đó trước."
    ]
