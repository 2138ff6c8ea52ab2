"""Uploaded files: what each purpose accepts, checked by content (never by the name alone),
size limits in one place, hashing, and text extraction from docx and pdf."""

import hashlib
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .enums import FilePurpose

MB = 1024 * 1024

# Kinds of file and the largest size accepted for each: the one place these are set.
DOCUMENT, IMAGE, VIDEO, ARCHIVE = "document", "image", "video", "archive"
SIZE_LIMITS: dict[str, int] = {
    DOCUMENT: 20 * MB,
    IMAGE: 10 * MB,
    VIDEO: 300 * MB,
    ARCHIVE: 100 * MB,
}
MAX_ATTACHMENTS = 10
# A docx is a zip: refuse one that unpacks to more than this, or whose members are packed
# more tightly than any real document (a "zip bomb" that would exhaust the text extractor).
MAX_UNPACKED_DOCUMENT = 200 * MB
MAX_COMPRESSION_RATIO = 100
# Images: refuse a picture larger than this many pixels before anything decodes it (a small
# PNG can declare 50000×50000 pixels and take gigabytes to open: a "pixel flood").
MAX_IMAGE_PIXELS = 50_000_000

# Extension → (kind, the content types its content may have, the content type served).
_EXTENSIONS: dict[str, tuple[str, frozenset[str], str]] = {
    ".pdf": (DOCUMENT, frozenset({"pdf"}), "application/pdf"),
    ".docx": (
        DOCUMENT,
        frozenset({"docx"}),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".jpg": (IMAGE, frozenset({"jpg"}), "image/jpeg"),
    ".jpeg": (IMAGE, frozenset({"jpg"}), "image/jpeg"),
    ".png": (IMAGE, frozenset({"png"}), "image/png"),
    ".webp": (IMAGE, frozenset({"webp"}), "image/webp"),
    ".gif": (IMAGE, frozenset({"gif"}), "image/gif"),
    ".mp4": (VIDEO, frozenset({"mp4", "m4v", "mov"}), "video/mp4"),
    ".m4v": (VIDEO, frozenset({"mp4", "m4v", "mov"}), "video/mp4"),
    ".mov": (VIDEO, frozenset({"mov", "mp4"}), "video/quicktime"),
    ".webm": (VIDEO, frozenset({"webm"}), "video/webm"),
    ".mkv": (VIDEO, frozenset({"mkv", "webm"}), "video/x-matroska"),
    ".avi": (VIDEO, frozenset({"avi"}), "video/x-msvideo"),
    ".zip": (ARCHIVE, frozenset({"zip"}), "application/zip"),
    ".7z": (ARCHIVE, frozenset({"7z"}), "application/x-7z-compressed"),
    ".rar": (ARCHIVE, frozenset({"rar"}), "application/vnd.rar"),
}

# What each purpose accepts.
PURPOSE_KINDS: dict[str, frozenset[str]] = {
    FilePurpose.MAIN: frozenset({DOCUMENT}),
    FilePurpose.CONTENT_TEXT: frozenset({DOCUMENT}),
    FilePurpose.REVISION: frozenset({DOCUMENT}),
    FilePurpose.SCAN: frozenset({DOCUMENT}),
    FilePurpose.ATTACHMENT: frozenset({DOCUMENT, IMAGE, VIDEO, ARCHIVE}),
}
# Purposes of which an entry holds one file: a new upload replaces the old one.
SINGLE_PURPOSES = frozenset(
    {FilePurpose.MAIN, FilePurpose.CONTENT_TEXT, FilePurpose.REVISION, FilePurpose.SCAN}
)

_KIND_LABELS = {
    DOCUMENT: "Word (.docx) hoặc PDF",
    IMAGE: "ảnh (.jpg, .png, .webp, .gif)",
    VIDEO: "video (.mp4, .mov, .webm, .mkv, .avi)",
    ARCHIVE: "tệp nén phần mềm (.zip, .7z, .rar)",
}


@dataclass(frozen=True)
class InspectedFile:
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def accepted_description(purpose: str) -> str:
    """The human list of what a purpose accepts, for hints next to the file inputs."""
    return "; ".join(
        _KIND_LABELS[k] for k in (DOCUMENT, IMAGE, VIDEO, ARCHIVE) if k in PURPOSE_KINDS[purpose]
    )


def accept_attribute(purpose: str) -> str:
    """The `accept` attribute of a file input for this purpose."""
    kinds = PURPOSE_KINDS[purpose]
    return ",".join(ext for ext, (kind, _t, _c) in _EXTENSIONS.items() if kind in kinds)


def clean_file_name(name: str) -> str:
    """The original name for display and Content-Disposition: no path, NFC, no controls or
    direction marks, at most 255 characters with the extension kept."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    base = base.strip(".") and base  # "." and ".." are no names
    if len(base) > 255:
        suffix = PurePosixPath(base).suffix[:16]
        base = base[: 255 - len(suffix)] + suffix
    return base or "tep"


def _detected_type(head: bytes, upload) -> str | None:
    """The file's real type from its content."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
        return "zip"
    guess = filetype.guess(head)
    if guess is None:
        return None
    return {"jpeg": "jpg"}.get(guess.extension, guess.extension)


def inspect_upload(upload, *, purpose: str) -> InspectedFile:
    """Check one uploaded file for a purpose: extension, real content, size. Returns its
    facts with the SHA-256 of its content; raises ValidationError with a Vietnamese message."""
    name = clean_file_name(getattr(upload, "name", "") or "")
    suffix = PurePosixPath(name.lower()).suffix
    allowed_kinds = PURPOSE_KINDS[purpose]
    spec = _EXTENSIONS.get(suffix)
    if spec is None or spec[0] not in allowed_kinds:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng loại. Chỉ nhận: %(accepted)s.")
            % {"name": name, "accepted": accepted_description(purpose)},
            code="file_type",
        )
    kind, content_types, content_type = spec
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name}, code="file_empty")
    if size > SIZE_LIMITS[kind]:
        raise ValidationError(
            _("Tệp “%(name)s” có dung lượng %(size)s, vượt mức tối đa %(limit)s cho loại tệp này.")
            % {
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(SIZE_LIMITS[kind]),
            },
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = _detected_type(head, upload)
    if detected not in content_types:
        raise ValidationError(
            _(
                "Nội dung tệp “%(name)s” không khớp với đuôi %(ext)s (tệp bị đổi tên hoặc bị "
                "hỏng). Vui lòng chọn đúng tệp %(accepted)s."
            )
            % {"name": name, "ext": suffix, "accepted": _KIND_LABELS[kind]},
            code="file_content",
        )
    _inspect_content(upload, name=name, detected=detected)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return InspectedFile(
        name=name, kind=kind, content_type=content_type, size=size, sha256=digest.hexdigest()
    )


def _inspect_content(upload, *, name: str, detected: str) -> None:
    """Refuse what would harm a reader or a worker: password-protected or damaged PDFs,
    documents with macros or that unpack to gigabytes, images too large to open."""
    try:
        if detected == "pdf":
            _inspect_pdf(upload, name=name)
        elif detected == "docx":
            _inspect_docx(upload, name=name)
        elif detected in {"png", "jpg", "gif", "webp"}:
            _inspect_image(upload, name=name)
    finally:
        upload.seek(0)


def _damaged(name: str) -> ValidationError:
    return ValidationError(
        _("Tệp “%(name)s” bị hỏng nên không mở được. Vui lòng lưu lại tệp rồi tải lên lại.")
        % {"name": name},
        code="file_damaged",
    )


def _inspect_pdf(upload, *, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # A real PDF ends with a trailer; without one pypdf rebuilds the cross-reference table by
    # scanning the whole file, which takes minutes on a large broken upload.
    upload.seek(0, 2)
    upload.seek(max(upload.tell() - 2048, 0))
    tail = upload.read()
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise _damaged(name)
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        encrypted = reader.is_encrypted
        if not encrypted:
            len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise _damaged(name) from None
    if encrypted:
        raise ValidationError(
            _("Tệp “%(name)s” được bảo vệ bằng mật khẩu. Vui lòng gỡ mật khẩu rồi tải lên lại.")
            % {"name": name},
            code="file_encrypted",
        )


def _inspect_docx(upload, *, name: str) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged(name) from None
    unpacked = sum(m.file_size for m in members)
    packed_tight = any(
        m.file_size > MB and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1)
        for m in members
    )
    if unpacked > MAX_UNPACKED_DOCUMENT or packed_tight:
        raise ValidationError(
            _(
                "Tệp “%(name)s” khi giải nén lớn bất thường (%(size)s) nên không được nhận. "
                "Vui lòng lưu lại tài liệu bằng Word rồi tải lên lại."
            )
            % {"name": name, "size": filesizeformat(unpacked)},
            code="file_bomb",
        )
    if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
        raise ValidationError(
            _(
                "Tệp “%(name)s” có chứa macro. Vui lòng lưu thành tài liệu Word (.docx) không có "
                "macro rồi tải lên lại."
            )
            % {"name": name},
            code="file_macro",
        )


def _declared_image_size(upload) -> tuple[int, int] | None:
    """Width and height from the image's header, read by Pillow's format plugin itself:
    nothing is decoded, and no size is refused before we can name it in the message."""
    from PIL import Image

    Image.init()
    head = upload.read(16)
    upload.seek(0)
    for fmt in ("PNG", "JPEG", "GIF", "WEBP"):
        factory, accept = Image.OPEN[fmt]
        if accept is not None and not accept(head):
            continue
        try:
            with factory(upload, "") as image:
                return image.size
        except (OSError, ValueError, SyntaxError, EOFError, struct.error):
            return None
        finally:
            upload.seek(0)
    return None


def _inspect_image(upload, *, name: str) -> None:

    upload.seek(0)
    size = _declared_image_size(upload)
    if size is None:
        # an attachment whose header Pillow cannot read is never decoded by the portal
        # (it is served as a download), so only a declared size can be refused here
        return
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _(
                "Ảnh “%(name)s” quá lớn (%(width)s × %(height)s điểm ảnh). Ảnh phải nhỏ hơn "
                "%(limit)s triệu điểm ảnh."
            )
            % {
                "name": name,
                "width": width,
                "height": height,
                "limit": MAX_IMAGE_PIXELS // 1_000_000,
            },
            code="file_image_too_large",
        )


def extract_text(fileobj, *, content_type: str) -> str:
    """Plain text of a docx or pdf, NFC-normalised; "" for anything else or a broken file."""
    text = ""
    try:
        if content_type == "application/pdf":
            from pypdf import PdfReader

            reader = PdfReader(fileobj)
            text = "\n".join((page.extract_text() or "") for page in reader.pages)
        elif content_type.endswith("wordprocessingml.document"):
            import docx

            document = docx.Document(fileobj)
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                for row in table.rows:
                    parts.append("\t".join(cell.text for cell in row.cells))
            text = "\n".join(parts)
    except Exception:  # a damaged document yields no text, never a failed task
        return ""
    return unicodedata.normalize("NFC", text).strip()
