"""The forwarding batch's cover letter (công văn) as a PDF, laid out after Nghị định
30/2020: a two-column header, "V/v …", "Kính gửi: …", the table of entries, the signature
block. Fonts come from the portal's static files; the fetcher serves nothing else."""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from .models import ForwardingBatch

BASE_URL = "https://portal.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serves files found by the static finders under /static/; refuses every other URL
    (no file://, no network), so text typed by users cannot make the renderer fetch."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        prefix = settings.STATIC_URL
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(prefix):
            raise ValueError(f"refused: {url}")
        relative = parts.path.removeprefix(prefix)
        if ".." in Path(relative).parts:
            raise ValueError(f"refused: {url}")
        found = finders.find(relative)
        if not found:
            raise ValueError(f"not found: {url}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": content_type})


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
    font_config = FontConfiguration()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(
        font_config=font_config
    )


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
