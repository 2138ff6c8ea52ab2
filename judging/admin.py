from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contest.admin import ContestAdmin, CriterionInline
from contest.models import Contest

from .models import (
    Assignment,
    Conflict,
    JudgeProfile,
    JudgingSettings,
    KnownModel,
    Panel,
    Ranking,
    RankingRow,
    ScoreSheet,
    ScoreSheetVersion,
)
from .services.jury import rubric_is_locked


class LockedRubricCriterionInline(CriterionInline):
    """The rubric may be edited until the first score exists (judging.services.jury)."""

    def _locked(self, obj) -> bool:
        return obj is not None and obj.pk is not None and rubric_is_locked(contest=obj)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class JudgingContestAdmin(ContestAdmin):
    inlines = [
        LockedRubricCriterionInline if i is CriterionInline else i for i in ContestAdmin.inlines
    ]


if admin.site.is_registered(Contest):
    admin.site.unregister(Contest)
admin.site.register(Contest, JudgingContestAdmin)


@admin.register(JudgingSettings)
class JudgingSettingsAdmin(admin.ModelAdmin):
    list_display = ["contest", "judges_per_entry", "aggregation", "tie_break"]


@admin.register(JudgeProfile)
class JudgeProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "contest", "home_unit"]
    list_filter = ["contest"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "contest", "home_unit"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "contest"]
    filter_horizontal = ["categories", "judges"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["judge", "entry", "reason", "declared_by", "declared_at"]
    list_filter = ["contest", "reason"]
    list_select_related = ["judge", "entry", "declared_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["entry", "judge", "round", "manual", "assigned_at"]
    list_filter = ["contest", "round"]
    list_select_related = ["entry", "judge"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Scores and rankings change only through the services (locks, history, events)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    list_display = ["entry", "judge", "round", "status", "total", "version", "source"]
    list_filter = ["contest", "round", "status"]
    list_select_related = ["entry", "judge"]


@admin.register(ScoreSheetVersion)
class ScoreSheetVersionAdmin(ReadOnlyAdmin):
    list_display = ["sheet", "version", "action", "status", "total", "saved_at"]


class RankingRowInline(admin.TabularInline):
    model = RankingRow
    extra = 0
    can_delete = False
    fields = ["position", "entry", "score", "tied_with_next", "tie_decision", "disagreement"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ranking)
class RankingAdmin(ReadOnlyAdmin):
    list_display = ["contest", "kind", "status", "computed_at", "approved_at"]
    inlines = [RankingRowInline]


@admin.register(KnownModel)
class KnownModelAdmin(admin.ModelAdmin):
    list_display = ["title", "where_applied", "source", "contest"]
    list_filter = ["contest"]
    search_fields = ["title", "description"]


LockedRubricCriterionInline.verbose_name_plural = _("tiêu chí chấm (khóa khi đã có điểm)")
