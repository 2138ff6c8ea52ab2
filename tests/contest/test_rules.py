"""Every permission of contest/rules.py against a fixed cast of users and objects: the exact
True/False of each pair, so a widened or narrowed rule fails here by name."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from contest.enums import Role, UnitType
from tests.factories import ContestFactory, UnitFactory, UserFactory, grant

CONTEST_PERMS = {
    "contest.manage_contest": {"organizer"},
    "contest.view_compliance_board": {"secretariat", "organizer"},
    "contest.receive_forwarded": {"secretariat"},
    "contest.run_judging": {"secretariat"},
    "contest.score_entries": {"judge"},
    "contest.approve_ranking": {"organizer"},
    "contest.manage_awards": {"organizer"},
    "contest.view_reports": {"secretariat", "organizer"},
}

# perm → the (user, unit) pairs allowed; every other pair is refused.
UNIT_PERMS = {
    "contest.view_unit_entries": {
        ("staff_a", "unit_a"),
        ("head_a", "unit_a"),
        ("staff_b", "unit_b"),
        ("staff_district", "district"),
        ("staff_commune", "commune"),
    },
    "contest.screen_entries": {
        ("staff_a", "unit_a"),
        ("staff_b", "unit_b"),
        ("staff_district", "district"),
        ("staff_commune", "commune"),
    },
    "contest.register_paper_entry": {
        ("staff_a", "unit_a"),
        ("staff_b", "unit_b"),
        ("staff_district", "district"),
        ("staff_commune", "commune"),
    },
    "contest.certify_entries": {("head_a", "unit_a")},
    "contest.forward_entries": {
        ("staff_a", "unit_a"),
        ("staff_b", "unit_b"),
        ("staff_district", "district"),
        ("staff_commune", "commune"),
    },
    "contest.file_explanation": {
        ("staff_a", "unit_a"),
        ("head_a", "unit_a"),
        ("staff_b", "unit_b"),
        ("staff_district", "district"),
        ("staff_commune", "commune"),
    },
}

CAST = [
    "anonymous",
    "entrant",
    "staff_a",
    "head_a",
    "staff_b",
    "staff_district",
    "staff_commune",
    "secretariat",
    "judge",
    "organizer",
    "other_secretariat",
]
OBJECTS = ["contest", "unit_a", "unit_b", "district", "commune", "other_contest", "none"]


@pytest.fixture
def world(db):
    contest = ContestFactory()
    other_contest = ContestFactory()
    unit_a = UnitFactory(contest=contest, name="Sở A")
    unit_b = UnitFactory(contest=contest, name="Sở B")
    district = UnitFactory(contest=contest, name="UBND huyện Cao Lộc", unit_type=UnitType.DISTRICT)
    commune = UnitFactory(
        contest=contest, name="UBND xã Gia Cát", unit_type=UnitType.COMMUNE, parent=district
    )
    users = {"anonymous": AnonymousUser(), "entrant": UserFactory()}
    grants = {
        "staff_a": (contest, Role.UNIT_STAFF, unit_a),
        "head_a": (contest, Role.UNIT_HEAD, unit_a),
        "staff_b": (contest, Role.UNIT_STAFF, unit_b),
        "staff_district": (contest, Role.UNIT_STAFF, district),
        "staff_commune": (contest, Role.UNIT_STAFF, commune),
        "secretariat": (contest, Role.SECRETARIAT, None),
        "judge": (contest, Role.JUDGE, None),
        "organizer": (contest, Role.ORGANIZER, None),
        "other_secretariat": (other_contest, Role.SECRETARIAT, None),
    }
    for key, (in_contest, role, unit) in grants.items():
        users[key] = UserFactory()
        grant(users[key], in_contest, role, unit)
    objects = {
        "contest": contest,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "district": district,
        "commune": commune,
        "other_contest": other_contest,
        "none": None,
    }
    return users, objects


def _matrix(perm, users, objects):
    return {
        (user_key, obj_key): users[user_key].has_perm(perm, objects[obj_key])
        for user_key in CAST
        for obj_key in OBJECTS
    }


def test_every_contest_permission_is_in_the_table():
    declared = {name for name in rules.permissions.permissions if name.startswith("contest.")}

    assert declared == set(CONTEST_PERMS) | set(UNIT_PERMS)


@pytest.mark.parametrize("perm", sorted(CONTEST_PERMS))
def test_contest_permission_matrix_is_exact(world, perm):
    users, objects = world
    # A contest-scoped role also answers for the units of its contest (they carry contest_id);
    # the secretariat of another contest is allowed only on that other contest.
    expected = {
        (user_key, obj_key): (
            user_key in CONTEST_PERMS[perm]
            and obj_key in {"contest", "unit_a", "unit_b", "district", "commune"}
        )
        or (
            user_key == "other_secretariat"
            and obj_key == "other_contest"
            and "secretariat" in CONTEST_PERMS[perm]
        )
        for user_key in CAST
        for obj_key in OBJECTS
    }

    assert _matrix(perm, users, objects) == expected


@pytest.mark.parametrize("perm", sorted(UNIT_PERMS))
def test_unit_permission_matrix_is_exact(world, perm):
    users, objects = world
    expected = {
        (user_key, obj_key): (user_key, obj_key) in UNIT_PERMS[perm]
        for user_key in CAST
        for obj_key in OBJECTS
    }

    assert _matrix(perm, users, objects) == expected


def test_district_staff_hold_no_unit_permission_on_their_commune(world):
    users, objects = world

    allowed = [
        perm for perm in UNIT_PERMS if users["staff_district"].has_perm(perm, objects["commune"])
    ]

    assert allowed == []


def test_inactive_user_loses_every_role(world):
    users, objects = world
    organizer = users["organizer"]
    organizer.is_active = False
    organizer.save(update_fields=["is_active"])

    assert organizer.has_perm("contest.manage_contest", objects["contest"]) is False


def test_superuser_passes_every_permission(world):
    _users, objects = world
    admin = UserFactory(is_superuser=True, is_staff=True)

    assert all(admin.has_perm(perm, objects["unit_a"]) for perm in [*CONTEST_PERMS, *UNIT_PERMS])
