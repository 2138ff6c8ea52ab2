"""The demo loader is idempotent: a second run leaves every row of every model as it was."""

import datetime as dt

from django.apps import apps
from django.core.management import call_command

from contest.enums import ContestPhase, Role
from contest.models import RoleAssignment
from contest.seed import DEMO_USERS, seed_demo


def _snapshot() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
    }


def test_load_demo_twice_changes_no_row(db, capsys):
    call_command("load_demo")
    first = _snapshot()

    call_command("load_demo")

    assert _snapshot() == first
    assert {label: len(rows) for label, rows in first.items()}["contest.Contest"] == 2


def test_seed_demo_twice_changes_no_row(db):
    today = dt.date(2026, 5, 4)
    seed_demo(today)
    first = _snapshot()

    seed_demo(today)

    assert _snapshot() == first


def test_seed_demo_is_open_with_deadlines_around_today(db):
    contest = seed_demo(dt.date(2026, 5, 4))

    assert contest.phase == ContestPhase.OPEN
    assert contest.year == 2026
    contest.refresh_from_db()
    assert contest.intake_opens_at == dt.datetime(2026, 4, 3, 17, 0, tzinfo=dt.UTC)
    assert contest.forwarding_deadline == dt.datetime(2026, 5, 17, 17, 0, tzinfo=dt.UTC)


def test_seed_demo_grants_every_demo_role(db):
    contest = seed_demo(dt.date(2026, 5, 4))

    grants = sorted(
        RoleAssignment.objects.filter(contest=contest).values_list(
            "user__email", "role", "unit__code"
        )
    )
    expected = sorted((email, str(role), code) for email, _n, role, code in DEMO_USERS if role)
    assert grants == expected
    assert {r for _e, r, _c in grants} == set(Role.values)


def test_load_demo_prints_the_demo_accounts(db, capsys):
    call_command("load_demo")

    out = capsys.readouterr().out
    assert [email for email, *_ in DEMO_USERS if email not in out] == []
    assert "demo-cchc-2026" in out
