"""Judging. Ranking and RankingRow are the contract with awards/: an approved Ranking per
contest and kind (individual, group) is what prizes are allocated from."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest.enums import ScoringRound
from contest.models import Category, Contest, Criterion, Unit
from submissions.enums import EntryKind
from submissions.models import Entry

from .enums import (
    Aggregation,
    ConflictReason,
    RankingStatus,
    SheetStatus,
    SimilaritySource,
    TieBreak,
)


class JudgingSettings(models.Model):
    """How one contest is judged. Created with defaults the first time it is needed."""

    contest = models.OneToOneField(
        Contest, on_delete=models.CASCADE, related_name="judging_settings"
    )
    judges_per_entry = models.PositiveSmallIntegerField(_("số giám khảo chấm mỗi bài"), default=3)
    whole_panel = models.BooleanField(
        _("mỗi bài do toàn bộ giám khảo của tiểu ban chấm"),
        default=False,
        help_text=_(
            "Nếu chọn, bỏ qua số giám khảo mỗi bài với các bài thuộc lĩnh vực có tiểu ban."
        ),
    )
    aggregation = models.CharField(
        _("cách tổng hợp điểm"), max_length=20, choices=Aggregation, default=Aggregation.MEAN
    )
    trim_count = models.PositiveSmallIntegerField(
        _("số điểm bỏ ở mỗi đầu (trung bình cắt)"), default=1
    )
    disagreement_stdev = models.DecimalField(
        _("ngưỡng độ lệch chuẩn giữa các giám khảo"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("10"),
    )
    disagreement_range = models.DecimalField(
        _("ngưỡng chênh lệch điểm cao nhất – thấp nhất"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("20"),
    )
    tie_break = models.CharField(
        _("quy tắc phân định bằng điểm"),
        max_length=40,
        choices=TieBreak,
        default=TieBreak.PRESENTATION_THEN_CRITERIA,
    )
    show_scores_after_submit = models.BooleanField(
        _("giám khảo xem điểm của người khác sau khi nộp phiếu"), default=False
    )
    similarity_threshold = models.DecimalField(
        _("ngưỡng tương đồng nội dung (0–1)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.45"),
    )
    shortlist_size = models.PositiveSmallIntegerField(
        _("số bài vào vòng thuyết trình (mỗi loại)"), default=6
    )
    written_share = models.PositiveSmallIntegerField(
        _("tỷ lệ điểm bài viết trong điểm chung (%)"),
        default=60,
        help_text=_("Phần còn lại là điểm thuyết trình."),
    )

    class Meta:
        verbose_name = _("cấu hình chấm thi")
        verbose_name_plural = _("cấu hình chấm thi")
        constraints = [
            models.CheckConstraint(
                condition=Q(judges_per_entry__gte=1), name="judging_settings_judges_positive"
            ),
            models.CheckConstraint(
                condition=Q(written_share__lte=100), name="judging_settings_share_percent"
            ),
            models.CheckConstraint(
                condition=Q(similarity_threshold__gt=0) & Q(similarity_threshold__lte=1),
                name="judging_settings_similarity_range",
            ),
        ]

    def __str__(self):
        return str(self.contest)


class JudgeProfile(models.Model):
    """A judge's membership of one contest's jury: where they work (for conflicts)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judge_profiles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_profiles"
    )
    home_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị công tác"),
    )

    class Meta:
        verbose_name = _("hồ sơ giám khảo")
        verbose_name_plural = _("hồ sơ giám khảo")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="judge_profile_unique"),
        ]

    def __str__(self):
        return str(self.user)


class Panel(models.Model):
    """An optional sub-panel of the jury that scores the entries of some categories."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(_("tên tiểu ban"), max_length=200)
    categories = models.ManyToManyField(Category, related_name="panels", verbose_name=_("lĩnh vực"))
    judges = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="panels", verbose_name=_("giám khảo")
    )

    class Meta:
        verbose_name = _("tiểu ban giám khảo")
        verbose_name_plural = _("tiểu ban giám khảo")
        ordering = ["contest", "name"]

    def __str__(self):
        return self.name


class Conflict(models.Model):
    """A declared conflict of interest. Authorship and own-unit conflicts are derived."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="conflicts")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_conflicts"
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="judge_conflicts")
    reason = models.CharField(_("lý do"), max_length=20, choices=ConflictReason)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xung đột lợi ích")
        verbose_name_plural = _("xung đột lợi ích")
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry"], name="conflict_unique"),
        ]

    def __str__(self):
        return f"{self.judge} – {self.entry}"


class Assignment(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_assignments"
    )
    round = models.CharField(
        _("vòng"), max_length=20, choices=ScoringRound, default=ScoringRound.WRITTEN
    )
    manual = models.BooleanField(_("phân công thủ công"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân công chấm")
        verbose_name_plural = _("phân công chấm")
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge", "round"], name="assignment_unique"),
        ]
        indexes = [models.Index(fields=["contest", "judge", "round"])]

    def __str__(self):
        return f"{self.judge} – {self.entry}"


class ScoreSheet(models.Model):
    """One judge's sheet for one entry and round. `version` grows at every save and is the
    optimistic lock: a save naming an older version is refused."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="score_sheets")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="score_sheets")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="score_sheets"
    )
    round = models.CharField(
        _("vòng"), max_length=20, choices=ScoringRound, default=ScoringRound.WRITTEN
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=SheetStatus, default=SheetStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    comment = models.TextField(_("nhận xét"), blank=True)
    total = models.DecimalField(
        _("tổng điểm có trọng số"), max_digits=8, decimal_places=3, default=Decimal("0")
    )
    source = models.CharField(_("nguồn"), max_length=20, default="web")
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiếu chấm")
        verbose_name_plural = _("phiếu chấm")
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "entry", "round"], name="score_sheet_one_per_judge_entry"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="score_sheet_total_nonneg"),
            models.CheckConstraint(
                condition=Q(status=SheetStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="score_sheet_submitted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "round", "status"]),
            # The progress board's submitted sheets, latest first (ties by id, as the list
            # orders them), one page at a time: read in index order, never sorted.
            models.Index(
                fields=["contest", "status", "-submitted_at", "-id"],
                name="sheet_submitted_order_idx",
            ),
        ]

    def __str__(self):
        return f"{self.judge} – {self.entry}"


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points_nonneg"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class ScoreSheetVersion(models.Model):
    """Every saved state of a sheet, kept for ever (append-only)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=SheetStatus)
    scores = models.JSONField(default=dict)  # criterion id (str) -> points (str)
    comment = models.TextField(blank=True)
    total = models.DecimalField(max_digits=8, decimal_places=3)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    saved_at = models.DateTimeField()
    action = models.CharField(max_length=30)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("lịch sử phiếu chấm")
        verbose_name_plural = _("lịch sử phiếu chấm")
        ordering = ["sheet", "version"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "version"], name="sheet_version_unique"),
        ]

    def __str__(self):
        return f"{self.sheet} v{self.version}"


class Reminder(models.Model):
    """One reminder e-mail to a judge; the task sends it once (sent_at)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    remaining = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lời nhắc giám khảo")
        verbose_name_plural = _("lời nhắc giám khảo")

    def __str__(self):
        return f"{self.judge} – {self.created_at:%Y-%m-%d}"


class KnownModel(models.Model):
    """A model or idea already applied (in the province or publicly elsewhere)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="known_models")
    title = models.CharField(_("tên mô hình, ý tưởng"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    where_applied = models.CharField(_("nơi áp dụng"), max_length=300, blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mô hình đã áp dụng")
        verbose_name_plural = _("mô hình đã áp dụng")
        ordering = ["contest", "title"]

    def __str__(self):
        return self.title


class SimilarityFinding(models.Model):
    """A pair found similar by the last scan: an entry and another entry or a known model."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20, choices=SimilaritySource)
    other_entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    known_model = models.ForeignKey(
        KnownModel, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.DecimalField(max_digits=4, decimal_places=3)
    passages = models.JSONField(default=list)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(source=SimilaritySource.ENTRY)
                    & Q(other_entry__isnull=False)
                    & Q(known_model__isnull=True)
                )
                | (
                    Q(source=SimilaritySource.KNOWN_MODEL)
                    & Q(other_entry__isnull=True)
                    & Q(known_model__isnull=False)
                ),
                name="similarity_one_counterpart",
            ),
        ]

    def __str__(self):
        return f"{self.entry} ~ {self.other_entry or self.known_model} ({self.score})"


class PresentationSlot(models.Model):
    """A shortlisted entry's place in the presentation round's schedule."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="presentation_slots"
    )
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="presentation_slot")
    order = models.PositiveIntegerField(_("thứ tự"))
    starts_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("thời lượng (phút)"), default=15)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lịch thuyết trình")
        verbose_name_plural = _("lịch thuyết trình")
        ordering = ["contest", "order"]

    def __str__(self):
        return f"{self.order}. {self.entry}"


class Ranking(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="rankings")
    kind = models.CharField(_("loại"), max_length=20, choices=EntryKind)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=RankingStatus, default=RankingStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("thời điểm tính"))
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    aggregation = models.CharField(
        _("cách tổng hợp điểm"), max_length=20, choices=Aggregation, default=Aggregation.MEAN
    )
    tie_break = models.CharField(
        _("quy tắc phân định"),
        max_length=40,
        choices=TieBreak,
        default=TieBreak.PRESENTATION_THEN_CRITERIA,
    )

    class Meta:
        verbose_name = _("bảng xếp hạng")
        verbose_name_plural = _("bảng xếp hạng")
        constraints = [
            models.UniqueConstraint(fields=["contest", "kind"], name="ranking_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.contest} – {self.get_kind_display()}"

    @property
    def is_frozen(self) -> bool:
        return self.status == RankingStatus.APPROVED


class RankingRow(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="rows")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="ranking_rows")
    position = models.PositiveIntegerField(_("thứ hạng"))
    score = models.DecimalField(_("điểm"), max_digits=8, decimal_places=3)
    # An unresolved tie: the organizing committee's recorded decision settles it.
    tied_with_next = models.BooleanField(_("bằng điểm chưa phân định"), default=False)
    tie_decision = models.TextField(_("quyết định phân định của Ban Tổ chức"), blank=True)
    written_score = models.DecimalField(
        _("điểm bài viết"), max_digits=8, decimal_places=3, default=Decimal("0")
    )
    presentation_score = models.DecimalField(
        _("điểm thuyết trình"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    judge_count = models.PositiveSmallIntegerField(_("số phiếu"), default=0)
    stdev = models.DecimalField(
        _("độ lệch chuẩn"), max_digits=8, decimal_places=3, default=Decimal("0")
    )
    spread = models.DecimalField(
        _("chênh lệch cao – thấp"), max_digits=8, decimal_places=3, default=Decimal("0")
    )
    disagreement = models.BooleanField(_("giám khảo chênh lệch lớn"), default=False)
    criteria_means = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("dòng xếp hạng")
        verbose_name_plural = _("dòng xếp hạng")
        ordering = ["ranking", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "entry"], name="ranking_row_entry_unique"),
        ]
        # The ranking page reads one page of rows in position order, and the first rows
        # with a large disagreement or an unsettled tie.
        indexes = [
            models.Index(fields=["ranking", "position"], name="ranking_row_position_idx"),
            models.Index(
                fields=["ranking", "position"],
                condition=Q(disagreement=True),
                name="ranking_row_flagged_idx",
            ),
            models.Index(
                fields=["ranking", "position"],
                condition=Q(tied_with_next=True),
                name="ranking_row_tied_idx",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.entry}"
