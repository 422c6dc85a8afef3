"""Django admin for export jobs: listed read-only; a superuser may delete them, files included
(exports.services.delete_jobs)."""

from django.contrib import admin

from grids.admin_scope import TenantScopedAdminMixin, is_platform_admin

from . import services as export_services
from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """Read-only: the export jobs of every user (a tenant admin: of their tenant), to see what is being built and
    why one failed. The file itself is served only to its owner (我的导出), never from here."""

    list_display = ["title", "owner", "kind", "status", "row_count", "created_at", "expires_at"]
    list_filter = ["status", "kind", "tenant"]
    search_fields = ["owner__username"]
    list_select_related = ["owner"]
    list_per_page = 100
    fields = ["title", "owner", "tenant", "kind", "parameters", "language", "status", "error", "filename", "size",
              "row_count", "created_at", "started_at", "finished_at", "expires_at"]  # not `file`: no link to it
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("parameters")

    def has_add_permission(self, request):
        return False  # jobs are asked for from the pages (exports.services.request_export)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_platform_admin(request)

    def delete_model(self, request, obj):
        export_services.delete_jobs(ExportJob.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        export_services.delete_jobs(queryset)
