"""The contest as data: next year's contest is a copy with new dates, never a code change."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import CommitteeBody, ContestPhase, JudgingMode, Role, ScoringRound, UnitType


class Contest(models.Model):
    name = models.CharField(_("tên đầy đủ"), max_length=300)
    short_name = models.CharField(_("tên ngắn"), max_length=120)
    year = models.PositiveSmallIntegerField(_("năm"))
    slug = models.SlugField(_("mã"), max_length=60, unique=True)
    phase = models.CharField(
        _("giai đoạn"), max_length=20, choices=ContestPhase, default=ContestPhase.DRAFT
    )
    province = models.CharField(_("tỉnh"), max_length=100, default="Lạng Sơn")
    plan_reference = models.CharField(
        _("căn cứ kế hoạch"),
        max_length=200,
        blank=True,
        help_text=_(
            "Văn bản ban hành kế hoạch, như được trích trong công văn: ví dụ “Kế hoạch số "
            "45/KH-UBND ngày 10/3/2025 của UBND tỉnh Lạng Sơn”."
        ),
    )
    standing_agency = models.CharField(
        _("cơ quan thường trực"), max_length=200, default="Sở Nội vụ"
    )

    # Texts shown on the landing page, taken from the plan and editable per contest.
    purpose = models.TextField(_("mục đích"), blank=True)
    eligibility = models.TextField(_("đối tượng dự thi"), blank=True)
    exclusions = models.TextField(_("đối tượng không được dự thi"), blank=True)
    entry_form = models.TextField(_("hình thức dự thi"), blank=True)
    how_to_submit = models.TextField(_("cách gửi bài"), blank=True)
    usage_rights = models.TextField(_("quyền sử dụng bài dự thi"), blank=True)

    # Every deadline is an exact instant; an action is allowed strictly before it.
    intake_opens_at = models.DateTimeField(_("bắt đầu nhận bài"))
    forwarding_deadline = models.DateTimeField(_("hạn gửi bài về Ban Tổ chức"))
    scoring_deadline = models.DateTimeField(_("hạn hoàn thành chấm thi"))
    results_deadline = models.DateTimeField(_("hạn công bố kết quả và trao giải"))

    judging_mode = models.CharField(
        _("hình thức chấm"), max_length=30, choices=JudgingMode, default=JudgingMode.WRITTEN
    )
    score_step = models.DecimalField(
        _("bước điểm"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.5"),
        help_text=_("1 = chỉ điểm nguyên; 0,5 = cho phép nửa điểm"),
    )
    group_prize_multiplier = models.DecimalField(
        _("hệ số giải tập thể"), max_digits=4, decimal_places=2, default=Decimal("1.5")
    )
    reminder_days_before_deadline = models.PositiveSmallIntegerField(
        _("nhắc trước hạn (ngày)"), default=7
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc thi")
        verbose_name_plural = _("cuộc thi")
        ordering = ["-year", "-intake_opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intake_opens_at__lt=models.F("forwarding_deadline"))
                & Q(forwarding_deadline__lt=models.F("scoring_deadline"))
                & Q(scoring_deadline__lt=models.F("results_deadline")),
                name="contest_deadlines_in_order",
                violation_error_message=_(
                    "Các mốc thời gian phải theo thứ tự: nhận bài, gửi bài, chấm thi, công bố."
                ),
            ),
            models.CheckConstraint(
                condition=Q(score_step__in=[Decimal("1"), Decimal("0.5")]),
                name="contest_score_step_whole_or_half",
            ),
            models.CheckConstraint(
                condition=Q(group_prize_multiplier__gt=0), name="contest_group_multiplier_positive"
            ),
        ]

    def __str__(self):
        return self.short_name

    def clean(self):
        super().clean()
        if self.pk is None or self.forwarding_deadline is None:
            return
        late = list(
            self.units.filter(intake_deadline__gt=self.forwarding_deadline)
            .order_by("name")
            .values_list("name", flat=True)[:5]
        )
        if late:
            raise ValidationError(
                {
                    "forwarding_deadline": _(
                        "Hạn nhận bài của các đơn vị sau muộn hơn hạn gửi bài mới: %(units)s. "
                        "Hãy sửa hạn của các đơn vị đó trước."
                    )
                    % {"units": ", ".join(late)}
                }
            )

    def prize_amount(self, individual_amount: int, *, group: bool) -> int:
        """The one place a group amount is derived from an individual amount."""
        if not group:
            return individual_amount
        exact = Decimal(individual_amount) * self.group_prize_multiplier
        return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class Category(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("ký hiệu"), max_length=3)
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("tên lĩnh vực"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["contest", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="category_code_unique"),
            models.UniqueConstraint(
                fields=["contest", "position"], name="category_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.code}) {self.title}"


class Unit(models.Model):
    """A receiving unit (đầu mối tiếp nhận). Communes sit under their district."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("mã đơn vị"), max_length=40)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    unit_type = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitType)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    intake_deadline = models.DateTimeField(
        _("hạn nhận bài của đơn vị"),
        null=True,
        blank=True,
        help_text=_("Để trống thì áp dụng hạn gửi bài của cuộc thi; không được muộn hơn hạn đó."),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang tiếp nhận"), default=True)

    class Meta:
        verbose_name = _("đầu mối tiếp nhận")
        verbose_name_plural = _("đầu mối tiếp nhận")
        ordering = ["contest", "unit_type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="unit_code_unique"),
            models.CheckConstraint(
                condition=Q(unit_type=UnitType.COMMUNE, parent__isnull=False)
                | (~Q(unit_type=UnitType.COMMUNE) & Q(parent__isnull=True)),
                name="unit_only_communes_have_parent",
                violation_error_message=_("Chỉ UBND cấp xã có đơn vị cấp trên (UBND cấp huyện)."),
            ),
        ]
        indexes = [models.Index(fields=["contest", "unit_type", "name"])]

    def __str__(self):
        if self.parent_id:
            return f"{self.name} ({self.parent.name})"
        return self.name

    def clean(self):
        """The form-level checks an admin or an import gets before the database speaks:
        a commune sits under a district of the same contest, and a unit's own intake
        deadline is never later than the contest's forwarding deadline."""
        super().clean()
        errors = {}
        if self.parent_id is not None:
            parent = self.parent
            if parent.unit_type != UnitType.DISTRICT:
                errors["parent"] = _("Đơn vị cấp trên của UBND cấp xã phải là UBND cấp huyện.")
            elif self.contest_id is not None and parent.contest_id != self.contest_id:
                errors["parent"] = _("Đơn vị cấp trên phải thuộc cùng cuộc thi.")
        if self.intake_deadline is not None and self.contest_id is not None:
            forwarding = self.contest.forwarding_deadline
            if self.intake_deadline > forwarding:
                local = timezone.localtime(forwarding)
                errors["intake_deadline"] = _(
                    "Hạn nhận bài của đơn vị không được muộn hơn hạn gửi bài về Ban Tổ chức "
                    "(trước %(time)s ngày %(date)s)."
                ) % {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}
        if errors:
            raise ValidationError(errors)


class QuotaRule(models.Model):
    """How many entries each type of unit should forward (the plan's section III.4)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="quota_rules")
    unit_type = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitType)
    minimum = models.PositiveSmallIntegerField(_("số bài tối thiểu"))
    mandatory = models.BooleanField(
        _("bắt buộc"),
        default=True,
        help_text=_(
            "Bắt buộc: đơn vị không đủ số bài phải có văn bản giải trình. "
            "Không bắt buộc: chỉ khuyến khích."
        ),
    )

    class Meta:
        verbose_name = _("chỉ tiêu số bài")
        verbose_name_plural = _("chỉ tiêu số bài")
        constraints = [
            models.UniqueConstraint(fields=["contest", "unit_type"], name="quota_rule_unique"),
        ]

    def __str__(self):
        return f"{self.get_unit_type_display()}: {self.minimum}"


class PrizeTier(models.Model):
    """One prize level; group amounts are derived from the contest's multiplier."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="prize_tiers")
    rank = models.PositiveSmallIntegerField(_("thứ hạng"))
    name = models.CharField(_("tên giải"), max_length=60)
    individual_count = models.PositiveSmallIntegerField(_("số giải cá nhân"))
    group_count = models.PositiveSmallIntegerField(_("số giải tập thể"))
    individual_amount = models.PositiveBigIntegerField(_("mức thưởng cá nhân (đồng)"))
    merit_certificate = models.BooleanField(
        _("tặng Bằng khen của Chủ tịch UBND tỉnh"), default=False
    )

    class Meta:
        verbose_name = _("giải thưởng")
        verbose_name_plural = _("cơ cấu giải thưởng")
        ordering = ["contest", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "rank"], name="prize_tier_rank_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def group_amount(self) -> int:
        return self.contest.prize_amount(self.individual_amount, group=True)

    @property
    def subtotal(self) -> int:
        return self.individual_count * self.individual_amount + self.group_count * self.group_amount


class Criterion(models.Model):
    """One line of the judging rubric (quy chế chấm thi, thang điểm, tiêu chí)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    round = models.CharField(
        _("vòng"), max_length=20, choices=ScoringRound, default=ScoringRound.WRITTEN
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("tiêu chí"), max_length=200)
    description = models.TextField(_("hướng dẫn chấm"), blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    weight = models.DecimalField(_("trọng số"), max_digits=4, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("tiêu chí chấm")
        verbose_name_plural = _("tiêu chí chấm")
        ordering = ["contest", "round", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "round", "position"], name="criterion_position_unique"
            ),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.title


class RoleAssignment(models.Model):
    """A role a user holds in a contest, scoped to a unit for unit staff and unit heads."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "contest", "role", "unit"],
                condition=Q(unit__isnull=False),
                name="role_assignment_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "contest", "role"],
                condition=Q(unit__isnull=True),
                name="role_assignment_contest_unique",
            ),
            models.CheckConstraint(
                condition=(Q(role__in=["unit_staff", "unit_head"]) & Q(unit__isnull=False))
                | (~Q(role__in=["unit_staff", "unit_head"]) & Q(unit__isnull=True)),
                name="role_assignment_unit_scope",
                violation_error_message=_(
                    "Cán bộ đầu mối và Thủ trưởng phải gắn với một đơn vị; các vai trò khác thì "
                    "không."
                ),
            ),
        ]

    def __str__(self):
        scope = f" – {self.unit.name}" if self.unit_id else ""
        return f"{self.user} – {self.get_role_display()}{scope}"


class CommitteeMember(models.Model):
    """A member of the organizing committee, jury or support team: may not enter."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="committee_members")
    body = models.CharField(_("thuộc"), max_length=20, choices=CommitteeBody)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    position = models.CharField(_("chức vụ, đơn vị"), max_length=300, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_memberships",
    )

    class Meta:
        verbose_name = _("thành viên Ban Tổ chức, Ban Giám khảo, Tổ giúp việc")
        verbose_name_plural = _("thành viên Ban Tổ chức, Ban Giám khảo, Tổ giúp việc")
        ordering = ["contest", "body", "full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.get_body_display()})"


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise EventLogIsAppendOnly("Event rows are never edited")

    def delete(self):
        raise EventLogIsAppendOnly("Event rows are never deleted")


class Event(models.Model):
    """One recorded transition of any object: who, when, from, to, why. Append-only."""

    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    action = models.CharField(_("hành động"), max_length=60)
    from_state = models.CharField(_("từ trạng thái"), max_length=40, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=40, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    data = models.JSONField(_("dữ liệu kèm theo"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise EventLogIsAppendOnly("Event rows are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise EventLogIsAppendOnly("Event rows are never deleted")


class EventLogIsAppendOnly(Exception):
    pass


class OutboxTask(models.Model):
    """A background job written in the same transaction as the change that asks for it, so
    that a broker outage loses nothing: contest/outbox.py sends it once the transaction
    commits, and the flush task sends whatever is still pending when the broker is back."""

    task = models.CharField(_("tác vụ"), max_length=200)
    kwargs = models.JSONField(_("tham số"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("tác vụ chờ gửi")
        verbose_name_plural = _("tác vụ chờ gửi")
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_pending"
            ),
        ]

    def __str__(self):
        return f"{self.task} {self.kwargs}"
