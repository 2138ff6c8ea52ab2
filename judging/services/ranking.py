"""Computing, approving and settling a ranking. The rules are in judging/ranking.py."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.enums import JudgingMode, ScoringRound
from contest.models import Contest
from contest.services import event_record
from contest.templatetags.portal import instant
from submissions.enums import JUDGEABLE

from .. import ranking as rules
from ..enums import RankingStatus, SheetStatus, TieBreak
from ..errors import JudgingRefused
from ..models import Ranking, RankingRow, Score, ScoreSheet
from ..selectors import ranking_counts_changed
from .jury import judging_settings_for
from .scoring import ensure_not_frozen, rubric_for


def _q3(value: float):
    from decimal import Decimal

    return Decimal(f"{value:.3f}")


def _sheet_scores(*, contest: Contest, kind: str, round: str, rubric) -> list[rules.SheetScore]:
    order = {c.pk: i for i, c in enumerate(rubric)}
    sheets = list(
        ScoreSheet.objects.filter(
            contest=contest,
            round=round,
            status=SheetStatus.SUBMITTED,
            entry__kind=kind,
            entry__status__in=JUDGEABLE,
        ).values_list("id", "entry_id", "judge_id", "total")
    )
    points: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(rubric))
    for sheet_id, criterion_id, value in Score.objects.filter(
        sheet_id__in=[s[0] for s in sheets]
    ).values_list("sheet_id", "criterion_id", "points"):
        if criterion_id in order:
            points[sheet_id][order[criterion_id]] = float(value)
    return [
        rules.SheetScore(entry_id=e, judge_id=j, total=float(t), criteria=tuple(points[s]))
        for s, e, j, t in sheets
    ]


def _placed(*, contest: Contest, kind: str):
    """The ranking the submitted sheets give now: (settings, placed candidates, written
    results, presentation scores). No writes."""
    cfg = judging_settings_for(contest=contest)
    written_rubric = rubric_for(contest=contest, round=ScoringRound.WRITTEN)
    written_max = float(sum(c.max_points * c.weight for c in written_rubric))
    written = rules.aggregate_written(
        _sheet_scores(
            contest=contest, kind=kind, round=ScoringRound.WRITTEN, rubric=written_rubric
        ),
        method=cfg.aggregation,
        trim=cfg.trim_count,
        maximum=written_max,
        stdev_threshold=float(cfg.disagreement_stdev),
        range_threshold=float(cfg.disagreement_range),
    )
    presentation: dict[int, float] = {}
    with_presentation = contest.judging_mode == JudgingMode.WRITTEN_AND_PRESENTATION
    presentation_max = 0.0
    if with_presentation:
        p_rubric = rubric_for(contest=contest, round=ScoringRound.PRESENTATION)
        presentation_max = float(sum(c.max_points * c.weight for c in p_rubric))
        p_results = rules.aggregate_written(
            _sheet_scores(
                contest=contest, kind=kind, round=ScoringRound.PRESENTATION, rubric=p_rubric
            ),
            method=cfg.aggregation,
            trim=cfg.trim_count,
            maximum=presentation_max,
        )
        presentation = {e: r.score for e, r in p_results.items()}
    candidates = []
    for entry_id, result in written.items():
        pres = presentation.get(entry_id)
        score = result.score
        if with_presentation:
            score = rules.combine(
                written=result.score,
                presentation=pres,
                written_maximum=written_max,
                presentation_maximum=presentation_max,
                written_share=cfg.written_share,
            )
        if cfg.tie_break == TieBreak.PRESENTATION_THEN_CRITERIA:
            keys = (pres or 0.0, *result.criteria_means)
        elif cfg.tie_break == TieBreak.CRITERIA:
            keys = result.criteria_means
        else:
            keys = ()
        candidates.append(rules.Candidate(entry_id=entry_id, score=score, tie_keys=keys))
    return cfg, rules.rank_entries(candidates), written, presentation


def ranking_compute(*, contest: Contest, kind: str, by) -> Ranking:
    """(Re)compute the draft ranking of one kind from the submitted sheets. Refused once
    approved."""
    if not by.has_perm("contest.run_judging", contest):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    ensure_not_frozen(contest=contest, kind=kind)
    cfg, placed, written, presentation = _placed(contest=contest, kind=kind)
    with transaction.atomic():
        ranking, _created = Ranking.objects.select_for_update().get_or_create(
            contest=contest, kind=kind, defaults={"computed_at": timezone.now()}
        )
        if ranking.status == RankingStatus.APPROVED:
            raise JudgingRefused(_("Bảng xếp hạng đã được phê duyệt: không thể tính lại."))
        ranking.computed_at = timezone.now()
        ranking.aggregation, ranking.tie_break = cfg.aggregation, cfg.tie_break
        ranking.save(update_fields=["computed_at", "aggregation", "tie_break"])
        ranking.rows.all().delete()
        RankingRow.objects.bulk_create(
            RankingRow(
                ranking=ranking,
                entry_id=p.entry_id,
                position=p.position,
                score=_q3(p.score),
                tied_with_next=p.tied_with_next,
                written_score=_q3(written[p.entry_id].score),
                presentation_score=(
                    _q3(presentation[p.entry_id]) if p.entry_id in presentation else None
                ),
                judge_count=written[p.entry_id].judge_count,
                stdev=_q3(written[p.entry_id].stdev),
                spread=_q3(written[p.entry_id].spread),
                disagreement=written[p.entry_id].disagreement,
                criteria_means=[round(v, 3) for v in written[p.entry_id].criteria_means],
            )
            for p in placed
        )
        event_record(
            target=ranking,
            action="ranking_computed",
            actor=by,
            contest=contest,
            data={"kind": kind, "rows": len(placed), "aggregation": cfg.aggregation},
        )
    return ranking


def ranking_record_tie_decision(
    *, row: RankingRow, first_entry_id: int, decision: str, by
) -> RankingRow:
    """The organizing committee settles a tie between `row` and the next row: the named
    entry goes first, the decision is recorded on both rows."""
    decision = (decision or "").strip()
    with transaction.atomic():
        ranking = (
            Ranking.objects.select_for_update().select_related("contest").get(pk=row.ranking_id)
        )
        if not by.has_perm("contest.approve_ranking", ranking.contest):
            raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
        if ranking.status == RankingStatus.APPROVED:
            raise JudgingRefused(_("Bảng xếp hạng đã được phê duyệt."))
        row = ranking.rows.get(pk=row.pk)
        if not row.tied_with_next:
            raise JudgingRefused(_("Dòng này không có trường hợp bằng điểm cần phân định."))
        if not decision:
            raise JudgingRefused(_("Vui lòng ghi nội dung quyết định của Ban Tổ chức."))
        nxt = ranking.rows.get(position=row.position + 1)
        if first_entry_id not in (row.entry_id, nxt.entry_id):
            raise JudgingRefused(_("Bài được xếp trên phải là một trong hai bài bằng điểm."))
        # Whichever goes first, the upper row's tie is settled and the lower row keeps the
        # old second row's flag: equal keys mean it ties with the row after exactly as before.
        upper, lower = (nxt, row) if first_entry_id == nxt.entry_id else (row, nxt)
        RankingRow.objects.filter(pk=upper.pk).update(
            position=row.position, tied_with_next=False, tie_decision=decision
        )
        RankingRow.objects.filter(pk=lower.pk).update(
            position=row.position + 1, tied_with_next=nxt.tied_with_next, tie_decision=decision
        )
        event_record(
            target=ranking,
            action="tie_decided",
            actor=by,
            contest=ranking.contest,
            reason=decision,
            data={"first": first_entry_id, "position": row.position},
        )
        ranking_counts_changed(ranking=ranking)
    upper.refresh_from_db()
    return upper


def _refuse_if_stale(ranking: Ranking) -> None:
    """What is approved must be what the sheets say at the moment of approval. Score
    writers hold the ranking row (scoring.ensure_not_frozen(hold=True)) and the caller
    holds it locked, so the sheets read here cannot change before the approval commits.
    Rows moved by a recorded tie decision keep their scores but not their computed place."""
    _cfg, placed, _written, _presentation = _placed(contest=ranking.contest, kind=ranking.kind)
    rows = list(ranking.rows.all())
    decided = {r.entry_id for r in rows if r.tie_decision}
    stored = {r.entry_id: (r.score, None if r.entry_id in decided else r.position) for r in rows}
    fresh = {
        p.entry_id: (_q3(p.score), None if p.entry_id in decided else p.position) for p in placed
    }
    if stored != fresh:
        raise JudgingRefused(
            _(
                "Điểm chấm đã thay đổi sau lần tính bảng xếp hạng lúc %(at)s. Tổ Thư ký cần "
                "tính lại bảng xếp hạng trước khi phê duyệt."
            )
            % {"at": instant(ranking.computed_at)}
        )


def ranking_approve(*, ranking: Ranking, by) -> Ranking:
    """The organizer approves; from then on the ranking and its scores are frozen."""
    with transaction.atomic():
        locked = Ranking.objects.select_for_update().select_related("contest").get(pk=ranking.pk)
        if not by.has_perm("contest.approve_ranking", locked.contest):
            raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
        if locked.status == RankingStatus.APPROVED:
            raise JudgingRefused(_("Bảng xếp hạng đã được phê duyệt."))
        if locked.rows.filter(tied_with_next=True).exists():
            raise JudgingRefused(
                _(
                    "Còn trường hợp bằng điểm chưa phân định: Ban Tổ chức cần ghi quyết định "
                    "trước khi phê duyệt."
                )
            )
        if not locked.rows.exists():
            raise JudgingRefused(_("Bảng xếp hạng chưa có bài nào."))
        _refuse_if_stale(locked)
        locked.status = RankingStatus.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = by
        locked.save(update_fields=["status", "approved_at", "approved_by"])
        event_record(
            target=locked,
            action="ranking_approved",
            actor=by,
            from_state=RankingStatus.DRAFT,
            to_state=RankingStatus.APPROVED,
            contest=locked.contest,
        )
    ranking.status, ranking.approved_at = locked.status, locked.approved_at
    ranking.approved_by = by
    return ranking
