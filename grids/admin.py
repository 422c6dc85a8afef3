"""Django admin for tenants, the tree, posts and assignments; every write goes through grids.services."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from yaohai.core.xlsx import xlsx_response

from . import services, tree_io
from .admin_scope import (
    ReadOnlyAdminMixin,
    TenantScopedAdminMixin,
    is_platform_admin,
    is_tenant_admin,
    restrict_to_platform_admins,
)
from .forms import GridNodeAdminForm, PostAdminForm
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
    change_list_template = "admin/grids/gridnode/change_list.html"

    def has_delete_permission(self, request, obj=None):
        return False  # nodes are archived, never deleted: records keep pointing at them

    # -- the whole tree as .xlsx: export, and import with a preview (grids.tree_io) --------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("tree-export/", wrap(self.tree_export_view), name="{}_{}_tree_export".format(*info)),
            path("tree-import/", wrap(self.tree_import_view), name="{}_{}_tree_import".format(*info)),
            path(
                "tree-import/<str:token>/",
                wrap(self.tree_import_preview_view),
                name="{}_{}_tree_import_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def _tree_tenants(self, request):
        """The tenants whose tree this user may export or import: all for a superuser, else their own."""
        tenants = Tenant.objects.filter(is_active=True)
        if is_platform_admin(request):
            return tenants
        return tenants.filter(pk=request.user.tenant_id) if is_tenant_admin(request) else tenants.none()

    def _tree_context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}

    def _check_import_rights(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def tree_export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        tenants = self._tree_tenants(request)
        wanted = request.GET.get("tenant") or request.GET.get("tenant__id__exact")
        if wanted or tenants.count() == 1:
            tenant = tenants.filter(pk=wanted).first() if str(wanted or "").isdigit() else None
            if not wanted:
                tenant = tenants.first()
            if tenant is None:
                raise PermissionDenied
            return xlsx_response(tree_io.export_filename(tenant), tree_io.export_tree(tenant))
        return TemplateResponse(
            request,
            "admin/grids/gridnode/tree_export.html",
            self._tree_context(request, gettext("Export a grid tree"), tenants=tenants),
        )

    def tree_import_view(self, request):
        self._check_import_rights(request)
        form = tree_io.TreeUploadForm(
            request.POST or None, request.FILES or None, tenants=self._tree_tenants(request)
        )
        if request.method == "POST" and form.is_valid():
            token = tree_io.stash_upload(
                request, form.cleaned_data["tenant"], form.content, form.cleaned_data["file"].name
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_tree_import_preview", token=token)
        return TemplateResponse(
            request,
            "admin/grids/gridnode/tree_import.html",
            self._tree_context(request, gettext("Import a grid tree"), form=form),
        )

    def tree_import_preview_view(self, request, token):
        self._check_import_rights(request)
        prefix = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        stashed = tree_io.load_upload(request, token)
        if stashed is None:
            self.message_user(request, gettext("This upload has expired; upload the file again."), messages.WARNING)
            return redirect(f"{prefix}_tree_import")
        entry, content = stashed
        tenant = self._tree_tenants(request).filter(pk=entry["tenant"]).first()
        if tenant is None:
            raise PermissionDenied
        if request.method == "POST" and "cancel" in request.POST:
            tree_io.drop_upload(request, token)
            return redirect(f"{prefix}_changelist")
        rows, parse_errors = tree_io.parse_tree_workbook(content)
        file_errors = [e for e in parse_errors if e.row is None]
        plan = tree_io.ImportPlan()
        if request.method == "POST" and "confirm" in request.POST and not file_errors:
            try:
                plan = tree_io.apply(tenant, rows, actor=request.user)
            except tree_io.TreeImportError as exc:
                plan = tree_io.ImportPlan(errors=exc.errors)
            else:
                tree_io.drop_upload(request, token)
                self.message_user(
                    request,
                    gettext("Imported into %(tenant)s: %(created)s created, %(updated)s updated.")
                    % {"tenant": tenant.name, "created": plan.created, "updated": plan.updated},
                    messages.SUCCESS,
                )
                return redirect(reverse(f"{prefix}_changelist") + f"?tenant__id__exact={tenant.pk}")
        elif not file_errors:
            plan = tree_io.preview(tenant, rows, actor=request.user)
        return TemplateResponse(
            request,
            "admin/grids/gridnode/tree_import_preview.html",
            self._tree_context(
                request,
                gettext("Import preview: %(tenant)s") % {"tenant": tenant.name},
                tenant=tenant,
                filename=entry["filename"],
                plan=plan,
                file_errors=file_errors,
                errors=sorted(plan.errors, key=lambda e: (e.row or 0)),
                can_confirm=not file_errors and plan.ok and bool(rows),
                row_count=len(rows),
            ),
        )

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
    form = PostAdminForm
    list_display = ["name", "code", "tier", "tenant", "sort_order", "is_active"]
    list_filter = ["tenant", "tier", "is_active"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        # A refusal (ValidationError) rolls the page's transaction back, log entry included (admin_scope).
        services.save_post(
            tenant=obj.tenant, code=obj.code, name=obj.name, tier=obj.tier, duties=obj.duties,
            rights=obj.rights or [], required_on=obj.required_on or [], sort_order=obj.sort_order,
            actor=request.user,
        )


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
        if change:  # the duties and the end date are what may change (the rest is read-only)
            services.update_assignment(
                assignment=obj, duties=obj.duties, end_date=obj.end_date, actor=request.user
            )
            return
        assignment = services.assign(
            user=obj.user, post=obj.post, node=obj.node, start_date=obj.start_date, end_date=obj.end_date,
            duties=obj.duties, actor=request.user,
        )
        obj.pk = assignment.pk


@admin.register(User)
class UserAdmin(TenantScopedAdminMixin, BaseUserAdmin):  # people have no history model: Django's change log
    list_display = ["username", "display_name", "tenant", "is_tenant_admin", "is_active", "last_login"]
    list_filter = ["tenant", "is_tenant_admin", "is_staff", "is_active"]
    search_fields = ["username", "display_name", "phone"]
    actions = ["revoke_api_tokens"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Platform"), {"fields": ("tenant", "display_name", "phone", "is_tenant_admin", "admin_role")}),
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

    @admin.action(description=_("Revoke the API tokens of the selected users"))
    def revoke_api_tokens(self, request, queryset):
        from .accounts.services import revoke_tokens

        count = sum(revoke_tokens(user=user) for user in queryset)
        self.message_user(request, gettext("%(n)d API token(s) revoked.") % {"n": count})


class HistoryLogAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    """Read-only: who changed what, when — the audit trail of the tree, posts and assignments."""

    list_display = ["when", "who", "change", "record", "reason"]
    list_filter = ["history_type"]
    date_hierarchy = "history_date"
    list_select_related = ["history_user"]

    @admin.display(description=pgettext_lazy("history", "when"), ordering="history_date")
    def when(self, obj):
        return timezone.localtime(obj.history_date).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=pgettext_lazy("history", "changed by"))
    def who(self, obj):
        return obj.history_user or ""

    @admin.display(description=pgettext_lazy("history", "change"))
    def change(self, obj):
        return obj.get_history_type_display()

    @admin.display(description=pgettext_lazy("history", "record"))
    def record(self, obj):
        return str(obj.history_object)

    @admin.display(description=pgettext_lazy("history", "reason"))
    def reason(self, obj):
        return obj.history_change_reason or ""


for _model in (GridNode, Post, Assignment):
    admin.site.register(_model.history.model, HistoryLogAdmin)


def _other_apps_models():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import TokenProxy

    return [Group, TokenProxy, AccessAttempt, AccessLog, AccessFailureLog]


# Groups, API tokens and sign-in records are not a tenant's: platform admins only.
restrict_to_platform_admins(admin.site, _other_apps_models())
