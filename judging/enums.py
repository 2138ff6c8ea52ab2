from django.db import models
from django.utils.translation import gettext_lazy as _


class RankingStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã phê duyệt")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chấm (nháp)")
    SUBMITTED = "submitted", _("Đã nộp")


class ConflictReason(models.TextChoices):
    AUTHOR = "author", _("Là tác giả của bài")
    OWN_UNIT = "own_unit", _("Bài do đơn vị mình tiếp nhận")
    COLLEAGUE = "colleague", _("Đồng nghiệp của tác giả")
    RELATIVE = "relative", _("Người thân của tác giả")
    OTHER = "other", _("Lý do khác")


DECLARABLE_REASONS = (ConflictReason.COLLEAGUE, ConflictReason.RELATIVE, ConflictReason.OTHER)


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Trung bình cộng điểm của các giám khảo")
    TRIMMED_MEAN = "trimmed_mean", _("Trung bình sau khi bỏ điểm cao nhất và thấp nhất")
    NORMALISED = "normalised", _("Chuẩn hóa điểm theo từng giám khảo (z-score)")


class TieBreak(models.TextChoices):
    PRESENTATION_THEN_CRITERIA = (
        "presentation_then_criteria",
        _("Điểm thuyết trình, rồi lần lượt điểm từng tiêu chí theo thứ tự trong thang điểm"),
    )
    CRITERIA = "criteria", _("Lần lượt điểm từng tiêu chí theo thứ tự trong thang điểm")
    NONE = "none", _("Không tự phân định: Ban Tổ chức quyết định")


class SimilaritySource(models.TextChoices):
    ENTRY = "entry", _("Bài dự thi khác")
    KNOWN_MODEL = "known_model", _("Mô hình đã áp dụng")
