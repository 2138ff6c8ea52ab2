"""Reads of the judging app. Access helpers answer 404 for "missing" and "not yours" alike."""

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from contest.enums import ScoringRound
from contest.models import Contest
from contest.selectors import roles_of
from contest.services import deadline_is_open
from contest.totals import cached_totals
from submissions.enums import JUDGEABLE
from submissions.models import IDEA_FIELDS, Author, Entry, EntryFile

from .enums import RankingStatus, SheetStatus
from .models import Assignment, Ranking, RankingRow, ScoreSheet
from .services.jury import JudgeChoice, conflict_index, judges_of

# The entry fields a judge may see: content only, never authors, unit or cover page.
BLIND_FIELDS = IDEA_FIELDS


def contests_for_judging(*, user) -> list[Contest]:
    ids = set()
    roles = roles_of(user)
    for role in ("judge", "secretariat", "organizer"):
        ids |= roles.contests(role)
    return list(Contest.objects.filter(pk__in=ids).order_by("-year", "-intake_opens_at"))


def contest_for_role(*, slug: str, user, perms: tuple[str, ...]) -> Contest:
    contest = get_object_or_404(Contest, slug=slug)
    if not any(user.has_perm(p, contest) for p in perms):
        raise Http404
    return contest


def queue_order_key(*, judge_id: int, entry_id: int) -> str:
    """Each judge reads their entries in an order of their own, stable across visits."""
    return hashlib.sha256(f"{judge_id}:{entry_id}".encode()).hexdigest()


@dataclass
class QueueItem:
    """One entry of a judge's queue: its id and the state of the judge's sheet ("" for none);
    `entry` (title and category) is read only for the items shown (queue_entries_load)."""

    entry_id: int
    state: str
    entry: Entry | None = None

    @property
    def state_label(self) -> str:
        return SheetStatus(self.state).label if self.state else ""


def judge_queue(*, contest: Contest, judge, round: str = ScoringRound.WRITTEN) -> list[QueueItem]:
    """Every entry assigned to the judge, in the judge's own order, as (entry id, sheet
    state) pairs read in one query, so that even a national judge's ~1,000 entries are cheap
    to count and order; the page reads the entries of the items it shows with
    queue_entries_load."""
    sheet_state = ScoreSheet.objects.filter(
        contest=contest, judge=judge, round=round, entry_id=OuterRef("entry_id")
    ).values("status")[:1]
    rows = (
        Assignment.objects.filter(
            contest=contest, judge=judge, round=round, entry__status__in=JUDGEABLE
        )
        .annotate(state=Subquery(sheet_state))
        .order_by()
        .values_list("entry_id", "state")
    )
    items = [QueueItem(entry_id=entry_id, state=state or "") for entry_id, state in rows]
    judge_id = judge.pk  # once: `judge` may be the request's lazy user
    items.sort(key=lambda i: queue_order_key(judge_id=judge_id, entry_id=i.entry_id))
    return items


def queue_entries_load(items: list[QueueItem]) -> None:
    """Set `entry` (title and category code only, no content) on the given items: one query,
    none for no items."""
    if not items:
        return
    found = (
        Entry.objects.select_related("category")
        .only("id", "title", "category__code")
        .order_by()
        .in_bulk([i.entry_id for i in items])
    )
    for item in items:
        item.entry = found.get(item.entry_id)


def entry_for_judge(
    *, contest: Contest, judge, entry_id: int, round: str = ScoringRound.WRITTEN
) -> Entry:
    """The entry, only if assigned to this judge in this round; 404 otherwise."""
    assignment = (
        Assignment.objects.filter(
            contest=contest,
            judge=judge,
            entry_id=entry_id,
            round=round,
            entry__status__in=JUDGEABLE,
        )
        .select_related("entry", "entry__category", "entry__contest")
        .first()
    )
    if assignment is None or not judge.has_perm("contest.score_entries", contest):
        raise Http404
    return assignment.entry


def entry_files_for_judge(*, entry: Entry) -> list[EntryFile]:
    return list(entry.files.order_by("purpose", "uploaded_at").defer("extracted_text"))


def file_for_judge(*, contest: Contest, judge, entry_id: int, file_id: int) -> EntryFile:
    entry = entry_for_judge(contest=contest, judge=judge, entry_id=entry_id)
    return get_object_or_404(EntryFile, pk=file_id, entry=entry)


@dataclass
class JudgeProgress:
    judge: object
    assigned: int
    submitted: int
    drafts: int

    @property
    def remaining(self) -> int:
        return self.assigned - self.submitted

    late: bool = False


def _reminder_window_open(contest: Contest, now=None) -> bool:
    return not deadline_is_open(
        deadline=contest.scoring_deadline
        - dt.timedelta(days=contest.reminder_days_before_deadline),
        at=now,
    )


def _judge_counts(
    *, contest: Contest, round: str, judge_ids: list[int] | None = None
) -> tuple[dict[int, int], dict[tuple[int, str], int]]:
    """Assignments per judge and sheets per (judge, status), of judgeable entries: two
    grouped queries, for the given judges or for all."""
    assignments = Assignment.objects.filter(
        contest=contest, round=round, entry__status__in=JUDGEABLE
    )
    sheets = ScoreSheet.objects.filter(contest=contest, round=round, entry__status__in=JUDGEABLE)
    if judge_ids is not None:
        assignments = assignments.filter(judge_id__in=judge_ids)
        sheets = sheets.filter(judge_id__in=judge_ids)
    assigned = dict(assignments.order_by().values_list("judge_id").annotate(n=Count("id")))
    sheet_counts = {
        (judge_id, status): n
        for judge_id, status, n in sheets.order_by()
        .values_list("judge_id", "status")
        .annotate(n=Count("id"))
    }
    return assigned, sheet_counts


def progress_by_judge(
    *,
    contest: Contest,
    round: str = ScoringRound.WRITTEN,
    now=None,
    judges=None,
    summary: "ProgressSummary | None" = None,
) -> list[JudgeProgress]:
    """Per judge: assigned, submitted, drafts. Late: something left and the reminder window
    (contest.reminder_days_before_deadline) has begun or the deadline has passed. `judges`
    (one page of them) limits the rows; by default every judge of the contest. Counted now,
    or taken from `summary` (the board's counts, as old as its totals)."""
    judges = list(judges_of(contest=contest) if judges is None else judges)
    if summary is not None:
        assigned, sheet_counts = summary.assigned_by_judge, summary.sheets_by_judge
    else:
        assigned, sheet_counts = _judge_counts(
            contest=contest, round=round, judge_ids=[j.pk for j in judges]
        )
    window_open = _reminder_window_open(contest, now)
    rows = []
    for j in judges:
        row = JudgeProgress(
            judge=j,
            assigned=assigned.get(j.pk, 0),
            submitted=sheet_counts.get((j.pk, SheetStatus.SUBMITTED), 0),
            drafts=sheet_counts.get((j.pk, SheetStatus.DRAFT), 0),
        )
        row.late = row.remaining > 0 and window_open
        rows.append(row)
    return rows


@dataclass(frozen=True)
class ProgressSummary:
    entries: int
    judges: int
    assigned: int
    submitted: int
    drafts: int
    judges_with_work_left: int
    judges_late: int
    computed_at: dt.datetime | None = None
    # every submitted sheet of the contest, all rounds (the board's list of sheets)
    sheets_submitted: int | None = None
    # the per-judge counts the totals come from: judge → assignments, (judge, status) → sheets
    assigned_by_judge: dict = field(default_factory=dict, repr=False)
    sheets_by_judge: dict = field(default_factory=dict, repr=False)

    @property
    def remaining(self) -> int:
        return self.assigned - self.submitted


def _totals_key(name: str, contest: Contest, round: str) -> str:
    return f"judging:{name}:{contest.pk}:{round}"


def judging_totals_changed(*, contest: Contest) -> None:
    """Once the current transaction commits, drop the contest's cached board totals (after
    the secretariat's own changes, so that what they just did shows at once)."""
    keys = [
        _totals_key(name, contest, round)
        for name in ("progress", "assignments")
        for round in ScoringRound.values
    ]
    transaction.on_commit(lambda: cache.delete_many(keys))


def progress_summary(
    *, contest: Contest, round: str = ScoringRound.WRITTEN, now=None
) -> ProgressSummary:
    """The board's totals and per-judge counts from aggregate queries (a fixed number
    whatever the size), cached for PORTAL_TOTALS_CACHE_SECONDS; lateness is judged at read
    time."""

    def compute() -> dict:
        assigned, sheet_counts = _judge_counts(contest=contest, round=round)
        submitted_by_judge = {
            judge_id: n
            for (judge_id, status), n in sheet_counts.items()
            if status == SheetStatus.SUBMITTED
        }
        judge_ids = set(judges_of(contest=contest).values_list("pk", flat=True))
        return {
            "entries": Entry.objects.filter(contest=contest, status__in=JUDGEABLE).count(),
            "judges": len(judge_ids),
            "assigned": sum(assigned.values()),
            "submitted": sum(submitted_by_judge.values()),
            "drafts": sum(
                n for (_j, status), n in sheet_counts.items() if status == SheetStatus.DRAFT
            ),
            "judges_with_work_left": sum(
                1 for j in judge_ids if assigned.get(j, 0) > submitted_by_judge.get(j, 0)
            ),
            "assigned_by_judge": assigned,
            "sheets_by_judge": sheet_counts,
            "sheets_submitted": submitted_sheets(contest=contest).count(),
        }

    totals = cached_totals(_totals_key("progress", contest, round), compute)
    late = totals["judges_with_work_left"] if _reminder_window_open(contest, now) else 0
    return ProgressSummary(**totals, judges_late=late)


@dataclass
class EntryProgress:
    entry: Entry
    assigned: int
    submitted: int
    judges: list = field(default_factory=list)


def judgeable_entries(*, contest: Contest, q: str = "", category_id: int | None = None):
    """Judgeable entries in code order (Entry.tracking_code is unique, so indexed), to be
    paginated, with only what the lists show (code, title, category); `q` finds a code or a
    title. The progress board's counts come from progress_by_entry for one page."""
    qs = Entry.objects.filter(contest=contest, status__in=JUDGEABLE)
    if category_id:
        qs = qs.filter(category_id=category_id)
    if q:
        qs = qs.filter(Q(tracking_code__icontains=q) | Q(title__icontains=q))
    return (
        qs.select_related("category")
        .only("id", "tracking_code", "title", "category__code", "category__title")
        .order_by("tracking_code", "id")
    )


def progress_by_entry(
    *, contest: Contest, entries, round: str = ScoringRound.WRITTEN
) -> list[EntryProgress]:
    """Assigned and submitted sheets of the given entries (one page): two grouped queries."""
    entries = list(entries)
    ids = [e.pk for e in entries]
    assigned = dict(
        Assignment.objects.filter(contest=contest, round=round, entry_id__in=ids)
        .order_by()
        .values_list("entry_id")
        .annotate(n=Count("id"))
    )
    submitted = dict(
        ScoreSheet.objects.filter(
            contest=contest, round=round, status=SheetStatus.SUBMITTED, entry_id__in=ids
        )
        .order_by()
        .values_list("entry_id")
        .annotate(n=Count("id"))
    )
    return [
        EntryProgress(entry=e, assigned=assigned.get(e.pk, 0), submitted=submitted.get(e.pk, 0))
        for e in entries
    ]


def submitted_sheets(*, contest: Contest, q: str = ""):
    """Submitted sheets, latest first (index sheet_submitted_order_idx: read in its order),
    to be paginated, with what the list shows; `q` finds an entry's code or a judge's
    name."""
    qs = ScoreSheet.objects.filter(contest=contest, status=SheetStatus.SUBMITTED)
    if q:
        qs = qs.filter(Q(entry__tracking_code__icontains=q) | Q(judge__full_name__icontains=q))
    return (
        qs.select_related("entry", "judge")
        .only(
            "id",
            "entry_id",
            "judge_id",
            "total",
            "source",
            "submitted_at",
            "entry__tracking_code",
            "judge__full_name",
            "judge__email",
        )
        .order_by("-submitted_at", "-id")
    )


@dataclass(frozen=True)
class AssignedJudge:
    assignment_id: int
    judge: JudgeChoice
    status: str  # of the judge's sheet, "" for none

    @property
    def name(self) -> str:
        return self.judge.get_full_name()


@dataclass
class AssignmentRow:
    entry: Entry
    # every judge assigned, in the judges' name order
    assigned: list[AssignedJudge] = field(default_factory=list)
    # (judge, conflict label) of every judge who may not score the entry
    conflicts: list = field(default_factory=list)


def assignment_rows(
    *, contest: Contest, entries, judges: list, round: str = ScoringRound.WRITTEN
) -> list[AssignmentRow]:
    """The assignments, sheet states and conflicts of the given entries (one page) with the
    contest's judges (`judges`, in judges_of order: JudgeChoice or users): a fixed number of
    queries whatever the number of entries."""
    entries = list(entries)
    ids = [e.pk for e in entries]
    judges = {j.pk: j for j in judges}
    sheets = {
        (entry_id, judge_id): status
        for entry_id, judge_id, status in ScoreSheet.objects.filter(
            contest=contest, round=round, entry_id__in=ids
        ).values_list("entry_id", "judge_id", "status")
    }
    conflicts = conflict_index(contest=contest, judges=list(judges.values()), entry_ids=ids)
    rows = {e.pk: AssignmentRow(entry=e) for e in entries}
    # Names from the assignments themselves: a judge who has left the jury keeps theirs.
    for pk, entry_id, judge_id, full_name, email in (
        Assignment.objects.filter(contest=contest, round=round, entry_id__in=ids)
        .order_by("judge__full_name", "judge_id")
        .values_list("id", "entry_id", "judge_id", "judge__full_name", "judge__email")
    ):
        rows[entry_id].assigned.append(
            AssignedJudge(
                assignment_id=pk,
                judge=JudgeChoice(judge_id, full_name, email),
                status=sheets.get((entry_id, judge_id), ""),
            )
        )
    for (judge_id, entry_id), _reason in sorted(conflicts.reasons.items()):
        if judge_id in judges and entry_id in rows:
            rows[entry_id].conflicts.append((judges[judge_id], conflicts.label(judge_id, entry_id)))
    return list(rows.values())


@dataclass(frozen=True)
class AssignmentSummary:
    entries: int
    judges: int
    assigned: int
    entries_short: int  # entries with fewer judges than the contest asks for
    computed_at: dt.datetime | None = None


def assignment_summary(
    *, contest: Contest, per_entry: int, round: str = ScoringRound.WRITTEN
) -> AssignmentSummary:
    """Totals of the assignment page from aggregate queries, cached like the progress
    board's (PORTAL_TOTALS_CACHE_SECONDS); `per_entry` is the number of judges each entry
    should have (JudgingSettings.judges_per_entry, or the panel's size)."""

    def compute() -> dict:
        assignments = Assignment.objects.filter(
            contest=contest, round=round, entry__status__in=JUDGEABLE
        )
        full = (
            assignments.order_by()
            .values("entry_id")
            .annotate(n=Count("id"))
            .filter(n__gte=per_entry)
            .count()
        )
        entries = Entry.objects.filter(contest=contest, status__in=JUDGEABLE).count()
        return {
            "entries": entries,
            "judges": judges_of(contest=contest).count(),
            "assigned": assignments.count(),
            "entries_short": entries - full,
            "per_entry": per_entry,
        }

    key = _totals_key("assignments", contest, round)
    found = cached_totals(key, compute)
    if found.pop("per_entry") != per_entry:  # the settings changed since: count again
        cache.delete(key)
        found = cached_totals(key, compute)
        found.pop("per_entry")
    return AssignmentSummary(**found)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").casefold()


def author_name_leaks(*, contest: Contest, entry_ids: list[int]) -> list[dict]:
    """Of the given judgeable entries (one page), those whose content or extracted document
    text names one of their authors: the secretariat should check them before judges read
    them. Reads the documents' text, so only ever for a page of entries; each text is
    folded once, whatever the number of authors."""
    entries = list(
        Entry.objects.filter(contest=contest, status__in=JUDGEABLE, pk__in=entry_ids)
        .only("id", "tracking_code", *BLIND_FIELDS)
        .order_by("tracking_code")
    )
    ids = [e.pk for e in entries]
    names: dict[int, list[str]] = {}
    for entry_id, full_name in (
        Author.objects.filter(entry_id__in=ids)
        .exclude(full_name="")
        .order_by("entry_id", "position", "id")
        .values_list("entry_id", "full_name")
    ):
        names.setdefault(entry_id, []).append(full_name)
    files: dict[int, list[tuple[str, str]]] = {}
    for entry_id, original_name, text in (
        EntryFile.objects.filter(entry_id__in=[i for i in ids if i in names])
        .order_by("entry_id", "purpose", "uploaded_at", "id")
        .values_list("entry_id", "original_name", "extracted_text")
    ):
        files.setdefault(entry_id, []).append((original_name, _fold(text)))
    leaks = []
    for entry in entries:
        if entry.pk not in names:
            continue
        fields_text = _fold(" ".join(getattr(entry, f) for f in BLIND_FIELDS))
        for name in names[entry.pk]:
            folded = _fold(name)
            if folded in fields_text:
                leaks.append({"entry": entry, "name": name, "where": None})
            for original_name, text in files.get(entry.pk, ()):
                if folded in text:
                    leaks.append({"entry": entry, "name": name, "where": original_name})
    return leaks


def ranking_of(*, contest: Contest, kind: str) -> Ranking | None:
    return Ranking.objects.filter(contest=contest, kind=kind).select_related("approved_by").first()


def ranking_rows(*, ranking: Ranking, category_id: int | None = None, flagged: bool = False):
    """The ranking's rows in position order (index RankingRow(ranking, position)), to be
    paginated; optionally one category, or only the rows where the judges disagree. With
    only the entry's code, title and category code (the table shows no content)."""
    rows = RankingRow.objects.filter(ranking=ranking)
    if category_id:
        rows = rows.filter(entry__category_id=category_id)
    if flagged:
        rows = rows.filter(disagreement=True)
    return (
        rows.select_related("entry", "entry__category")
        .only(*_RANKING_ROW_FIELDS, "entry__title", "entry__category__code")
        .order_by("position")
    )


# What the ranking page reads of a row (every field but the criteria means) and of its entry.
_RANKING_ROW_FIELDS = (
    *(f.attname for f in RankingRow._meta.concrete_fields if f.name != "criteria_means"),
    "entry__id",
    "entry__tracking_code",
    "entry__category_id",
)


@dataclass(frozen=True)
class RankingCounts:
    rows: int
    flagged: int
    ties: int


def _ranking_counts_key(ranking: Ranking) -> str:
    # A computation has its own key: recomputing replaces every row and `computed_at`.
    return f"judging:ranking-counts:{ranking.pk}:{ranking.computed_at.timestamp()}"


def ranking_counts_changed(*, ranking: Ranking) -> None:
    """Once the current transaction commits, drop the ranking's cached counts (a tie
    decision settles a tie)."""
    key = _ranking_counts_key(ranking)
    transaction.on_commit(lambda: cache.delete(key))


def ranking_counts(*, ranking: Ranking) -> RankingCounts:
    """Rows, rows with a large disagreement, unsettled ties: one aggregate query over the
    whole ranking, kept like the contest-wide totals (PORTAL_TOTALS_CACHE_SECONDS) under a
    key of the computation, and dropped when a tie decision changes them, so always those
    of the ranking shown."""

    def compute() -> dict:
        return RankingRow.objects.filter(ranking=ranking).aggregate(
            rows=Count("id"),
            flagged=Count("id", filter=Q(disagreement=True)),
            ties=Count("id", filter=Q(tied_with_next=True)),
        )

    found = cached_totals(_ranking_counts_key(ranking), compute)
    found.pop("computed_at")
    return RankingCounts(**found)


def ranking_ties(*, ranking: Ranking, limit: int) -> list[tuple[RankingRow, RankingRow]]:
    """The first `limit` unsettled ties in position order, each with the row after it:
    two queries whatever the ranking's size."""
    tied = list(
        RankingRow.objects.filter(ranking=ranking, tied_with_next=True)
        .select_related("entry")
        .only("id", "ranking_id", "entry_id", "position", "score", "entry__tracking_code")
        .order_by("position")[:limit]
    )
    following = {
        r.position: r
        for r in RankingRow.objects.filter(
            ranking=ranking, position__in=[t.position + 1 for t in tied]
        )
        .select_related("entry")
        .only("id", "ranking_id", "entry_id", "position", "entry__tracking_code")
    }
    return [(t, following[t.position + 1]) for t in tied if t.position + 1 in following]


def ranking_tie_pair(*, ranking: Ranking, row_id) -> tuple[RankingRow, RankingRow | None] | None:
    """One row of the ranking (None if not of it) and the row after it."""
    row = RankingRow.objects.filter(ranking=ranking, pk=row_id).select_related("entry").first()
    if row is None:
        return None
    nxt = (
        RankingRow.objects.filter(ranking=ranking, position=row.position + 1)
        .select_related("entry")
        .first()
    )
    return row, nxt


def ranking_is_frozen(*, contest: Contest, kind: str) -> bool:
    return Ranking.objects.filter(
        contest=contest, kind=kind, status=RankingStatus.APPROVED
    ).exists()


def other_sheets_visible(*, contest: Contest, judge, entry: Entry) -> list[ScoreSheet]:
    """Other judges' submitted sheets, only once this judge has submitted and the contest
    allows it."""
    from .services.jury import judging_settings_for

    if not judging_settings_for(contest=contest).show_scores_after_submit:
        return []
    own = ScoreSheet.objects.filter(
        entry=entry, judge=judge, round=ScoringRound.WRITTEN, status=SheetStatus.SUBMITTED
    ).exists()
    if not own:
        return []
    return list(
        ScoreSheet.objects.filter(
            entry=entry, round=ScoringRound.WRITTEN, status=SheetStatus.SUBMITTED
        )
        .exclude(judge=judge)
        .order_by("id")
    )


def similarity_findings(*, contest: Contest):
    from .models import SimilarityFinding

    return list(
        SimilarityFinding.objects.filter(contest=contest)
        .select_related(
            "entry", "entry__category", "other_entry", "other_entry__category", "known_model"
        )
        .order_by("-score", "id")
    )
