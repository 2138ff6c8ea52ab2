from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardSetStatus(models.TextChoices):
    DRAFT = "draft", _("Dự kiến, chờ phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")
    PUBLISHED = "published", _("Đã công bố")


class GroupCertificateMode(models.TextChoices):
    ONE_PER_GROUP = "per_group", _("Một Bằng khen cho cả nhóm, ghi tên các thành viên")
    ONE_PER_MEMBER = "per_member", _("Mỗi thành viên một Bằng khen")


class CertificateKind(models.TextChoices):
    MERIT = "merit", _("Bằng khen của Chủ tịch UBND tỉnh")
    COMMITTEE = "committee", _("Giấy chứng nhận của Ban Tổ chức")


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ in")
    RENDERED = "rendered", _("Đã tạo tệp")
    FAILED = "failed", _("Lỗi khi tạo tệp")


class BlankField(models.TextChoices):
    """The variable fields overprinted on a pre-printed blank (phôi)."""

    RECIPIENT = "recipient", _("Người, tập thể được tặng")
    POSITION = "position", _("Chức vụ, đơn vị")
    ACHIEVEMENT = "achievement", _("Thành tích")
    DECISION = "decision", _("Quyết định số, ngày")
    GOLD_BOOK = "gold_book", _("Số sổ vàng")
    PLACE_DATE = "place_date", _("Địa danh, ngày tháng")
    SIGNER_TITLE = "signer_title", _("Chức vụ người ký")
    SIGNER_NAME = "signer_name", _("Họ tên người ký")
    NUMBER = "number", _("Số hiệu, mã xác minh")
