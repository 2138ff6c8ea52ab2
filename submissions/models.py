"""Entries, their authors and files. State changes go through workflow.entry_transition."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest.models import Category, Contest, Unit

from .enums import EntryForm, EntryKind, EntryStatus, FilePurpose


class Entry(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="received_entries",
        verbose_name=_("đầu mối tiếp nhận"),
    )
    # The unit holding the entry now: the receiving unit, or its district once passed up.
    holder = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="held_entries",
        verbose_name=_("đơn vị đang xử lý"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="entries",
        verbose_name=_("lĩnh vực"),
    )
    kind = models.CharField(
        _("loại bài dự thi"), max_length=20, choices=EntryKind, default=EntryKind.INDIVIDUAL
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=EntryStatus, default=EntryStatus.DRAFT,
        db_index=True,
    )
    tracking_code = models.CharField(
        _("mã bài dự thi"), max_length=20, unique=True, null=True, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="entries",
    )
    entered_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("cán bộ nhập hộ"),
    )

    title = models.CharField(_("tên ý tưởng, giải pháp"), max_length=300, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    problem = models.TextField(_("thực trạng, vấn đề đặt ra"), blank=True)
    solution = models.TextField(_("nội dung ý tưởng, giải pháp"), blank=True)
    expected_effect = models.TextField(_("hiệu quả dự kiến"), blank=True)
    implementation = models.TextField(_("cách thức triển khai"), blank=True)
    replication = models.TextField(_("khả năng nhân rộng"), blank=True)

    form = models.CharField(
        _("hình thức"), max_length=20, choices=EntryForm, default=EntryForm.WRITTEN
    )
    competed_before = models.BooleanField(_("đã dự thi cuộc thi khác nhưng chưa đạt giải"),
                                          default=False)
    previous_contest_name = models.CharField(_("tên cuộc thi đã tham dự"), max_length=300,
                                             blank=True)
    revision_explanation = models.TextField(_("nội dung đã chỉnh sửa, hoàn thiện"), blank=True)
    declaration_accepted = models.BooleanField(_("cam kết đủ điều kiện dự thi"), default=False)
    consent_accepted = models.BooleanField(_("đồng ý cho UBND tỉnh sử dụng bài dự thi"),
                                           default=False)

    wizard_step = models.CharField(max_length=30, blank=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bài dự thi")
        verbose_name_plural = _("bài dự thi")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=EntryStatus.DRAFT)
                | (Q(unit__isnull=False) & Q(holder__isnull=False)
                   & Q(tracking_code__isnull=False) & Q(category__isnull=False)),
                name="entry_submitted_has_unit_code_category",
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "holder", "status"]),
            models.Index(fields=["contest", "status", "kind"]),
        ]

    def __str__(self):
        return self.tracking_code or self.title or f"#{self.pk}"


class Author(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    job_title = models.CharField(_("chức vụ"), max_length=200, blank=True)
    workplace = models.CharField(_("đơn vị công tác"), max_length=300, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_representative = models.BooleanField(_("người đại diện"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="authorships",
    )

    class Meta:
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")
        ordering = ["entry", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(is_representative=True),
                name="author_one_representative_per_entry",
            ),
        ]

    def __str__(self):
        return self.full_name


def entry_file_path(instance, filename: str) -> str:
    # Never the user's file name: an unguessable key; the original name is kept for display.
    return f"entries/{instance.entry.contest_id}/{uuid.uuid4().hex}"


class EntryFile(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(_("loại tệp"), max_length=20, choices=FilePurpose)
    file = models.FileField(_("tệp"), upload_to=entry_file_path, max_length=300)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    extracted_text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["entry", "purpose", "uploaded_at"]

    def __str__(self):
        return self.original_name
