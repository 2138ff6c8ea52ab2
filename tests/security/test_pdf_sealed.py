"""PDF rendering is sealed: user text with HTML, file:// images, @import and links to a
loopback canary server is printed as text; nothing is fetched, nothing local leaks in."""

import http.server
import threading

import pytest

from submissions.models import Author, Entry, ForwardingBatch
from tests.security.cast import cast_build
from tests.security.crawl import pdf_text
from tests.security.report import figure_write


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def canary_server():
    _Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Canary.hits
    server.shutdown()
    server.server_close()


def _payloads(base: str) -> dict[str, str]:
    return {
        "title": f'<img src="{base}/title.png"><style>@import url("{base}/import.css");</style>',
        "name": "<img src=file:///etc/passwd>",
        "workplace": f'<link rel="stylesheet" href="{base}/link.css">',
        "unit": f"<iframe src='{base}/frame'></iframe>",
    }


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.django_db
def test_pdfs_with_hostile_user_text_fetch_nothing_and_print_it_literally(canary_server):
    # Arrange
    base, hits = canary_server
    payloads = _payloads(base)
    cast = cast_build()
    entry = cast.objects["e1a"]
    Entry.objects.filter(pk=entry.pk).update(title=payloads["title"])
    Author.objects.filter(entry=entry).update(
        full_name=payloads["name"], workplace=payloads["workplace"]
    )
    entry.unit.__class__.objects.filter(pk=entry.unit_id).update(name=payloads["unit"])

    from submissions.cover_letter import cover_letter_render
    from submissions.receipt import receipt_pdf
    from submissions.selectors import _entry_queryset

    fresh = _entry_queryset().get(pk=entry.pk)
    batch = (
        ForwardingBatch.objects.select_related("contest", "unit", "created_by")
        .prefetch_related("entries__category", "entries__authors")
        .get(pk=cast.pk("bA"))
    )

    # Act
    documents = {
        "receipt": receipt_pdf(entry=fresh),
        "cover_letter": cover_letter_render(batch=batch),
    }
    try:
        from awards.models import Certificate
        from awards.pdf import render_certificate_pdf
    except ImportError:  # awards not installed: receipts and letters are still checked
        pass
    else:
        certificate = Certificate.objects.get(pk=cast.pk("cert1"))
        Certificate.objects.filter(pk=certificate.pk).update(recipient_name=payloads["name"])
        certificate.refresh_from_db()
        documents["certificate"] = render_certificate_pdf(certificate=certificate)
    texts = {name: _flat(pdf_text(data)) for name, data in documents.items()}

    # Assert
    figure_write(
        "pdf_sealed",
        title="PDF: nội dung độc hại của người dùng",
        rows=[
            ("Documents rendered", len(documents)),
            ("Requests to the canary server", len(hits)),
            ("Documents with /etc/passwd content", sum("root:x:0" in t for t in texts.values())),
        ],
        ok=not hits and not any("root:x:0" in t for t in texts.values()),
    )
    assert hits == []
    assert {name: "root:x:0" in text for name, text in texts.items()} == dict.fromkeys(
        documents, False
    )
    assert _flat(payloads["name"]) in texts["receipt"]
    assert _flat(payloads["title"]) in texts["receipt"]
    assert _flat(payloads["title"]) in texts["cover_letter"]
    if "certificate" in texts:
        assert _flat(payloads["name"]) in texts["certificate"]
