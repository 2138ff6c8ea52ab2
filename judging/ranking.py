"""The ranking rules, free of the database: how judges' sheets become one score per entry,
and how entries are ordered. Services feed these functions and store what they return.

- An entry's written score is the mean of its judges' weighted totals; optionally a trimmed
  mean (drop the `trim` highest and lowest when more than 2 × trim sheets remain) or a mean
  of normalised totals: each judge's totals become z-scores over that judge's own sheets,
  rescaled to the rubric's range as pooled_mean + z × pooled_stdev and clipped to
  [0, maximum], so one harsh or lenient judge does not decide a prize.
- Judges disagree on an entry when the population standard deviation or the spread
  (max − min) of their raw totals exceeds a threshold.
- With a presentation round, the final score is written_share % of the written score and
  the rest of the presentation score, both as a percentage of their rubric's maximum; an
  entry that did not present gets 0 for the presentation.
- Entries are ordered by score, then by the tie-break keys (higher first); equal scores and
  keys are an unresolved tie, flagged for the organizing committee, kept in entry-id order.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PRECISION = 3  # scores are stored with 3 decimals; ties are judged at that precision


@dataclass(frozen=True)
class SheetScore:
    entry_id: int
    judge_id: int
    total: float
    criteria: tuple[float, ...] = ()  # raw points per criterion, in rubric order


@dataclass(frozen=True)
class WrittenResult:
    entry_id: int
    score: float
    judge_count: int
    stdev: float
    spread: float
    disagreement: bool
    criteria_means: tuple[float, ...]


@dataclass(frozen=True)
class Candidate:
    entry_id: int
    score: float
    tie_keys: tuple[float, ...] = ()


@dataclass(frozen=True)
class Placed:
    entry_id: int
    position: int
    score: float
    tied_with_next: bool


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def pstdev(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    m = mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))


def trimmed_mean(values: Sequence[float], *, trim: int) -> float:
    """Drop the `trim` lowest and highest values when more than 2 × trim remain."""
    ordered = sorted(values)
    if trim > 0 and len(ordered) > 2 * trim:
        ordered = ordered[trim:-trim]
    return mean(ordered)


def normalise(sheets: Iterable[SheetScore], *, maximum: float) -> dict[tuple[int, int], float]:
    """(entry_id, judge_id) → the judge's total as a z-score over that judge's sheets,
    rescaled as pooled_mean + z × pooled_stdev and clipped to [0, maximum]. A judge with one
    sheet or identical totals has z = 0 (the pooled mean)."""
    sheets = list(sheets)
    if not sheets:
        return {}
    by_judge: dict[int, list[float]] = defaultdict(list)
    for s in sheets:
        by_judge[s.judge_id].append(s.total)
    stats = {j: (mean(v), pstdev(v)) for j, v in by_judge.items()}
    totals = [s.total for s in sheets]
    pooled_mean, pooled_sd = mean(totals), pstdev(totals)
    out = {}
    for s in sheets:
        m, sd = stats[s.judge_id]
        z = (s.total - m) / sd if sd > 0 else 0.0
        out[(s.entry_id, s.judge_id)] = min(max(pooled_mean + z * pooled_sd, 0.0), maximum)
    return out


def aggregate_written(
    sheets: Iterable[SheetScore],
    *,
    method: str = "mean",
    trim: int = 1,
    maximum: float = 100.0,
    stdev_threshold: float = math.inf,
    range_threshold: float = math.inf,
) -> dict[int, WrittenResult]:
    """One WrittenResult per entry that has at least one sheet. `method` is "mean",
    "trimmed_mean" or "normalised" (judging.enums.Aggregation values)."""
    sheets = list(sheets)
    by_entry: dict[int, list[SheetScore]] = defaultdict(list)
    for s in sheets:
        by_entry[s.entry_id].append(s)
    normalised = normalise(sheets, maximum=maximum) if method == "normalised" else None
    results = {}
    for entry_id, entry_sheets in by_entry.items():
        raw = [s.total for s in entry_sheets]
        if method == "normalised":
            score = mean([normalised[(entry_id, s.judge_id)] for s in entry_sheets])
        elif method == "trimmed_mean":
            score = trimmed_mean(raw, trim=trim)
        else:
            score = mean(raw)
        sd, spread = pstdev(raw), max(raw) - min(raw)
        n = len(entry_sheets)
        columns = zip(*(s.criteria for s in entry_sheets), strict=False)
        criteria_means = tuple(sum(column) / n for column in columns)
        results[entry_id] = WrittenResult(
            entry_id=entry_id,
            score=score,
            judge_count=len(entry_sheets),
            stdev=sd,
            spread=spread,
            disagreement=sd > stdev_threshold or spread > range_threshold,
            criteria_means=criteria_means,
        )
    return results


def combine(
    *,
    written: float,
    presentation: float | None,
    written_maximum: float,
    presentation_maximum: float,
    written_share: int,
) -> float:
    """written_share % of the written score and the rest of the presentation score, each as
    a percentage of its rubric's maximum. No presentation counts as 0."""
    written_pct = 100.0 * written / written_maximum if written_maximum else 0.0
    presentation_pct = (
        100.0 * presentation / presentation_maximum
        if presentation is not None and presentation_maximum
        else 0.0
    )
    return (written_share * written_pct + (100 - written_share) * presentation_pct) / 100.0


def _key(candidate: Candidate) -> tuple[float, ...]:
    return (round(candidate.score, PRECISION), *(round(k, PRECISION) for k in candidate.tie_keys))


def rank_entries(candidates: Iterable[Candidate]) -> list[Placed]:
    """Positions 1..n by score then tie keys, higher first; a row whose score and keys equal
    the next row's is tied_with_next (the rule could not separate them)."""
    keyed = sorted(
        ((_key(c), c) for c in candidates),
        key=lambda kc: (tuple(-k for k in kc[0]), kc[1].entry_id),
    )
    return [
        Placed(
            entry_id=c.entry_id,
            position=i + 1,
            score=key[0],
            tied_with_next=i + 1 < len(keyed) and key == keyed[i + 1][0],
        )
        for i, (key, c) in enumerate(keyed)
    ]
