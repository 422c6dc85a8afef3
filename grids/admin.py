"""Django admin for tenants, the tree, posts and assignments; every write goes through grids.services."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from mptt.admin import MPTTModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .admin_scope import TenantScopedAdminMixin, is_platform_admin
from .forms import GridNodeAdminForm
from .models import Assignment, GridNode, Post, Tenant, User


@admin.register(Tenant)
class TenantAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "is_active", "created_at"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def has_add_permission(self, request):
        return is_platform_admin(request)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        tenant = services.create_tenant(name=obj.name, code=obj.code, actor=request.user)
        obj.pk = tenant.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GridNode)
class GridNodeAdmin(TenantScopedAdminMixin, SimpleHistoryAdmin, MPTTModelAdmin):
    form = GridNodeAdminForm
    list_display = ["name", "code", "kind", "subkind", "tenant", "is_archived"]
    list_filter = ["tenant", "kind", "subkind", "is_archived"]
    search_fields = ["name", "code"]
    list_select_related = ["tenant"]
    list_per_page = 100
    mptt_level_indent = 18
    actions = ["archive_nodes", "restore_nodes"]
    readonly_fields = ["kind", "is_archived", "archived_at"]
    autocomplete_fields = ["parent"]

    def has_delete_permission(self, request, obj=None):
        return False  # nodes are archived, never deleted: records keep pointing at them

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            node = services.create_node(
                parent=data["parent"],
                subkind=data["subkind"],
                name=data["name"],
                code=data["code"],
                boundary=data.get("boundary"),
                actor=request.user,
            )
            obj.pk = node.pk
            return
        moving = form.moving
        node = services.update_node(
            node=obj,
            name=data["name"],
            subkind=data["subkind"],
            code=None if moving else data["code"],
            boundary=data.get("boundary"),
            actor=request.user,
        )
        if moving:
            services.move_node(node=node, new_parent=data["parent"], actor=request.user)

    def save_related(self, request, form, formsets, change):
        pass  # no inlines; the form's many-to-many save would touch a stale instance

    @admin.action(description=_("Archive the selected nodes and their subtrees"))
    def archive_nodes(self, request, queryset):
        total = 0
        for node in queryset:
            try:
                total += services.archive_node(node=node, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{node}: {' '.join(exc.messages)}", messages.ERROR)
        self.message_user(request, ngettext("%d node archived.", "%d nodes archived.", total) % total)

    @admin.action(description=_("Restore the selected nodes"))
    def restore_nodes(self, request, queryset):
        done = 0
        for node in queryset.order_by("level"):
            try:
                services.restore_node(node=node, actor=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{node}: {' '.join(exc.messages)}", messages.ERROR)
        self.message_user(request, ngettext("%d node restored.", "%d nodes restored.", done) % done)


@admin.register(Post)
class PostAdmin(TenantScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "tier", "tenant", "sort_order", "is_active"]
    list_filter = ["tenant", "tier", "is_active"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        try:
            services.save_post(
                tenant=obj.tenant, code=obj.code, name=obj.name, tier=obj.tier, duties=obj.duties,
                actions=obj.actions or [], required_on=obj.required_on or [], sort_order=obj.sort_order,
                actor=request.user,
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)


@admin.register(Assignment)
class AssignmentAdmin(TenantScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "post", "node", "start_date", "end_date"]
    list_filter = ["tenant", "post", "node__kind"]
    search_fields = ["user__username", "user__display_name", "node__name", "node__code"]
    list_select_related = ["user", "post", "node"]
    autocomplete_fields = ["user", "node"]
    fields = ["user", "post", "node", "duties", "start_date", "end_date"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "post", "node", "start_date"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            if obj.end_date:
                services.end_assignment(assignment=obj, end_date=obj.end_date, actor=request.user)
            return
        assignment = services.assign(
            user=obj.user, post=obj.post, node=obj.node, start_date=obj.start_date, end_date=obj.end_date,
            duties=obj.duties, actor=request.user,
        )
        obj.pk = assignment.pk


@admin.register(User)
class UserAdmin(TenantScopedAdminMixin, SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "display_name", "tenant", "is_tenant_admin", "is_active", "last_login"]
    list_filter = ["tenant", "is_tenant_admin", "is_staff", "is_active"]
    search_fields = ["username", "display_name", "phone"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Platform"), {"fields": ("tenant", "display_name", "phone", "is_tenant_admin")}),
    )

    def get_readonly_fields(self, request, obj=None):
        if is_platform_admin(request):
            return []
        return ["tenant", "is_superuser", "groups", "user_permissions", "last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        if not is_platform_admin(request):
            obj.tenant_id = request.user.tenant_id  # a tenant admin only ever creates people of their tenant
            obj.is_superuser = False
        super().save_model(request, obj, form, change)


class HistoryLogAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """Read-only: who changed what, when — the audit trail of the tree, posts and assignments."""

    list_display = ["history_date", "history_user", "history_type", "__str__", "history_change_reason"]
    list_filter = ["history_type"]
    date_hierarchy = "history_date"
    list_select_related = ["history_user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model in (GridNode, Post, Assignment):
    admin.site.register(_model.history.model, HistoryLogAdmin)
