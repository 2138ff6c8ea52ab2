"""Bad input: generated text into the main forms, hostile uploads and hostile file names,
thousands of form parts. Each gets one clear Vietnamese message per kind of failure, never a
server error; served files are downloads with the right name."""

import io
import struct
import tracemalloc
import unicodedata
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from submissions import files as filecheck
from submissions.enums import FilePurpose
from tests.security.cast import TINY_PDF, cast_build
from tests.security.report import figure_write

MB = 1024 * 1024
DOCX_PARTS = {
    "[Content_Types].xml": "<Types/>",
    "word/document.xml": "<w:document/>",
}


def _docx(extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in DOCX_PARTS.items():
            archive.writestr(name, text)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def _docx_bomb(unpacked_mb: int = 250) -> bytes:
    """A docx of a few hundred kilobytes that unpacks to `unpacked_mb` megabytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in DOCX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * MB
            for _ in range(unpacked_mb):
                member.write(chunk)
    return out.getvalue()


def _png_declaring(width: int, height: int) -> bytes:
    """A valid PNG signature and header declaring width×height pixels, with one tiny IDAT."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(TINY_PDF)))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
PNG_SMALL = _png_declaring(10, 10)

# (what, file name, content, purpose) -> the message shown
HOSTILE_UPLOADS = [
    (
        "png named .pdf",
        "bai-du-thi.pdf",
        PNG_SMALL,
        FilePurpose.MAIN,
        "Nội dung tệp “bai-du-thi.pdf” không khớp với đuôi .pdf (tệp bị đổi tên hoặc bị hỏng). "
        "Vui lòng chọn đúng tệp Word (.docx) hoặc PDF.",
    ),
    ("empty", "trong.pdf", b"", FilePurpose.MAIN, "Tệp “trong.pdf” rỗng."),
    (
        "truncated pdf",
        "cut.pdf",
        TINY_PDF[: len(TINY_PDF) // 3],
        FilePurpose.MAIN,
        "Tệp “cut.pdf” bị hỏng nên không mở được. Vui lòng lưu lại tệp rồi tải lên lại.",
    ),
    (
        "password-protected pdf",
        "mat-khau.pdf",
        _encrypted_pdf(),
        FilePurpose.MAIN,
        "Tệp “mat-khau.pdf” được bảo vệ bằng mật khẩu. Vui lòng gỡ mật khẩu rồi tải lên lại.",
    ),
    (
        "docx with a macro",
        "macro.docx",
        _docx({"word/vbaProject.bin": b"Attribute VB_Name"}),
        FilePurpose.MAIN,
        "Tệp “macro.docx” có chứa macro. Vui lòng lưu thành tài liệu Word (.docx) không có "
        "macro rồi tải lên lại.",
    ),
    (
        "macro document .docm",
        "macro.docm",
        _docx({"word/vbaProject.bin": b"Attribute VB_Name"}),
        FilePurpose.MAIN,
        "Tệp “macro.docm” không đúng loại. Chỉ nhận: Word (.docx) hoặc PDF.",
    ),
    (
        "svg",
        "hinh.svg",
        SVG,
        FilePurpose.ATTACHMENT,
        "Tệp “hinh.svg” không đúng loại. Chỉ nhận: Word (.docx) hoặc PDF; ảnh (.jpg, .png, "
        ".webp, .gif); video (.mp4, .mov, .webm, .mkv, .avi); tệp nén phần mềm (.zip, .7z, "
        ".rar).",
    ),
    (
        "svg named .png",
        "hinh.png",
        SVG,
        FilePurpose.ATTACHMENT,
        "Nội dung tệp “hinh.png” không khớp với đuôi .png (tệp bị đổi tên hoặc bị hỏng). "
        "Vui lòng chọn đúng tệp ảnh (.jpg, .png, .webp, .gif).",
    ),
    (
        "html",
        "trang.html",
        HTML,
        FilePurpose.MAIN,
        "Tệp “trang.html” không đúng loại. Chỉ nhận: Word (.docx) hoặc PDF.",
    ),
    (
        "html named .pdf",
        "trang.pdf",
        HTML,
        FilePurpose.MAIN,
        "Nội dung tệp “trang.pdf” không khớp với đuôi .pdf (tệp bị đổi tên hoặc bị hỏng). "
        "Vui lòng chọn đúng tệp Word (.docx) hoặc PDF.",
    ),
]


@pytest.mark.parametrize(
    ("what", "name", "content", "purpose", "message"),
    HOSTILE_UPLOADS,
    ids=[u[0] for u in HOSTILE_UPLOADS],
)
def test_inspect_upload_hostile_file_gets_its_message(what, name, content, purpose, message):
    # Arrange
    upload = SimpleUploadedFile(name, content)

    # Act
    with pytest.raises(ValidationError) as refused:
        filecheck.inspect_upload(upload, purpose=purpose)

    # Assert
    assert refused.value.messages == [message]


def _peak_of(call) -> tuple[int, ValidationError | None]:
    tracemalloc.start()
    try:
        call()
        refused = None
    except ValidationError as error:
        refused = error
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, refused


def test_inspect_upload_zip_bomb_and_pixel_flood_refused_in_bounded_memory():
    # Arrange
    bomb = SimpleUploadedFile("bom.docx", _docx_bomb())
    flood = SimpleUploadedFile("lu-diem-anh.png", _png_declaring(50_000, 50_000))

    # Act
    bomb_peak, bomb_refused = _peak_of(
        lambda: filecheck.inspect_upload(bomb, purpose=FilePurpose.MAIN)
    )
    flood_peak, flood_refused = _peak_of(
        lambda: filecheck.inspect_upload(flood, purpose=FilePurpose.ATTACHMENT)
    )

    # Assert
    figure_write(
        "bad_input_memory",
        title="Tệp độc hại: bộ nhớ đỉnh khi kiểm tra (MB)",
        rows=[
            ("docx zip bomb (250 MB unpacked), size", f"{bomb.size // 1024} KB"),
            ("docx zip bomb peak memory", f"{bomb_peak / MB:.1f} MB"),
            ("PNG 50000×50000 peak memory", f"{flood_peak / MB:.1f} MB"),
        ],
        ok=bomb_peak < 20 * MB and flood_peak < 20 * MB,
    )
    assert bomb_refused.messages == [
        "Tệp “bom.docx” khi giải nén lớn bất thường (250,0\xa0MB) nên không được nhận. "
        "Vui lòng lưu lại tài liệu bằng Word rồi tải lên lại."
    ]
    assert flood_refused.messages == [
        "Ảnh “lu-diem-anh.png” quá lớn (50000 × 50000 điểm ảnh). Ảnh phải nhỏ hơn 50 triệu "
        "điểm ảnh."
    ]
    assert (bomb_peak < 20 * MB, flood_peak < 20 * MB) == (True, True)


@pytest.mark.parametrize(
    ("given_name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/etc/cron.d/bai.pdf", "bai.pdf"),
        ("C:\\Users\\x\\bai.pdf", "bai.pdf"),
        ("bai\x00.exe.pdf", "bai.exe.pdf"),
        ("\u202egpj.exe.pdf", "gpj.exe.pdf"),
        ("\u200fbai-du-thi\u200e.pdf", "bai-du-thi.pdf"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
        ("Bài dự thi.pdf", "Bài dự thi.pdf"),
        (unicodedata.normalize("NFD", "Giải pháp.pdf"), "Giải pháp.pdf"),
    ],
)
def test_inspect_upload_hostile_name_is_cleaned_and_file_kept(given_name, kept):
    # Arrange
    upload = SimpleUploadedFile(given_name, TINY_PDF)

    # Act
    facts = filecheck.inspect_upload(upload, purpose=FilePurpose.MAIN)

    # Assert
    assert (facts.name, len(facts.name) <= 255) == (kept, True)


# --- generated text into the forms, over HTTP ----------------------------------------------

TEXT = st.one_of(
    st.text(min_size=0, max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=3000),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "{{ 7*7 }} {% csrf_token %}",
            "'; DROP TABLE submissions_entry; --",
            "\x00\x01\x1b[31m\u202e\ufeff",
            unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung – Sở Tư pháp tỉnh Lạng Sơn"),
            "A" * 100_000,
        ]
    ),
)
HYPO = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIGURES = {"inputs": 0, "server_errors": 0}


@pytest.fixture(scope="module")
def _report_text_figures():
    yield
    figure_write(
        "bad_input_text",
        title="Dữ liệu nhập bất thường (hypothesis) vào các biểu mẫu",
        rows=[("Inputs tried", FIGURES["inputs"]), ("Server errors", FIGURES["server_errors"])],
        ok=FIGURES["server_errors"] == 0,
    )


@pytest.fixture
def world(db):
    return cast_build()


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _post(client, path, data) -> int:
    status = client.post(path, data).status_code
    FIGURES["inputs"] += 1
    FIGURES["server_errors"] += status >= 500
    return status


@HYPO
@given(text=TEXT)
def test_wizard_idea_step_any_text_no_server_error(world, _report_text_figures, text):
    # Arrange
    client = _client(world.user("entrant1"))
    path = reverse("submissions:step", args=[world.pk("e1d"), "y-tuong"])
    data = dict.fromkeys(
        [
            "title",
            "summary",
            "problem",
            "solution",
            "expected_effect",
            "implementation",
            "replication",
        ],
        text,
    )

    # Act
    status = _post(client, path, {**data, "action": "save"})

    # Assert
    assert status in (200, 302)


@HYPO
@given(text=TEXT)
def test_wizard_authors_step_any_text_no_server_error(world, _report_text_figures, text):
    # Arrange
    client = _client(world.user("entrant1"))
    path = reverse("submissions:step", args=[world.pk("e1d"), "tac-gia"])
    data = {
        "kind": "individual",
        "tac_gia-TOTAL_FORMS": "1",
        "tac_gia-INITIAL_FORMS": "0",
        "tac_gia-0-full_name": text,
        "tac_gia-0-job_title": text,
        "tac_gia-0-workplace": text,
        "tac_gia-0-address": text,
        "tac_gia-0-phone": text[:40],
        "tac_gia-0-email": text[:60],
        "action": "save",
    }

    # Act
    status = _post(client, path, data)

    # Assert
    assert status in (200, 302)


@HYPO
@given(text=TEXT)
def test_profile_lookup_and_reasons_any_text_no_server_error(world, _report_text_figures, text):
    # Arrange
    entrant = _client(world.user("entrant1"))
    anonymous = _client(None)
    staff = _client(world.user("staff_a"))
    judge = _client(world.user("judge1"))
    fields = ["full_name", "phone", "position", "workplace", "address"]

    # Act
    statuses = [
        _post(entrant, reverse("accounts:profile"), dict.fromkeys(fields, text)),
        _post(anonymous, reverse("lookup"), {"code": text[:50], "phone_last4": text[:8]}),
        _post(
            staff,
            reverse("units:entry_reject", args=[world.pk("A"), world.pk("e1s")]),
            {"reason": text},
        ),
        _post(
            judge,
            reverse("judging:sheet", args=["cuoc-thi-c1", world.pk("e1a")]),
            {"comment": text, "version": "0"},
        ),
    ]

    # Assert
    assert [s < 500 for s in statuses] == [True, True, True, True]


# --- thousands of form parts ----------------------------------------------------------------


@pytest.mark.django_db
def test_thousands_of_form_parts_get_a_vietnamese_400():
    # Arrange
    client = Client(raise_request_exception=False)
    fields = {f"f{i}": "x" for i in range(5000)}
    files = {f"t{i}": SimpleUploadedFile(f"{i}.pdf", TINY_PDF) for i in range(50)}

    # Act
    too_many_fields = client.post(reverse("lookup"), fields)
    too_many_files = client.post(reverse("lookup"), files)

    # Assert
    assert [too_many_fields.status_code, too_many_files.status_code] == [400, 400]
    assert "Yêu cầu không hợp lệ" in too_many_fields.content.decode()
    assert "Yêu cầu không hợp lệ" in too_many_files.content.decode()


# --- served files -------------------------------------------------------------------------


def test_uploaded_file_is_served_as_named_attachment_with_nosniff(world):
    # Arrange
    client = _client(world.user("entrant1"))
    step = reverse("submissions:step", args=[world.pk("e1d"), "tep"])
    hostile = '../..\\\u202eHồ sơ <i>"bài".pdf'
    client.post(
        step,
        {
            "form": "written",
            "action": "save",
            "main_document": SimpleUploadedFile(hostile, TINY_PDF, "application/pdf"),
        },
    )
    stored = world.objects["e1d"].files.get(purpose=FilePurpose.MAIN)

    # Act
    response = client.get(reverse("submissions:file_download", args=[stored.pk]))
    judge_response = _client(world.user("judge1")).get(
        reverse("judging:file_download", args=["cuoc-thi-c1", world.pk("e1a"), world.pk("f1a")])
    )

    # Assert
    assert stored.original_name == 'Hồ sơ <i>"bài".pdf'
    assert response["Content-Disposition"] == (
        'attachment; filename="H s <i>bi.pdf"; '
        "filename*=UTF-8''H%E1%BB%93%20s%C6%A1%20%3Ci%3E%22b%C3%A0i%22.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert judge_response["Content-Disposition"] == (
        f'attachment; filename="tep-{world.pk("f1a")}.pdf"'
    )
    assert judge_response["X-Content-Type-Options"] == "nosniff"
