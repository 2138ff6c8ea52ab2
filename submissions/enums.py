from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    GROUP = "group", _("Nhóm tác giả")


class EntryForm(models.TextChoices):
    WRITTEN = "written", _("Bài viết")
    VIDEO = "video", _("Video")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã gửi, chờ sơ loại")
    WITHDRAWN = "withdrawn", _("Tác giả đã rút bài")
    SCREENING = "screening", _("Đang sơ loại")
    REJECTED = "rejected", _("Không được chọn tại đơn vị")
    SELECTED = "selected", _("Được chọn, chờ Thủ trưởng xác nhận")
    CERTIFIED = "certified", _("Đã được Thủ trưởng xác nhận")
    PASSED_UP = "passed_up", _("Đã chuyển lên UBND cấp huyện")
    FORWARDED = "forwarded", _("Đã gửi về Ban Tổ chức")
    ACCEPTED = "accepted", _("Hợp lệ, vào vòng chấm")
    INELIGIBLE = "ineligible", _("Không hợp lệ")


# Named groups of states, so views and templates never list states themselves.
EDITABLE_BY_ENTRANT = frozenset({EntryStatus.DRAFT, EntryStatus.SUBMITTED})
AT_UNIT = frozenset(
    {
        EntryStatus.SUBMITTED,
        EntryStatus.SCREENING,
        EntryStatus.SELECTED,
        EntryStatus.CERTIFIED,
        EntryStatus.PASSED_UP,
    }
)
ACTIVE = frozenset(
    set(EntryStatus)
    - {EntryStatus.DRAFT, EntryStatus.WITHDRAWN, EntryStatus.REJECTED, EntryStatus.INELIGIBLE}
)
JUDGEABLE = frozenset({EntryStatus.ACCEPTED})
FINAL_AT_UNIT = frozenset({EntryStatus.FORWARDED, EntryStatus.ACCEPTED, EntryStatus.INELIGIBLE})


class FilePurpose(models.TextChoices):
    MAIN = "main", _("Tài liệu chính (bài viết)")
    CONTENT_TEXT = "content_text", _("Bản viết nội dung (cho video, hình ảnh, phần mềm)")
    ATTACHMENT = "attachment", _("Tài liệu kèm theo (hình ảnh, video, phần mềm)")
    REVISION = "revision", _("Văn bản giải trình chỉnh sửa")
    SCAN = "scan", _("Bản quét bài nộp giấy")
