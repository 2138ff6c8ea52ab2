from django.db import models
from django.utils.translation import gettext_lazy as _


class RankingStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã phê duyệt")
