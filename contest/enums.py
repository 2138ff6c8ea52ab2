from django.db import models
from django.utils.translation import gettext_lazy as _


class ContestPhase(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    OPEN = "open", _("Đang nhận bài")
    JUDGING = "judging", _("Đang chấm thi")
    AWARDING = "awarding", _("Đang xét giải")
    PUBLISHED = "published", _("Đã công bố kết quả")
    ARCHIVED = "archived", _("Đã kết thúc")


class UnitType(models.TextChoices):
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("UBND cấp huyện")
    COMMUNE = "commune", _("UBND cấp xã")
    ORGANISATION = "organisation", _("Tổ chức chính trị - xã hội, tổ chức xã hội")
    CENTRAL = "central", _("Cơ quan Trung ương đóng trên địa bàn")


class Role(models.TextChoices):
    UNIT_STAFF = "unit_staff", _("Cán bộ đầu mối tiếp nhận")
    UNIT_HEAD = "unit_head", _("Thủ trưởng cơ quan, đơn vị")
    SECRETARIAT = "secretariat", _("Tổ Thư ký")
    JUDGE = "judge", _("Thành viên Ban Giám khảo")
    ORGANIZER = "organizer", _("Ban Tổ chức")


UNIT_ROLES = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD})


class CommitteeBody(models.TextChoices):
    ORGANIZING = "organizing", _("Ban Tổ chức")
    JURY = "jury", _("Ban Giám khảo")
    SUPPORT = "support", _("Tổ giúp việc, Tổ Thư ký")


class JudgingMode(models.TextChoices):
    WRITTEN = "written", _("Chấm bài viết")
    WRITTEN_AND_PRESENTATION = "written_presentation", _("Chấm bài viết và thi thuyết trình")


class ScoringRound(models.TextChoices):
    WRITTEN = "written", _("Chấm bài viết")
    PRESENTATION = "presentation", _("Thi thuyết trình")
