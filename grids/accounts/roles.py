"""三员分立 in the Django admin: the system, security and audit administrators, none holding another's rights.

Every model of the admin belongs to one area:

- "security": accounts, posts and their rights, assignments, second-factor devices, API tokens, lockouts;
- "audit": the audit trail (read at /audit/ by the audit administrator; no administrator role has it in the admin);
- "system": everything else — tenants and their settings, the grid tree, categories, handling units, the working
  calendar, assessment schemes, export jobs.

A user with `admin_role` "system" or "security" administers only that area; the audit administrator is not staff
(a database constraint) and never enters the admin. A tenant admin with no role keeps the system and security
areas (the behaviour before the roles existed), never the audit area; superusers are the platform operator and
keep everything. The tenant's security policy
fields (password lifetime, officers' second factor) are the security administrator's: the system administrator
sees them read-only, and the security administrator may change only them on the tenant's page.

The site wraps every ModelAdmin registered on it with `RoleGuardMixin`, whichever app registers it, so no admin
class can forget the check; the site also refuses its pages to a user who needs a second factor and has not
given it (the middleware sends such a user to the code page first; this is the second lock).
"""

from __future__ import annotations

from django.contrib import admin

from ..choices import AdminRole

SYSTEM, SECURITY, AUDIT = AdminRole.SYSTEM.value, AdminRole.SECURITY.value, AdminRole.AUDIT.value

SECURITY_MODELS = frozenset(
    {
        "grids.user",
        "grids.historicaluser",
        "grids.post",
        "grids.historicalpost",
        "grids.assignment",
        "grids.historicalassignment",
        "grids.passwordhistory",
        "grids.recoverycodedevice",
        "grids.recoverycode",
        "otp_totp.totpdevice",
        "authtoken.token",
        "authtoken.tokenproxy",
        "auth.group",
        "auth.permission",
        "axes.accessattempt",
        "axes.accesslog",
        "axes.accessfailurelog",
    }
)
SECURITY_APPS = frozenset({"guardian", "otp_totp", "otp_static", "axes", "authtoken"})
AUDIT_APPS = frozenset({"audit"})
# Fields of the tenant that are security policy: the security administrator's, not the system administrator's.
TENANT_POLICY_FIELDS = ("password_max_age_days", "officers_need_two_factors")


def area_of(model) -> str:
    """The administrator area a model belongs to: "system", "security" or "audit"."""
    opts = model._meta
    if opts.app_label in AUDIT_APPS:
        return AUDIT
    if opts.label_lower in SECURITY_MODELS or opts.app_label in SECURITY_APPS:
        return SECURITY
    return SYSTEM


def role_of(user) -> str | None:
    """The administrator role that limits this user in the admin; None: no limit (superuser, or a tenant admin
    without a role, as before the roles)."""
    if user.is_superuser:
        return None
    role = getattr(user, "admin_role", "") or ""
    return role or None


def _is_tenant(model) -> bool:
    return model._meta.label_lower == "grids.tenant"


def may_administer(user, model, action: str = "view") -> bool:
    """May this user's administrator role do `action` (view, add, change, delete) on `model` in the admin?
    The ModelAdmin's own checks (tenant scope, staff) still apply on top."""
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    if area_of(model) == AUDIT:
        return False  # the trail is the audit administrator's, read at /audit/: no tenant admin edits it here
    role = role_of(user)
    if role is None:
        return True
    if role == AUDIT:
        return False
    if _is_tenant(model) and role == SECURITY:
        return action in ("view", "change")  # only the policy fields are editable (readonly_fields below)
    return area_of(model) == role


class RoleGuardMixin:
    """Put in front of every registered ModelAdmin by RoleAdminSite: the role's area, ANDed with the class's own
    permission checks."""

    role_guarded = True

    def log_deletions(self, request, queryset):
        """The admin's log rows of a delete; Django writes two or more with bulk_create, which sends no signal, so
        each is mirrored on the audit trail here (a single row is mirrored by the audit app's post_save receiver)."""
        entries = super().log_deletions(request, queryset)
        entries = list(entries or [])
        if len(entries) > 1:
            from django.contrib.admin.models import LogEntry

            from audit.receivers import admin_log_entry

            for entry in entries:
                admin_log_entry(LogEntry, entry, created=True)
        return entries

    def has_module_permission(self, request):
        return may_administer(request.user, self.model) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return may_administer(request.user, self.model, "view") and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args, **kwargs):
        return may_administer(request.user, self.model, "add") and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return may_administer(request.user, self.model, "change") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_administer(request.user, self.model, "delete") and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        role = role_of(request.user)
        if _is_tenant(self.model) and role == SYSTEM:
            fields += [f for f in TENANT_POLICY_FIELDS if f not in fields]
        elif _is_tenant(self.model) and role == SECURITY:
            editable = [f.name for f in self.model._meta.fields if f.editable and f.name not in TENANT_POLICY_FIELDS]
            fields += [f for f in editable if f not in fields and f != "id"]
        elif self.model._meta.label_lower == "grids.user" and not request.user.is_superuser:
            # Administrator rights are granted by the platform operator: nobody else changes a role, and a role
            # holder grants no staff or tenant-admin right (a security administrator cannot make himself a
            # tenant admin without a role, which would hold every area).
            locked = ["admin_role", "is_superuser"]
            if role is not None or (obj is not None and obj.admin_role):
                locked += ["is_staff", "is_tenant_admin"]
            fields += [f for f in locked if f not in fields]
        return fields


class RoleAdminSite(admin.AdminSite):
    """The admin site of the platform: every ModelAdmin registered on it is role-guarded, and a user who needs a
    second factor (grids.accounts.two_factors) must have given it."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not getattr(admin_class, "role_guarded", False):
            admin_class = type(
                admin_class.__name__,
                (RoleGuardMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        from .two_factors import two_factors_missing

        return super().has_permission(request) and not two_factors_missing(request)
