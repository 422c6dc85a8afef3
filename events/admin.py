"""Admin for event categories (with time limits), handling units, the working calendar, and events (read-only).

Tenant admins see and edit only their own tenant (grids.admin_scope); the working calendar is the whole
platform's, so tenant admins read it and only platform admins edit it.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from grids.admin_scope import (
    ReadOnlyAdminMixin,
    SharedReferenceAdminMixin,
    TenantScopedAdminMixin,
    is_platform_admin,
)
from grids.models import User

from .models import (
    CalendarDay,
    Category,
    Event,
    EventLog,
    EventPhoto,
    ExtensionRequest,
    HandlingUnit,
    PauseRequest,
)


class CategoryAdminForm(forms.ModelForm):
    """Two levels only, inside one tenant: a subcategory's main category is a main category of the same tenant."""

    class Meta:
        model = Category
        fields = [
            "tenant", "parent", "name", "sort_order", "is_active",
            "accept_limit", "accept_time_unit", "handle_limit", "handle_time_unit", "verify_limit", "verify_time_unit",
        ]

    def clean(self):
        data = super().clean()
        parent, tenant = data.get("parent"), data.get("tenant")
        if parent is not None:
            if parent.parent_id is not None:
                self.add_error("parent", _t("Only two levels: choose a main category."))
            if tenant is not None and parent.tenant_id != tenant.pk:
                self.add_error("parent", _t("The main category belongs to another district."))
            if self.instance.pk and parent.pk == self.instance.pk:
                self.add_error("parent", _t("A category cannot be its own main category."))
        return data


class SubcategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 0
    fields = [
        "name", "sort_order", "is_active",
        "accept_limit", "accept_time_unit", "handle_limit", "handle_time_unit", "verify_limit", "verify_time_unit",
    ]


@admin.register(Category)
class CategoryAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = [
        "__str__", "tenant", "sort_order", "is_active",
        "accept_limit", "accept_time_unit", "handle_limit", "handle_time_unit", "verify_limit", "verify_time_unit",
    ]
    list_filter = ["tenant", "is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "parent__name"]
    list_select_related = ["parent", "tenant"]
    inlines = [SubcategoryInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent" and field is not None:
            field.queryset = field.queryset.filter(parent__isnull=True)
            if not is_platform_admin(request):
                field.queryset = field.queryset.filter(tenant_id=request.user.tenant_id)
        return field

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance.tenant_id = form.instance.tenant_id
        super().save_formset(request, form, formset, change)

    def has_delete_permission(self, request, obj=None):
        return False  # events point at categories: deactivate instead


@admin.register(HandlingUnit)
class HandlingUnitAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "tenant", "node", "phone", "is_active"]
    list_filter = ["tenant", "kind", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["node"]
    list_select_related = ["tenant", "node"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members" and not is_platform_admin(request):
            kwargs["queryset"] = User.objects.filter(tenant_id=request.user.tenant_id, is_superuser=False)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        strangers = form.instance.members.exclude(tenant_id=form.instance.tenant_id)
        if strangers.exists():
            form.instance.members.remove(*strangers)


@admin.register(CalendarDay)
class CalendarDayAdmin(SharedReferenceAdminMixin, admin.ModelAdmin):
    """The platform's working calendar: one for every tenant (the State Council's schedule is national), so tenant
    admins may read it and only platform admins edit it or load a year's schedule (events.calendar_admin)."""

    list_display = ["date", "weekday", "is_workday", "note"]
    list_editable = ["is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]
    list_per_page = 62
    change_list_template = "admin/events/calendarday/change_list.html"

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return obj.date.strftime("%a")

    def get_urls(self):
        from django.urls import path

        from .calendar_admin import load_schedule_view

        view = self.admin_site.admin_view(lambda request: load_schedule_view(self, request))
        return [path("load/", view, name="events_calendarday_load"), *super().get_urls()]

    def get_list_display_links(self, request, list_display):
        return ["date"] if is_platform_admin(request) else None


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class EventLogInline(ReadOnlyInline):
    model = EventLog
    fields = ["created_at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields


class EventPhotoInline(ReadOnlyInline):
    model = EventPhoto
    fields = ["kind", "image", "uploaded_by", "created_at"]
    readonly_fields = fields


class ExtensionRequestInline(ReadOnlyInline):
    model = ExtensionRequest
    fields = ["created_at", "requested_by", "amount", "time_unit", "reason", "status", "decided_by", "decided_at"]
    readonly_fields = fields


class PauseRequestInline(ReadOnlyInline):
    model = PauseRequest
    fields = ["created_at", "requested_by", "reason", "status", "decided_by", "decided_at"]
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    """Read-only: events change only through their workflow services."""

    list_display = ["reference", "title", "status", "category", "node", "due_at", "is_overdue", "created_at"]
    list_filter = ["tenant", "status", "is_overdue", "source", "urgency"]
    search_fields = ["reference", "title"]
    date_hierarchy = "created_at"
    list_select_related = ["category", "category__parent", "node"]
    inlines = [EventLogInline, EventPhotoInline, ExtensionRequestInline, PauseRequestInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
