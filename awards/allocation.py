"""Prize allocation from an approved ranking: a pure computation, no writes.

Rules (per kind, individuals and groups separately):
- the prize slots are the contest's PrizeTier rows in rank order, `individual_count` or
  `group_count` slots each; a group's amount is contest.prize_amount(amount, group=True);
- eligible rows are those of the APPROVED ranking whose entry is still accepted and whose
  score reaches the contest's minimum score, if one is set;
- fewer eligible entries than slots: the remaining slots are not awarded (no shifting);
- entries tied (RankingRow.tied_with_next, or equal scores) across a prize boundary are a
  tie case; the organizing committee's recorded TieDecision orders them, until then the
  affected slots are marked tie_pending and the proposal cannot be approved."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from contest.models import Contest, PrizeTier
from judging.enums import RankingStatus
from judging.models import Ranking, RankingRow
from submissions.enums import JUDGEABLE, EntryKind
from submissions.models import Entry


@dataclass(frozen=True)
class SlotSpec:
    kind: str
    tier: PrizeTier
    slot: int
    amount: int


@dataclass
class PlannedAward:
    spec: SlotSpec
    entry: Entry | None = None
    score: Decimal | None = None
    ranking_position: int | None = None
    tie_pending: bool = False


@dataclass
class TieCase:
    kind: str
    key: str
    rows: list[RankingRow]
    decided: bool
    tiers_involved: list[str] = field(default_factory=list)
    decision: object = None

    @property
    def kind_label(self) -> str:
        return str(EntryKind(self.kind).label)


@dataclass
class KindPlan:
    kind: str
    has_ranking: bool
    awards: list[PlannedAward]
    ties: list[TieCase]


def tie_key(entry_ids) -> str:
    return ",".join(str(i) for i in sorted(entry_ids))


def prize_slots(*, contest: Contest, kind: str, tiers: list[PrizeTier]) -> list[SlotSpec]:
    group = kind == EntryKind.GROUP
    slots: list[SlotSpec] = []
    for tier in sorted(tiers, key=lambda t: t.rank):
        count = tier.group_count if group else tier.individual_count
        amount = contest.prize_amount(tier.individual_amount, group=group)
        slots.extend(
            SlotSpec(kind=kind, tier=tier, slot=n, amount=amount) for n in range(1, count + 1)
        )
    return slots


def _linked(row: RankingRow, following: RankingRow) -> bool:
    """Two consecutive eligible rows are tied."""
    return row.tied_with_next or row.score == following.score


def _eligible_head(eligible, *, slots: int) -> list[RankingRow]:
    """The eligible rows (an iterator, in ranking order) that can win or tie for a prize:
    the first `slots`, and after them the rows still tied with the last one. A national
    ranking has ~100,000 rows; only this head is ever read."""
    head: list[RankingRow] = []
    for row in eligible:
        if len(head) >= slots and (not head or not _linked(head[-1], row)):
            break
        head.append(row)
    return head


def _tie_groups(rows: list[RankingRow]) -> list[tuple[int, int]]:
    """(start, end) index pairs, end inclusive, of runs of two or more tied rows."""
    groups: list[tuple[int, int]] = []
    start = 0
    for i in range(len(rows)):
        linked = i + 1 < len(rows) and _linked(rows[i], rows[i + 1])
        if not linked:
            if i > start:
                groups.append((start, i))
            start = i + 1
    return groups


def plan_kind(
    *,
    contest: Contest,
    kind: str,
    tiers: list[PrizeTier],
    rows: Iterable[RankingRow] | None,
    minimum_score: Decimal | None,
    decisions: dict[str, list[int]],
) -> KindPlan:
    slots = prize_slots(contest=contest, kind=kind, tiers=tiers)
    if rows is None:
        return KindPlan(
            kind=kind,
            has_ranking=False,
            awards=[PlannedAward(spec=s) for s in slots],
            ties=[],
        )
    eligible = _eligible_head(
        (
            r
            for r in rows
            if r.entry.status in JUDGEABLE
            and r.entry.kind == kind
            and (minimum_score is None or r.score >= minimum_score)
        ),
        slots=len(slots),
    )
    # Number of slots before each boundary: after the last slot of each tier.
    boundaries: set[int] = set()
    tier_of_index: list[str] = []
    for running, spec in enumerate(slots, start=1):
        tier_of_index.append(spec.tier.name)
        if spec.slot == (
            spec.tier.group_count if kind == EntryKind.GROUP else spec.tier.individual_count
        ):
            boundaries.add(running)
    ordered = list(eligible)
    ties: list[TieCase] = []
    pending_indexes: set[int] = set()
    for start, end in _tie_groups(eligible):
        if not any(start < b <= end for b in boundaries):
            continue
        group_rows = eligible[start : end + 1]
        key = tie_key(r.entry_id for r in group_rows)
        decision = decisions.get(key)
        decided = decision is not None and sorted(decision) == sorted(
            r.entry_id for r in group_rows
        )
        involved = sorted(
            {tier_of_index[i] for i in range(start, min(end + 1, len(slots)))},
            key=lambda name: [t.name for t in sorted(tiers, key=lambda t: t.rank)].index(name),
        )
        if end >= len(slots):
            involved.append("")  # the boundary between the last prize and no prize
        if decided:
            by_id = {r.entry_id: r for r in group_rows}
            ordered[start : end + 1] = [by_id[i] for i in decision]
        else:
            pending_indexes.update(range(start, end + 1))
        ties.append(
            TieCase(kind=kind, key=key, rows=group_rows, decided=decided, tiers_involved=involved)
        )
    awards: list[PlannedAward] = []
    for index, spec in enumerate(slots):
        if index < len(ordered):
            row = ordered[index]
            awards.append(
                PlannedAward(
                    spec=spec,
                    entry=row.entry,
                    score=row.score,
                    ranking_position=row.position,
                    tie_pending=index in pending_indexes,
                )
            )
        else:
            awards.append(PlannedAward(spec=spec))
    return KindPlan(kind=kind, has_ranking=True, awards=awards, ties=ties)


def _in_pages(queryset, *, first: int, most: int = 1000):
    """The rows of an ordered queryset, read as they are consumed: `first` rows, then pages
    twice as large (up to `most`). The plan stops reading once it knows the prizes and their
    ties, which is usually within the first page."""
    start, size = 0, max(first, 1)
    while True:
        page = list(queryset[start : start + size])
        yield from page
        if len(page) < size:
            return
        start += size
        size = min(size * 2, most)


def approved_rankings(*, contest: Contest) -> dict[str, Ranking]:
    """The contest's approved rankings by kind (id, kind, computation and approval times
    only)."""
    return {
        r.kind: r
        for r in Ranking.objects.filter(contest=contest, status=RankingStatus.APPROVED).only(
            "id", "contest_id", "kind", "computed_at", "approved_at"
        )
    }


def plan_contest(
    *,
    contest: Contest,
    minimum_score: Decimal | None,
    decisions: dict[tuple[str, str], list[int]],
    rankings: dict[str, Ranking] | None = None,
) -> list[KindPlan]:
    """`rankings`: approved_rankings(contest=contest), when the caller has read it already."""
    tiers = list(contest.prize_tiers.all())
    if rankings is None:
        rankings = approved_rankings(contest=contest)

    def rows_of(kind: str):
        ranking = rankings.get(kind)
        if ranking is None:
            return None
        rows = (
            # By the ranking's id: the (ranking, position) index gives the first rows at once.
            RankingRow.objects.filter(ranking_id=ranking.pk)
            .select_related("entry")
            # Only what the plan reads (an entry's content fields are large).
            .only(
                "id",
                "position",
                "score",
                "tied_with_next",
                "entry__id",
                "entry__status",
                "entry__kind",
                "entry__tracking_code",
                "entry__title",
            )
            .order_by("position", "id")
        )
        # The prizes, and as many rows again for ties and ineligible entries.
        slots = len(prize_slots(contest=contest, kind=kind, tiers=tiers))
        return _in_pages(rows, first=2 * slots + 10)

    return [
        plan_kind(
            contest=contest,
            kind=kind,
            tiers=tiers,
            rows=rows_of(kind),
            minimum_score=minimum_score,
            decisions={k: v for (dk, k), v in decisions.items() if dk == kind},
        )
        for kind in (EntryKind.INDIVIDUAL, EntryKind.GROUP)
    ]
