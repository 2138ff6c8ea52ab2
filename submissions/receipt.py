"""The receipt of a submitted entry as a PDF: everything received, each file with its
name, size and SHA-256. User text is escaped by the template; the fetcher serves only the
portal's static files (the shipped Liberation Serif 2 font included)."""

from django.template.loader import render_to_string
from django.utils import translation

from contest.pdf import render_pdf

from .models import Entry


def receipt_pdf(*, entry: Entry) -> bytes:
    """PDF bytes; `entry` with contest, unit, category, authors and files loaded."""
    with translation.override("vi"):
        html = render_to_string(
            "submissions/receipt_pdf.html",
            {
                "entry": entry,
                "authors": list(entry.authors.all()),
                "files": list(entry.files.all()),
            },
        )
    return render_pdf(html)
