from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    Category,
    CommitteeMember,
    Contest,
    Criterion,
    Event,
    PrizeTier,
    QuotaRule,
    RoleAssignment,
    Unit,
)
from .selectors import prize_table
from .services import contest_copy_to_year, unit_set_intake_deadline


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


class QuotaRuleInline(admin.TabularInline):
    model = QuotaRule
    extra = 0


class PrizeTierInline(admin.TabularInline):
    model = PrizeTier
    extra = 0
    readonly_fields = ["group_amount_display"]

    @admin.display(description=_("mức thưởng tập thể (đồng)"))
    def group_amount_display(self, obj):
        return f"{obj.group_amount:,}".replace(",", ".") if obj.pk else "—"


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["short_name", "year", "phase", "forwarding_deadline", "prize_fund"]
    list_filter = ["phase", "year"]
    search_fields = ["name", "short_name", "slug"]
    inlines = [CategoryInline, QuotaRuleInline, PrizeTierInline, CriterionInline]
    actions = ["copy_to_next_year"]
    readonly_fields = ["prize_fund"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "short_name",
                    "year",
                    "slug",
                    "phase",
                    "province",
                    "plan_reference",
                    "standing_agency",
                ]
            },
        ),
        (
            _("Nội dung công bố"),
            {
                "fields": [
                    "purpose",
                    "eligibility",
                    "exclusions",
                    "entry_form",
                    "how_to_submit",
                    "usage_rights",
                ]
            },
        ),
        (
            _("Thời hạn"),
            {
                "fields": [
                    "intake_opens_at",
                    "forwarding_deadline",
                    "scoring_deadline",
                    "results_deadline",
                    "reminder_days_before_deadline",
                ]
            },
        ),
        (
            _("Chấm thi và giải thưởng"),
            {"fields": ["judging_mode", "score_step", "group_prize_multiplier", "prize_fund"]},
        ),
    ]

    @admin.display(description=_("tổng kinh phí giải thưởng (đồng)"))
    def prize_fund(self, obj):
        if not obj.pk:
            return "—"
        return f"{prize_table(contest=obj).total:,}".replace(",", ".")

    @admin.action(description=_("Sao chép cấu hình sang năm sau (không gồm bài dự thi)"))
    def copy_to_next_year(self, request, queryset):
        for contest in queryset:
            contest_copy_to_year(contest=contest, year=contest.year + 1, actor=request.user)
        self.message_user(
            request,
            ngettext("Đã sao chép %d cuộc thi.", "Đã sao chép %d cuộc thi.", queryset.count())
            % queryset.count(),
            messages.SUCCESS,
        )


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit_type", "parent", "contest", "is_active"]
    list_filter = ["contest", "unit_type", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["parent", "contest"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        """Unit.clean (run by the form) refuses a deadline later than the contest's; a
        changed deadline is then set through the service, which records it."""
        if not (change and "intake_deadline" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        deadline = obj.intake_deadline
        obj.intake_deadline = form.initial.get("intake_deadline")
        super().save_model(request, obj, form, change)
        unit_set_intake_deadline(unit=obj, deadline=deadline, actor=request.user)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "contest"]
    list_filter = ["contest", "role"]
    search_fields = ["user__email", "user__full_name", "unit__name"]
    list_select_related = ["user", "unit", "contest"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["user"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "body", "position", "email", "phone", "contest"]
    list_filter = ["contest", "body"]
    search_fields = ["full_name", "email", "phone"]
    raw_id_fields = ["user"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the event log is never edited or deleted by the application."""

    list_display = ["at", "action", "from_state", "to_state", "actor", "content_type", "object_id"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
