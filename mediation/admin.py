"""Admin of mediation, scoped like every interface (grids.admin_scope): the dispute catalogue, the bodies and their
rosters are edited here; cases are written through mediation.services, so the admin shows them read-only (parties'
data masked only)."""

from django.contrib import admin

from grids.admin_scope import ReadOnlyAdminMixin, TenantScopedAdminMixin, is_platform_admin

from .models import Body, Case, DisputeType, Mediator


@admin.register(DisputeType)
class DisputeTypeAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "sort_order", "is_active", "tenant"]
    list_filter = ["tenant", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # types in use are protected; switch them off with `active`


@admin.register(Body)
class BodyAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "node", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    exclude = ["tenant"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.stamp_from(obj.node)  # a body belongs to its node: tenant and ancestor stamps from it
        super().save_model(request, obj, form, change)


@admin.register(Mediator)
class MediatorAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "body", "fields", "visits", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        rows = admin.ModelAdmin.get_queryset(self, request)
        if is_platform_admin(request):
            return rows
        if not self.has_module_permission(request):
            return rows.none()
        return rows.filter(body__in=Body.objects.visible_to(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Body and not is_platform_admin(request):
            field.queryset = Body.objects.visible_to(request.user)
        return field


@admin.register(Case)
class CaseAdmin(TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "dispute_type", "status", "risk", "body", "community", "created_at"]
    list_filter = ["status", "risk", "channel"]
    search_fields = ["number"]
    list_per_page = 50
    show_full_result_count = False

    # ReadOnlyAdminMixin's answers, stated here: the scoped mixin comes first in the MRO and would allow them.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
