import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions import files as filecheck
from submissions.enums import FilePurpose
from tests.submissions.intake_support import DOCX_TYPE, docx_bytes, pdf_bytes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_inspect_upload_real_docx_gives_kind_type_and_hash():
    content = docx_bytes("Nội dung")
    upload = SimpleUploadedFile("Bài dự thi.docx", content, content_type=DOCX_TYPE)

    facts = filecheck.inspect_upload(upload, purpose=FilePurpose.MAIN)

    assert (facts.name, facts.kind, facts.content_type, facts.size, facts.sha256) == (
        "Bài dự thi.docx",
        "document",
        DOCX_TYPE,
        len(content),
        hashlib.sha256(content).hexdigest(),
    )


def test_inspect_upload_real_pdf_accepted():
    upload = SimpleUploadedFile("bai.pdf", pdf_bytes())

    facts = filecheck.inspect_upload(upload, purpose=FilePurpose.MAIN)

    assert facts.content_type == "application/pdf"


def test_inspect_upload_png_named_pdf_is_refused():
    upload = SimpleUploadedFile("bai-du-thi.pdf", PNG)

    with pytest.raises(ValidationError) as refused:
        filecheck.inspect_upload(upload, purpose=FilePurpose.MAIN)

    assert refused.value.messages == [
        "Nội dung tệp “bai-du-thi.pdf” không khớp với đuôi .pdf (tệp bị đổi tên hoặc bị hỏng). "
        "Vui lòng chọn đúng tệp Word (.docx) hoặc PDF."
    ]


def test_inspect_upload_zip_without_word_document_named_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải Word")
    upload = SimpleUploadedFile("bai.docx", buffer.getvalue())

    with pytest.raises(ValidationError) as refused:
        filecheck.inspect_upload(upload, purpose=FilePurpose.MAIN)

    assert refused.value.code == "file_content"


def test_inspect_upload_exe_extension_is_refused_with_accepted_list():
    upload = SimpleUploadedFile("virus.exe", b"MZ" + b"\x00" * 100)

    with pytest.raises(ValidationError) as refused:
        filecheck.inspect_upload(upload, purpose=FilePurpose.MAIN)

    assert refused.value.messages == [
        "Tệp “virus.exe” không đúng loại. Chỉ nhận: Word (.docx) hoặc PDF."
    ]


def test_inspect_upload_image_as_main_document_is_refused():
    upload = SimpleUploadedFile("anh.png", PNG)

    with pytest.raises(ValidationError) as refused:
        filecheck.inspect_upload(upload, purpose=FilePurpose.MAIN)

    assert refused.value.code == "file_type"


def test_inspect_upload_image_as_attachment_is_accepted():
    upload = SimpleUploadedFile("anh.png", PNG)

    facts = filecheck.inspect_upload(upload, purpose=FilePurpose.ATTACHMENT)

    assert (facts.kind, facts.content_type) == ("image", "image/png")


def test_inspect_upload_oversized_document_is_refused():
    limit = filecheck.SIZE_LIMITS[filecheck.DOCUMENT]
    upload = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (limit - 8))

    with pytest.raises(ValidationError) as refused:
        filecheck.inspect_upload(upload, purpose=FilePurpose.MAIN)

    assert refused.value.messages == [
        "Tệp “lon.pdf” có dung lượng 20,0\xa0MB, vượt mức tối đa 20,0\xa0MB cho loại tệp này."
    ]


def test_inspect_upload_empty_file_is_refused():
    upload = SimpleUploadedFile("rong.pdf", b"")

    with pytest.raises(ValidationError) as refused:
        filecheck.inspect_upload(upload, purpose=FilePurpose.MAIN)

    assert refused.value.code == "file_empty"


def test_clean_file_name_strips_path_and_controls():
    assert filecheck.clean_file_name("C:\\tmp\\..\\Bài\x00 viết.docx") == "Bài viết.docx"


def test_extract_text_docx_is_nfc():
    decomposed = "Gia\u0309i pha\u0301p"  # "Giải pháp" in combining marks
    text = filecheck.extract_text(io.BytesIO(docx_bytes(decomposed)), content_type=DOCX_TYPE)

    assert text == "Giải pháp"


def test_extract_text_pdf_keeps_diacritics():
    text = filecheck.extract_text(
        io.BytesIO(pdf_bytes("Cải cách hành chính")), content_type="application/pdf"
    )

    assert text == "Cải cách hành chính"


def test_extract_text_broken_pdf_gives_empty_text():
    assert (
        filecheck.extract_text(io.BytesIO(b"%PDF-1.4 broken"), content_type="application/pdf") == ""
    )


def test_inspect_upload_pdf_without_a_trailer_is_refused_without_parsing():
    # A large "PDF" with no trailer: refused from its last bytes, never scanned whole.
    body = b"%PDF-1.7\n" + b"1 0 obj << /Type /Page >> endobj\n" * 200_000
    upload = SimpleUploadedFile("bai-du-thi.pdf", body)

    with pytest.raises(ValidationError) as refused:
        filecheck.inspect_upload(upload, purpose=FilePurpose.MAIN)

    assert [e.code for e in refused.value.error_list] == ["file_damaged"]
