"""Constraints the database itself holds, whatever code writes the row."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from contest.enums import Role, UnitType
from contest.models import Contest, RoleAssignment, Unit
from tests.factories import ContestFactory, UnitFactory, UserFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _contest_kwargs(**overrides):
    values = dict(
        name="Cuộc thi thử",
        short_name="Thử",
        year=2025,
        slug="thu-rang-buoc",
        intake_opens_at=dt.datetime(2025, 3, 1, tzinfo=VN),
        forwarding_deadline=dt.datetime(2025, 7, 15, tzinfo=VN),
        scoring_deadline=dt.datetime(2025, 8, 31, tzinfo=VN),
        results_deadline=dt.datetime(2025, 9, 30, tzinfo=VN),
    )
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    "overrides",
    [
        {"forwarding_deadline": dt.datetime(2025, 3, 1, tzinfo=VN)},
        {"scoring_deadline": dt.datetime(2025, 7, 14, tzinfo=VN)},
        {"results_deadline": dt.datetime(2025, 8, 31, tzinfo=VN)},
        {"intake_opens_at": dt.datetime(2025, 10, 1, tzinfo=VN)},
    ],
)
def test_contest_deadlines_out_of_order_are_refused(db, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contest.objects.create(**_contest_kwargs(**overrides))

    assert Contest.objects.filter(slug="thu-rang-buoc").count() == 0


def test_contest_deadlines_in_order_are_stored(db):
    contest = Contest.objects.create(**_contest_kwargs())

    assert Contest.objects.get(pk=contest.pk).slug == "thu-rang-buoc"


@pytest.mark.parametrize(
    ("step", "allowed"),
    [
        (Decimal("1"), True),
        (Decimal("0.5"), True),
        (Decimal("0.25"), False),
        (Decimal("2"), False),
    ],
)
def test_contest_score_step_is_whole_or_half(db, step, allowed):
    if allowed:
        contest = Contest.objects.create(**_contest_kwargs(score_step=step))
        assert Contest.objects.get(pk=contest.pk).score_step == step
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        Contest.objects.create(**_contest_kwargs(score_step=step))
    assert Contest.objects.filter(slug="thu-rang-buoc").exists() is False


def test_commune_without_parent_is_refused(contest):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            contest=contest, code="xa-mo-coi", name="UBND xã Mồ Côi", unit_type=UnitType.COMMUNE
        )

    assert Unit.objects.filter(code="xa-mo-coi").exists() is False


@pytest.mark.parametrize(
    "unit_type", [UnitType.DEPARTMENT, UnitType.DISTRICT, UnitType.ORGANISATION, UnitType.CENTRAL]
)
def test_only_communes_have_a_parent(contest, unit_type):
    district = UnitFactory(contest=contest, unit_type=UnitType.DISTRICT)

    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            contest=contest,
            code="co-cha",
            name="Đơn vị có cấp trên",
            unit_type=unit_type,
            parent=district,
        )

    assert Unit.objects.filter(code="co-cha").exists() is False


def test_commune_with_district_parent_is_stored(contest):
    district = UnitFactory(contest=contest, unit_type=UnitType.DISTRICT)

    commune = Unit.objects.create(
        contest=contest,
        code="xa-co-cha",
        name="UBND xã Có Cha",
        unit_type=UnitType.COMMUNE,
        parent=district,
    )

    assert Unit.objects.get(pk=commune.pk).parent_id == district.pk


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.UNIT_HEAD])
def test_unit_role_without_unit_is_refused(contest, role):
    user = UserFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, contest=contest, role=role, unit=None)

    assert RoleAssignment.objects.filter(user=user).count() == 0


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.JUDGE, Role.ORGANIZER])
def test_contest_role_with_unit_is_refused(contest, role):
    user = UserFactory()
    unit = UnitFactory(contest=contest)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, contest=contest, role=role, unit=unit)

    assert RoleAssignment.objects.filter(user=user).count() == 0


def test_same_contest_role_twice_is_refused(contest):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, contest=contest, role=Role.JUDGE)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, contest=contest, role=Role.JUDGE)

    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_unit_code_is_unique_within_a_contest_only(db):
    first, second = ContestFactory(), ContestFactory()
    UnitFactory(contest=first, code="so-noi-vu")
    UnitFactory(contest=second, code="so-noi-vu")

    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(contest=first, code="so-noi-vu")

    assert Unit.objects.filter(code="so-noi-vu").count() == 2
