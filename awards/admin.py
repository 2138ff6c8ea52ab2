from django.contrib import admin

from .models import Award, AwardSet, AwardSettings, BlankLayout, Certificate, TieDecision


@admin.register(AwardSettings)
class AwardSettingsAdmin(admin.ModelAdmin):
    list_display = ["contest", "decision_number", "decision_signer_name"]


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0
    can_delete = False
    fields = ["kind", "tier", "slot", "entry", "amount", "score", "tie_pending", "change_reason"]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AwardSet)
class AwardSetAdmin(admin.ModelAdmin):
    """Read-only here: compute, approve and publish through the organizer pages, which
    record events."""

    list_display = ["contest", "status", "computed_at", "approved_at", "published_at"]
    readonly_fields = [
        "contest",
        "status",
        "computed_at",
        "approved_at",
        "approved_by",
        "published_at",
    ]
    inlines = [AwardInline]

    def has_add_permission(self, request):
        return False


@admin.register(TieDecision)
class TieDecisionAdmin(admin.ModelAdmin):
    list_display = ["award_set", "kind", "tie_key", "decided_by", "decided_at"]
    readonly_fields = [
        "award_set",
        "kind",
        "tie_key",
        "ordered_entry_ids",
        "reason",
        "decided_by",
        "decided_at",
    ]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "recipient_name", "status", "rendered_at"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "recipient_name"]
    readonly_fields = [
        "award",
        "kind",
        "recipient_key",
        "number",
        "sequence",
        "pdf",
        "rendered_at",
        "error",
        "status",
    ]


@admin.register(BlankLayout)
class BlankLayoutAdmin(admin.ModelAdmin):
    list_display = [
        "contest",
        "certificate_kind",
        "field",
        "x_mm",
        "y_mm",
        "width_mm",
        "font_size_pt",
    ]
    list_filter = ["certificate_kind"]
