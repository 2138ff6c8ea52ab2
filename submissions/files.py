"""Uploaded files: what each purpose accepts, checked by content (never by the name alone),
size limits in one place, hashing, and text extraction from docx and pdf."""

import hashlib
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
    """The original name for display and Content-Disposition: no path, NFC, no controls."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:255] or "tep"


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
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return InspectedFile(
        name=name, kind=kind, content_type=content_type, size=size, sha256=digest.hexdigest()
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
