"""The second factor in the admin: a security administrator sees the authenticators of their tenant's users and
resets one (a lost phone) by deleting it; the user enrols again at the next sign-in. Replaces django-otp's own
TOTP admin, which is neither scoped to a tenant nor limited to resetting."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..admin_scope import TenantScopedAdminMixin, is_platform_admin, is_tenant_admin
from . import two_factor_services

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TwoFactorDeviceAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """List and reset (delete) authenticators; never shows a secret, never adds or edits one. Scoped like every
    tenant record: a tenant admin reaches the devices of their own tenant's users (never a superuser's)."""

    tenant_lookup = "user__tenant_id"

    list_display = ["user", "user_display_name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__display_name"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    actions = ["reset_two_factors"]

    @admin.display(description=_("name"))
    def user_display_name(self, device):
        return device.user.display_name

    def _allowed(self, request) -> bool:
        return is_platform_admin(request) or is_tenant_admin(request)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)  # the tenant's users' devices (TenantScopedAdminMixin)
        return queryset if is_platform_admin(request) else queryset.filter(user__is_superuser=False)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # the reset below also removes the recovery codes
        return actions

    def delete_model(self, request, obj):
        two_factor_services.reset_two_factors(user=obj.user, actor=request.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            two_factor_services.reset_two_factors(user=device.user, actor=request.user)

    @admin.action(description=_("Reset the second factor of the selected users"), permissions=["delete"])
    def reset_two_factors(self, request, queryset):
        users = {device.user for device in queryset.select_related("user")}
        for user in users:
            two_factor_services.reset_two_factors(user=user, actor=request.user)
        count = len(users)
        self.message_user(
            request,
            ngettext("The second factor of %(n)d user was reset.", "The second factor of %(n)d users were reset.", count)
            % {"n": count},
        )
        return None

