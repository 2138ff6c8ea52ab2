"""Judging. Ranking and RankingRow are the contract with awards/: an approved Ranking per
contest and kind (individual, group) is what prizes are allocated from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contest.models import Contest
from submissions.enums import EntryKind
from submissions.models import Entry

from .enums import RankingStatus


class Ranking(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="rankings")
    kind = models.CharField(_("loại"), max_length=20, choices=EntryKind)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=RankingStatus, default=RankingStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("thời điểm tính"))
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bảng xếp hạng")
        verbose_name_plural = _("bảng xếp hạng")
        constraints = [
            models.UniqueConstraint(fields=["contest", "kind"], name="ranking_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.contest} – {self.get_kind_display()}"


class RankingRow(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="rows")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="ranking_rows")
    position = models.PositiveIntegerField(_("thứ hạng"))
    score = models.DecimalField(_("điểm"), max_digits=8, decimal_places=3)
    # An unresolved tie: the organizing committee's recorded decision settles it.
    tied_with_next = models.BooleanField(_("bằng điểm chưa phân định"), default=False)
    tie_decision = models.TextField(_("quyết định phân định của Ban Tổ chức"), blank=True)

    class Meta:
        verbose_name = _("dòng xếp hạng")
        verbose_name_plural = _("dòng xếp hạng")
        ordering = ["ranking", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "entry"], name="ranking_row_entry_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.entry}"
