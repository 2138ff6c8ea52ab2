"""The entry state machine: wrong state, wrong role, reasons, the commune guard, events."""

import pytest

from contest.enums import Role, UnitType
from contest.models import Event
from submissions.enums import EntryStatus as S
from submissions.workflow import TransitionRefused, allowed_targets, entry_transition
from tests.factories import (
    EntryFactory,
    UnitFactory,
    UserFactory,
    district_with_communes,
    grant,
    submit_entry,
)

pytestmark = pytest.mark.django_db


def _submitted(contest, unit=None):
    unit = unit or UnitFactory(contest=contest)
    owner = UserFactory()
    entry = EntryFactory(contest=contest, unit=unit, owner=owner)
    submit_entry(entry)
    return entry, owner


def _staff(contest, unit, role=Role.UNIT_STAFF):
    user = UserFactory()
    grant(user, contest, role, unit)
    return user


def test_transition_writes_one_event_with_actor_states_and_reason(contest):
    entry, _owner = _submitted(contest)
    staff = _staff(contest, entry.holder)
    entry_transition(entry=entry, to=S.SCREENING, by=staff)

    entry_transition(entry=entry, to=S.REJECTED, by=staff, reason="Trùng ý tưởng đã áp dụng")

    last = Event.objects.filter(object_id=entry.pk).order_by("-id").first()
    assert (last.action, last.from_state, last.to_state, last.actor_id, last.reason) == (
        "rejected",
        "screening",
        "rejected",
        staff.pk,
        "Trùng ý tưởng đã áp dụng",
    )
    assert entry.status == S.REJECTED


def test_transition_from_the_wrong_state_is_refused_and_changes_nothing(contest):
    entry, _owner = _submitted(contest)
    staff = _staff(contest, entry.holder)
    events_before = Event.objects.count()

    with pytest.raises(TransitionRefused, match="Không thể chuyển"):
        entry_transition(entry=entry, to=S.SELECTED, by=staff)

    entry.refresh_from_db()
    assert entry.status == S.SUBMITTED
    assert Event.objects.count() == events_before


@pytest.mark.parametrize(
    "role", [None, Role.UNIT_HEAD, Role.SECRETARIAT, Role.JUDGE, Role.ORGANIZER]
)
def test_screening_by_anyone_but_the_holders_staff_is_refused(contest, role):
    entry, _owner = _submitted(contest)
    user = UserFactory()
    if role in (Role.UNIT_HEAD,):
        grant(user, contest, role, entry.holder)
    elif role:
        grant(user, contest, role)

    with pytest.raises(TransitionRefused, match="không có quyền"):
        entry_transition(entry=entry, to=S.SCREENING, by=user)


def test_staff_of_another_unit_cannot_screen(contest):
    entry, _owner = _submitted(contest)
    other_staff = _staff(contest, UnitFactory(contest=contest))

    with pytest.raises(TransitionRefused):
        entry_transition(entry=entry, to=S.SCREENING, by=other_staff)


def test_rejection_needs_a_reason(contest):
    entry, _owner = _submitted(contest)
    staff = _staff(contest, entry.holder)
    entry_transition(entry=entry, to=S.SCREENING, by=staff)

    with pytest.raises(TransitionRefused, match="lý do"):
        entry_transition(entry=entry, to=S.REJECTED, by=staff, reason="   ")


def test_only_the_unit_head_certifies(contest):
    entry, _owner = _submitted(contest)
    staff = _staff(contest, entry.holder)
    head = _staff(contest, entry.holder, Role.UNIT_HEAD)
    entry_transition(entry=entry, to=S.SCREENING, by=staff)
    entry_transition(entry=entry, to=S.SELECTED, by=staff)

    with pytest.raises(TransitionRefused):
        entry_transition(entry=entry, to=S.CERTIFIED, by=staff)
    entry_transition(entry=entry, to=S.CERTIFIED, by=head)

    assert entry.status == S.CERTIFIED


def _certified(contest, unit):
    entry, _owner = _submitted(contest, unit)
    staff = _staff(contest, unit)
    head = _staff(contest, unit, Role.UNIT_HEAD)
    for to, by in [(S.SCREENING, staff), (S.SELECTED, staff), (S.CERTIFIED, head)]:
        entry_transition(entry=entry, to=to, by=by)
    return entry, staff


def test_a_commune_passes_up_and_cannot_forward(contest):
    district, (commune, _other) = district_with_communes(contest)
    entry, staff = _certified(contest, commune)

    with pytest.raises(TransitionRefused, match="UBND cấp xã"):
        entry_transition(entry=entry, to=S.FORWARDED, by=staff)
    entry_transition(entry=entry, to=S.PASSED_UP, by=staff, fields={"holder": district})

    entry.refresh_from_db()
    assert (entry.status, entry.holder_id, entry.unit_id) == (S.PASSED_UP, district.pk, commune.pk)


def test_a_department_forwards_and_cannot_pass_up(contest):
    department = UnitFactory(contest=contest, unit_type=UnitType.DEPARTMENT)
    entry, staff = _certified(contest, department)

    with pytest.raises(TransitionRefused):
        entry_transition(entry=entry, to=S.PASSED_UP, by=staff)
    entry_transition(entry=entry, to=S.FORWARDED, by=staff)

    assert entry.status == S.FORWARDED


def test_the_entrant_who_is_also_unit_staff_submits_as_entrant(contest):
    unit = UnitFactory(contest=contest)
    owner = UserFactory()
    grant(owner, contest, Role.UNIT_STAFF, unit)
    entry = EntryFactory(contest=contest, unit=unit, owner=owner)

    submit_entry(entry, by=owner)

    assert Event.objects.get(object_id=entry.pk, to_state=S.SUBMITTED).action == "submitted"


def test_allowed_targets_lists_what_the_user_may_do_now(contest):
    entry, owner = _submitted(contest)
    staff = _staff(contest, entry.holder)

    assert allowed_targets(entry=entry, user=owner) == [S.WITHDRAWN]
    assert allowed_targets(entry=entry, user=staff) == [S.SCREENING]
    assert allowed_targets(entry=entry, user=UserFactory()) == []


def test_a_stale_object_cannot_overwrite_a_newer_state(contest):
    entry, owner = _submitted(contest)
    staff = _staff(contest, entry.holder)
    stale = type(entry).objects.get(pk=entry.pk)
    entry_transition(entry=entry, to=S.SCREENING, by=staff)

    with pytest.raises(TransitionRefused):
        entry_transition(entry=stale, to=S.WITHDRAWN, by=owner)

    entry.refresh_from_db()
    assert entry.status == S.SCREENING
