"""Certificates are rendered in batches: one job and one WeasyPrint document per batch, cut
into one PDF per certificate, each with only its own content; safe to run twice."""

import base64
import datetime as dt
import io
import struct
import subprocess
import unicodedata
import zlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from awards.enums import CertificateKind, CertificateStatus, GroupCertificateMode
from awards.models import Certificate
from awards.pdf import _split, html_to_pdf
from awards.selectors import certificates_merged_pdf
from awards.services import (
    award_set_approve,
    award_set_compute,
    award_settings_for,
    certificates_issue,
    certificates_render_batch,
    certificates_requeue_stale,
)
from awards.tasks import task_render_certificates
from contest.enums import Role
from contest.models import OutboxTask
from submissions.enums import EntryKind
from tests.factories import UserFactory, accepted_entry, approved_ranking, grant

pytestmark = pytest.mark.django_db

NAMES = [
    "Nguyễn Thị Hường",
    "Lưu Văn Đức",
    "Hoàng Thị Ngọc Ánh",
    "Vy Văn Thưởng",
    "Đàm Thị Yến",
    "Lục Văn Quyết",
    "Triệu Thị Mỹ",
]
GROUP = ["Phùng Quốc Việt", "Nông Thị Lệ", "Dương Đình Khải"]


def _text(data: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return unicodedata.normalize("NFC", " ".join(out.stdout.decode().split()))


@pytest.fixture
def media(settings, tmp_path):
    """Certificate files in a storage of this test alone, to count every file in it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def approved(contest, media):
    contest.name = "Tìm kiếm ý tưởng, giải pháp cải cách hành chính tỉnh Lạng Sơn năm 2025"
    contest.save()
    organizer = UserFactory()
    grant(organizer, contest, Role.ORGANIZER)
    settings_obj = award_settings_for(contest=contest)
    settings_obj.decision_number = "2156/QĐ-UBND"
    settings_obj.decision_date = dt.date(2025, 9, 26)
    settings_obj.committee_decision_number = "45/QĐ-BTC"
    settings_obj.committee_decision_date = dt.date(2025, 9, 26)
    settings_obj.group_certificate_mode = GroupCertificateMode.ONE_PER_MEMBER
    settings_obj.save()
    individuals = [accepted_entry(contest, author_names=[n]) for n in NAMES]
    approved_ranking(
        contest, kind=EntryKind.INDIVIDUAL, rows=[(e, 95 - i) for i, e in enumerate(individuals)]
    )
    group = accepted_entry(contest, kind=EntryKind.GROUP, author_names=GROUP)
    approved_ranking(contest, kind=EntryKind.GROUP, rows=[(group, 91)])
    award_set = award_set_compute(contest=contest, by=organizer)
    award_set_approve(award_set=award_set, by=organizer)
    return award_set, organizer


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    def run(award_set, organizer):
        with django_capture_on_commit_callbacks(execute=True):
            return certificates_issue(award_set=award_set, by=organizer)

    return run


def _files(media) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def test_issuing_queues_one_job_per_batch_of_one_kind(issue, approved, settings):
    settings.AWARDS_CERTIFICATE_BATCH = 3
    award_set, organizer = approved

    certificates = issue(award_set, organizer)

    # 7 Bằng khen (Nhất, Nhì, 2 × Ba for individuals; the group's Nhất to each of its 3
    # members) and 3 Giấy chứng nhận (Khuyến khích): batches of 3 within each kind.
    assert len(certificates) == 10
    jobs = OutboxTask.objects.filter(task=task_render_certificates.name).order_by("pk")
    batches = [row.kwargs["certificate_ids"] for row in jobs]
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(pk for b in batches for pk in b) == sorted(c.pk for c in certificates)
    kinds = dict(Certificate.objects.values_list("pk", "kind"))
    assert all(len({kinds[pk] for pk in b}) == 1 for b in batches)
    assert {row.sent_at is not None for row in jobs} == {True}
    assert set(Certificate.objects.values_list("status", flat=True)) == {CertificateStatus.RENDERED}


def test_each_file_of_a_batch_is_one_page_with_its_own_certificate_only(issue, approved, media):
    award_set, organizer = approved
    issue(award_set, organizer)

    certificates = list(Certificate.objects.order_by("kind", "sequence"))
    names = {c.recipient_name for c in certificates}
    for certificate in certificates:
        data = certificate.pdf.read()
        certificate.pdf.close()
        reader = PdfReader(io.BytesIO(data))
        text = _text(data)
        assert len(reader.pages) == 1
        assert certificate.recipient_name in text
        assert certificate.number in text
        assert not [n for n in names - {certificate.recipient_name} if n in text]
        assert reader.named_destinations == {}  # the batch's page anchors stay behind
        assert reader.metadata.title.endswith(certificate.number)
        size_mm = [round(float(x) / 72 * 25.4) for x in reader.pages[0].mediabox[2:]]
        assert size_mm == ([420, 297] if certificate.kind == CertificateKind.MERIT else [297, 210])
    assert _files(media) == {c.pdf.name for c in certificates}


def test_a_batch_run_twice_or_in_a_second_job_renders_nothing_again(issue, approved, media):
    award_set, organizer = approved
    issue(award_set, organizer)
    ids = list(Certificate.objects.values_list("pk", flat=True))
    before = {c.pk: (c.pdf.name, c.rendered_at) for c in Certificate.objects.all()}

    again = certificates_render_batch(certificate_ids=ids)
    task_render_certificates.delay(certificate_ids=ids[:4])

    assert again == {"rendered": 0, "skipped": len(ids), "failed": 0}
    assert {c.pk: (c.pdf.name, c.rendered_at) for c in Certificate.objects.all()} == before
    assert len(_files(media)) == len(ids)


def test_a_file_left_by_a_killed_worker_is_replaced_not_duplicated(issue, approved, media):
    award_set, organizer = approved
    issue(award_set, organizer)
    certificate = Certificate.objects.order_by("sequence").first()
    name, number = certificate.pdf.name, certificate.number
    # A worker wrote the file and died before its commit: the row still says pending.
    (media / name).write_bytes(b"%PDF-1.7 truncated")
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.PENDING, pdf="")
    missing = Certificate.objects.exclude(pk=certificate.pk).order_by("sequence").first()
    (media / missing.pdf.name).unlink()  # and a file lost from the storage

    result = certificates_render_batch(certificate_ids=[certificate.pk, missing.pk])

    assert result == {"rendered": 2, "skipped": 0, "failed": 0}
    certificate.refresh_from_db()
    assert certificate.pdf.name == name and certificate.number == number
    assert certificate.recipient_name in _text((media / name).read_bytes())
    assert _files(media) == set(Certificate.objects.values_list("pdf", flat=True))


def test_batch_queries_do_not_grow_per_certificate_beyond_the_row_lock(approved, media):
    award_set, organizer = approved
    certificates_issue(award_set=award_set, by=organizer)  # not rendered: no on-commit run
    ids = list(Certificate.objects.order_by("kind", "sequence").values_list("pk", flat=True))

    with CaptureQueriesContext(connection) as small:
        certificates_render_batch(certificate_ids=ids[:2])
    with CaptureQueriesContext(connection) as large:
        certificates_render_batch(certificate_ids=ids[2:8])

    # Per certificate: the savepoint, the row lock, the update and the release.
    assert len(large) - len(small) == 4 * 4


def test_stale_renderings_are_queued_again_and_finished(
    issue, approved, settings, django_capture_on_commit_callbacks
):
    settings.AWARDS_CERTIFICATE_STALE_SECONDS = 300
    award_set, organizer = approved
    with django_capture_on_commit_callbacks(execute=False):
        certificates_issue(award_set=award_set, by=organizer)  # queued, never run
    long_ago = timezone.now() - timedelta(minutes=10)
    dead, fresh, lost = list(Certificate.objects.order_by("kind", "sequence"))[:3]
    # dead: a worker started it 10 minutes ago and died; fresh: a worker is rendering it now;
    # lost: queued an hour ago and never started (its message was lost).
    Certificate.objects.filter(pk=dead.pk).update(render_started_at=long_ago)
    Certificate.objects.filter(pk=fresh.pk).update(render_started_at=timezone.now())
    Certificate.objects.filter(pk=lost.pk).update(
        render_queued_at=timezone.now() - timedelta(hours=1)
    )
    jobs_before = OutboxTask.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        queued = certificates_requeue_stale()

    assert queued == 2
    assert OutboxTask.objects.count() == jobs_before + 1
    assert OutboxTask.objects.order_by("-pk").first().kwargs == {
        "certificate_ids": [dead.pk, lost.pk]
    }
    statuses = dict(Certificate.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[lost.pk] == CertificateStatus.RENDERED
    assert statuses[fresh.pk] == CertificateStatus.PENDING
    assert certificates_requeue_stale() == 0


def test_merged_print_pdf_joins_the_cut_pages_in_order(issue, approved):
    award_set, organizer = approved
    issue(award_set, organizer)

    data = certificates_merged_pdf(award_set=award_set, kind=CertificateKind.MERIT)

    reader = PdfReader(io.BytesIO(data))
    merit = list(Certificate.objects.filter(kind=CertificateKind.MERIT).order_by("sequence"))
    assert len(reader.pages) == len(merit) == 7
    for page, certificate in zip(reader.pages, merit, strict=True):
        text = unicodedata.normalize("NFC", page.extract_text())
        assert certificate.number in text


def _png(red: int) -> str:
    rows = b"".join(b"\x00" + bytes((red, 0, 0)) * 4 for _ in range(4))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


def test_a_cut_page_carries_only_its_own_images():
    """WeasyPrint lists every image of a document on every page; each cut file keeps its own."""
    sheets = "".join(
        f'<section class="sheet" id="certificate-{i}"><img src="{_png(40 * i)}" width="40">'
        f"Trang {i}</section>"
        for i in range(3)
    )
    data = html_to_pdf(f"<html><body>{sheets}</body></html>", page_mm=(100, 100))
    assert data.count(b"/Subtype /Image") == 3
    assert len(PdfReader(io.BytesIO(data)).named_destinations) == 3

    parts = _split(data, 3, ["Giấy 0", "Giấy 1", "Giấy 2"])

    for i, part in enumerate(parts):
        assert part.count(b"/Subtype /Image") == 1
        reader = PdfReader(io.BytesIO(part))
        assert len(reader.pages[0]["/Resources"]["/XObject"]) == 1
        assert reader.named_destinations == {}
        assert reader.metadata.title == f"Giấy {i}"
        assert _text(part) == f"Trang {i}"
