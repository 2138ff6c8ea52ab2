"""Entries, their authors and files. State changes go through workflow.entry_transition."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper
from django.utils.translation import gettext_lazy as _

from contest.models import Category, Contest, Unit

from .enums import EntryForm, EntryKind, EntryStatus, FilePurpose

# The idea as the entrant writes it (wizard step 3): the title, then the long texts.
IDEA_FIELDS = (
    "title",
    "summary",
    "problem",
    "solution",
    "expected_effect",
    "implementation",
    "replication",
)
IDEA_TEXTS = IDEA_FIELDS[1:]


def canonical_code(field: str = "tracking_code") -> Replace:
    """The tracking code in upper case without dashes, spaces or dots, as the public look-up
    compares it (submissions/lookup.py), and as its index stores it."""
    stripped = Upper(field)
    for noise in ("-", " ", "."):
        stripped = Replace(stripped, Value(noise), Value(""))
    return stripped


class Entry(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_entries",
        verbose_name=_("đầu mối tiếp nhận"),
    )
    # The unit holding the entry now: the receiving unit, or its district once passed up.
    holder = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_entries",
        verbose_name=_("đơn vị đang xử lý"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("lĩnh vực"),
    )
    kind = models.CharField(
        _("loại bài dự thi"), max_length=20, choices=EntryKind, default=EntryKind.INDIVIDUAL
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=EntryStatus,
        default=EntryStatus.DRAFT,
        db_index=True,
    )
    tracking_code = models.CharField(
        _("mã bài dự thi"), max_length=20, unique=True, null=True, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    entered_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ nhập hộ"),
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
    competed_before = models.BooleanField(
        _("đã dự thi cuộc thi khác nhưng chưa đạt giải"), default=False
    )
    previous_contest_name = models.CharField(
        _("tên cuộc thi đã tham dự"), max_length=300, blank=True
    )
    revision_explanation = models.TextField(_("nội dung đã chỉnh sửa, hoàn thiện"), blank=True)
    declaration_accepted = models.BooleanField(_("cam kết đủ điều kiện dự thi"), default=False)
    consent_accepted = models.BooleanField(
        _("đồng ý cho UBND tỉnh sử dụng bài dự thi"), default=False
    )

    # Set when the holding unit forwards the entry (submissions/screening.py).
    forwarding_batch = models.ForeignKey(
        "ForwardingBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("đợt gửi bài"),
    )

    wizard_step = models.CharField(max_length=30, blank=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    # Intake: normalised title for duplicate checks, paper channel, receipt mail sent.
    title_key = models.CharField(max_length=300, blank=True, db_index=True)
    received_via = models.CharField(_("hình thức nhận bài"), max_length=20, blank=True)
    paper_reference = models.CharField(_("số, ngày văn bản (nếu có)"), max_length=200, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bài dự thi")
        verbose_name_plural = _("bài dự thi")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=EntryStatus.DRAFT)
                | (
                    Q(unit__isnull=False)
                    & Q(holder__isnull=False)
                    & Q(tracking_code__isnull=False)
                    & Q(category__isnull=False)
                ),
                name="entry_submitted_has_unit_code_category",
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "holder", "status"]),
            models.Index(fields=["contest", "status", "kind"]),
            # Counts per unit for the compliance board and the unit's quota line: with the
            # status and contest in the index they are index-only (docs/performance.md).
            models.Index(fields=["unit", "status", "contest"], name="entry_unit_status_idx"),
            models.Index(fields=["forwarding_batch", "contest"], name="entry_batch_contest_idx"),
            # The secretariat's intake list, one page at a time in dispatch order: by status
            # (waiting, accepted, returned) or all forwarded entries.
            models.Index(
                fields=["contest", "status", "forwarding_batch"], name="entry_intake_status_idx"
            ),
            models.Index(fields=["contest", "forwarding_batch"], name="entry_intake_idx"),
            # The public look-up compares the code without dashes, spaces or dots
            # (submissions/lookup.py): without this index it read every entry.
            models.Index(canonical_code(), name="entry_canonical_code_idx"),
        ]

    def __str__(self):
        return self.tracking_code or self.title or f"#{self.pk}"

    # The status and kind in words, for lists: get_FOO_display() rebuilds the choices and
    # translates every label at each call (about 15 translations a row).
    @property
    def status_label(self) -> str:
        return _STATUS_LABELS.get(self.status, self.status)

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)


_STATUS_LABELS = dict(EntryStatus.choices)
_KIND_LABELS = dict(EntryKind.choices)


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
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authorships",
    )
    name_key = models.CharField(max_length=200, blank=True, db_index=True)
    phone_key = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")
        ordering = ["entry", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(is_representative=True),
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
    kind = models.CharField(_("nhóm tệp"), max_length=20, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["entry", "purpose", "uploaded_at"]

    def __str__(self):
        return self.original_name


# --- screening ---
# Records of the receiving units and the secretariat (submissions/screening.py writes them).
# Each is per entry and per unit: what a commune recorded survives the district's own.


class AppraisalOpinion(models.TextChoices):
    RECOMMEND = "recommend", _("Đề nghị gửi dự thi")
    RECOMMEND_WITH_NOTES = "with_notes", _("Đề nghị gửi dự thi, có lưu ý")
    NOT_RECOMMEND = "not_recommend", _("Không đề nghị gửi dự thi")


class ForwardingChannel(models.TextChoices):
    IOFFICE = "ioffice", _("Hệ thống iOffice")
    POST = "post", _("Đường bưu điện")
    IN_PERSON = "in_person", _("Gửi trực tiếp")


def screening_file_path(instance, filename: str) -> str:
    return f"screening/{instance.contest_id}/{uuid.uuid4().hex}"


class Appraisal(models.Model):
    """A unit's appraisal (thẩm định) of an entry it selected."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="appraisals")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="appraisals")
    appraiser_name = models.CharField(_("người thẩm định"), max_length=200)
    opinion = models.CharField(_("ý kiến thẩm định"), max_length=20, choices=AppraisalOpinion)
    notes = models.TextField(_("nhận xét"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("ý kiến thẩm định")
        verbose_name_plural = _("ý kiến thẩm định")
        ordering = ["entry", "at"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "unit"], name="appraisal_one_per_unit"),
        ]

    def __str__(self):
        return f"{self.entry} – {self.unit}"


class Certification(models.Model):
    """The unit head's confirmation of effectiveness and feasibility (xác nhận)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="certifications")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="certifications")
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung xác nhận"))
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("xác nhận của Thủ trưởng")
        verbose_name_plural = _("xác nhận của Thủ trưởng")
        ordering = ["entry", "at"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "unit"], name="certification_one_per_unit"),
        ]

    def __str__(self):
        return f"{self.entry} – {self.unit}"


class ForwardingBatch(models.Model):
    """One dispatch (công văn) of certified entries from a unit to the secretariat."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="batches")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="batches")
    channel = models.CharField(_("hình thức gửi"), max_length=20, choices=ForwardingChannel)
    dispatch_number = models.CharField(_("số công văn"), max_length=60)
    dispatch_date = models.DateField(_("ngày công văn"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("thời điểm gửi"))
    cover_letter = models.FileField(
        _("công văn (PDF)"), upload_to=screening_file_path, max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("đợt gửi bài (công văn)")
        verbose_name_plural = _("đợt gửi bài (công văn)")
        ordering = ["-forwarded_at"]

    def __str__(self):
        return f"{self.dispatch_number} – {self.unit}"


class ExplanationLetter(models.Model):
    """A unit's explanation (văn bản giải trình) for forwarding fewer entries than its quota."""

    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, related_name="explanation_letters"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="explanation_letters")
    reason = models.TextField(_("lý do"))
    document = models.FileField(
        _("văn bản giải trình"), upload_to=screening_file_path, max_length=300
    )
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("văn bản giải trình")
        verbose_name_plural = _("văn bản giải trình")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.unit} – {self.at:%d/%m/%Y}"


class SentNotice(models.Model):
    """One row per notice sent (e-mail to an entrant, quota reminder to a unit), so a task
    run twice sends once."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("thông báo đã gửi")
        verbose_name_plural = _("thông báo đã gửi")

    def __str__(self):
        return self.key
