"""Writes of the awards app: compute, adjust, settle ties, approve, issue certificates,
publish. Every function is atomic, records an event and is safe to call twice."""

import logging
import secrets
import string
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.enums import ContestPhase
from contest.models import Contest
from contest.outbox import outbox_enqueue
from contest.selectors import prize_table
from contest.services import contest_set_phase, event_record
from judging.enums import RankingStatus
from judging.models import RankingRow
from submissions.enums import JUDGEABLE, EntryKind

from .allocation import plan_contest
from .enums import AwardSetStatus, CertificateKind, CertificateStatus, GroupCertificateMode
from .models import Award, AwardSet, AwardSettings, Certificate, TieDecision


class AwardsRefused(Exception):
    """A refused action; the message is Vietnamese and safe to show."""


def award_settings_for(*, contest: Contest) -> AwardSettings:
    """Read only: the row is created with the contest (awards/signals.py), so no page writes
    on GET; the defaults, unsaved, if it is missing."""
    return AwardSettings.objects.filter(contest=contest).first() or AwardSettings(contest=contest)


def _locked_set(*, contest: Contest) -> AwardSet:
    Contest.objects.select_for_update().filter(pk=contest.pk).first()
    award_set, _created = AwardSet.objects.get_or_create(contest=contest)
    return AwardSet.objects.select_for_update().get(pk=award_set.pk)


def _decisions(award_set: AwardSet) -> dict[tuple[str, str], list[int]]:
    return {(d.kind, d.tie_key): list(d.ordered_entry_ids) for d in award_set.tie_decisions.all()}


def _apply_plan(*, award_set: AwardSet) -> dict:
    """Make the Award rows equal to the computed plan, touching only what differs."""
    contest = award_set.contest
    award_settings = award_settings_for(contest=contest)
    plans = plan_contest(
        contest=contest, minimum_score=award_settings.minimum_score, decisions=_decisions(award_set)
    )
    existing = {(a.kind, a.tier_id, a.slot): a for a in award_set.awards.all()}
    wanted = {}
    for plan in plans:
        for planned in plan.awards:
            wanted[(planned.spec.kind, planned.spec.tier.pk, planned.spec.slot)] = planned
    stale = [a for key, a in existing.items() if key not in wanted]
    if stale:
        Award.objects.filter(pk__in=[a.pk for a in stale]).delete()
    # Free entries that move, so the one-prize-per-entry constraint holds at every step.
    moving = [
        a
        for key, a in existing.items()
        if key in wanted and a.entry_id != (wanted[key].entry.pk if wanted[key].entry else None)
    ]
    if moving:
        Award.objects.filter(pk__in=[a.pk for a in moving]).update(entry=None)
    changed = 0
    for key, planned in wanted.items():
        values = {
            "entry": planned.entry,
            "amount": planned.spec.amount,
            "score": planned.score,
            "ranking_position": planned.ranking_position,
            "tie_pending": planned.tie_pending,
        }
        award = existing.get(key)
        if award is None:
            Award.objects.create(
                award_set=award_set, kind=key[0], tier=planned.spec.tier, slot=key[2], **values
            )
            changed += 1
            continue
        target = (
            values["entry"].pk if values["entry"] else None,
            values["amount"],
            values["score"],
            values["ranking_position"],
            values["tie_pending"],
            "",
        )
        current = (
            None if award in moving else award.entry_id,
            award.amount,
            award.score,
            award.ranking_position,
            award.tie_pending,
            award.change_reason,
        )
        if target != current:
            for name, value in values.items():
                setattr(award, name, value)
            award.change_reason = ""
            award.save()
            changed += 1
    return {
        "changed": changed + len(stale),
        "pending_ties": sum(1 for p in plans for t in p.ties if not t.decided),
        "kinds_without_ranking": [p.kind for p in plans if not p.has_ranking],
    }


def award_set_compute(*, contest: Contest, by) -> AwardSet:
    """Allocate the prizes from the approved rankings. Computing again gives the same rows;
    manual changes are replaced by the computed proposal."""
    with transaction.atomic():
        award_set = _locked_set(contest=contest)
        if award_set.status != AwardSetStatus.DRAFT:
            raise AwardsRefused(_("Kết quả xét giải đã được phê duyệt, không thể tính lại."))
        summary = _apply_plan(award_set=award_set)
        award_set.computed_at = timezone.now()
        award_set.save(update_fields=["computed_at"])
        event_record(
            target=award_set, action="awards_computed", actor=by, contest=contest, data=summary
        )
    return award_set


def tie_decide(
    *, award_set: AwardSet, kind: str, ordered_entry_ids: list[int], reason: str, by
) -> TieDecision:
    """Record the organizing committee's decision on a tie across a prize boundary."""
    reason = (reason or "").strip()
    if not reason:
        raise AwardsRefused(_("Vui lòng ghi lý do, căn cứ quyết định của Ban Tổ chức."))
    with transaction.atomic():
        locked = _locked_set(contest=award_set.contest)
        if locked.status != AwardSetStatus.DRAFT:
            raise AwardsRefused(_("Kết quả xét giải đã được phê duyệt."))
        award_settings = award_settings_for(contest=locked.contest)
        plans = plan_contest(
            contest=locked.contest, minimum_score=award_settings.minimum_score, decisions={}
        )
        ids = [int(i) for i in ordered_entry_ids]
        case = next(
            (
                t
                for p in plans
                if p.kind == kind
                for t in p.ties
                if sorted(r.entry_id for r in t.rows) == sorted(ids)
            ),
            None,
        )
        if case is None or len(set(ids)) != len(ids):
            raise AwardsRefused(_("Thứ tự không khớp với nhóm bài bằng điểm cần phân định."))
        decision, _created = TieDecision.objects.update_or_create(
            award_set=locked,
            kind=kind,
            tie_key=case.key,
            defaults={
                "ordered_entry_ids": ids,
                "reason": reason,
                "decided_by": by if getattr(by, "is_authenticated", False) else None,
                "decided_at": timezone.now(),
            },
        )
        event_record(
            target=locked,
            action="tie_decided",
            actor=by,
            reason=reason,
            contest=locked.contest,
            data={"kind": kind, "order": ids},
        )
        _apply_plan(award_set=locked)
    return decision


def award_change(*, award: Award, entry_id: int | None, reason: str, by) -> Award:
    """The organizer puts another ranked entry in a prize slot, or leaves it not awarded."""
    reason = (reason or "").strip()
    if not reason:
        raise AwardsRefused(_("Vui lòng ghi lý do điều chỉnh."))
    with transaction.atomic():
        locked_set = _locked_set(contest=award.award_set.contest)
        if locked_set.status != AwardSetStatus.DRAFT:
            raise AwardsRefused(_("Kết quả xét giải đã được phê duyệt, không thể điều chỉnh."))
        locked = Award.objects.select_for_update().get(pk=award.pk, award_set=locked_set)
        row = None
        if entry_id is not None:
            row = (
                RankingRow.objects.select_related("entry")
                .filter(
                    ranking__contest=locked_set.contest,
                    ranking__kind=locked.kind,
                    ranking__status=RankingStatus.APPROVED,
                    entry_id=entry_id,
                )
                .first()
            )
            if row is None or row.entry.status not in JUDGEABLE:
                raise AwardsRefused(
                    _("Bài dự thi này không có trong bảng xếp hạng đã phê duyệt của loại giải này.")
                )
            if locked_set.awards.filter(entry_id=entry_id).exclude(pk=locked.pk).exists():
                raise AwardsRefused(_("Bài dự thi này đã được đề xuất một giải khác."))
        before = locked.entry_id
        locked.entry = row.entry if row else None
        locked.score = row.score if row else None
        locked.ranking_position = row.position if row else None
        locked.tie_pending = False
        locked.change_reason = reason
        locked.save(
            update_fields=["entry", "score", "ranking_position", "tie_pending", "change_reason"]
        )
        event_record(
            target=locked_set,
            action="award_changed",
            actor=by,
            reason=reason,
            contest=locked_set.contest,
            data={"award": locked.pk, "from_entry": before, "to_entry": entry_id},
        )
    return locked


def award_set_total(*, award_set: AwardSet) -> int:
    return sum(a.amount for a in award_set.awards.all() if a.entry_id)


def award_set_approve(*, award_set: AwardSet, by) -> AwardSet:
    with transaction.atomic():
        locked = _locked_set(contest=award_set.contest)
        if locked.status != AwardSetStatus.DRAFT or locked.computed_at is None:
            raise AwardsRefused(_("Chỉ phê duyệt được kết quả dự kiến đã tính."))
        awards = list(locked.awards.all())
        if any(a.tie_pending for a in awards):
            raise AwardsRefused(
                _("Còn trường hợp bằng điểm ở ranh giới giải chưa được Ban Tổ chức phân định.")
            )
        total = sum(a.amount for a in awards if a.entry_id)
        fund = prize_table(contest=locked.contest).total
        if total > fund:
            raise AwardsRefused(_("Tổng tiền thưởng vượt quá kinh phí khen thưởng."))
        locked.status = AwardSetStatus.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = by if getattr(by, "is_authenticated", False) else None
        locked.save(update_fields=["status", "approved_at", "approved_by"])
        event_record(
            target=locked,
            action="awards_approved",
            actor=by,
            from_state=AwardSetStatus.DRAFT,
            to_state=AwardSetStatus.APPROVED,
            contest=locked.contest,
            data={"total": total, "fund": fund},
        )
    award_set.refresh_from_db()
    return locked


def award_set_reopen(*, award_set: AwardSet, reason: str, by) -> AwardSet:
    """Back to the draft proposal before publication (certificates not yet printed)."""
    reason = (reason or "").strip()
    if not reason:
        raise AwardsRefused(_("Vui lòng nêu lý do."))
    with transaction.atomic():
        locked = _locked_set(contest=award_set.contest)
        if locked.status != AwardSetStatus.APPROVED:
            raise AwardsRefused(_("Chỉ mở lại được kết quả đã phê duyệt, chưa công bố."))
        if Certificate.objects.filter(award__award_set=locked).exists():
            raise AwardsRefused(_("Đã tạo bằng khen, giấy chứng nhận; không thể mở lại."))
        locked.status = AwardSetStatus.DRAFT
        locked.approved_at = None
        locked.approved_by = None
        locked.save(update_fields=["status", "approved_at", "approved_by"])
        event_record(
            target=locked,
            action="awards_reopened",
            actor=by,
            reason=reason,
            from_state=AwardSetStatus.APPROVED,
            to_state=AwardSetStatus.DRAFT,
            contest=locked.contest,
        )
    return locked


def award_set_publish(*, award_set: AwardSet, by) -> AwardSet:
    from .tasks import task_send_result_notices

    with transaction.atomic():
        locked = _locked_set(contest=award_set.contest)
        if locked.status == AwardSetStatus.PUBLISHED:
            return locked
        if locked.status != AwardSetStatus.APPROVED:
            raise AwardsRefused(_("Phải phê duyệt kết quả trước khi công bố."))
        locked.status = AwardSetStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        event_record(
            target=locked,
            action="results_published",
            actor=by,
            from_state=AwardSetStatus.APPROVED,
            to_state=AwardSetStatus.PUBLISHED,
            contest=locked.contest,
        )
        contest_set_phase(
            contest=locked.contest,
            phase=ContestPhase.PUBLISHED,
            actor=by,
            reason=_("Công bố kết quả cuộc thi"),
        )
        award_set_id = locked.pk
        outbox_enqueue(task_send_result_notices, award_set_id=award_set_id)
    award_set.status = locked.status
    award_set.published_at = locked.published_at
    return locked


# Certificates ---------------------------------------------------------------------------

_CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "O0I1")


def _certificate_number(*, kind: str, year: int, sequence: int) -> str:
    prefix = "BK" if kind == CertificateKind.MERIT else "GCN"
    suffix = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))
    return f"{prefix}{year}-{sequence:03d}-{suffix}"


def _author_line(author) -> str:
    return ", ".join(p for p in (author.job_title, author.workplace or author.address) if p)


def _recipients(*, award: Award, mode: str) -> list[dict]:
    entry = award.entry
    authors = sorted(entry.authors.all(), key=lambda a: a.position)
    if award.kind == EntryKind.INDIVIDUAL or mode == GroupCertificateMode.ONE_PER_MEMBER:
        return [
            {
                "recipient_key": f"author:{a.pk}",
                "author": a,
                "recipient_name": a.full_name,
                "recipient_position": _author_line(a),
                "members": "",
            }
            for a in authors
        ]
    unit_name = entry.unit.name if entry.unit_id else ""
    return [
        {
            "recipient_key": "group",
            "author": None,
            "recipient_name": _("Nhóm tác giả"),
            "recipient_position": unit_name,
            "members": "\n".join(
                f"{a.full_name}" + (f" – {_author_line(a)}" if _author_line(a) else "")
                for a in authors
            ),
        }
    ]


def certificates_issue(*, award_set: AwardSet, by) -> list[Certificate]:
    """Create one certificate per award and recipient (never twice) and queue rendering."""
    with transaction.atomic():
        locked = _locked_set(contest=award_set.contest)
        if locked.status not in (AwardSetStatus.APPROVED, AwardSetStatus.PUBLISHED):
            raise AwardsRefused(_("Phải phê duyệt kết quả trước khi in bằng khen."))
        award_settings = award_settings_for(contest=locked.contest)
        awards = (
            locked.awards.filter(entry__isnull=False)
            .select_related("tier", "entry__unit")
            .prefetch_related("entry__authors", "certificates")
            .order_by("tier__rank", "-kind", "slot")
        )
        existing = Certificate.objects.filter(award__award_set=locked)
        next_seq = {
            kind: max([c.sequence for c in existing if c.kind == kind], default=0) + 1
            for kind in CertificateKind.values
        }
        created = 0
        for award in awards:
            kind = (
                CertificateKind.MERIT if award.tier.merit_certificate else CertificateKind.COMMITTEE
            )
            have = {c.recipient_key for c in award.certificates.all()}
            for data in _recipients(award=award, mode=award_settings.group_certificate_mode):
                if data["recipient_key"] in have:
                    continue
                seq = next_seq[kind]
                next_seq[kind] += 1
                gold = ""
                if kind == CertificateKind.MERIT and award_settings.gold_book_first_number:
                    gold = str(award_settings.gold_book_first_number + seq - 1)
                Certificate.objects.create(
                    award=award,
                    kind=kind,
                    sequence=seq,
                    gold_book_number=gold,
                    number=_certificate_number(kind=kind, year=locked.contest.year, sequence=seq),
                    **data,
                )
                created += 1
        event_record(
            target=locked,
            action="certificates_issued",
            actor=by,
            contest=locked.contest,
            data={"created": created},
        )
        pending = list(
            Certificate.objects.filter(award__award_set=locked)
            .exclude(status=CertificateStatus.RENDERED)
            .order_by("kind", "sequence")
            .values_list("pk", flat=True)
        )
        certificates_queue(certificate_ids=pending)
    return list(Certificate.objects.filter(award__award_set=locked))


def certificate_batch_size() -> int:
    """Certificates laid out as one WeasyPrint document by one task (AWARDS_CERTIFICATE_BATCH).
    Memory grows with it (one document in memory), speed hardly beyond 50."""
    from django.conf import settings

    return max(1, int(getattr(settings, "AWARDS_CERTIFICATE_BATCH", 50)))


def certificates_queue(*, certificate_ids: list[int], batch_size: int | None = None) -> int:
    """Queue the rendering of these certificates through the outbox: one job per batch of
    one kind (one page size, one document), in the given order. Returns the number of jobs."""
    from .tasks import task_render_certificates

    size = batch_size or certificate_batch_size()
    kinds = dict(Certificate.objects.filter(pk__in=certificate_ids).values_list("pk", "kind"))
    by_kind: dict[str, list[int]] = {}
    for pk in dict.fromkeys(certificate_ids):
        if pk in kinds:
            by_kind.setdefault(kinds[pk], []).append(pk)
    jobs = 0
    with transaction.atomic():
        Certificate.objects.filter(pk__in=list(kinds)).update(
            render_queued_at=timezone.now(), render_started_at=None
        )
        for ids in by_kind.values():
            for start in range(0, len(ids), size):
                batch = ids[start : start + size]
                outbox_enqueue(task_render_certificates, certificate_ids=batch)
                jobs += 1
    return jobs


def certificates_requeue_stale(*, stale_seconds: int | None = None) -> int:
    """Queue again the certificates a dead worker left behind (Celery beat every minute and
    every worker start). A worker killed while it renders never acknowledges its job; the
    broker would give it back only after its visibility timeout (an hour with Redis). Pending
    certificates whose rendering started more than `stale_seconds` ago (a batch takes
    seconds), or was queued six times that long ago and never started (a lost message), are
    queued again. Safe to run any time: a certificate already rendered is skipped by the
    job, and the old job, if it ever comes back, finds nothing to do."""
    from django.conf import settings
    from django.db.models import Q

    stale = stale_seconds
    if stale is None:
        stale = int(getattr(settings, "AWARDS_CERTIFICATE_STALE_SECONDS", 300))
    now = timezone.now()
    started_before = now - timedelta(seconds=stale)
    queued_before = now - timedelta(seconds=6 * stale)
    ids = list(
        Certificate.objects.filter(status=CertificateStatus.PENDING)
        .filter(
            Q(render_started_at__lt=started_before)
            | Q(render_started_at__isnull=True, render_queued_at__lt=queued_before)
            | Q(render_started_at__isnull=True, render_queued_at__isnull=True)
        )
        .order_by("kind", "sequence")
        .values_list("pk", flat=True)
    )
    if ids:
        certificates_queue(certificate_ids=ids)
        logging.getLogger(__name__).warning("certificates: %d queued again", len(ids))
    return len(ids)


def _certificate_is_rendered(certificate: Certificate) -> bool:
    return bool(
        certificate.status == CertificateStatus.RENDERED
        and certificate.pdf
        and certificate.pdf.storage.exists(certificate.pdf.name)
    )


def _certificate_store(certificate: Certificate, data: bytes, *, force: bool) -> bool:
    """Write the PDF under its one name and mark the certificate rendered, holding the row so
    that two workers never both write it. A file left by a worker killed before its commit is
    replaced; no other file is ever created. False when another worker finished first."""
    from django.core.files.base import ContentFile

    storage = certificate.pdf.storage
    relative = f"{certificate.award.award_set.contest_id}/{certificate.number}.pdf"
    name = certificate.pdf.field.generate_filename(certificate, relative)
    with transaction.atomic():
        current = Certificate.objects.select_for_update().filter(pk=certificate.pk).first()
        if current is None:
            return False
        if not force and _certificate_is_rendered(current):
            certificate.status, certificate.pdf = current.status, current.pdf.name
            certificate.rendered_at, certificate.error = current.rendered_at, current.error
            return False
        if current.pdf and current.pdf.name != name and storage.exists(current.pdf.name):
            storage.delete(current.pdf.name)
        if storage.exists(name):
            storage.delete(name)
        certificate.pdf.save(relative, ContentFile(data), save=False)
        certificate.status = CertificateStatus.RENDERED
        certificate.rendered_at = timezone.now()
        certificate.error = ""
        Certificate.objects.filter(pk=certificate.pk).update(
            pdf=certificate.pdf.name,
            status=certificate.status,
            rendered_at=certificate.rendered_at,
            error="",
        )
    return True


def _certificate_failed(certificate: Certificate, exc: Exception) -> None:
    certificate.status = CertificateStatus.FAILED
    certificate.error = f"{exc.__class__.__name__}: {exc}"[:2000]
    Certificate.objects.filter(pk=certificate.pk).exclude(status=CertificateStatus.RENDERED).update(
        status=certificate.status, error=certificate.error
    )


def certificates_render(certificates: list[Certificate], *, force: bool = False) -> dict:
    """Render these certificates to their PDF files as one WeasyPrint document per page size,
    cut into one file each (awards/pdf.py). Safe to run twice, and by two workers at once: a
    certificate rendered with its file present is skipped unless force is given. When the
    batch cannot be rendered, each certificate is tried alone, so that one bad certificate
    fails alone; its failure is recorded and shown, and the first error is raised at the end."""
    from .pdf import render_certificate_pdfs

    todo = [c for c in certificates if force or not _certificate_is_rendered(c)]
    summary = {"rendered": 0, "skipped": len(certificates) - len(todo), "failed": 0}
    if not todo:
        return summary
    Certificate.objects.filter(pk__in=[c.pk for c in todo]).update(render_started_at=timezone.now())
    award_settings = award_settings_for(contest=todo[0].award.award_set.contest)
    errors = []
    try:
        rendered = render_certificate_pdfs(todo, award_settings=award_settings)
        pdfs = list(zip(todo, rendered, strict=True))
    except Exception:
        pdfs = []
        for certificate in todo:
            try:
                data = render_certificate_pdfs([certificate], award_settings=award_settings)[0]
            except Exception as exc:  # recorded on the certificate, raised below
                _certificate_failed(certificate, exc)
                errors.append(exc)
                summary["failed"] += 1
                continue
            pdfs.append((certificate, data))
    for certificate, data in pdfs:
        if _certificate_store(certificate, data, force=force):
            summary["rendered"] += 1
        else:
            summary["skipped"] += 1
    if errors:
        raise errors[0]
    return summary


def certificates_render_batch(*, certificate_ids: list[int], force: bool = False) -> dict:
    """The job of one batch: fetch the certificates (ids missing since are ignored), render."""
    certificates = list(
        Certificate.objects.select_related(
            "award__tier",
            "award__entry__contest",
            "award__entry__category",
            "award__award_set__contest",
        )
        .filter(pk__in=certificate_ids)
        .order_by("kind", "sequence")
    )
    return certificates_render(certificates, force=force)


def certificate_render(*, certificate: Certificate, force: bool = False) -> Certificate:
    """Render one certificate to its PDF file. Safe to run twice: a rendered certificate
    with its file present is left alone unless force is given."""
    certificates_render([certificate], force=force)
    return certificate


# Overprint layouts -----------------------------------------------------------------------

# (field, x, y, width, font size, centered) in mm and pt, matching the complete layout.
DEFAULT_LAYOUTS = {
    CertificateKind.MERIT: [
        ("recipient", 30, 158, 360, 27, True),
        ("position", 30, 170, 360, 17, True),
        ("achievement", 55, 180, 310, 19, True),
        ("decision", 30, 238, 150, 15, False),
        ("gold_book", 30, 246, 150, 15, False),
        ("number", 30, 262, 150, 9, False),
        ("place_date", 260, 224, 130, 16, True),
        ("signer_title", 260, 232, 130, 15, True),
        ("signer_name", 260, 268, 130, 16, True),
    ],
    CertificateKind.COMMITTEE: [
        ("recipient", 25, 96, 247, 22, True),
        ("position", 25, 106, 247, 14, True),
        ("achievement", 35, 116, 227, 15, True),
        ("decision", 25, 165, 120, 12, False),
        ("number", 25, 180, 120, 9, False),
        ("place_date", 165, 150, 110, 13, True),
        ("signer_title", 165, 157, 110, 13, True),
        ("signer_name", 165, 185, 110, 14, True),
    ],
}


def blank_layout_for(*, contest: Contest, kind: str) -> list:
    """The overprint positions of one blank, created from the defaults the first time."""
    from .models import BlankLayout

    existing = {
        b.field: b for b in BlankLayout.objects.filter(contest=contest, certificate_kind=kind)
    }
    missing = [
        BlankLayout(
            contest=contest,
            certificate_kind=kind,
            field=f,
            x_mm=x,
            y_mm=y,
            width_mm=w,
            font_size_pt=size,
            centered=centered,
        )
        for f, x, y, w, size, centered in DEFAULT_LAYOUTS[kind]
        if f not in existing
    ]
    if missing:
        BlankLayout.objects.bulk_create(missing, ignore_conflicts=True)
    return list(
        BlankLayout.objects.filter(contest=contest, certificate_kind=kind).order_by("y_mm", "x_mm")
    )


def blank_layout_update(*, contest: Contest, kind: str, values: dict, by) -> list:
    """values: {field: {"x_mm": .., "y_mm": .., "width_mm": .., "font_size_pt": ..}}"""
    from .models import BlankLayout

    with transaction.atomic():
        rows = {
            b.field: b
            for b in BlankLayout.objects.select_for_update().filter(
                contest=contest, certificate_kind=kind
            )
        }
        for field_name, data in values.items():
            row = rows.get(field_name)
            if row is None:
                continue
            for attr in ("x_mm", "y_mm", "width_mm", "font_size_pt"):
                setattr(row, attr, data[attr])
            row.save(update_fields=["x_mm", "y_mm", "width_mm", "font_size_pt"])
        event_record(
            target=contest,
            action="blank_layout_changed",
            actor=by,
            data={"kind": kind, "fields": sorted(values)},
        )
    return blank_layout_for(contest=contest, kind=kind)
