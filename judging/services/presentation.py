"""The optional presentation round: a shortlist of the top K per kind, and a schedule."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from contest.enums import JudgingMode
from contest.models import Contest
from contest.services import event_record
from submissions.enums import EntryKind

from ..errors import JudgingRefused
from ..models import PresentationSlot, Ranking, RankingRow
from .jury import judging_settings_for
from .scoring import ensure_not_frozen


def presentation_shortlist(*, contest: Contest, by) -> int:
    """Take the top K of each kind by written score (from the computed draft rankings) and
    give them slots in that order. Replaces an earlier shortlist without scores."""
    if not by.has_perm("contest.run_judging", contest):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    if contest.judging_mode != JudgingMode.WRITTEN_AND_PRESENTATION:
        raise JudgingRefused(_("Cuộc thi này không có vòng thi thuyết trình."))
    size = judging_settings_for(contest=contest).shortlist_size
    chosen = []
    for kind in EntryKind.values:
        ensure_not_frozen(contest=contest, kind=kind)
        ranking = Ranking.objects.filter(contest=contest, kind=kind).first()
        if ranking is None:
            continue
        rows = RankingRow.objects.filter(ranking=ranking).order_by("-written_score", "position")
        chosen += [r.entry_id for r in rows[:size]]
    if not chosen:
        raise JudgingRefused(_("Chưa có bảng xếp hạng vòng bài viết: hãy tính xếp hạng trước."))
    with transaction.atomic():
        PresentationSlot.objects.filter(contest=contest).delete()
        PresentationSlot.objects.bulk_create(
            PresentationSlot(contest=contest, entry_id=e, order=i)
            for i, e in enumerate(chosen, start=1)
        )
        event_record(
            target=contest, action="presentation_shortlisted", actor=by, data={"entries": chosen}
        )
    return len(chosen)


def presentation_schedule(
    *, contest: Contest, by, starts_at: dt.datetime, minutes: int, place: str
) -> int:
    """Consecutive slots of `minutes` from `starts_at`, in shortlist order."""
    if not by.has_perm("contest.run_judging", contest):
        raise JudgingRefused(_("Bạn không có quyền thực hiện thao tác này."))
    if not 1 <= minutes <= 240:
        raise JudgingRefused(_("Thời lượng mỗi bài phải từ 1 đến 240 phút."))
    slots = list(PresentationSlot.objects.filter(contest=contest).order_by("order"))
    with transaction.atomic():
        for i, slot in enumerate(slots):
            slot.starts_at = starts_at + dt.timedelta(minutes=minutes * i)
            slot.minutes, slot.place = minutes, place
        PresentationSlot.objects.bulk_update(slots, ["starts_at", "minutes", "place"])
        event_record(
            target=contest, action="presentation_scheduled", actor=by, data={"slots": len(slots)}
        )
    return len(slots)
