"""Shared arrangement for the intake tests: an open contest, real small documents, and a
complete draft built through the intake services."""

import datetime as dt
import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contest.models import Contest
from submissions import services
from submissions.enums import EntryForm, EntryKind, FilePurpose
from submissions.services import AuthorData
from tests.factories import ContestFactory

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def open_contest(**kwargs) -> Contest:
    now = timezone.now()
    return ContestFactory(
        intake_opens_at=now - dt.timedelta(days=30),
        forwarding_deadline=now + dt.timedelta(days=30),
        scoring_deadline=now + dt.timedelta(days=60),
        results_deadline=now + dt.timedelta(days=90),
        **kwargs,
    )


def docx_bytes(text: str = "Giải pháp một cửa điện tử cấp xã") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str = "Bản viết nội dung ý tưởng") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def docx_upload(name: str = "bai-du-thi.docx", text: str = "Giải pháp một cửa điện tử cấp xã"):
    return SimpleUploadedFile(name, docx_bytes(text), content_type=DOCX_TYPE)


def author(
    name: str, *, representative: bool = True, phone: str = "0912345678", email: str = ""
) -> AuthorData:
    return AuthorData(
        full_name=name,
        job_title="Chuyên viên",
        workplace="UBND huyện Cao Lộc",
        address="Thị trấn Cao Lộc, Lạng Sơn",
        phone=phone,
        email=email,
        is_representative=representative,
    )


def ready_draft(
    *,
    contest,
    owner,
    unit,
    title: str = "Số hóa hồ sơ một cửa cấp xã",
    kind: str = EntryKind.INDIVIDUAL,
    authors: list[AuthorData] | None = None,
):
    """A draft that satisfies every rule (authors, category, idea, a docx, unit, consent)."""
    entry = services.entry_start(contest=contest, owner=owner)
    authors = authors or [author("Nguyễn Thị Hoa")]
    services.entry_save_authors(entry=entry, by=owner, kind=kind, authors=authors)
    services.entry_save_category(
        entry=entry, by=owner, category_id=contest.categories.order_by("position").first().pk
    )
    services.entry_save_idea(
        entry=entry,
        by=owner,
        title=title,
        summary="Tóm tắt ý tưởng.",
        problem="Người dân phải đi lại nhiều lần.",
        solution="Tiếp nhận hồ sơ trực tuyến.",
        expected_effect="Giảm thời gian giải quyết.",
        implementation="",
        replication="",
    )
    services.entry_save_form(entry=entry, by=owner, form=EntryForm.WRITTEN, competed_before=False)
    services.entry_file_add(entry=entry, by=owner, upload=docx_upload(), purpose=FilePurpose.MAIN)
    services.entry_set_unit(entry=entry, by=owner, unit_id=unit.pk)
    services.entry_save_declaration(
        entry=entry, by=owner, declaration_accepted=True, consent_accepted=True
    )
    entry.refresh_from_db()
    return entry
