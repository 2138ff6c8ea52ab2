"""Next year's contest is a copy of this year's configuration with new dates."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from contest.enums import ContestPhase, Role, UnitType
from contest.models import Contest, Event, RoleAssignment
from contest.services import contest_copy_to_year
from submissions.models import Entry
from tests.factories import ContestFactory, UnitFactory, UserFactory, grant

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _configuration(contest):
    return {
        "categories": list(
            contest.categories.order_by("position").values_list(
                "code", "position", "title", "description"
            )
        ),
        "quotas": sorted(contest.quota_rules.values_list("unit_type", "minimum", "mandatory")),
        "prizes": list(
            contest.prize_tiers.order_by("rank").values_list(
                "rank",
                "name",
                "individual_count",
                "group_count",
                "individual_amount",
                "merit_certificate",
            )
        ),
        "rubric": list(
            contest.criteria.order_by("round", "position").values_list(
                "round", "position", "title", "description", "max_points", "weight"
            )
        ),
        "units": sorted(
            contest.units.values_list("code", "name", "unit_type", "parent__code", "is_active")
        ),
    }


@pytest.fixture
def source(db):
    contest = ContestFactory(
        name="Cuộc thi ý tưởng CCHC năm 2025", short_name="CCHC 2025", slug="cchc-2025"
    )
    UnitFactory(
        contest=contest,
        code="so-noi-vu",
        name="Sở Nội vụ",
        intake_deadline=dt.datetime(2025, 7, 1, tzinfo=VN),
    )
    district = UnitFactory(
        contest=contest,
        code="huyen-cao-loc",
        name="UBND huyện Cao Lộc",
        unit_type=UnitType.DISTRICT,
    )
    for code, name in [("xa-06235", "UBND xã Gia Cát"), ("xa-06238", "UBND xã Mẫu Sơn")]:
        UnitFactory(
            contest=contest, code=code, name=name, unit_type=UnitType.COMMUNE, parent=district
        )
    grant(UserFactory(), contest, Role.UNIT_STAFF, district)
    grant(UserFactory(), contest, Role.SECRETARIAT)
    Entry.objects.create(contest=contest, title="Bài nháp")
    return contest


def test_copy_to_year_copies_the_whole_configuration(source):
    copy = contest_copy_to_year(contest=source, year=2026)

    assert _configuration(copy) == _configuration(source)
    assert (copy.name, copy.short_name, copy.slug, copy.year) == (
        "Cuộc thi ý tưởng CCHC năm 2026",
        "CCHC 2026",
        "cchc-2026",
        2026,
    )


def test_copy_to_year_keeps_the_commune_hierarchy_inside_the_new_contest(source):
    copy = contest_copy_to_year(contest=source, year=2026)

    parents = set(
        copy.units.filter(unit_type=UnitType.COMMUNE).values_list(
            "parent__contest_id", "parent__code"
        )
    )
    assert parents == {(copy.pk, "huyen-cao-loc")}


def test_copy_to_year_shifts_every_date_by_the_years(source):
    copy = contest_copy_to_year(contest=source, year=2026)

    assert (
        copy.intake_opens_at,
        copy.forwarding_deadline,
        copy.scoring_deadline,
        copy.results_deadline,
    ) == (
        dt.datetime(2026, 3, 1, tzinfo=VN),
        dt.datetime(2026, 7, 15, tzinfo=VN),
        dt.datetime(2026, 8, 31, tzinfo=VN),
        dt.datetime(2026, 9, 30, tzinfo=VN),
    )
    assert copy.units.get(code="so-noi-vu").intake_deadline == dt.datetime(2026, 7, 1, tzinfo=VN)


def test_copy_to_year_copies_no_entries_roles_or_phase(source):
    copy = contest_copy_to_year(contest=source, year=2026)

    assert Entry.objects.filter(contest=copy).count() == 0
    assert RoleAssignment.objects.filter(contest=copy).count() == 0
    assert copy.phase == ContestPhase.DRAFT
    assert (
        Entry.objects.filter(contest=source).count(),
        RoleAssignment.objects.filter(contest=source).count(),
    ) == (1, 2)


def test_copy_to_year_records_an_event(source):
    copy = contest_copy_to_year(contest=source, year=2026)

    event = Event.objects.get(action="contest_copied")
    assert (event.contest_id, event.object_id, event.data) == (
        copy.pk,
        copy.pk,
        {"from_contest": source.pk, "from_year": 2025},
    )


def test_copy_to_year_moves_29_february_to_28_february(db):
    leap = ContestFactory(
        year=2028,
        slug="cchc-2028",
        intake_opens_at=dt.datetime(2028, 2, 29, 0, 0, tzinfo=VN),
        forwarding_deadline=dt.datetime(2028, 7, 15, tzinfo=VN),
        scoring_deadline=dt.datetime(2028, 8, 31, tzinfo=VN),
        results_deadline=dt.datetime(2028, 9, 30, tzinfo=VN),
    )
    UnitFactory(
        contest=leap, code="so-y-te", intake_deadline=dt.datetime(2028, 2, 29, 8, 30, tzinfo=VN)
    )

    copy = contest_copy_to_year(contest=leap, year=2029)

    assert copy.intake_opens_at == dt.datetime(2029, 2, 28, 0, 0, tzinfo=VN)
    assert copy.units.get(code="so-y-te").intake_deadline == dt.datetime(
        2029, 2, 28, 8, 30, tzinfo=VN
    )


def test_copy_to_year_twice_gets_a_free_slug(source):
    first = contest_copy_to_year(contest=source, year=2026)
    second = contest_copy_to_year(contest=source, year=2026)

    assert (first.slug, second.slug) == ("cchc-2026", "cchc-2026-2")


def test_admin_copy_to_next_year_action(source, client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        reverse("admin:contest_contest_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [source.pk]},
        follow=True,
    )

    copy = Contest.objects.get(year=2026)
    assert response.status_code == 200
    assert "Đã sao chép 1 cuộc thi." in response.content.decode()
    assert _configuration(copy) == _configuration(source)
    assert Event.objects.get(action="contest_copied").actor_id == admin.pk
