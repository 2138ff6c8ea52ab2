"""Backup and restore of the whole portal: the database as Django's portable JSON dump (the
same file restores into SQLite or PostgreSQL), every file of the default storage, and a
manifest with each file's SHA-256. A restore goes only into an empty database and an empty
storage, and checks every checksum before and after. Used by the backup_portal and
restore_portal management commands."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

FORMAT = 1
DATABASE_FILE = "database.json"
MANIFEST_FILE = "manifest.json"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024
# JSON with exact datetimes (contest/backup_serializer.py); read back as plain JSON.
EXACT_FORMAT = "json-exact"

# Rebuilt by `migrate` in every database (with their own ids; the dump refers to content
# types by natural key), or not worth restoring (sessions: everyone signs in again).
NOT_DUMPED = ["contenttypes", "auth.permission", "sessions"]
ALWAYS_PRESENT = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    """A refused backup or restore; the message is Vietnamese and safe to show."""


@dataclass(frozen=True)
class BackupSummary:
    directory: Path
    objects: int
    files: int
    bytes: int


@dataclass(frozen=True)
class RestoreSummary:
    objects: int
    files: int
    verified: int


def _sha256_of(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def storage_files(storage=default_storage, directory: str = "") -> list[str]:
    """Every file name in the storage, recursively, sorted."""
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:  # a local storage whose folder does not exist yet: empty
        return []
    names = [str(PurePosixPath(directory) / f) if directory else f for f in files]
    for sub in dirs:
        names += storage_files(storage, str(PurePosixPath(directory) / sub) if directory else sub)
    return sorted(names)


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Tên tệp không hợp lệ trong bản sao lưu: {name!r}")
    return path


def portal_backup(*, output: Path) -> BackupSummary:
    """Write database.json, media/ and manifest.json into `output` (created; must be empty)."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"Thư mục sao lưu {output} đã có dữ liệu; hãy chọn thư mục mới.")
    (output / MEDIA_DIR).mkdir(parents=True, exist_ok=True)

    database = output / DATABASE_FILE
    # One transaction, so the dump is one consistent moment of the database.
    serializers.register_serializer(EXACT_FORMAT, "contest.backup_serializer")
    with transaction.atomic():
        call_command(
            "dumpdata",
            format=EXACT_FORMAT,
            exclude=NOT_DUMPED,
            natural_foreign=True,
            use_base_manager=True,
            output=str(database),
            verbosity=0,
        )
    with database.open("rb") as handle:
        database_sha = _sha256_of(handle)
    objects = _count_objects(database)

    files, total = [], 0
    for name in storage_files():
        target = output / MEDIA_DIR / _safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with default_storage.open(name, "rb") as source, target.open("wb") as sink:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                sink.write(chunk)
                size += len(chunk)
        files.append({"name": name, "size": size, "sha256": digest.hexdigest()})
        total += size

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"file": DATABASE_FILE, "sha256": database_sha, "objects": objects},
        "files": files,
    }
    (output / MANIFEST_FILE).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return BackupSummary(directory=output, objects=objects, files=len(files), bytes=total)


def _count_objects(database: Path) -> int:
    with database.open(encoding="utf-8") as handle:
        return len(json.load(handle))


def _read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST_FILE
    if not path.is_file():
        raise BackupError(f"Không tìm thấy {MANIFEST_FILE} trong {directory}.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError("Bản sao lưu có định dạng không được hỗ trợ.")
    return manifest


def backup_verify(*, directory: Path) -> dict:
    """Check every checksum of a backup on disk; returns the manifest."""
    directory = Path(directory)
    manifest = _read_manifest(directory)
    with (directory / manifest["database"]["file"]).open("rb") as handle:
        if _sha256_of(handle) != manifest["database"]["sha256"]:
            raise BackupError("Tệp cơ sở dữ liệu trong bản sao lưu đã bị thay đổi hoặc hỏng.")
    bad = []
    for item in manifest["files"]:
        path = directory / MEDIA_DIR / _safe_relative(item["name"])
        if not path.is_file():
            bad.append(item["name"])
            continue
        with path.open("rb") as handle:
            if _sha256_of(handle) != item["sha256"]:
                bad.append(item["name"])
    if bad:
        raise BackupError(
            f"{len(bad)} tệp trong bản sao lưu bị thiếu hoặc sai mã SHA-256: {', '.join(bad[:5])}"
        )
    return manifest


def portal_is_empty() -> tuple[bool, list[str]]:
    """Whether the database holds nothing but what `migrate` creates, and the storage no file."""
    reasons = [
        f"{m._meta.label}: {count}"
        for m in apps.get_models()
        if m._meta.label_lower not in ALWAYS_PRESENT and (count := m._base_manager.count())
    ]
    if storage_files():
        reasons.append("kho tệp (storage) đã có tệp")
    return not reasons, reasons


def portal_restore(*, directory: Path) -> RestoreSummary:
    directory = Path(directory)
    manifest = backup_verify(directory=directory)
    empty, reasons = portal_is_empty()
    if not empty:
        raise BackupError(
            "Chỉ khôi phục vào cơ sở dữ liệu và kho tệp trống (chạy migrate trên cơ sở dữ liệu "
            "mới). Đang có: " + "; ".join(reasons[:8])
        )

    written = []
    try:
        with transaction.atomic():
            call_command("loaddata", str(directory / manifest["database"]["file"]), verbosity=0)
            verified = _restore_files(manifest=manifest, directory=directory, written=written)
    except BackupError:
        # The database rolled back with the transaction; the files go too.
        for name in written:
            default_storage.delete(name)
        raise
    return RestoreSummary(
        objects=manifest["database"]["objects"], files=len(manifest["files"]), verified=verified
    )


def _restore_files(*, manifest: dict, directory: Path, written: list[str]) -> int:
    for item in manifest["files"]:
        path = directory / MEDIA_DIR / _safe_relative(item["name"])
        with path.open("rb") as handle:
            stored = default_storage.save(item["name"], File(handle))
        written.append(stored)
        if stored != item["name"]:
            raise BackupError(f"Kho tệp đã lưu {item['name']} dưới tên khác ({stored}).")
    verified = 0
    for item in manifest["files"]:
        with default_storage.open(item["name"], "rb") as handle:
            if _sha256_of(handle) != item["sha256"]:
                raise BackupError(f"Tệp {item['name']} sau khi khôi phục sai mã SHA-256.")
        verified += 1
    return verified
