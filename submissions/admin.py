"""Read-mostly admin for entries: status changes go through the workflow, never the admin."""

from django.contrib import admin

from .models import Author, Entry, EntryFile


class AuthorInline(admin.TabularInline):
    model = Author
    extra = 0
    fields = [
        "position",
        "full_name",
        "job_title",
        "workplace",
        "address",
        "phone",
        "email",
        "is_representative",
    ]
    readonly_fields = fields
    can_delete = False


class EntryFileInline(admin.TabularInline):
    model = EntryFile
    extra = 0
    fields = ["purpose", "original_name", "size", "sha256", "content_type", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "title", "kind", "status", "unit", "holder", "submitted_at"]
    list_filter = ["contest", "status", "kind", "category"]
    list_select_related = ["unit", "holder"]
    search_fields = ["tracking_code", "title", "authors__full_name"]
    inlines = [AuthorInline, EntryFileInline]
    readonly_fields = [
        f.name
        for f in Entry._meta.get_fields()
        if f.concrete and not f.many_to_many and f.name != "id"
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
