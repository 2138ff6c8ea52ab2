"""The ranking rules on examples computed by hand in each test."""

import math

import pytest

from judging.ranking import (
    Candidate,
    SheetScore,
    aggregate_written,
    combine,
    normalise,
    rank_entries,
    trimmed_mean,
)


def test_aggregate_mean_is_mean_of_judges_totals():
    sheets = [SheetScore(1, 10, 80.0), SheetScore(1, 11, 70.0), SheetScore(1, 12, 66.0)]

    result = aggregate_written(sheets, method="mean")[1]

    assert result.score == pytest.approx((80 + 70 + 66) / 3)  # 72
    assert result.judge_count == 3
    assert result.spread == 14.0


def test_trimmed_mean_drops_highest_and_lowest():
    values = [95.0, 70.0, 72.0, 74.0, 20.0]

    assert trimmed_mean(values, trim=1) == pytest.approx((70 + 72 + 74) / 3)  # 72


def test_trimmed_mean_keeps_all_when_too_few_sheets():
    assert trimmed_mean([60.0, 80.0], trim=1) == 70.0


def test_normalise_removes_a_harsh_judges_offset():
    # Judge 1 gives 90 and 70; harsh judge 2 gives 50 and 30 to the same two entries.
    # Per judge: mean 80 / 40, sd 10 / 10, so z = +1 for entry A and -1 for entry B.
    # Pooled totals 90, 70, 50, 30: mean 60, population sd sqrt(500).
    sheets = [
        SheetScore(1, 1, 90.0),
        SheetScore(2, 1, 70.0),
        SheetScore(1, 2, 50.0),
        SheetScore(2, 2, 30.0),
    ]

    normalised = normalise(sheets, maximum=100.0)

    assert normalised[(1, 1)] == pytest.approx(60 + math.sqrt(500))
    assert normalised[(1, 2)] == pytest.approx(60 + math.sqrt(500))
    assert normalised[(2, 2)] == pytest.approx(60 - math.sqrt(500))


def test_normalised_aggregation_lets_no_single_harsh_judge_decide():
    # Entry 1 judged by the lenient judge A only (85), entry 2 by the harsh judge B only
    # (55); each judge also scored entry 3 (A: 75, B: 45). Raw means rank 1 above 2 only
    # because of who judged; after normalisation both are one judge-sd above their judge.
    sheets = [
        SheetScore(1, 1, 85.0),
        SheetScore(3, 1, 75.0),
        SheetScore(2, 2, 55.0),
        SheetScore(3, 2, 45.0),
    ]

    results = aggregate_written(sheets, method="normalised", maximum=100.0)

    # Pooled: 85, 75, 55, 45 → mean 65, var (400+100+100+400)/4 = 250.
    assert results[1].score == pytest.approx(65 + math.sqrt(250))
    assert results[2].score == pytest.approx(65 + math.sqrt(250))
    assert results[3].score == pytest.approx(65 - math.sqrt(250))


def test_normalise_clips_to_rubric_range():
    sheets = [
        SheetScore(1, 1, 100.0),
        SheetScore(2, 1, 0.0),
        SheetScore(3, 2, 100.0),
        SheetScore(4, 2, 100.0),
    ]

    normalised = normalise(sheets, maximum=100.0)

    # Pooled mean 75, sd sqrt(1875) ≈ 43.3; judge 1 z = ±1 → 118.3 clipped to 100.
    assert normalised[(1, 1)] == 100.0
    assert normalised[(2, 1)] == pytest.approx(75 - math.sqrt(1875))
    assert normalised[(3, 2)] == 75.0  # judge 2 gave identical totals: z = 0


def test_disagreement_flagged_above_stdev_or_range():
    sheets = [
        SheetScore(1, 1, 90.0),
        SheetScore(1, 2, 60.0),
        SheetScore(2, 1, 70.0),
        SheetScore(2, 2, 68.0),
    ]

    results = aggregate_written(sheets, stdev_threshold=10.0, range_threshold=20.0)

    assert results[1].stdev == 15.0  # |90-75| = |60-75| = 15
    assert results[1].disagreement is True
    assert results[2].disagreement is False


def test_combine_sixty_forty():
    # Written 80/100 → 80 %, presentation 45/50 → 90 %: 0.6 × 80 + 0.4 × 90 = 84.
    assert combine(
        written=80.0,
        presentation=45.0,
        written_maximum=100.0,
        presentation_maximum=50.0,
        written_share=60,
    ) == pytest.approx(84.0)


def test_combine_without_presentation_counts_zero():
    assert combine(
        written=80.0,
        presentation=None,
        written_maximum=100.0,
        presentation_maximum=100.0,
        written_share=60,
    ) == pytest.approx(48.0)


def test_rank_orders_by_score_then_tie_keys():
    candidates = [
        Candidate(1, 80.0, (10.0, 25.0)),
        Candidate(2, 85.0, (0.0, 20.0)),
        Candidate(3, 80.0, (12.0, 20.0)),  # same score as 1, better first key
    ]

    placed = rank_entries(candidates)

    assert [(p.entry_id, p.position, p.tied_with_next) for p in placed] == [
        (2, 1, False),
        (3, 2, False),
        (1, 3, False),
    ]


def test_rank_second_key_breaks_tie_when_first_equal():
    placed = rank_entries([Candidate(1, 80.0, (10.0, 20.0)), Candidate(2, 80.0, (10.0, 22.0))])

    assert [p.entry_id for p in placed] == [2, 1]
    assert [p.tied_with_next for p in placed] == [False, False]


def test_rank_flags_tie_the_rule_cannot_break():
    placed = rank_entries(
        [
            Candidate(7, 75.0, (10.0, 20.0)),
            Candidate(5, 75.0, (10.0, 20.0)),
            Candidate(9, 60.0, (10.0, 20.0)),
        ]
    )

    assert [(p.entry_id, p.position, p.tied_with_next) for p in placed] == [
        (5, 1, True),
        (7, 2, False),
        (9, 3, False),
    ]


def test_rank_compares_at_stored_precision():
    placed = rank_entries([Candidate(1, 200 / 3), Candidate(2, 66.6666667)])

    assert placed[0].tied_with_next is True
    assert placed[0].score == 66.667
