"""Score sheets: saving with an optimistic lock, and the one transition function."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.enums import ScoringRound
from contest.models import Contest, Criterion
from contest.services import deadline_is_open, event_record
from submissions.enums import JUDGEABLE
from submissions.models import Entry

from ..enums import RankingStatus, SheetStatus
from ..errors import JudgingRefused, StaleSheet
from ..models import Assignment, Ranking, Score, ScoreSheet, ScoreSheetVersion
from ..selectors import judging_totals_changed

SOURCE_WEB = "web"
SOURCE_PAPER = "paper"


def ensure_not_frozen(*, contest: Contest | int, kind: str, hold: bool = False) -> None:
    """After the organizer approves a ranking, no score of that kind may change. With
    hold=True (inside the caller's transaction, before it writes scores) the ranking row
    stays locked until commit; ranking_approve takes the same lock, so an approval cannot
    commit between this check and the caller's writes."""
    rankings = Ranking.objects.filter(contest=contest, kind=kind)
    if hold:
        rankings = rankings.select_for_update(no_key=True)
    if RankingStatus.APPROVED in rankings.values_list("status", flat=True):
        raise JudgingRefused(
            _("Bảng xếp hạng đã được phê duyệt: không thể thay đổi điểm hay tính lại.")
        )


def rubric_for(*, contest: Contest, round: str) -> list[Criterion]:
    return list(Criterion.objects.filter(contest=contest, round=round).order_by("position"))


def decimal_text(value: Decimal) -> str:
    """30.00 → "30", 0.50 → "0,5": numbers as a Vietnamese reader writes them."""
    return f"{value.normalize():f}".replace(".", ",")


def points_check(*, value, criterion: Criterion, step: Decimal) -> Decimal:
    """A score within 0..max_points on the contest's step, or JudgingRefused."""
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise JudgingRefused(
            _("Điểm “%(criterion)s” phải là một số.") % {"criterion": criterion.title}
        ) from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise JudgingRefused(
            _("Điểm “%(criterion)s” phải từ 0 đến %(max)s.")
            % {"criterion": criterion.title, "max": decimal_text(criterion.max_points)}
        )
    if points % step != 0:
        raise JudgingRefused(
            _("Điểm “%(criterion)s” phải theo bước %(step)s điểm.")
            % {"criterion": criterion.title, "step": decimal_text(step)}
        )
    return points


def weighted_total(*, points: dict[int, Decimal], rubric: list[Criterion]) -> Decimal:
    return sum((points[c.pk] * c.weight for c in rubric if c.pk in points), Decimal("0"))


def _snapshot(sheet: ScoreSheet, *, by, action: str, reason: str = "") -> None:
    scores = {str(c): f"{p}" for c, p in sheet.scores.values_list("criterion_id", "points")}
    ScoreSheetVersion.objects.create(
        sheet=sheet,
        version=sheet.version,
        status=sheet.status,
        scores=scores,
        comment=sheet.comment,
        total=sheet.total,
        saved_by=by,
        saved_at=timezone.now(),
        action=action,
        reason=reason,
    )


# (from, to) → (action, who may: "judge" the sheet's own judge, "secretariat")
SHEET_TRANSITIONS = {
    (SheetStatus.DRAFT, SheetStatus.SUBMITTED): ("sheet_submitted", {"judge", "secretariat"}),
    (SheetStatus.SUBMITTED, SheetStatus.DRAFT): ("sheet_reopened", {"secretariat"}),
}


def sheet_transition(*, sheet: ScoreSheet, to: str, by, reason: str = "") -> ScoreSheet:
    """The only code that changes ScoreSheet.status. Checks the move and the actor, saves
    with update_fields, keeps a version row and writes the event log."""
    reason = (reason or "").strip()
    with transaction.atomic():
        # The ranking row before the sheet: the order sheet_save takes them in.
        kind = ScoreSheet.objects.filter(pk=sheet.pk).values_list("entry__kind", flat=True).get()
        ensure_not_frozen(contest=sheet.contest_id, kind=kind, hold=True)
        locked = (
            ScoreSheet.objects.select_for_update()
            .select_related("entry", "contest")
            .get(pk=sheet.pk)
        )
        rule = SHEET_TRANSITIONS.get((locked.status, to))
        if rule is None:
            raise JudgingRefused(_("Không thể chuyển phiếu chấm sang trạng thái này."))
        action, who = rule
        held = set()
        if by.pk == locked.judge_id and by.has_perm("contest.score_entries", locked.contest):
            held.add("judge")
        if by.has_perm("contest.run_judging", locked.contest):
            held.add("secretariat")
        if not held & who:
            raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
        if to == SheetStatus.DRAFT and not reason:
            raise JudgingRefused(_("Vui lòng nêu lý do mở lại phiếu chấm."))
        if to == SheetStatus.SUBMITTED:
            rubric_ids = {c.pk for c in rubric_for(contest=locked.contest, round=locked.round)}
            scored = set(locked.scores.values_list("criterion_id", flat=True))
            if rubric_ids - scored:
                raise JudgingRefused(_("Cần chấm đủ tất cả tiêu chí trước khi nộp phiếu."))
        source = locked.status
        locked.status = to
        locked.submitted_at = timezone.now() if to == SheetStatus.SUBMITTED else None
        locked.version += 1
        locked.save(update_fields=["status", "submitted_at", "version", "updated_at"])
        _snapshot(locked, by=by, action=action, reason=reason)
        event_record(
            target=locked,
            action=action,
            actor=by,
            from_state=source,
            to_state=to,
            reason=reason,
            contest=locked.contest,
            data={"entry": locked.entry_id, "judge": locked.judge_id, "version": locked.version},
        )
    sheet.status, sheet.submitted_at, sheet.version = to, locked.submitted_at, locked.version
    return sheet


def sheet_save(
    *,
    entry: Entry,
    judge,
    by,
    scores: dict[int, object],
    comment: str = "",
    expected_version: int,
    submit: bool = False,
    round: str = ScoringRound.WRITTEN,
    source: str = SOURCE_WEB,
) -> ScoreSheet:
    """Save a judge's scores (criterion id → points, None or "" for not yet scored) as a
    draft, and submit when asked. `expected_version` is the sheet version the form showed:
    a sheet saved since (another tab) is refused with StaleSheet, nothing written."""
    contest = entry.contest
    is_judge = by.pk == judge.pk and by.has_perm("contest.score_entries", contest)
    is_paper = source == SOURCE_PAPER and by.has_perm("contest.run_judging", contest)
    if not (is_judge or is_paper):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    if entry.status not in JUDGEABLE:
        raise JudgingRefused(_("Bài dự thi này không còn ở vòng chấm."))
    if not deadline_is_open(deadline=contest.scoring_deadline):
        raise JudgingRefused(_("Đã hết hạn chấm thi."))
    ensure_not_frozen(contest=contest, kind=entry.kind)
    rubric = rubric_for(contest=contest, round=round)
    points: dict[int, Decimal] = {}
    for criterion in rubric:
        value = scores.get(criterion.pk)
        if value is None or str(value).strip() == "":
            continue
        points[criterion.pk] = points_check(
            value=value, criterion=criterion, step=contest.score_step
        )
    with transaction.atomic():
        # Locking the assignment serialises saves of this judge and entry, sheet or not.
        if (
            not Assignment.objects.select_for_update()
            .filter(contest=contest, entry=entry, judge=judge, round=round)
            .exists()
        ):
            raise JudgingRefused(_("Bạn không được phân công chấm bài này."))
        ensure_not_frozen(contest=contest, kind=entry.kind, hold=True)
        sheet = ScoreSheet.objects.filter(entry=entry, judge=judge, round=round).first()
        current = sheet.version if sheet else 0
        if current != expected_version:
            raise StaleSheet(
                _(
                    "Phiếu chấm này vừa được lưu ở nơi khác (một thẻ trình duyệt khác) sau khi "
                    "bạn mở. Điểm bạn vừa nhập chưa được lưu và vẫn còn trên màn hình; hãy "
                    "kiểm tra lại phiếu đã lưu rồi lưu lại."
                )
            )
        if sheet is None:
            sheet = ScoreSheet.objects.create(
                contest=contest, entry=entry, judge=judge, round=round, source=source
            )
        elif sheet.status == SheetStatus.SUBMITTED:
            raise JudgingRefused(
                _("Phiếu đã nộp. Chỉ Tổ Thư ký có thể mở lại phiếu (nêu rõ lý do).")
            )
        Score.objects.filter(sheet=sheet).exclude(criterion_id__in=points).delete()
        existing = {s.criterion_id: s for s in Score.objects.filter(sheet=sheet)}
        changed = []
        for criterion_id, value in points.items():
            row = existing.get(criterion_id)
            if row is None:
                Score.objects.create(sheet=sheet, criterion_id=criterion_id, points=value)
            elif row.points != value:
                row.points = value
                changed.append(row)
        Score.objects.bulk_update(changed, ["points"])
        sheet.comment = comment.strip()
        sheet.total = weighted_total(points=points, rubric=rubric)
        sheet.version += 1
        sheet.source = source
        sheet.save(update_fields=["comment", "total", "version", "source", "updated_at"])
        _snapshot(sheet, by=by, action="sheet_saved")
        if submit:
            sheet_transition(sheet=sheet, to=SheetStatus.SUBMITTED, by=by)
    return sheet


def sheet_reopen(*, sheet: ScoreSheet, by, reason: str) -> ScoreSheet:
    sheet = sheet_transition(sheet=sheet, to=SheetStatus.DRAFT, by=by, reason=reason)
    judging_totals_changed(contest=sheet.contest)
    return sheet
