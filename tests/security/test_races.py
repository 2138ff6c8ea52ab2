"""Races (issue 7, item 5): the same action run twice at once must act once.

On PostgreSQL every scenario runs in real threads, each with its own database connection,
released together by a barrier so the requests really overlap (the figures count the rounds
in which they did). SQLite has one writer, so there the same calls run one after another and
the same outcome is asserted. Each scenario repeats for ROUNDS fresh objects and writes its
figures with figure_write("races_<scenario>") for `make security-report`.

Scenarios: (a) an entrant's final submit twice (a double click), through the service and
through the page; (b) two forwards of the same certified entries by unit staff; (c) judges
saving scores while the organizer approves the ranking; (d) the prize allocation computed
twice at once."""

import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from statistics import mean

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from awards.models import Award
from awards.services import AwardsRefused, award_set_compute
from contest.enums import Role, ScoringRound
from contest.models import Contest, Event, OutboxTask, Unit
from judging.enums import RankingStatus, SheetStatus
from judging.errors import JudgingRefused, StaleSheet
from judging.models import Ranking, Score, ScoreSheet
from judging.services.assignment import assignment_add
from judging.services.ranking import ranking_approve, ranking_compute
from judging.services.scoring import rubric_for, sheet_save
from submissions import services
from submissions.enums import EntryKind, EntryStatus
from submissions.models import Entry, ForwardingBatch
from submissions.screening import forwarding_batch_create
from submissions.tasks import task_send_receipt
from submissions.tasks_screening import task_render_cover_letter
from submissions.workflow import TransitionRefused
from tests.factories import (
    UnitFactory,
    UserFactory,
    accepted_entry,
    approved_ranking,
    grant,
    judge_user,
    judging_contest,
    score_all,
)
from tests.security.report import figure_write
from tests.submissions.intake_support import author, open_contest, ready_draft
from tests.submissions.screening_setup import build_world, certified_entry

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 6
User = get_user_model()


# --- running calls together --------------------------------------------------------------


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None
    started: float = 0.0
    ended: float = 0.0


def _timed(call, outcome: Outcome) -> None:
    outcome.started = time.perf_counter()
    try:
        outcome.value = call()
    except Exception as exc:  # kept and judged by the test: nothing may escape unexplained
        outcome.error = exc
    finally:
        outcome.ended = time.perf_counter()


def run_together(*calls) -> list[Outcome]:
    """Run the calls at once on PostgreSQL (one thread and one connection each, a barrier
    so they start together); one after another, in the given order, on SQLite."""
    outcomes = [Outcome() for _ in calls]
    if connection.vendor != "postgresql":
        for call, outcome in zip(calls, outcomes, strict=True):
            _timed(call, outcome)
        return outcomes
    barrier = threading.Barrier(len(calls))

    def worker(call, outcome):
        try:
            connection.ensure_connection()  # connected before the start, like a warm worker
            barrier.wait(timeout=30)
            _timed(call, outcome)
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=worker, args=pair) for pair in zip(calls, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [t.is_alive() for t in threads] == [False] * len(threads)
    return outcomes


def started_later(seconds: float, call):
    """`call` started `seconds` after the others, to land inside their transactions."""

    def delayed():
        time.sleep(seconds)
        return call()

    return delayed


def overlapped(outcomes: list[Outcome]) -> bool:
    """Whether every call was running at one same moment."""
    return max(o.started for o in outcomes) < min(o.ended for o in outcomes)


def overlap_figure(count: int) -> int | str:
    return count if connection.vendor == "postgresql" else "tuần tự (SQLite)"


def fresh_user(user):
    """The same account as another request would load it (no shared cached roles)."""
    return User.objects.get(pk=user.pk)


# --- (a) the same entry submitted twice -------------------------------------------------


def _submit(entry_id: int, user_id: int):
    entry = Entry.objects.get(pk=entry_id)
    return services.entry_submit(entry=entry, by=User.objects.get(pk=user_id))


def _receipt_jobs(entry_id: int) -> int:
    return OutboxTask.objects.filter(task=task_send_receipt.name, kwargs__entry_id=entry_id).count()


def _submission_tally(entry: Entry) -> dict:
    entry.refresh_from_db()
    return {
        "status": entry.status,
        "submitted_events": Event.objects.filter(
            object_id=entry.pk, action="submitted", content_type__model="entry"
        ).count(),
        "receipt_jobs": _receipt_jobs(entry.pk),
        "receipts_mailed": sum(entry.tracking_code in m.subject for m in mail.outbox),
    }


def test_double_submit_of_one_entry_gives_one_submission_one_code_one_receipt():
    # Arrange
    contest = open_contest()
    unit = UnitFactory(contest=contest, name="Sở Tư pháp")
    overlaps = duplicates = errors = 0

    for i in range(ROUNDS):
        owner = UserFactory()
        entry = ready_draft(
            contest=contest,
            owner=owner,
            unit=unit,
            title=f"Số hóa hồ sơ một cửa, lần thử {i}",
            authors=[author(f"Nguyễn Thị Hoa {i}", email=owner.email)],
        )

        # Act: two requests of the same user, as a double click sends them.
        outcomes = run_together(
            partial(_submit, entry.pk, owner.pk), partial(_submit, entry.pk, owner.pk)
        )

        # Assert
        overlaps += overlapped(outcomes)
        errors += sum(o.error is not None for o in outcomes)
        tally = _submission_tally(entry)
        duplicates += max(0, tally["submitted_events"] - 1) + max(0, tally["receipt_jobs"] - 1)
        assert [o.error for o in outcomes] == [None, None]
        assert [o.value.tracking_code for o in outcomes] == [entry.tracking_code] * 2
        assert tally == {
            "status": EntryStatus.SUBMITTED,
            "submitted_events": 1,
            "receipt_jobs": 1,
            "receipts_mailed": 1,
        }

    figure_write(
        "races_submit",
        title="Tranh chấp: một bài dự thi bấm “Gửi” hai lần cùng lúc",
        rows=[
            ("Lần thử (2 luồng mỗi lần)", ROUNDS),
            ("Lần chạy chồng lên nhau thật", overlap_figure(overlaps)),
            ("Lần gửi, mã, biên nhận bị trùng", duplicates),
            ("Lỗi (exception) lọt ra ngoài", errors),
        ],
        ok=duplicates == 0 and errors == 0,
    )


def _post(client: Client, url: str):
    try:
        return client.post(url)
    finally:
        connection.close()


def test_double_click_on_the_submit_page_answers_both_clicks_without_error():
    # Arrange
    contest = open_contest()
    unit = UnitFactory(contest=contest, name="Sở Nội vụ")
    statuses = []

    for i in range(3):
        owner = UserFactory()
        entry = ready_draft(
            contest=contest,
            owner=owner,
            unit=unit,
            title=f"Một cửa liên thông, lần bấm {i}",
            authors=[author(f"Hoàng Văn Bình {i}", email=owner.email)],
        )
        first = Client(raise_request_exception=False)
        first.force_login(owner)
        second = Client(raise_request_exception=False)
        second.cookies.load({k: m.value for k, m in first.cookies.items()})  # same session
        url = reverse("submissions:review", args=[entry.pk])

        # Act
        outcomes = run_together(partial(_post, first, url), partial(_post, second, url))

        # Assert
        receipt = reverse("submissions:receipt", args=[entry.pk])
        statuses += [o.value.status_code for o in outcomes]
        assert [(o.error, o.value.status_code, o.value["Location"]) for o in outcomes] == [
            (None, 302, receipt),
            (None, 302, receipt),
        ]
        assert _submission_tally(entry) == {
            "status": EntryStatus.SUBMITTED,
            "submitted_events": 1,
            "receipt_jobs": 1,
            "receipts_mailed": 1,
        }

    assert statuses.count(500) == 0


# --- (b) two forwards of the same entries ------------------------------------------------


def _forward(unit_id: int, user_id: int, entry_ids: list[int], number: str):
    return forwarding_batch_create(
        unit=Unit.objects.select_related("contest").get(pk=unit_id),
        by=User.objects.get(pk=user_id),
        channel="ioffice",
        dispatch_number=number,
        dispatch_date=timezone.localdate(),
        entry_ids=entry_ids,
    )


def test_concurrent_forwards_of_the_same_entries_make_one_batch_and_forward_each_once():
    # Arrange
    world = build_world()
    unit = world.dept_a
    colleague = UserFactory()
    grant(colleague, world.contest, Role.UNIT_STAFF, unit)
    forwarded_total = overlaps = duplicates = errors = 0

    for i in range(ROUNDS):
        entries = [certified_entry(world, unit) for _ in range(3)]
        ids = [e.pk for e in entries]
        # Even rounds: one person's double click; odd rounds: two colleagues, overlapping picks.
        picks = (ids, ids) if i % 2 == 0 else (ids[:2], ids[1:])
        users = (world.staff(unit), world.staff(unit) if i % 2 == 0 else colleague)

        # Act
        outcomes = run_together(
            partial(_forward, unit.pk, users[0].pk, picks[0], f"{i}/STP-A"),
            partial(_forward, unit.pk, users[1].pk, picks[1], f"{i}/STP-B"),
        )

        # Assert
        overlaps += overlapped(outcomes)
        won = [o for o in outcomes if o.error is None]
        lost = [o for o in outcomes if o.error is not None]
        errors += sum(not isinstance(o.error, TransitionRefused) for o in lost)
        assert (len(won), len(lost)) == (1, 1)
        batch = won[0].value
        chosen = set(picks[outcomes.index(won[0])])
        batches = ForwardingBatch.objects.filter(entries__pk__in=ids).distinct()
        states = {e.pk: (e.status, e.forwarding_batch_id) for e in Entry.objects.filter(pk__in=ids)}
        forwarded_events = Event.objects.filter(
            object_id__in=ids, action="forwarded", content_type__model="entry"
        ).count()
        letters = OutboxTask.objects.filter(
            task=task_render_cover_letter.name, kwargs__batch_id=batch.pk
        ).count()
        duplicates += max(0, batches.count() - 1) + max(0, forwarded_events - len(chosen))
        forwarded_total += len(chosen)
        assert [b.pk for b in batches] == [batch.pk]
        assert states == {
            pk: (EntryStatus.FORWARDED, batch.pk) if pk in chosen else (EntryStatus.CERTIFIED, None)
            for pk in ids
        }
        assert (forwarded_events, letters) == (len(chosen), 1)
        codes = ", ".join(
            sorted(
                Entry.objects.filter(
                    pk__in=chosen & set(picks[1 - outcomes.index(won[0])])
                ).values_list("tracking_code", flat=True)
            )
        )
        assert str(lost[0].error) == (
            f"Bài dự thi {codes} đã được gửi về Ban Tổ chức (có thể do bấm gửi hai lần); "
            "không gửi lại. Vui lòng tải lại trang."
        )

    counted = Entry.objects.filter(forwarding_batch__unit=unit).count()
    assert (counted, ForwardingBatch.objects.filter(unit=unit).count()) == (
        forwarded_total,
        ROUNDS,
    )
    figure_write(
        "races_forward",
        title="Tranh chấp: hai lần gửi cùng các bài về Ban Tổ chức cùng lúc",
        rows=[
            ("Lần thử (2 luồng mỗi lần)", ROUNDS),
            ("Lần chạy chồng lên nhau thật", overlap_figure(overlaps)),
            ("Bài được gửi (đếm lại từ cơ sở dữ liệu)", counted),
            ("Công văn, bài gửi bị trùng", duplicates),
            ("Lỗi (exception) lọt ra ngoài", errors),
        ],
        ok=duplicates == 0 and errors == 0 and counted == forwarded_total,
    )


# --- (c) scores saved while the ranking is approved --------------------------------------

POINTS = {  # per judge, written rubric order (30, 20, 20, 20, 10)
    0: [25, 15, 15, 15, 5],
    1: [20, 20, 15, 10, 10],
    2: [30, 10, 15, 15, 5],
}
APPROVAL_DELAYS = (0.0, 0.01, 0.02, 0.04, 0.08, 0.16)
TAB_POINTS = ([10, 10, 10, 10, 5], [20, 15, 15, 15, 5])


def _save(entry_id: int, judge_id: int, points: list[int], *, submit: bool, version: int = 0):
    entry = Entry.objects.select_related("contest").get(pk=entry_id)
    judge = User.objects.get(pk=judge_id)
    rubric = rubric_for(contest=entry.contest, round=ScoringRound.WRITTEN)
    return sheet_save(
        entry=entry,
        judge=judge,
        by=judge,
        scores={c.pk: p for c, p in zip(rubric, points, strict=True)},
        expected_version=version,
        submit=submit,
    )


def _approve(ranking_id: int, organizer_id: int):
    return ranking_approve(
        ranking=Ranking.objects.get(pk=ranking_id), by=User.objects.get(pk=organizer_id)
    )


def _stored_points(entry_id: int, judge_id: int) -> list[Decimal] | None:
    sheet = ScoreSheet.objects.filter(entry_id=entry_id, judge_id=judge_id).first()
    if sheet is None:
        return None
    return list(sheet.scores.order_by("criterion__position").values_list("points", flat=True))


def _expected_rows(contest: Contest) -> dict[int, Decimal]:
    """Independent of the ranking code: the mean of the submitted sheets' totals."""
    totals: dict[int, list[Decimal]] = {}
    for entry_id, total in ScoreSheet.objects.filter(
        contest=contest, status=SheetStatus.SUBMITTED
    ).values_list("entry_id", "total"):
        totals.setdefault(entry_id, []).append(total)
    return {e: Decimal(f"{mean(t):.3f}") for e, t in totals.items()}


@dataclass
class JudgingWorld:
    contest: Contest
    secretariat: object
    organizer: object
    judges: list
    late: Entry
    tabbed: Entry
    ranking: Ranking


def _judging_world() -> JudgingWorld:
    """Two entries judged by three judges and ranked (draft); two more assigned to the same
    judges and not scored yet."""
    contest = judging_contest()
    secretariat, organizer = UserFactory(), UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    grant(organizer, contest, Role.ORGANIZER)
    judges = [judge_user(contest) for _ in range(3)]
    ranked = [accepted_entry(contest) for _ in range(2)]
    late, tabbed = accepted_entry(contest), accepted_entry(contest)
    for entry in (*ranked, late, tabbed):
        for judge in judges:
            assignment_add(contest=contest, entry=entry, judge=judge, by=secretariat)
    for n, entry in enumerate(ranked):
        for j, judge in enumerate(judges):
            # Totals 74 and 73 (the late entry gets 75): no ties to settle.
            score_all(entry, judge, [POINTS[j][0] - n - 1, *POINTS[j][1:]])
    ranking = ranking_compute(contest=contest, kind=EntryKind.INDIVIDUAL, by=secretariat)
    return JudgingWorld(contest, secretariat, organizer, judges, late, tabbed, ranking)


def run_while_held(first, second) -> tuple[Outcome, Outcome, bool | None]:
    """`first` runs inside a transaction kept open (a slow request) while `second` starts.
    On PostgreSQL the result says whether `second` was still waiting half a second later;
    on SQLite the two run one after the other (None)."""
    held, then = Outcome(), Outcome()
    if connection.vendor != "postgresql":
        _timed(first, held)
        _timed(second, then)
        return held, then, None
    ran, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                _timed(first, held)
                ran.set()
                release.wait(timeout=30)
        finally:
            ran.set()
            connection.close()

    def follow():
        try:
            _timed(second, then)
        finally:
            connection.close()

    holder, follower = threading.Thread(target=hold), threading.Thread(target=follow)
    holder.start()
    assert ran.wait(timeout=30)
    follower.start()
    follower.join(timeout=0.5)
    waited = follower.is_alive()
    release.set()
    holder.join(timeout=60)
    follower.join(timeout=60)
    assert (holder.is_alive(), follower.is_alive()) == (False, False)
    return held, then, waited


def test_approval_waits_for_a_score_save_in_progress_then_refuses_the_stale_ranking():
    # Arrange
    world = _judging_world()
    judge = world.judges[0]

    # Act: a judge submits a sheet in a slow request; the organizer approves meanwhile.
    saved, approval, waited = run_while_held(
        partial(_save, world.late.pk, judge.pk, POINTS[0], submit=True),
        partial(_approve, world.ranking.pk, world.organizer.pk),
    )

    # Assert
    world.ranking.refresh_from_db()
    assert (saved.error, waited in (True, None)) == (None, True)
    assert isinstance(approval.error, JudgingRefused)
    assert str(approval.error).startswith("Điểm chấm đã thay đổi sau lần tính bảng xếp hạng")
    assert world.ranking.status == RankingStatus.DRAFT
    assert _stored_points(world.late.pk, judge.pk) == [Decimal(p) for p in POINTS[0]]


def test_score_save_waits_for_an_approval_in_progress_then_is_refused():
    # Arrange
    world = _judging_world()
    judge = world.judges[0]

    # Act: the organizer approves in a slow request; a judge submits a sheet meanwhile.
    approval, saved, waited = run_while_held(
        partial(_approve, world.ranking.pk, world.organizer.pk),
        partial(_save, world.late.pk, judge.pk, POINTS[0], submit=True),
    )

    # Assert
    world.ranking.refresh_from_db()
    assert (approval.error, waited in (True, None)) == (None, True)
    assert str(saved.error) == (
        "Bảng xếp hạng đã được phê duyệt: không thể thay đổi điểm hay tính lại."
    )
    assert world.ranking.status == RankingStatus.APPROVED
    assert _stored_points(world.late.pk, judge.pk) is None
    assert dict(world.ranking.rows.values_list("entry_id", "score")) == _expected_rows(
        world.contest
    )


def test_scores_saved_while_the_ranking_is_approved_are_kept_or_refused_never_lost():
    tally = {
        "stale_approvals": 0,
        "saves_kept": 0,
        "saves_refused": 0,
        "lost_updates": 0,
        "changed_after_freeze": 0,
        "errors": 0,
        "overlaps": 0,
    }
    for i in range(ROUNDS):
        # Arrange: two entries judged and ranked; two more still being scored.
        world = _judging_world()
        contest, secretariat, organizer = world.contest, world.secretariat, world.organizer
        judges, late, tabbed, ranking = world.judges, world.late, world.tabbed, world.ranking
        # The approval lands at a different point of the judges' saves in each round.
        approve = started_later(
            APPROVAL_DELAYS[i % len(APPROVAL_DELAYS)], partial(_approve, ranking.pk, organizer.pk)
        )
        saves = [
            partial(_save, late.pk, j.pk, POINTS[n], submit=True) for n, j in enumerate(judges)
        ]
        tabs = [partial(_save, tabbed.pk, judges[0].pk, p, submit=False) for p in TAB_POINTS]
        calls = [approve, *saves, *tabs]
        if i % 2:  # on SQLite the order decides: approval first, or last
            calls = [*saves, *tabs, approve]

        # Act
        outcomes = run_together(*calls)

        # Assert: only refusals a user can read, no other exception.
        tally["overlaps"] += overlapped(outcomes)
        refusals = (JudgingRefused, StaleSheet)
        tally["errors"] += sum(
            o.error is not None and not isinstance(o.error, refusals) for o in outcomes
        )
        approval = outcomes[calls.index(approve)]
        if approval.error is not None:
            # Scores changed after the ranking was computed: it must be computed again.
            assert str(approval.error).startswith("Điểm chấm đã thay đổi sau lần tính")
            tally["stale_approvals"] += 1
            ranking_compute(contest=contest, kind=EntryKind.INDIVIDUAL, by=secretariat)
            ranking_approve(ranking=ranking, by=organizer)
        ranking.refresh_from_db()
        # Each accepted save is exactly what is stored (no lost update); a refused one left
        # nothing.
        for n, (judge, outcome) in enumerate(
            zip(judges, outcomes[calls.index(saves[0]) :][:3], strict=True)
        ):
            stored = _stored_points(late.pk, judge.pk)
            if outcome.error is None:
                tally["saves_kept"] += 1
                tally["lost_updates"] += stored != [Decimal(p) for p in POINTS[n]]
            else:
                tally["saves_refused"] += 1
                tally["lost_updates"] += stored is not None
        tab_outcomes = outcomes[calls.index(tabs[0]) :][:2]
        kept = [p for p, o in zip(TAB_POINTS, tab_outcomes, strict=True) if o.error is None]
        tally["saves_kept"] += len(kept)
        tally["saves_refused"] += 2 - len(kept)
        tally["lost_updates"] += len(kept) > 1
        stored = _stored_points(tabbed.pk, judges[0].pk)
        tally["lost_updates"] += stored != ([Decimal(p) for p in kept[0]] if kept else None)
        # After the freeze: the approved ranking is the scores, and stays so.
        rows = dict(ranking.rows.values_list("entry_id", "score"))
        tally["changed_after_freeze"] += rows != _expected_rows(contest)
        before = (Score.objects.filter(sheet__contest=contest).count(), rows)
        with pytest.raises(JudgingRefused):
            _save(tabbed.pk, judges[1].pk, TAB_POINTS[1], submit=True)
        after = (
            Score.objects.filter(sheet__contest=contest).count(),
            dict(ranking.rows.values_list("entry_id", "score")),
        )
        tally["changed_after_freeze"] += before != after
        assert ranking.status == RankingStatus.APPROVED

    figure_write(
        "races_scores",
        title="Tranh chấp: giám khảo lưu điểm trong lúc phê duyệt bảng xếp hạng",
        rows=[
            ("Lần thử (6 luồng mỗi lần)", ROUNDS),
            ("Lần chạy chồng lên nhau thật", overlap_figure(tally["overlaps"])),
            ("Lần lưu điểm được nhận (trước khi chốt)", tally["saves_kept"]),
            ("Lần lưu điểm bị từ chối (sau khi chốt, hoặc thẻ cũ)", tally["saves_refused"]),
            ("Phê duyệt bị từ chối vì điểm đổi sau khi tính", tally["stale_approvals"]),
            ("Điểm bị mất (lost update)", tally["lost_updates"]),
            ("Thay đổi sau khi chốt bảng xếp hạng", tally["changed_after_freeze"]),
            ("Lỗi (exception) lọt ra ngoài", tally["errors"]),
        ],
        ok=tally["lost_updates"] == tally["changed_after_freeze"] == tally["errors"] == 0,
    )
    assert (tally["lost_updates"], tally["changed_after_freeze"], tally["errors"]) == (0, 0, 0)


# --- (d) prize allocation computed twice at once -----------------------------------------


def _compute_awards(contest_id: int, user_id: int):
    return award_set_compute(
        contest=Contest.objects.get(pk=contest_id), by=User.objects.get(pk=user_id)
    )


def test_prize_allocation_computed_three_times_at_once_gives_one_result():
    overlaps = duplicates = errors = awards_total = 0
    for _round in range(ROUNDS):
        # Arrange
        contest = open_contest()
        organizer = UserFactory()
        grant(organizer, contest, Role.ORGANIZER)
        individuals = [accepted_entry(contest) for _ in range(8)]
        groups = [accepted_entry(contest, kind=EntryKind.GROUP) for _ in range(5)]
        approved_ranking(
            contest,
            kind=EntryKind.INDIVIDUAL,
            rows=[(e, 95 - k) for k, e in enumerate(individuals)],
        )
        approved_ranking(
            contest, kind=EntryKind.GROUP, rows=[(e, 90 - k) for k, e in enumerate(groups)]
        )
        tiers = list(contest.prize_tiers.order_by("rank"))
        slots = {
            EntryKind.INDIVIDUAL: sum(t.individual_count for t in tiers),
            EntryKind.GROUP: sum(t.group_count for t in tiers),
        }

        # Act
        outcomes = run_together(*[partial(_compute_awards, contest.pk, organizer.pk)] * 3)

        # Assert
        overlaps += overlapped(outcomes)
        errors += sum(
            o.error is not None and not isinstance(o.error, AwardsRefused) for o in outcomes
        )
        assert [o.error for o in outcomes] == [None, None, None]
        awards = list(
            Award.objects.filter(award_set__contest=contest).order_by("tier__rank", "slot")
        )
        by_kind = {
            kind: [a.entry_id for a in awards if a.kind == kind] for kind in EntryKind.values
        }
        given = [a.entry_id for a in awards if a.entry_id]
        computed = Event.objects.filter(contest=contest, action="awards_computed")
        changed = [e.data["changed"] for e in computed.order_by("pk")]
        duplicates += (len(given) - len(set(given))) + max(0, len(awards) - sum(slots.values()))
        awards_total += len(given)
        assert by_kind == {
            EntryKind.INDIVIDUAL: [e.pk for e in individuals[: slots[EntryKind.INDIVIDUAL]]],
            EntryKind.GROUP: [e.pk for e in groups]
            + [None] * (slots[EntryKind.GROUP] - len(groups)),
        }
        # One result set: the first computation created every slot, the others changed none.
        assert changed == [sum(slots.values()), 0, 0]

    figure_write(
        "races_awards",
        title="Tranh chấp: tính giải thưởng ba lần cùng lúc",
        rows=[
            ("Lần thử (3 luồng mỗi lần)", ROUNDS),
            ("Lần chạy chồng lên nhau thật", overlap_figure(overlaps)),
            ("Giải được trao (tổng các lần thử)", awards_total),
            ("Giải hoặc bài trùng lặp", duplicates),
            ("Lỗi (exception) lọt ra ngoài", errors),
        ],
        ok=duplicates == 0 and errors == 0,
    )
