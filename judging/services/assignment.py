"""Who scores what: the automatic balanced assignment and manual adjustments."""

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from contest.enums import ScoringRound
from contest.models import Contest
from contest.services import event_record
from submissions.enums import JUDGEABLE
from submissions.models import Entry

from ..enums import SheetStatus
from ..errors import JudgingRefused
from ..models import Assignment, ScoreSheet
from ..selectors import judging_totals_changed
from .jury import conflict_index, judges_of, judging_settings_for, panel_judge_ids_by_category
from .scoring import ensure_not_frozen


def assignment_plan(
    *,
    entries: Sequence[int],
    eligible: Mapping[int, Sequence[int]],
    wanted: Mapping[int, int],
    existing: Mapping[int, set[int]] | None = None,
    loads: Mapping[int, int] | None = None,
) -> list[tuple[int, int]]:
    """New (entry, judge) pairs so each entry reaches min(wanted, eligible judges) judges.

    Greedy: the most constrained entries first, each taking its least-loaded eligible judges
    (ties by judge id); then single moves from a judge with a load ≥ 2 above another's to
    that judge while one exists (each move lowers the sum of squared loads, so it ends).
    `existing` assignments are never moved; `eligible` must already exclude conflicts."""
    existing = (
        {e: set(existing.get(e, ())) for e in entries} if existing else {e: set() for e in entries}
    )
    load: dict[int, int] = dict(loads or {})
    for judges in eligible.values():
        for j in judges:
            load.setdefault(j, 0)
    assigned = {e: set(existing[e]) for e in entries}
    planned: dict[int, list[int]] = {}  # judge → entries newly given to them
    order = sorted(entries, key=lambda e: (len(set(eligible.get(e, ())) - assigned[e]), e))
    for e in order:
        allowed = set(eligible.get(e, ()))
        need = min(wanted.get(e, 0), len(allowed | assigned[e])) - len(assigned[e])
        candidates = sorted(allowed - assigned[e], key=lambda j: (load[j], j))
        for j in candidates[: max(need, 0)]:
            assigned[e].add(j)
            load[j] += 1
            planned.setdefault(j, []).append(e)
    moved = True
    while moved:
        moved = False
        by_load = sorted(load, key=lambda j: (load[j], j))
        for high in reversed(by_load):
            for low in by_load:
                if load[high] - load[low] < 2:
                    break
                for e in planned.get(high, []):
                    if low in eligible.get(e, ()) and low not in assigned[e]:
                        planned[high].remove(e)
                        planned.setdefault(low, []).append(e)
                        assigned[e].discard(high)
                        assigned[e].add(low)
                        load[high] -= 1
                        load[low] += 1
                        moved = True
                        break
                if moved:
                    break
            if moved:
                break
    return sorted((e, j) for j, es in planned.items() for e in es)


def _require_secretariat(contest: Contest, by) -> None:
    if not by.has_perm("contest.run_judging", contest):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))


def assignment_auto(*, contest: Contest, by, round: str = ScoringRound.WRITTEN) -> int:
    """Top up every judgeable entry to its number of judges. Returns how many were added."""
    _require_secretariat(contest, by)
    settings_ = judging_settings_for(contest=contest)
    entries = list(
        Entry.objects.filter(contest=contest, status__in=JUDGEABLE).values_list(
            "id", "category_id", "kind"
        )
    )
    for kind in {k for _i, _c, k in entries}:
        ensure_not_frozen(contest=contest, kind=kind)
    if round == ScoringRound.PRESENTATION:
        shortlisted = set(contest.presentation_slots.values_list("entry_id", flat=True))
        entries = [e for e in entries if e[0] in shortlisted]
    judge_ids = list(judges_of(contest=contest).values_list("id", flat=True))
    entry_ids = [e[0] for e in entries]
    conflicts = conflict_index(contest=contest, judge_ids=judge_ids, entry_ids=entry_ids)
    panels = panel_judge_ids_by_category(contest=contest)
    existing: dict[int, set[int]] = {e: set() for e in entry_ids}
    loads = dict.fromkeys(judge_ids, 0)
    for entry_id, judge_id in Assignment.objects.filter(contest=contest, round=round).values_list(
        "entry_id", "judge_id"
    ):
        loads[judge_id] = loads.get(judge_id, 0) + 1
        if entry_id in existing:
            existing[entry_id].add(judge_id)
    eligible, wanted = {}, {}
    for entry_id, category_id, _kind in entries:
        pool = panels.get(category_id, set(judge_ids)) & set(judge_ids)
        eligible[entry_id] = sorted(j for j in pool if not conflicts.reason(j, entry_id))
        whole = settings_.whole_panel and category_id in panels
        if round == ScoringRound.PRESENTATION or whole:
            wanted[entry_id] = len(eligible[entry_id])
        else:
            wanted[entry_id] = settings_.judges_per_entry
    pairs = assignment_plan(
        entries=entry_ids, eligible=eligible, wanted=wanted, existing=existing, loads=loads
    )
    with transaction.atomic():
        Assignment.objects.bulk_create(
            Assignment(contest=contest, entry_id=e, judge_id=j, round=round, assigned_by=by)
            for e, j in pairs
        )
        event_record(
            target=contest,
            action="assignment_auto",
            actor=by,
            data={"round": round, "added": len(pairs)},
        )
        judging_totals_changed(contest=contest)
    return len(pairs)


def assignment_add(
    *, contest: Contest, entry: Entry, judge, by, round: str = ScoringRound.WRITTEN
) -> Assignment:
    """A manual assignment; a conflicting one is refused with the reason."""
    _require_secretariat(contest, by)
    if entry.contest_id != contest.pk or entry.status not in JUDGEABLE:
        raise JudgingRefused(_("Bài dự thi này không ở vòng chấm."))
    ensure_not_frozen(contest=contest, kind=entry.kind)
    if not judges_of(contest=contest).filter(pk=judge.pk).exists():
        raise JudgingRefused(_("Người này không phải thành viên Ban Giám khảo."))
    label = conflict_index(contest=contest, judge_ids=[judge.pk], entry_ids=[entry.pk]).label(
        judge.pk, entry.pk
    )
    if label:
        raise JudgingRefused(
            _("Không thể phân công: giám khảo có xung đột lợi ích với bài này (%(reason)s).")
            % {"reason": label}
        )
    with transaction.atomic():
        assignment, created = Assignment.objects.get_or_create(
            contest=contest,
            entry=entry,
            judge=judge,
            round=round,
            defaults={"manual": True, "assigned_by": by},
        )
        if not created:
            raise JudgingRefused(_("Giám khảo này đã được phân công chấm bài này."))
        event_record(
            target=assignment,
            action="assignment_added",
            actor=by,
            contest=contest,
            data={"entry": entry.pk, "judge": judge.pk, "round": round},
        )
        judging_totals_changed(contest=contest)
    return assignment


def assignment_remove(*, assignment: Assignment, by) -> None:
    contest = assignment.contest
    _require_secretariat(contest, by)
    ensure_not_frozen(contest=contest, kind=assignment.entry.kind)
    if ScoreSheet.objects.filter(
        entry_id=assignment.entry_id,
        judge_id=assignment.judge_id,
        round=assignment.round,
        status=SheetStatus.SUBMITTED,
    ).exists():
        raise JudgingRefused(_("Giám khảo đã nộp phiếu chấm bài này: không thể bỏ phân công."))
    with transaction.atomic():
        event_record(
            target=assignment,
            action="assignment_removed",
            actor=by,
            contest=contest,
            data={"entry": assignment.entry_id, "judge": assignment.judge_id},
        )
        assignment.delete()
        judging_totals_changed(contest=contest)


def assignment_remove_for_conflict(*, contest: Contest, judge, entry: Entry, by) -> None:
    """Called when a conflict is declared: drop assignments without a submitted sheet."""
    for assignment in Assignment.objects.filter(contest=contest, judge=judge, entry=entry):
        if not ScoreSheet.objects.filter(
            entry=entry, judge=judge, round=assignment.round, status=SheetStatus.SUBMITTED
        ).exists():
            event_record(
                target=assignment,
                action="assignment_removed",
                actor=by,
                contest=contest,
                reason=_("Xung đột lợi ích"),
                data={"entry": entry.pk, "judge": judge.pk},
            )
            assignment.delete()
    judging_totals_changed(contest=contest)
