"""Prizes, certificates and the contest-level settings that print them.

Every legal reference, decision number, signer and title printed on a certificate, the
decision annex or the report is a field of AwardSettings, never a template literal: the law
changed in 2025 and will change again."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest.models import Contest, PrizeTier
from submissions.enums import EntryKind
from submissions.models import Author, Entry

from .enums import (
    AwardSetStatus,
    BlankField,
    CertificateKind,
    CertificateStatus,
    GroupCertificateMode,
)


class AwardSettings(models.Model):
    contest = models.OneToOneField(Contest, on_delete=models.CASCADE, related_name="award_settings")
    # Allocation
    minimum_score = models.DecimalField(
        _("điểm tối thiểu để đạt giải"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Để trống nếu không đặt điểm sàn."),
    )
    group_certificate_mode = models.CharField(
        _("Bằng khen cho nhóm tác giả"),
        max_length=20,
        choices=GroupCertificateMode,
        default=GroupCertificateMode.ONE_PER_GROUP,
    )
    # Page sizes (millimetres, landscape by default)
    merit_page_width_mm = models.PositiveSmallIntegerField(
        _("khổ Bằng khen: rộng (mm)"), default=420
    )
    merit_page_height_mm = models.PositiveSmallIntegerField(
        _("khổ Bằng khen: cao (mm)"), default=297
    )
    committee_page_width_mm = models.PositiveSmallIntegerField(
        _("khổ Giấy chứng nhận: rộng (mm)"), default=297
    )
    committee_page_height_mm = models.PositiveSmallIntegerField(
        _("khổ Giấy chứng nhận: cao (mm)"), default=210
    )

    # The Chairman's decision and the Bằng khen
    parent_agency = models.CharField(
        _("cơ quan chủ quản"), max_length=200, default="ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"
    )
    issuer_authority = models.CharField(
        _("thẩm quyền tặng Bằng khen"),
        max_length=200,
        default="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
    )
    place_name = models.CharField(_("địa danh"), max_length=100, default="Lạng Sơn")
    decision_number = models.CharField(
        _("số quyết định khen thưởng"),
        max_length=60,
        blank=True,
        help_text=_("Ví dụ: 1234/QĐ-UBND"),
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_signer_line1 = models.CharField(
        _("người ký: dòng 1"), max_length=100, default="KT. CHỦ TỊCH", blank=True
    )
    decision_signer_line2 = models.CharField(
        _("người ký: dòng 2"), max_length=100, default="PHÓ CHỦ TỊCH"
    )
    decision_signer_name = models.CharField(
        _("họ tên người ký Bằng khen"), max_length=200, blank=True
    )
    legal_basis = models.TextField(
        _("căn cứ pháp lý"),
        blank=True,
        default="Luật Thi đua, khen thưởng số 06/2022/QH15;\n"
        "Nghị định số 152/2025/NĐ-CP ngày 14/6/2025 của Chính phủ quy định chi tiết "
        "một số điều của Luật Thi đua, khen thưởng",
        help_text=_("Mỗi căn cứ một dòng."),
    )
    gold_book_first_number = models.PositiveIntegerField(
        _("số sổ vàng đầu tiên"),
        null=True,
        blank=True,
        help_text=_("Để trống thì in “…” để ghi tay."),
    )

    # The organizing committee's certificate (consolation prizes)
    committee_name = models.CharField(
        _("tên Ban Tổ chức"), max_length=200, default="BAN TỔ CHỨC CUỘC THI"
    )
    committee_certificate_title = models.CharField(
        _("tên giấy"), max_length=100, default="GIẤY CHỨNG NHẬN"
    )
    committee_decision_number = models.CharField(
        _("số quyết định của Ban Tổ chức"), max_length=60, blank=True
    )
    committee_decision_date = models.DateField(
        _("ngày quyết định của Ban Tổ chức"), null=True, blank=True
    )
    committee_signer_line1 = models.CharField(
        _("người ký GCN: dòng 1"), max_length=100, default="TM. BAN TỔ CHỨC", blank=True
    )
    committee_signer_line2 = models.CharField(
        _("người ký GCN: dòng 2"), max_length=100, default="TRƯỞNG BAN"
    )
    committee_signer_name = models.CharField(_("họ tên người ký GCN"), max_length=200, blank=True)

    # The report to the province (Nghị định 30/2020)
    report_number = models.CharField(
        _("số báo cáo"), max_length=60, blank=True, help_text=_("Ví dụ: 25/BC-BTC")
    )
    report_date = models.DateField(_("ngày báo cáo"), null=True, blank=True)
    report_recipient = models.CharField(
        _("kính gửi"), max_length=200, default="Ủy ban nhân dân tỉnh"
    )
    report_copies_to = models.TextField(
        _("nơi nhận"),
        default="Như trên;\nChủ tịch, các PCT UBND tỉnh;\nSở Nội vụ;\nLưu: VT.",
        help_text=_("Mỗi nơi nhận một dòng."),
    )
    report_signer_line1 = models.CharField(
        _("người ký báo cáo: dòng 1"), max_length=100, default="TM. BAN TỔ CHỨC", blank=True
    )
    report_signer_line2 = models.CharField(
        _("người ký báo cáo: dòng 2"), max_length=100, default="TRƯỞNG BAN"
    )
    report_signer_name = models.CharField(_("họ tên người ký báo cáo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("thiết lập khen thưởng")
        verbose_name_plural = _("thiết lập khen thưởng")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_score__isnull=True) | Q(minimum_score__gte=0),
                name="award_settings_minimum_score_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    merit_page_width_mm__gte=50,
                    merit_page_height_mm__gte=50,
                    committee_page_width_mm__gte=50,
                    committee_page_height_mm__gte=50,
                ),
                name="award_settings_page_size_sane",
            ),
        ]

    def __str__(self):
        return str(self.contest)

    @property
    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]

    @property
    def report_copies_lines(self) -> list[str]:
        return [line.strip() for line in self.report_copies_to.splitlines() if line.strip()]


class AwardSet(models.Model):
    """The prize proposal of one contest: computed, reviewed, approved, published."""

    contest = models.OneToOneField(Contest, on_delete=models.PROTECT, related_name="award_set")
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=AwardSetStatus, default=AwardSetStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("thời điểm tính"), null=True, blank=True)
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("thời điểm công bố"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả xét giải")
        verbose_name_plural = _("kết quả xét giải")

    def __str__(self):
        return f"{self.contest} – {self.get_status_display()}"

    @property
    def is_published(self) -> bool:
        return self.status == AwardSetStatus.PUBLISHED


class Award(models.Model):
    """One prize slot: tier × kind × slot number. entry is null when the prize is not
    awarded (fewer eligible entries than prizes, or the organizer left it empty)."""

    award_set = models.ForeignKey(AwardSet, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(_("loại"), max_length=20, choices=EntryKind)
    tier = models.ForeignKey(
        PrizeTier, on_delete=models.PROTECT, related_name="awards", verbose_name=_("giải")
    )
    slot = models.PositiveSmallIntegerField(_("thứ tự trong giải"))
    entry = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("bài dự thi"),
    )
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), default=0)
    score = models.DecimalField(_("điểm"), max_digits=8, decimal_places=3, null=True, blank=True)
    ranking_position = models.PositiveIntegerField(_("thứ hạng"), null=True, blank=True)
    tie_pending = models.BooleanField(_("bằng điểm chờ Ban Tổ chức quyết định"), default=False)
    change_reason = models.TextField(_("lý do điều chỉnh"), blank=True)

    class Meta:
        verbose_name = _("giải thưởng được trao")
        verbose_name_plural = _("giải thưởng được trao")
        ordering = ["award_set", "kind", "tier__rank", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_set", "kind", "tier", "slot"], name="award_slot_unique"
            ),
            models.UniqueConstraint(
                fields=["award_set", "entry"],
                condition=Q(entry__isnull=False),
                name="award_one_prize_per_entry",
            ),
        ]

    def __str__(self):
        return f"{self.tier.name} {self.get_kind_display()} #{self.slot}"

    @property
    def is_group(self) -> bool:
        return self.kind == EntryKind.GROUP


class TieDecision(models.Model):
    """The organizing committee's decision on a tie across a prize boundary: the order in
    which the tied entries are to be ranked, and why."""

    award_set = models.ForeignKey(AwardSet, on_delete=models.CASCADE, related_name="tie_decisions")
    kind = models.CharField(_("loại"), max_length=20, choices=EntryKind)
    # Sorted ids of the tied entries, joined with commas: identifies the tie.
    tie_key = models.CharField(max_length=500)
    ordered_entry_ids = models.JSONField(_("thứ tự do Ban Tổ chức quyết định"))
    reason = models.TextField(_("lý do, căn cứ quyết định"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"))

    class Meta:
        verbose_name = _("quyết định phân định bằng điểm")
        verbose_name_plural = _("quyết định phân định bằng điểm")
        constraints = [
            models.UniqueConstraint(
                fields=["award_set", "kind", "tie_key"], name="tie_decision_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.tie_key}"


class Certificate(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="certificates")
    kind = models.CharField(_("loại giấy"), max_length=20, choices=CertificateKind)
    # "group" for one certificate naming every member, "author:<id>" for one per person.
    recipient_key = models.CharField(max_length=40)
    author = models.ForeignKey(
        Author, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates"
    )
    number = models.CharField(_("số hiệu"), max_length=40, unique=True)
    sequence = models.PositiveIntegerField(_("số thứ tự"))
    recipient_name = models.CharField(_("người, tập thể được tặng"), max_length=500)
    members = models.TextField(_("thành viên nhóm"), blank=True)
    recipient_position = models.CharField(_("chức vụ, đơn vị"), max_length=500, blank=True)
    gold_book_number = models.CharField(_("số sổ vàng"), max_length=20, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=CertificateStatus, default=CertificateStatus.PENDING
    )
    pdf = models.FileField(_("tệp PDF"), upload_to="certificates/", max_length=300, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # When its rendering was last queued and last started: a pending certificate whose
    # rendering started long ago belongs to a worker that died (certificates_requeue_stale).
    render_queued_at = models.DateTimeField(null=True, blank=True)
    render_started_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("bằng khen, giấy chứng nhận")
        verbose_name_plural = _("bằng khen, giấy chứng nhận")
        ordering = ["award__kind", "award__tier__rank", "award__slot", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "recipient_key"], name="certificate_one_per_award_recipient"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def member_list(self) -> list[str]:
        return [m for m in self.members.splitlines() if m]


class BlankLayout(models.Model):
    """Where a variable field is printed on a pre-printed blank, in millimetres from the
    page's top-left corner, per contest and certificate kind."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="blank_layouts")
    certificate_kind = models.CharField(_("loại giấy"), max_length=20, choices=CertificateKind)
    field = models.CharField(_("trường"), max_length=20, choices=BlankField)
    x_mm = models.DecimalField(_("cách lề trái (mm)"), max_digits=6, decimal_places=1)
    y_mm = models.DecimalField(_("cách mép trên (mm)"), max_digits=6, decimal_places=1)
    width_mm = models.DecimalField(
        _("độ rộng (mm)"), max_digits=6, decimal_places=1, default=Decimal("200")
    )
    font_size_pt = models.DecimalField(
        _("cỡ chữ (pt)"), max_digits=4, decimal_places=1, default=Decimal("16")
    )
    centered = models.BooleanField(_("căn giữa trong độ rộng"), default=True)

    class Meta:
        verbose_name = _("vị trí in trên phôi")
        verbose_name_plural = _("vị trí in trên phôi")
        ordering = ["contest", "certificate_kind", "y_mm"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "certificate_kind", "field"], name="blank_layout_field_unique"
            ),
            models.CheckConstraint(
                condition=Q(x_mm__gte=0, y_mm__gte=0, width_mm__gt=0, font_size_pt__gt=0),
                name="blank_layout_positive",
            ),
        ]

    def __str__(self):
        return f"{self.get_certificate_kind_display()} – {self.get_field_display()}"


class ResultNotice(models.Model):
    """One outcome e-mail per entry: sending twice is a no-op."""

    award_set = models.ForeignKey(AwardSet, on_delete=models.CASCADE, related_name="notices")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["award_set", "entry"], name="result_notice_unique"),
        ]

    def __str__(self):
        return f"{self.entry_id} @ {self.sent_at:%Y-%m-%d %H:%M}"
