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


DEMO_DAY = dt.date(2026, 5, 4)


def _demo_entries(contest) -> dict[str, str]:
    from submissions.models import Entry

    return dict(
        Entry.objects.filter(contest=contest)
        .exclude(tracking_code=None)
        .values_list("tracking_code", "status")
    )


def test_seed_demo_entries_reach_every_stage(db):
    contest = seed_demo(DEMO_DAY)

    assert _demo_entries(contest) == {
        "CC26-DEMO-0001": "submitted",
        "CC26-DEMO-0002": "accepted",
        "CC26-DEMO-0003": "passed_up",
        "CC26-DEMO-0004": "rejected",
        "CC26-DEMO-0005": "accepted",
        "CC26-DEMO-0006": "forwarded",
        "CC26-DEMO-0007": "screening",
        "CC26-DEMO-0008": "selected",
        "CC26-DEMO-0009": "certified",
        "CC26-DEMO-0010": "submitted",
        "CC26-DEMO-0011": "accepted",
        "CC26-DEMO-0012": "submitted",
        "CC26-DEMO-0013": "submitted",
    }


def test_seed_demo_entries_cover_categories_kinds_and_a_draft(db):
    from submissions.models import Entry

    contest = seed_demo(DEMO_DAY)

    entries = Entry.objects.filter(contest=contest)
    assert sorted(set(entries.values_list("category__code", flat=True))) == sorted(
        ["a", "b", "c", "d", "đ", "e", "g", "h"]
    )
    assert sorted(set(entries.values_list("kind", flat=True))) == ["group", "individual"]
    assert list(entries.filter(status="draft").values_list("owner__email", flat=True)) == [
        "tacgia@demo.cchc.vn"
    ]


def test_seed_demo_commune_entry_event_log_is_its_whole_life(db):
    from contest.models import Event
    from submissions.models import Entry

    seed_demo(DEMO_DAY)
    entry = Entry.objects.get(tracking_code="CC26-DEMO-0002")

    log = list(
        Event.objects.filter(object_id=entry.pk, content_type__model="entry")
        .order_by("at", "id")
        .values_list("action", "actor__email")
    )
    commune, district = "canbo.dongdang@demo.cchc.vn", "canbo.caoloc@demo.cchc.vn"
    assert log == [
        ("draft_created", "hoang.thu@demo.cchc.vn"),
        ("submitted", "hoang.thu@demo.cchc.vn"),
        ("screening_started", commune),
        ("appraised", commune),
        ("selected", commune),
        ("certified", "thutruong.dongdang@demo.cchc.vn"),
        ("passed_up", commune),
        ("screening_started", district),
        ("appraised", district),
        ("selected", district),
        ("certified", "thutruong.caoloc@demo.cchc.vn"),
        ("forwarded", district),
        ("accepted", "thuky@demo.cchc.vn"),
    ]
    assert entry.appraisals.count() == 2
    assert entry.certifications.count() == 2


def test_seed_demo_cao_loc_forwards_one_batch_of_three(db):
    from submissions.models import ForwardingBatch

    contest = seed_demo(DEMO_DAY)

    batches = {
        b.unit.code: sorted(b.entries.values_list("tracking_code", flat=True))
        for b in ForwardingBatch.objects.filter(contest=contest).select_related("unit")
    }
    assert batches == {
        "huyen-ubnd-huyen-cao-loc": ["CC26-DEMO-0002", "CC26-DEMO-0005", "CC26-DEMO-0006"],
        "so-so-noi-vu": ["CC26-DEMO-0011"],
    }


def test_seed_demo_rejected_entry_keeps_its_reason(db):
    from contest.models import Event
    from submissions.models import Entry

    contest = seed_demo(DEMO_DAY)
    entry = Entry.objects.get(contest=contest, tracking_code="CC26-DEMO-0004")

    reason = Event.objects.get(object_id=entry.pk, action="rejected").reason
    assert reason.startswith("Mô hình “Tổ công nghệ số cộng đồng” đã được triển khai")


def test_seed_demo_assigns_accepted_entries_to_both_judges(db):
    from judging.models import Assignment

    contest = seed_demo(DEMO_DAY)

    pairs = sorted(
        Assignment.objects.filter(contest=contest).values_list(
            "entry__tracking_code", "judge__email"
        )
    )
    assert pairs == sorted(
        (code, judge)
        for code in ("CC26-DEMO-0002", "CC26-DEMO-0005", "CC26-DEMO-0011")
        for judge in ("giamkhao1@demo.cchc.vn", "giamkhao2@demo.cchc.vn")
    )


def test_load_demo_prints_a_code_and_phone_for_the_lookup(db, capsys):
    call_command("load_demo")

    out = capsys.readouterr().out
    code = f"CC{dt.date.today().year % 100:02d}-DEMO-0002"
    assert f"mã bài {code}, 4 số cuối điện thoại 7302" in out
