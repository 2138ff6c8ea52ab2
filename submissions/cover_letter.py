"""The forwarding batch's cover letter (công văn) as a PDF, laid out after Nghị định
30/2020: a two-column header, "V/v …", "Kính gửi: …", the table of entries, the signature
block. Fonts come from the portal's static files; the fetcher serves nothing else."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from contest.pdf import render_pdf

from .models import ForwardingBatch


def _batch_for_letter(batch_id: int) -> ForwardingBatch | None:
    return (
        ForwardingBatch.objects.select_related("contest", "unit", "created_by")
        .prefetch_related("entries__category", "entries__authors")
        .filter(pk=batch_id)
        .first()
    )


def cover_letter_render(*, batch: ForwardingBatch) -> bytes:
    """The PDF bytes; `batch` with contest, unit and entries (category, authors) loaded."""
    entries = sorted(batch.entries.all(), key=lambda e: e.tracking_code or "")
    local = timezone.localtime(batch.forwarded_at)
    with translation.override("vi"):
        html = render_to_string(
            "units/cover_letter.html",
            {
                "batch": batch,
                "unit": batch.unit,
                "contest": batch.contest,
                "entries": entries,
                "date": batch.dispatch_date,
                "forwarded_local": local,
            },
        )
    return render_pdf(html)


def cover_letter_store(*, batch_id: int) -> bool:
    """Render and keep the batch's cover letter once; True if it was rendered now."""
    batch = _batch_for_letter(batch_id)
    if batch is None or batch.cover_letter:
        return False
    pdf = cover_letter_render(batch=batch)
    with transaction.atomic():
        locked = ForwardingBatch.objects.select_for_update().get(pk=batch_id)
        if locked.cover_letter:
            return False
        locked.cover_letter.save("cong-van.pdf", ContentFile(pdf), save=False)
        locked.save(update_fields=["cover_letter"])
    return True
