"""Backup and restore (issue 7, item 11): a populated portal is backed up, the database is
emptied and the storage replaced by an empty one, and the restore brings back every entry,
author, event and file, byte for byte (SHA-256). A restore refuses a non-empty target and a
damaged backup."""

import hashlib
import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import override_settings

from contest.backup import storage_files
from contest.models import Event
from submissions.models import Author, Entry, EntryFile
from tests.security.portal import populated_portal
from tests.security.report import figure_write

SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


def storage_at(path):
    return {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(path), "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def snapshot() -> dict:
    """Everything the comparison looks at, with content types by natural key (their ids
    differ between databases)."""
    files = {}
    for f in EntryFile.objects.order_by("pk"):
        with default_storage.open(f.file.name, "rb") as handle:
            files[f.pk] = (f.file.name, f.sha256, hashlib.sha256(handle.read()).hexdigest())
    return {
        "counts": {
            m._meta.label_lower: m._base_manager.count()
            for m in apps.get_models()
            if m._meta.label_lower not in SKIPPED
        },
        "entries": list(Entry.objects.order_by("pk").values()),
        "authors": list(Author.objects.order_by("pk").values()),
        "events": list(
            Event.objects.order_by("pk").values(
                "pk",
                "at",
                "action",
                "actor_id",
                "object_id",
                "from_state",
                "to_state",
                "reason",
                "data",
                "content_type__app_label",
                "content_type__model",
            )
        ),
        "files": files,
        "storage": {
            name: hashlib.sha256(default_storage.open(name, "rb").read()).hexdigest()
            for name in storage_files()
        },
    }


def shift_content_type_ids() -> None:
    """A fresh database numbers content types its own way: make that so here."""
    ContentType.objects.filter(app_label__in=["submissions", "accounts"]).delete()
    ContentType.objects.clear_cache()
    for model in (Entry, EntryFile, apps.get_model("accounts", "User")):
        ContentType.objects.get_for_model(model)


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_entry_and_file_into_an_empty_portal(tmp_path):
    with override_settings(STORAGES=storage_at(tmp_path / "media-before")):
        populated_portal(entries=6)
        before = snapshot()
        call_command("backup_portal", output=str(tmp_path / "backup"), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    shift_content_type_ids()

    with override_settings(STORAGES=storage_at(tmp_path / "media-after")):
        call_command("restore_portal", str(tmp_path / "backup"), stdout=StringIO())
        after = snapshot()

    entry_mismatches = sum(a != b for a, b in zip(before["entries"], after["entries"], strict=True))
    storage_mismatches = sum(
        before["storage"][k] != after["storage"].get(k) for k in before["storage"]
    )
    file_mismatches = sum(before["files"][k] != after["files"].get(k) for k in before["files"])
    figure_write(
        "backup_restore",
        title="Sao lưu và khôi phục vào cơ sở dữ liệu trống",
        rows=[
            ("bài dự thi so sánh / sai khác", f"{len(before['entries'])} / {entry_mismatches}"),
            ("tệp so sánh SHA-256 / sai khác", f"{len(before['storage'])} / {storage_mismatches}"),
            ("bản ghi nhật ký (Event) so sánh", len(before["events"])),
            (
                "bảng so sánh số dòng / sai khác",
                f"{len(before['counts'])} / "
                f"{sum(before['counts'][k] != after['counts'][k] for k in before['counts'])}",
            ),
        ],
        ok=before == after,
    )

    assert len(before["entries"]) == 8
    assert len(before["files"]) == 7
    assert entry_mismatches == 0
    assert file_mismatches == 0
    assert after == before


@pytest.mark.django_db(transaction=True)
def test_backup_manifest_lists_every_file_with_its_sha256(tmp_path):
    with override_settings(STORAGES=storage_at(tmp_path / "media")):
        portal = populated_portal(entries=2)
        call_command("backup_portal", output=str(tmp_path / "backup"), stdout=StringIO())

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())

    assert sorted((f["name"], f["sha256"]) for f in manifest["files"]) == sorted(
        (f.file.name, f.sha256) for f in portal.files
    )
    assert (
        manifest["database"]["sha256"]
        == hashlib.sha256((tmp_path / "backup" / "database.json").read_bytes()).hexdigest()
    )


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    with override_settings(STORAGES=storage_at(tmp_path / "media")):
        populated_portal(entries=1)
        call_command("backup_portal", output=str(tmp_path / "backup"), stdout=StringIO())
    entries = Entry.objects.count()

    with (
        override_settings(STORAGES=storage_at(tmp_path / "empty-media")),
        pytest.raises(CommandError) as refused,
    ):
        call_command("restore_portal", str(tmp_path / "backup"))

    assert str(refused.value).startswith("Chỉ khôi phục vào cơ sở dữ liệu và kho tệp trống")
    assert "contest.Contest: 1" in str(refused.value)
    assert Entry.objects.count() == entries


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_storage_that_is_not_empty(tmp_path):
    with override_settings(STORAGES=storage_at(tmp_path / "media")):
        populated_portal(entries=1)
        call_command("backup_portal", output=str(tmp_path / "backup"), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)

    with (
        override_settings(STORAGES=storage_at(tmp_path / "media")),
        pytest.raises(CommandError) as refused,
    ):
        call_command("restore_portal", str(tmp_path / "backup"))

    assert str(refused.value).endswith("Đang có: kho tệp (storage) đã có tệp")
    assert Entry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup_before_writing_anything(tmp_path):
    with override_settings(STORAGES=storage_at(tmp_path / "media")):
        portal = populated_portal(entries=1)
        call_command("backup_portal", output=str(tmp_path / "backup"), stdout=StringIO())
    damaged = tmp_path / "backup" / "media" / portal.files[0].file.name
    damaged.write_bytes(damaged.read_bytes() + b"x")
    call_command("flush", interactive=False, verbosity=0)

    with override_settings(STORAGES=storage_at(tmp_path / "empty-media")):
        with pytest.raises(CommandError) as refused:
            call_command("restore_portal", str(tmp_path / "backup"))
        stored = storage_files()

    assert str(refused.value) == (
        f"1 tệp trong bản sao lưu bị thiếu hoặc sai mã SHA-256: {portal.files[0].file.name}"
    )
    assert Entry.objects.count() == 0
    assert stored == []


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_a_directory_that_already_holds_files(tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "cu.txt").write_text("bản cũ")

    with pytest.raises(CommandError) as refused:
        call_command("backup_portal", output=str(tmp_path / "backup"))

    assert str(refused.value) == (
        f"Thư mục sao lưu {tmp_path / 'backup'} đã có dữ liệu; hãy chọn thư mục mới."
    )
