"""Admin pages scoped like every other interface: a tenant admin sees and edits only their own tenant.

Every admin view of a scoped model — change, delete, history (Django's and django-simple-history's), a past
version, autocomplete, actions — reads through the model admin's `get_queryset`, and an object outside it answers
exactly as one that does not exist: 404. Admins of other apps' models (auth groups, API tokens, sign-in attempts)
are for platform admins only (`restrict_to_platform_admins`). tests/grids/test_admin_walk.py walks them all.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect

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
        if getattr(self, "tenant_lookup", None):  # a record that belongs to a tenant through a relation (a user's)
            return queryset.filter(**{self.tenant_lookup: request.user.tenant_id})
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

    # -- one answer for "outside your scope" and "does not exist": 404 ---------------------------------------

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404  # Django redirects to the index with "doesn't exist"; a plain 404 is the same for both

    def get_scoped_object(self, request, object_id):
        """The object through this admin's queryset, or 404 (a malformed id too)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history falls back to the object's history records when the queryset does not have it.
        self.get_scoped_object(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version (django-simple-history): only of an object in scope, only a version of that object;
        reverting saves through the admin's save_model (the services) in one transaction, and a refusal
        changes nothing and logs nothing."""
        obj = self.get_scoped_object(request, object_id)
        version_id = unquote(version_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        of_obj = {self.model._meta.pk.attname: obj.pk}  # the historical model's own pk is history_id
        if not str(version_id).isdigit() or not history.filter(history_id=version_id, **of_obj).exists():
            raise Http404
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
        return self._refusable(request, super().history_form_view, request, object_id, version_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self.get_scoped_object(request, object_id)  # before the permission check: 404, not 403, for everyone's
        return super().delete_view(request, object_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None:
            self.get_scoped_object(request, object_id)
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        return self._refusable(request, super().changeform_view, request, object_id, form_url, extra_context)

    def _refusable(self, request, view, *args):
        """Run a saving view in one transaction; a service's refusal rolls it back — the admin's own log entry
        included — and shows the reason on the same page."""
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(*args)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class PlatformOnlyAdminMixin:
    """For records no tenant admin may see at all (other apps' models: groups, API tokens, sign-in attempts):
    platform admins only, whatever model permissions a user was given."""

    def has_module_permission(self, request):
        return is_platform_admin(request)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request)

    def has_add_permission(self, request, *args):
        return is_platform_admin(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_platform_admin(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_platform_admin(request) and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if is_platform_admin(request) else queryset.none()

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404

    def get_search_results(self, request, queryset, search_term):
        if not is_platform_admin(request):
            raise PermissionDenied
        return super().get_search_results(request, queryset, search_term)


def restrict_to_platform_admins(site, models):
    """Re-register other apps' admins (auth, authtoken, axes…) behind PlatformOnlyAdminMixin."""
    for model in models:
        current = site._registry.get(model)
        if current is None or isinstance(current, PlatformOnlyAdminMixin):
            continue
        admin_class = type(f"PlatformOnly{type(current).__name__}", (PlatformOnlyAdminMixin, type(current)), {})
        site.unregister(model)
        site.register(model, admin_class)


class ReadOnlyAdminMixin:
    """For records that change only through their services or are history: list and view, never edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SharedReferenceAdminMixin:
    """For reference data that belongs to no tenant and is the same for all (the national working calendar): every
    tenant admin may read it — reading it tells nothing about another tenant — and only platform admins change it."""

    def _reader(self, request):
        return is_platform_admin(request) or is_tenant_admin(request)

    def has_module_permission(self, request):
        return self._reader(request)

    def has_view_permission(self, request, obj=None):
        return self._reader(request)

    def has_add_permission(self, request, *args):
        return is_platform_admin(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_platform_admin(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_platform_admin(request) and super().has_delete_permission(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404
