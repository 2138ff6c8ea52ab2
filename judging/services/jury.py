"""The jury: settings, judges, conflicts of interest, the rubric."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from contest.enums import UNIT_ROLES, Role, ScoringRound
from contest.models import CommitteeMember, Contest, Criterion, RoleAssignment
from contest.services import event_record
from submissions.models import Author, Entry

from ..enums import DECLARABLE_REASONS, ConflictReason
from ..errors import JudgingRefused
from ..models import Conflict, JudgeProfile, JudgingSettings, Panel, Score

User = get_user_model()


def judging_settings_for(*, contest: Contest) -> JudgingSettings:
    """Read only: the row is created with the contest (judging/signals.py), so no page writes
    on GET; the defaults, unsaved, if it is missing."""
    return JudgingSettings.objects.filter(contest=contest).first() or JudgingSettings(
        contest=contest
    )


def judges_of(*, contest: Contest) -> QuerySet:
    return (
        User.objects.filter(
            role_assignments__contest=contest, role_assignments__role=Role.JUDGE, is_active=True
        )
        .distinct()
        .order_by("full_name", "id")
    )


@dataclass(frozen=True)
class ConflictIndex:
    """Every known conflict among some judges and entries: (judge_id, entry_id) → reason."""

    reasons: dict[tuple[int, int], str]

    def reason(self, judge_id: int, entry_id: int) -> str | None:
        return self.reasons.get((judge_id, entry_id))

    def label(self, judge_id: int, entry_id: int) -> str | None:
        reason = self.reason(judge_id, entry_id)
        return ConflictReason(reason).label if reason else None


def conflict_index(
    *, contest: Contest, judge_ids=None, entry_ids=None, judges: list | None = None
) -> ConflictIndex:
    """A fixed number of queries whatever the sizes. Conflicts: the judge wrote the entry
    (owner, author user, or same e-mail); the entry was received by the judge's unit (a unit
    role, the home unit of the judge's profile, or the unit named in the judge's committee
    position); or a declared conflict. The judges: `judges` (already loaded), those of
    `judge_ids`, or every judge of the contest."""
    if judges is None:
        judges = list(
            User.objects.filter(pk__in=judge_ids)
            if judge_ids is not None
            else judges_of(contest=contest)
        )
    judge_ids = [j.pk for j in judges]
    entries_qs = Entry.objects.filter(contest=contest)
    if entry_ids is not None:
        entries_qs = entries_qs.filter(pk__in=entry_ids)
    entries = list(entries_qs.values("id", "owner_id", "unit_id", "holder_id", "unit__name"))
    entry_ids = [e["id"] for e in entries]
    reasons: dict[tuple[int, int], str] = {}

    units_of: dict[int, set[int]] = {j: set() for j in judge_ids}
    for user_id, unit_id in RoleAssignment.objects.filter(
        contest=contest, user_id__in=judge_ids, role__in=UNIT_ROLES
    ).values_list("user_id", "unit_id"):
        units_of[user_id].add(unit_id)
    for user_id, unit_id in JudgeProfile.objects.filter(
        contest=contest, user_id__in=judge_ids, home_unit__isnull=False
    ).values_list("user_id", "home_unit_id"):
        units_of[user_id].add(unit_id)
    by_email = {j.email.casefold(): j.pk for j in judges if j.email}
    positions: dict[int, list[str]] = {j: [] for j in judge_ids}
    for user_id, email, position in (
        CommitteeMember.objects.filter(
            Q(user_id__in=judge_ids) | Q(email__in=[j.email for j in judges]), contest=contest
        )
        .exclude(position="")
        .values_list("user_id", "email", "position")
    ):
        judge_id = user_id if user_id in positions else by_email.get((email or "").casefold())
        if judge_id is not None:
            positions[judge_id].append(position.casefold())
    for e in entries:
        unit_name = (e["unit__name"] or "").casefold()
        for j in judge_ids:
            if (
                e["unit_id"] in units_of[j]
                or e["holder_id"] in units_of[j]
                or (unit_name and any(unit_name in p for p in positions[j]))
            ):
                reasons[(j, e["id"])] = ConflictReason.OWN_UNIT
    for judge_id, entry_id, reason in Conflict.objects.filter(
        contest=contest, judge_id__in=judge_ids, entry_id__in=entry_ids
    ).values_list("judge_id", "entry_id", "reason"):
        reasons[(judge_id, entry_id)] = reason
    for e in entries:
        if e["owner_id"] in units_of:
            reasons[(e["owner_id"], e["id"])] = ConflictReason.AUTHOR
    for entry_id, user_id, email in Author.objects.filter(entry_id__in=entry_ids).values_list(
        "entry_id", "user_id", "email"
    ):
        judge_id = user_id if user_id in units_of else by_email.get((email or "").casefold())
        if judge_id is not None:
            reasons[(judge_id, entry_id)] = ConflictReason.AUTHOR
    return ConflictIndex(reasons=reasons)


def conflict_declare(
    *, contest: Contest, judge, entry: Entry, reason: str, note: str = "", by
) -> Conflict:
    """A judge declares a conflict for themselves; the secretariat for any judge. Existing
    assignments of that judge to that entry without a submitted sheet are removed."""
    from .assignment import assignment_remove_for_conflict

    if reason not in DECLARABLE_REASONS:
        raise JudgingRefused(_("Lý do xung đột không hợp lệ."))
    if (
        entry.contest_id != contest.pk
        or not judges_of(contest=contest).filter(pk=judge.pk).exists()
    ):
        raise JudgingRefused(_("Không tìm thấy giám khảo hoặc bài dự thi."))
    is_self = by.pk == judge.pk and by.has_perm("contest.score_entries", contest)
    if not (is_self or by.has_perm("contest.run_judging", contest)):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    try:
        with transaction.atomic():
            conflict = Conflict.objects.create(
                contest=contest,
                judge=judge,
                entry=entry,
                reason=reason,
                note=note.strip(),
                declared_by=by,
            )
            event_record(
                target=conflict,
                action="conflict_declared",
                actor=by,
                contest=contest,
                reason=note,
                data={"judge": judge.pk, "entry": entry.pk, "reason": reason},
            )
            assignment_remove_for_conflict(contest=contest, judge=judge, entry=entry, by=by)
    except IntegrityError:
        raise JudgingRefused(_("Xung đột này đã được khai báo.")) from None
    return conflict


def judge_profile_set_home_unit(*, contest: Contest, judge, unit, by) -> JudgeProfile:
    if not by.has_perm("contest.run_judging", contest):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    profile, _created = JudgeProfile.objects.update_or_create(
        contest=contest, user=judge, defaults={"home_unit": unit}
    )
    return profile


def rubric_is_locked(*, contest: Contest) -> bool:
    """The rubric may change until scoring opens, that is until any score exists."""
    return Score.objects.filter(sheet__contest=contest).exists()


def criterion_save(
    *,
    contest: Contest,
    by,
    criterion: Criterion | None = None,
    round: str = ScoringRound.WRITTEN,
    position: int,
    title: str,
    max_points: Decimal,
    weight: Decimal = Decimal("1"),
    description: str = "",
) -> Criterion:
    """Add or edit a rubric line; refused once any score exists."""
    if not by.has_perm("contest.run_judging", contest) and not by.has_perm(
        "contest.manage_contest", contest
    ):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    if rubric_is_locked(contest=contest):
        raise JudgingRefused(_("Đã có điểm chấm: không thể sửa thang điểm nữa."))
    if max_points <= 0 or weight <= 0:
        raise JudgingRefused(_("Điểm tối đa và trọng số phải lớn hơn 0."))
    criterion = criterion or Criterion(contest=contest)
    criterion.round, criterion.position, criterion.title = round, position, title
    criterion.max_points, criterion.weight, criterion.description = max_points, weight, description
    criterion.save()
    event_record(
        target=contest,
        action="rubric_changed",
        actor=by,
        data={"criterion": criterion.pk, "title": title},
    )
    return criterion


def panel_judge_ids_by_category(*, contest: Contest) -> dict[int, set[int]]:
    """category id → judges of the panels covering it (categories without a panel absent)."""
    out: dict[int, set[int]] = {}
    through_cat = Panel.categories.through
    through_judge = Panel.judges.through
    judges_by_panel: dict[int, set[int]] = {}
    for panel_id, user_id in through_judge.objects.filter(panel__contest=contest).values_list(
        "panel_id", "user_id"
    ):
        judges_by_panel.setdefault(panel_id, set()).add(user_id)
    for panel_id, category_id in through_cat.objects.filter(panel__contest=contest).values_list(
        "panel_id", "category_id"
    ):
        out.setdefault(category_id, set()).update(judges_by_panel.get(panel_id, set()))
    return out
