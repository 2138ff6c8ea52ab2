from decimal import Decimal

import pytest
from django.core import mail

from contest.enums import JudgingMode, Role
from judging.enums import Aggregation, RankingStatus, TieBreak
from judging.errors import JudgingRefused
from judging.models import Reminder
from judging.services.assignment import assignment_add
from judging.services.jury import judging_settings_for
from judging.services.ranking import (
    ranking_approve,
    ranking_compute,
    ranking_record_tie_decision,
)
from judging.services.reminders import reminder_send, reminders_create
from tests.factories import (
    UserFactory,
    accepted_entry,
    grant,
    judge_user,
    judging_contest,
    score_all,
)


@pytest.fixture
def panel(db):
    contest = judging_contest()
    secretariat, organizer = UserFactory(), UserFactory()
    grant(secretariat, contest, Role.SECRETARIAT)
    grant(organizer, contest, Role.ORGANIZER)
    judges = [judge_user(contest) for _ in range(3)]
    return contest, secretariat, organizer, judges


def _judge(contest, secretariat, entry, judges_points):
    for judge, points in judges_points:
        assignment_add(contest=contest, entry=entry, judge=judge, by=secretariat)
        score_all(entry, judge, points)


def test_ranking_compute_orders_by_mean_and_flags_disagreement(panel):
    contest, secretariat, _org, (a, b, c) = panel
    first, second = accepted_entry(contest), accepted_entry(contest)
    # first: totals 90, 60, 75 → mean 75, spread 30 (> 20): flagged.
    _judge(
        contest,
        secretariat,
        first,
        [(a, [30, 20, 20, 15, 5]), (b, [20, 10, 10, 10, 10]), (c, [25, 15, 15, 15, 5])],
    )
    # second: totals 70, 70, 71 → mean 70.333.
    _judge(
        contest,
        secretariat,
        second,
        [(a, [20, 15, 15, 15, 5]), (b, [20, 15, 15, 15, 5]), (c, [21, 15, 15, 15, 5])],
    )

    ranking = ranking_compute(contest=contest, kind="individual", by=secretariat)

    rows = list(
        ranking.rows.order_by("position").values_list(
            "entry_id", "position", "score", "disagreement", "judge_count"
        )
    )
    assert rows == [
        (first.pk, 1, Decimal("75.000"), True, 3),
        (second.pk, 2, Decimal("70.333"), False, 3),
    ]


def test_ranking_compute_trimmed_mean_setting(panel):
    contest, secretariat, _org, (a, b, c) = panel
    cfg = judging_settings_for(contest=contest)
    cfg.aggregation = Aggregation.TRIMMED_MEAN
    cfg.save()
    entry = accepted_entry(contest)
    # Totals 90, 60, 75: trimmed (drop 90 and 60) = 75.
    _judge(
        contest,
        secretariat,
        entry,
        [(a, [30, 20, 20, 15, 5]), (b, [20, 10, 10, 10, 10]), (c, [25, 15, 15, 15, 5])],
    )

    ranking = ranking_compute(contest=contest, kind="individual", by=secretariat)

    assert ranking.rows.get().score == Decimal("75.000")


def test_ranking_tie_broken_by_criteria_in_rubric_order(panel):
    contest, secretariat, _org, (a, _b, _c) = panel
    cfg = judging_settings_for(contest=contest)
    cfg.tie_break = TieBreak.CRITERIA
    cfg.save()
    low_first, high_first = accepted_entry(contest), accepted_entry(contest)
    # Both total 80; the second has more on criterion 1 (28 against 25).
    _judge(contest, secretariat, low_first, [(a, [25, 20, 20, 10, 5])])
    _judge(contest, secretariat, high_first, [(a, [28, 17, 20, 10, 5])])

    ranking = ranking_compute(contest=contest, kind="individual", by=secretariat)

    assert list(ranking.rows.order_by("position").values_list("entry_id", "tied_with_next")) == [
        (high_first.pk, False),
        (low_first.pk, False),
    ]


def test_unbreakable_tie_flagged_then_decided_by_organizer(panel):
    contest, secretariat, organizer, (a, _b, _c) = panel
    x, y = accepted_entry(contest), accepted_entry(contest)
    _judge(contest, secretariat, x, [(a, [25, 20, 20, 10, 5])])
    _judge(contest, secretariat, y, [(a, [25, 20, 20, 10, 5])])
    ranking = ranking_compute(contest=contest, kind="individual", by=secretariat)
    top = ranking.rows.get(position=1)

    with pytest.raises(JudgingRefused):
        ranking_approve(ranking=ranking, by=organizer)
    ranking_record_tie_decision(
        row=top,
        first_entry_id=y.pk,
        by=organizer,
        decision="Biên bản họp Ban Tổ chức ngày 05/9: xếp bài Y trên.",
    )
    ranking_approve(ranking=ranking, by=organizer)

    assert list(ranking.rows.order_by("position").values_list("entry_id", "tied_with_next")) == [
        (y.pk, False),
        (x.pk, False),
    ]
    assert ranking.status == RankingStatus.APPROVED


def test_ranking_approve_only_by_organizer(panel):
    contest, secretariat, _org, (a, _b, _c) = panel
    entry = accepted_entry(contest)
    _judge(contest, secretariat, entry, [(a, [25, 20, 20, 10, 5])])
    ranking = ranking_compute(contest=contest, kind="individual", by=secretariat)

    with pytest.raises(JudgingRefused):
        ranking_approve(ranking=ranking, by=secretariat)


def test_rankings_are_separate_per_kind(panel):
    contest, secretariat, _org, (a, _b, _c) = panel
    solo = accepted_entry(contest)
    group = accepted_entry(contest, kind="group")
    _judge(contest, secretariat, solo, [(a, [25, 20, 20, 10, 5])])
    _judge(contest, secretariat, group, [(a, [20, 20, 20, 10, 5])])

    individual = ranking_compute(contest=contest, kind="individual", by=secretariat)
    groups = ranking_compute(contest=contest, kind="group", by=secretariat)

    assert list(individual.rows.values_list("entry_id", flat=True)) == [solo.pk]
    assert list(groups.rows.values_list("entry_id", flat=True)) == [group.pk]


def test_presentation_combined_sixty_forty(panel):
    from judging.services.presentation import presentation_shortlist
    from judging.services.scoring import rubric_for, sheet_save

    contest, secretariat, _org, (a, _b, _c) = panel
    contest.judging_mode = JudgingMode.WRITTEN_AND_PRESENTATION
    contest.save(update_fields=["judging_mode"])
    entry = accepted_entry(contest)
    _judge(contest, secretariat, entry, [(a, [25, 20, 20, 10, 5])])  # written 80
    ranking_compute(contest=contest, kind="individual", by=secretariat)
    presentation_shortlist(contest=contest, by=secretariat)
    assignment_add(contest=contest, entry=entry, judge=a, by=secretariat, round="presentation")
    p_rubric = rubric_for(contest=contest, round="presentation")  # 40, 40, 20
    sheet_save(
        entry=entry,
        judge=a,
        by=a,
        round="presentation",
        expected_version=0,
        submit=True,
        scores={c.pk: v for c, v in zip(p_rubric, [40, 30, 20], strict=True)},
    )

    ranking = ranking_compute(contest=contest, kind="individual", by=secretariat)

    # 0.6 × 80 + 0.4 × 90 = 84
    row = ranking.rows.get()
    assert (row.score, row.written_score, row.presentation_score) == (
        Decimal("84.000"),
        Decimal("80.000"),
        Decimal("90.000"),
    )


def test_reminders_send_once_per_reminder(panel):
    contest, secretariat, _org, (a, _b, _c) = panel
    entry = accepted_entry(contest)
    assignment_add(contest=contest, entry=entry, judge=a, by=secretariat)

    with pytest.raises(JudgingRefused):
        reminders_create(contest=contest, by=a)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        queued = reminders_create(contest=contest, by=secretariat)
    again = reminder_send(reminder_id=Reminder.objects.get().pk)

    assert queued == 1
    assert again is False
    assert [m.to for m in mail.outbox] == [[a.email]]
    assert "còn 1 bài dự thi" in mail.outbox[0].body
