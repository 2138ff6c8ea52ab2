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
class JudgeChoice:
    """A judge as the secretariat's lists show them and a conflict check reads them (name,
    e-mail): hundreds per page in a national contest, so not model instances. A form turns
    the one chosen into the user."""

    pk: int
    full_name: str
    email: str

    get_full_name = User.get_full_name  # the user's own rule


def judge_choices(*, contest: Contest) -> list[JudgeChoice]:
    """The contest's judges in name order (judges_of), as JudgeChoice: one query."""
    return [
        JudgeChoice(pk, full_name, email)
        for pk, full_name, email in judges_of(contest=contest).values_list(
            "id", "full_name", "email"
        )
    ]


@dataclass(frozen=True)
class ConflictIndex:
    """Every known conflict among some judges and entries: (judge_id, entry_id) → reason."""

    reasons: dict[tuple[int, int], str]

    def reason(self, judge_id: int, entry_id: int) -> str | None:
        return self.reasons.get((judge_id, entry_id))

    def label(self, judge_id: int, entry_id: int) -> str | None:
        reason = self.reason(judge_id, entry_id)
        return ConflictReason(reason).label if reason else None


# At most this many entries: the unit, profile and declared-conflict rows are read for those
# entries' units and ids (a page of them) instead of for the judges.
NARROW_ENTRIES = 500


def conflict_index(
    *, contest: Contest, judge_ids=None, entry_ids=None, judges: list | None = None
) -> ConflictIndex:
    """A fixed number of queries whatever the sizes. Conflicts: the judge wrote the entry
    (owner, author user, or same e-mail); the entry was received by the judge's unit (a unit
    role, the home unit of the judge's profile, or the unit named in the judge's committee
    position); or a declared conflict. The judges: `judges` (already loaded), those of
    `judge_ids`, or every judge of the contest. For a few entries (one page) the rows are
    read for those entries and matched with the judges here, so that the cost follows the
    page, not the jury (hundreds of judges in a national contest)."""
    if judges is None:
        judges = list(
            User.objects.filter(pk__in=judge_ids).only("id", "email")
            if judge_ids is not None
            else judges_of(contest=contest).only("id", "email")
        )
    judge_ids = [j.pk for j in judges]
    entries_qs = Entry.objects.filter(contest=contest)
    if entry_ids is not None:
        entries_qs = entries_qs.filter(pk__in=entry_ids)
    entries = list(entries_qs.values_list("id", "owner_id", "unit_id", "holder_id", "unit__name"))
    entry_ids = [e[0] for e in entries]
    narrow = len(entries) <= NARROW_ENTRIES
    reasons: dict[tuple[int, int], str] = {}

    units_of: dict[int, set[int]] = {j: set() for j in judge_ids}
    unit_roles = RoleAssignment.objects.filter(contest=contest, role__in=UNIT_ROLES)
    profiles = JudgeProfile.objects.filter(contest=contest, home_unit__isnull=False)
    if narrow:
        units = {u for _i, _o, unit, holder, _n in entries for u in (unit, holder)}
        by_unit = Q(unit_id__in=[u for u in units if u is not None])
        if None in units:
            by_unit |= Q(unit_id__isnull=True)
        unit_roles = unit_roles.filter(by_unit)
        profiles = profiles.filter(home_unit_id__in=[u for u in units if u is not None])
    else:
        unit_roles = unit_roles.filter(user_id__in=judge_ids)
        profiles = profiles.filter(user_id__in=judge_ids)
    for user_id, unit_id in (
        unit_roles.order_by()
        .values_list("user_id", "unit_id")
        .union(profiles.order_by().values_list("user_id", "home_unit_id"), all=True)
    ):
        if user_id in units_of:
            units_of[user_id].add(unit_id)
    judges_by_unit: dict[int | None, set[int]] = {}
    for judge_id, units_ in units_of.items():
        for unit_id in units_:
            judges_by_unit.setdefault(unit_id, set()).add(judge_id)

    emails = {j.email for j in judges if j.email}
    by_email = {j.email.casefold(): j.pk for j in judges if j.email}
    positions: dict[int, list[str]] = {}
    # A committee has tens of members: all of them with a position, matched here.
    for user_id, email, position in (
        CommitteeMember.objects.filter(contest=contest)
        .exclude(position="")
        .values_list("user_id", "email", "position")
    ):
        if user_id in units_of:
            judge_id = user_id
        elif email in emails:
            judge_id = by_email.get((email or "").casefold())
        else:
            continue
        if judge_id is not None:
            positions.setdefault(judge_id, []).append(position.casefold())
    for entry_id, _owner, unit_id, holder_id, unit_name in entries:
        hit = judges_by_unit.get(unit_id, set()) | judges_by_unit.get(holder_id, set())
        unit_name = (unit_name or "").casefold()
        if unit_name:
            hit |= {j for j, ps in positions.items() if any(unit_name in p for p in ps)}
        for judge_id in hit:
            reasons[(judge_id, entry_id)] = ConflictReason.OWN_UNIT
    declared = Conflict.objects.filter(contest=contest, entry_id__in=entry_ids)
    if not narrow:
        declared = declared.filter(judge_id__in=judge_ids)
    for judge_id, entry_id, reason in declared.values_list("judge_id", "entry_id", "reason"):
        if judge_id in units_of:
            reasons[(judge_id, entry_id)] = reason
    for entry_id, owner_id, _u, _h, _n in entries:
        if owner_id in units_of:
            reasons[(owner_id, entry_id)] = ConflictReason.AUTHOR
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
