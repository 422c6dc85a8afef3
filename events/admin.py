"""Admin for event categories (with time limits), handling units, the working calendar, and events (read-only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, Category, Event, EventLog, EventPhoto, HandlingUnit


class SubcategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 0
    fields = [
        "name", "sort_order", "is_active",
        "accept_limit", "accept_unit", "handle_limit", "handle_unit", "verify_limit", "verify_unit",
    ]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "__str__", "tenant", "sort_order", "is_active",
        "accept_limit", "accept_unit", "handle_limit", "handle_unit", "verify_limit", "verify_unit",
    ]
    list_filter = ["tenant", "is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "parent__name"]
    list_select_related = ["parent", "tenant"]
    inlines = [SubcategoryInline]

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance.tenant_id = form.instance.tenant_id
        super().save_formset(request, form, formset, change)

    def has_delete_permission(self, request, obj=None):
        return False  # events point at categories: deactivate instead


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "tenant", "node", "phone", "is_active"]
    list_filter = ["tenant", "kind", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["node"]
    list_select_related = ["tenant", "node"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "is_workday", "note"]
    list_editable = ["is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]
    list_per_page = 62

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return obj.date.strftime("%a")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventLogInline(ReadOnlyInline):
    model = EventLog
    fields = ["created_at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields


class EventPhotoInline(ReadOnlyInline):
    model = EventPhoto
    fields = ["kind", "image", "uploaded_by", "created_at"]
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: events change only through their workflow services."""

    list_display = ["reference", "title", "status", "category", "node", "due_at", "is_overdue", "created_at"]
    list_filter = ["tenant", "status", "is_overdue", "source", "urgency"]
    search_fields = ["reference", "title"]
    date_hierarchy = "created_at"
    list_select_related = ["category", "category__parent", "node"]
    inlines = [EventLogInline, EventPhotoInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
