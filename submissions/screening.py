"""Services of the receiving units and the secretariat's intake: screening, appraisal, head
certification, passing up to the district, forwarding batches, explanation letters, and the
secretariat's accept/return. Status changes all go through workflow.entry_transition; the
records here (appraisals, certifications) are per entry and per unit and are frozen once
the entry has left the unit."""

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.enums import UnitType
from contest.models import Unit
from contest.outbox import outbox_enqueue
from contest.services import deadline_is_open, event_record
from contest.templatetags.portal import instant

from .enums import FINAL_AT_UNIT
from .enums import EntryStatus as S
from .models import (
    Appraisal,
    AppraisalOpinion,
    Certification,
    Entry,
    ExplanationLetter,
    ForwardingBatch,
    ForwardingChannel,
)
from .selectors_screening import secretariat_totals_changed
from .workflow import TransitionRefused, entry_transition

# A unit records its appraisal while it holds the entry and before it leaves the unit.
APPRAISABLE = frozenset({S.SCREENING, S.SELECTED, S.CERTIFIED})
EXPLANATION_MAX_BYTES = 10 * 1024 * 1024
EXPLANATION_TYPES = {
    "application/pdf": (b"%PDF",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
}


class ScreeningRefused(TransitionRefused):
    """A screening or intake action is refused. The message is Vietnamese and safe to show."""


def _refuse_no_permission():
    raise ScreeningRefused(_("Bạn không có quyền thực hiện thao tác này."))


def _refuse_if_frozen(entry: Entry) -> None:
    if entry.status in FINAL_AT_UNIT:
        raise ScreeningRefused(
            _("Bài dự thi đã được gửi về Ban Tổ chức; không thể thay đổi hồ sơ của đơn vị.")
        )


def _queue_entrant_notice(entry: Entry) -> None:
    from .tasks_screening import task_notify_entrant

    outbox_enqueue(
        task_notify_entrant, entry_id=entry.pk, version=entry.version, status=entry.status
    )


# --- Screening at the unit -------------------------------------------------------------


def entry_screening_start(*, entry: Entry, by) -> Entry:
    """Take an entry into screening: from now on the entrant can no longer edit it."""
    return entry_transition(entry=entry, to=S.SCREENING, by=by)


def entry_reject(*, entry: Entry, by, reason: str) -> Entry:
    return entry_transition(
        entry=entry, to=S.REJECTED, by=by, reason=reason, then=_queue_entrant_notice
    )


def entry_select(*, entry: Entry, by) -> Entry:
    entry = entry_transition(entry=entry, to=S.SELECTED, by=by, then=_queue_entrant_notice)
    secretariat_totals_changed(contest_id=entry.contest_id)
    return entry


def appraisal_record(
    *, entry: Entry, by, appraiser_name: str, opinion: str, notes: str = ""
) -> Appraisal:
    """Record (or correct) the holding unit's appraisal. Each unit has its own, so a
    district's appraisal never overwrites its commune's."""
    appraiser_name = (appraiser_name or "").strip()
    if not appraiser_name:
        raise ScreeningRefused(_("Vui lòng nhập tên người thẩm định."))
    if opinion not in AppraisalOpinion.values:
        raise ScreeningRefused(_("Ý kiến thẩm định không hợp lệ."))
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        unit = Unit.objects.get(pk=locked.holder_id) if locked.holder_id else None
        if unit is None or not by.has_perm("contest.screen_entries", unit):
            _refuse_no_permission()
        _refuse_if_frozen(locked)
        if locked.status not in APPRAISABLE:
            raise ScreeningRefused(
                _("Chỉ thẩm định bài đang sơ loại hoặc đã được chọn tại đơn vị.")
            )
        appraisal, created = Appraisal.objects.update_or_create(
            entry=locked,
            unit=unit,
            defaults={
                "appraiser_name": appraiser_name,
                "opinion": opinion,
                "notes": (notes or "").strip(),
                "author": by,
                "at": timezone.now(),
            },
        )
        event_record(
            target=locked,
            action="appraised" if created else "appraisal_corrected",
            actor=by,
            contest=locked.contest,
            data={
                "unit": unit.pk,
                "appraiser_name": appraiser_name,
                "opinion": opinion,
                "notes": appraisal.notes,
            },
        )
    return appraisal


def entry_certify(*, entry: Entry, by, text: str) -> Entry:
    """The unit head confirms effectiveness and feasibility: SELECTED → CERTIFIED."""
    text = (text or "").strip()
    if not text:
        raise ScreeningRefused(_("Vui lòng nhập nội dung xác nhận của Thủ trưởng."))
    with transaction.atomic():
        entry_transition(entry=entry, to=S.CERTIFIED, by=by, data={"text": text})
        holder_id = Entry.objects.filter(pk=entry.pk).values_list("holder_id", flat=True).get()
        try:
            with transaction.atomic():
                Certification.objects.create(
                    entry_id=entry.pk, unit_id=holder_id, head=by, text=text, at=timezone.now()
                )
        except IntegrityError:
            raise ScreeningRefused(_("Đơn vị đã xác nhận bài dự thi này.")) from None
    return entry


def certification_amend(*, entry: Entry, by, text: str) -> Certification:
    """Correct the head's text while the entry is still certified at the unit."""
    text = (text or "").strip()
    if not text:
        raise ScreeningRefused(_("Vui lòng nhập nội dung xác nhận của Thủ trưởng."))
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        unit = Unit.objects.get(pk=locked.holder_id) if locked.holder_id else None
        if unit is None or not by.has_perm("contest.certify_entries", unit):
            _refuse_no_permission()
        _refuse_if_frozen(locked)
        certification = Certification.objects.filter(entry=locked, unit=unit).first()
        if locked.status != S.CERTIFIED or certification is None:
            raise ScreeningRefused(_("Bài dự thi chưa được Thủ trưởng đơn vị xác nhận."))
        previous = certification.text
        certification.text = text
        certification.head = by
        certification.at = timezone.now()
        certification.save(update_fields=["text", "head", "at"])
        event_record(
            target=locked,
            action="certification_corrected",
            actor=by,
            contest=locked.contest,
            data={"unit": unit.pk, "previous": previous, "text": text},
        )
    return certification


def entry_pass_up(*, entry: Entry, by) -> Entry:
    """A commune passes a certified entry up to its district, which then holds it and
    screens it again like its own."""
    holder = Unit.objects.get(pk=entry.holder_id)
    if holder.unit_type != UnitType.COMMUNE or holder.parent_id is None:
        raise ScreeningRefused(_("Chỉ UBND cấp xã chuyển bài lên UBND cấp huyện."))
    return entry_transition(
        entry=entry,
        to=S.PASSED_UP,
        by=by,
        data={"from_unit": holder.pk, "to_unit": holder.parent_id},
        fields={"holder": holder.parent},
    )


# --- Forwarding to the secretariat -----------------------------------------------------


def forwarding_batch_create(
    *,
    unit: Unit,
    by,
    channel: str,
    dispatch_number: str,
    dispatch_date: dt.date,
    entry_ids: list[int],
    at: dt.datetime | None = None,
) -> ForwardingBatch:
    """Forward certified entries held by `unit` in one dispatch (công văn), strictly before
    the contest's forwarding deadline. All or nothing."""
    if not by.has_perm("contest.forward_entries", unit):
        _refuse_no_permission()
    if unit.unit_type == UnitType.COMMUNE:
        raise ScreeningRefused(
            _("UBND cấp xã chuyển bài lên UBND cấp huyện, không gửi trực tiếp về Ban Tổ chức.")
        )
    contest = unit.contest
    now = at or timezone.now()
    if not deadline_is_open(deadline=contest.forwarding_deadline, at=now):
        raise ScreeningRefused(
            _(
                "Đã hết hạn gửi bài về Ban Tổ chức. Hạn gửi là %(deadline)s (giờ Việt Nam); "
                "bài phải được gửi trước thời điểm này."
            )
            % {"deadline": instant(contest.forwarding_deadline)}
        )
    if channel not in ForwardingChannel.values:
        raise ScreeningRefused(_("Hình thức gửi không hợp lệ."))
    dispatch_number = (dispatch_number or "").strip()
    if not dispatch_number:
        raise ScreeningRefused(_("Vui lòng nhập số công văn."))
    ids = {int(i) for i in entry_ids}
    if not ids:
        raise ScreeningRefused(_("Vui lòng chọn ít nhất một bài dự thi để gửi."))
    with transaction.atomic():
        entries = list(
            Entry.objects.select_for_update()
            .filter(pk__in=ids, contest=contest, holder=unit, status=S.CERTIFIED)
            .order_by("pk")
        )
        if len(entries) != len(ids):
            # The row locks above make a second, concurrent forward of the same entries wait
            # and then find them forwarded: say so (a double click), not "not certified".
            already = sorted(
                Entry.objects.filter(pk__in=ids, forwarding_batch__unit=unit).values_list(
                    "tracking_code", flat=True
                )
            )
            if already:
                raise ScreeningRefused(
                    _(
                        "Bài dự thi %(codes)s đã được gửi về Ban Tổ chức (có thể do bấm gửi hai "
                        "lần); không gửi lại. Vui lòng tải lại trang."
                    )
                    % {"codes": ", ".join(already)}
                )
            raise ScreeningRefused(
                _("Chỉ gửi được các bài dự thi của đơn vị đã được Thủ trưởng xác nhận.")
            )
        batch = ForwardingBatch.objects.create(
            contest=contest,
            unit=unit,
            channel=channel,
            dispatch_number=dispatch_number,
            dispatch_date=dispatch_date,
            created_by=by,
            forwarded_at=now,
        )
        for entry in entries:
            entry_transition(
                entry=entry,
                to=S.FORWARDED,
                by=by,
                data={"batch": batch.pk, "dispatch_number": dispatch_number},
                fields={"forwarding_batch": batch},
                then=_queue_entrant_notice,
            )
        event_record(
            target=batch,
            action="batch_forwarded",
            actor=by,
            contest=contest,
            data={"unit": unit.pk, "entries": [e.pk for e in entries]},
        )
        from .tasks_screening import task_render_cover_letter

        outbox_enqueue(task_render_cover_letter, batch_id=batch.pk)
        secretariat_totals_changed(contest_id=contest.pk)
    return batch


# --- Explanation letters ---------------------------------------------------------------


def explanation_letter_file(
    *, unit: Unit, by, reason: str, document: UploadedFile
) -> ExplanationLetter:
    """A unit short of its quota explains why, with a signed document (PDF or Word)."""
    if not by.has_perm("contest.file_explanation", unit):
        _refuse_no_permission()
    if unit.unit_type == UnitType.COMMUNE:
        raise ScreeningRefused(
            _("Số bài của UBND cấp xã được tính cho UBND cấp huyện; cấp xã không cần giải trình.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ScreeningRefused(_("Vui lòng nêu lý do."))
    if document is None or document.size == 0:
        raise ScreeningRefused(_("Vui lòng đính kèm văn bản giải trình."))
    if document.size > EXPLANATION_MAX_BYTES:
        raise ScreeningRefused(_("Văn bản giải trình không được lớn hơn 10 MB."))
    head = document.read(8)
    document.seek(0)
    if not any(head.startswith(magic) for magics in EXPLANATION_TYPES.values() for magic in magics):
        raise ScreeningRefused(_("Văn bản giải trình phải là tệp PDF hoặc Word."))
    letter = ExplanationLetter(
        contest=unit.contest,
        unit=unit,
        reason=reason,
        filed_by=by,
        at=timezone.now(),
        original_name=(document.name or "giai-trinh")[-255:],
    )
    with transaction.atomic():
        letter.document.save("giai-trinh", document, save=False)
        letter.save()
        event_record(
            target=unit,
            action="explanation_filed",
            actor=by,
            contest=unit.contest,
            reason=reason,
            data={"letter": letter.pk},
        )
        secretariat_totals_changed(contest_id=unit.contest_id)
    return letter


# --- The secretariat's intake ----------------------------------------------------------


def entry_accept(*, entry: Entry, by) -> Entry:
    """The secretariat finds the entry eligible: it goes into judging."""
    entry = entry_transition(entry=entry, to=S.ACCEPTED, by=by, then=_queue_entrant_notice)
    secretariat_totals_changed(contest_id=entry.contest_id)
    return entry


def entry_return_ineligible(*, entry: Entry, by, reason: str) -> Entry:
    """The secretariat returns the entry as ineligible, with the reason; the unit and the
    entrant are told."""
    entry = entry_transition(
        entry=entry, to=S.INELIGIBLE, by=by, reason=reason, then=_queue_entrant_notice
    )
    secretariat_totals_changed(contest_id=entry.contest_id)
    return entry
