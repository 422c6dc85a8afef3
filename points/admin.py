"""Admin of the points app, scoped like every interface (grids.admin_scope) and read-only: the ledger changes only
through points.services (a correction is a reversing movement, never an edit), and so do the workflows' records."""

from django.contrib import admin

from grids.admin_scope import ReadOnlyAdminMixin, TenantScopedAdminMixin

from .models import Account, Entry, Redemption, Reward, ServiceRecord


class RecordAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False


@admin.register(Account)
class AccountAdmin(RecordAdmin):
    list_display = ["number", "name", "kind", "balance", "is_frozen", "flagged_at", "community"]
    list_filter = ["kind", "is_frozen"]
    list_select_related = ["community"]
    search_fields = ["number", "name"]


@admin.register(Entry)
class EntryAdmin(RecordAdmin):
    list_display = ["id", "account", "amount", "balance_after", "occurred_at", "movement"]
    list_select_related = ["account", "movement"]
    raw_id_fields = ["account", "movement"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(RecordAdmin):
    list_display = ["id", "person", "service_type", "served_on", "status", "points"]
    list_filter = ["status"]
    list_select_related = ["person", "service_type"]


@admin.register(Reward)
class RewardAdmin(RecordAdmin):
    list_display = ["name", "price", "stock", "valid_from", "valid_until", "is_active"]


@admin.register(Redemption)
class RedemptionAdmin(RecordAdmin):
    list_display = ["id", "reward", "account", "quantity", "points", "status"]
    list_select_related = ["reward", "account"]
