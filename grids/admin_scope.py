"""Admin pages scoped like every other interface: a tenant admin sees and edits only their own tenant."""

from grids.models import GridNode, Post, Tenant, User


def is_platform_admin(request) -> bool:
    return request.user.is_active and request.user.is_superuser


def is_tenant_admin(request) -> bool:
    return request.user.is_active and request.user.is_staff and request.user.is_tenant_admin


class TenantScopedAdminMixin:
    """Superusers see everything; tenant admins see their tenant through `visible_to`; others nothing.

    Foreign-key choices are scoped the same way, so a tenant admin can neither see nor pick another
    tenant's nodes, posts or people, and a change page outside the tenant is a 404.
    """

    def has_module_permission(self, request):
        return is_platform_admin(request) or is_tenant_admin(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_platform_admin(request):
            return queryset
        if not is_tenant_admin(request):
            return queryset.none()
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        if queryset.model is Tenant:
            return queryset.filter(pk=request.user.tenant_id)
        if queryset.model is User:
            return queryset.filter(tenant_id=request.user.tenant_id, is_superuser=False)
        return queryset.filter(tenant_id=request.user.tenant_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not is_platform_admin(request):
            model = db_field.related_model
            tenant_id = request.user.tenant_id
            if model is GridNode:
                field.queryset = field.queryset.filter(tenant_id=tenant_id)
            elif model in (Post,):
                field.queryset = field.queryset.filter(tenant_id=tenant_id)
            elif model is User:
                field.queryset = field.queryset.filter(tenant_id=tenant_id, is_superuser=False)
            elif model is Tenant:
                field.queryset = field.queryset.filter(pk=tenant_id)
        return field

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if is_platform_admin(request):
            return filters
        return [f for f in filters if f != "tenant"]  # the tenant filter would list every tenant's name


class ReadOnlyAdminMixin:
    """For records that change only through their services or are history: list and view, never edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
