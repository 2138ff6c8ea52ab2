"""Reads of the judging app. Access helpers answer 404 for "missing" and "not yours" alike."""

import hashlib
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from contest.enums import ScoringRound
from contest.models import Contest
from contest.selectors import roles_of
from contest.services import deadline_is_open
from submissions.enums import JUDGEABLE
from submissions.models import Author, Entry, EntryFile

from .enums import RankingStatus, SheetStatus
from .models import Assignment, Ranking, RankingRow, ScoreSheet
from .services.jury import conflict_index, judges_of

# The entry fields a judge may see: content only, never authors, unit or cover page.
BLIND_FIELDS = (
    "title",
    "summary",
    "problem",
    "solution",
    "expected_effect",
    "implementation",
    "replication",
)


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
    assignment: Assignment
    sheet: ScoreSheet | None

    @property
    def entry(self) -> Entry:
        return self.assignment.entry

    @property
    def state(self) -> str:
        return self.sheet.status if self.sheet else ""


def judge_queue(*, contest: Contest, judge, round: str = ScoringRound.WRITTEN) -> list[QueueItem]:
    assignments = list(
        Assignment.objects.filter(
            contest=contest, judge=judge, round=round, entry__status__in=JUDGEABLE
        ).select_related("entry", "entry__category")
    )
    sheets = {
        s.entry_id: s for s in ScoreSheet.objects.filter(contest=contest, judge=judge, round=round)
    }
    items = [QueueItem(assignment=a, sheet=sheets.get(a.entry_id)) for a in assignments]
    items.sort(key=lambda i: queue_order_key(judge_id=judge.pk, entry_id=i.entry.pk))
    return items


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


def declarable_entries(*, contest: Contest):
    """Titles and categories only: what a judge sees to declare a conflict."""
    return (
        Entry.objects.filter(contest=contest, status__in=JUDGEABLE)
        .select_related("category")
        .only("id", "title", "category__code", "category__title", "tracking_code")
        .order_by("category__position", "title")
    )


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


def progress_by_judge(
    *, contest: Contest, round: str = ScoringRound.WRITTEN, now=None
) -> list[JudgeProgress]:
    """Per judge: assigned, submitted, drafts. Late: something left and the reminder window
    (contest.reminder_days_before_deadline) has begun or the deadline has passed."""
    import datetime as dt

    judges = list(
        judges_of(contest=contest).annotate(
            n_assigned=Count(
                "judging_assignments",
                distinct=True,
                filter=Q(
                    judging_assignments__contest=contest,
                    judging_assignments__round=round,
                    judging_assignments__entry__status__in=JUDGEABLE,
                ),
            ),
        )
    )
    sheet_counts = {
        (row["judge_id"], row["status"]): row["n"]
        for row in ScoreSheet.objects.filter(
            contest=contest, round=round, entry__status__in=JUDGEABLE
        )
        .values("judge_id", "status")
        .annotate(n=Count("id"))
    }
    window_open = not deadline_is_open(
        deadline=contest.scoring_deadline
        - dt.timedelta(days=contest.reminder_days_before_deadline),
        at=now,
    )
    rows = []
    for j in judges:
        row = JudgeProgress(
            judge=j,
            assigned=j.n_assigned,
            submitted=sheet_counts.get((j.pk, SheetStatus.SUBMITTED), 0),
            drafts=sheet_counts.get((j.pk, SheetStatus.DRAFT), 0),
        )
        row.late = row.remaining > 0 and window_open
        rows.append(row)
    return rows


@dataclass
class EntryProgress:
    entry: Entry
    assigned: int
    submitted: int
    judges: list = field(default_factory=list)


def progress_by_entry(
    *, contest: Contest, round: str = ScoringRound.WRITTEN
) -> list[EntryProgress]:
    entries = (
        Entry.objects.filter(contest=contest, status__in=JUDGEABLE)
        .select_related("category")
        .annotate(
            n_assigned=Count("assignments", distinct=True, filter=Q(assignments__round=round)),
            n_submitted=Count(
                "score_sheets",
                distinct=True,
                filter=Q(score_sheets__round=round, score_sheets__status=SheetStatus.SUBMITTED),
            ),
        )
        .order_by("tracking_code", "id")
    )
    return [EntryProgress(entry=e, assigned=e.n_assigned, submitted=e.n_submitted) for e in entries]


@dataclass
class AssignmentTable:
    judges: list
    rows: list  # (entry, [cell per judge]) ; cell: dict(assigned, sheet_status, conflict)


def assignment_table(*, contest: Contest, round: str = ScoringRound.WRITTEN) -> AssignmentTable:
    judges = list(judges_of(contest=contest))
    entries = list(
        Entry.objects.filter(contest=contest, status__in=JUDGEABLE)
        .select_related("category")
        .order_by("tracking_code", "id")
    )
    assigned = {
        (a.entry_id, a.judge_id): a for a in Assignment.objects.filter(contest=contest, round=round)
    }
    sheets = {
        (s.entry_id, s.judge_id): s.status
        for s in ScoreSheet.objects.filter(contest=contest, round=round).only(
            "entry_id", "judge_id", "status"
        )
    }
    conflicts = conflict_index(
        contest=contest, judge_ids=[j.pk for j in judges], entry_ids=[e.pk for e in entries]
    )
    rows = []
    for e in entries:
        cells = []
        for j in judges:
            a = assigned.get((e.pk, j.pk))
            cells.append(
                {
                    "judge": j,
                    "assignment": a,
                    "sheet_status": sheets.get((e.pk, j.pk), ""),
                    "conflict": conflicts.label(j.pk, e.pk),
                }
            )
        rows.append((e, cells, sum(1 for c in cells if c["assignment"])))
    return AssignmentTable(judges=judges, rows=rows)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").casefold()


def author_name_leaks(*, contest: Contest) -> list[dict]:
    """Judgeable entries whose content or extracted document text names one of its authors:
    the secretariat should check them before judges read them."""
    entries = (
        Entry.objects.filter(contest=contest, status__in=JUDGEABLE)
        .prefetch_related(
            Prefetch("authors", queryset=Author.objects.only("entry_id", "full_name")),
            Prefetch(
                "files",
                queryset=EntryFile.objects.only(
                    "id", "entry_id", "original_name", "extracted_text"
                ),
            ),
        )
        .order_by("tracking_code")
    )
    leaks = []
    for entry in entries:
        names = [(a.full_name, _fold(a.full_name)) for a in entry.authors.all() if a.full_name]
        fields_text = _fold(" ".join(getattr(entry, f) for f in BLIND_FIELDS))
        for name, folded in names:
            if folded in fields_text:
                leaks.append({"entry": entry, "name": name, "where": None})
            for f in entry.files.all():
                if folded in _fold(f.extracted_text):
                    leaks.append({"entry": entry, "name": name, "where": f.original_name})
    return leaks


def ranking_view(*, contest: Contest, kind: str, category_id: int | None = None):
    ranking = (
        Ranking.objects.filter(contest=contest, kind=kind).select_related("approved_by").first()
    )
    if ranking is None:
        return None, []
    rows = (
        RankingRow.objects.filter(ranking=ranking)
        .select_related("entry", "entry__category")
        .order_by("position")
    )
    if category_id:
        rows = rows.filter(entry__category_id=category_id)
    return ranking, list(rows)


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
