"""Admin of the residents app, scoped like every interface (grids.admin_scope).

Resident accounts, their reopen requests and the Open311 requests are read-only here: they change through
residents' services (the confirmation queue confirms and blocks, with the audit trail); the admin shows the phone
masked only. A district's settings (staff names shown to residents, anonymous Open311) and its Open311 clients are
edited here; a client's key is made by `manage.py open311_client` and shown once, stored as a hash.
"""

from django.contrib import admin

from grids.admin_scope import ReadOnlyAdminMixin, TenantScopedAdminMixin

from .models import Open311Client, Open311Request, ReopenRequest, ResidentAccount, ResidentSettings


class RecordAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    # ReadOnlyAdminMixin first: the scoped mixin grants add and change to a tenant admin.
    list_per_page = 50
    show_full_result_count = False


@admin.register(ResidentAccount)
class ResidentAccountAdmin(RecordAdmin):
    list_display = ["phone_masked", "status", "community", "household", "created_at"]
    list_filter = ["status"]
    list_select_related = ["community", "household"]
    search_fields = ["phone_masked"]
    exclude = ["phone_encrypted", "phone_index"]


@admin.register(ReopenRequest)
class ReopenRequestAdmin(RecordAdmin):
    list_display = ["id", "event", "account", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["event", "account"]


@admin.register(Open311Request)
class Open311RequestAdmin(RecordAdmin):
    list_display = ["token", "event", "client", "created_at"]
    list_select_related = ["event", "client"]
    exclude = ["contact_encrypted"]


@admin.register(ResidentSettings)
class ResidentSettingsAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["tenant", "show_staff_names", "open311_anonymous"]

    def has_delete_permission(self, request, obj=None):
        return False  # switch a choice off instead


@admin.register(Open311Client)
class Open311ClientAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "tenant", "key_prefix", "is_active", "created_at"]
    list_filter = ["is_active"]
    fields = ["name", "is_active"]

    def has_add_permission(self, request):
        return False  # a key is made by the command, which shows it once

    def has_delete_permission(self, request, obj=None):
        return False  # its requests keep pointing at it; switch it off with `active`
