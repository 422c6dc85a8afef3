"""Admin of the assessment: a tenant's scheme (weights and targets of the catalogue's indicators), tenant-scoped
like every admin page (grids.admin_scope); the month runs, read-only (they change only through the services)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from grids.admin_scope import ReadOnlyAdminMixin, TenantScopedAdminMixin, is_platform_admin, is_tenant_admin

from .indicators import by_key
from .models import AssessmentRun, AssessmentScheme, SchemeIndicator


class IndicatorFormSet(forms.BaseInlineFormSet):
    """The weights add up to 100; reporting volume has a target."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        total = 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            key = data.get("key") or form.instance.key
            total += data.get("weight") or 0
            indicator = by_key().get(key)
            if indicator and indicator.needs_target and not data.get("target"):
                form.add_error("target", _t("Give the monthly target of this indicator."))
        if total != 100:
            raise forms.ValidationError(_t("The weights add up to %(total)s; they must add up to 100.") % {"total": total})


class SchemeIndicatorInline(admin.TabularInline):
    model = SchemeIndicator
    formset = IndicatorFormSet
    fields = ["key", "definition", "weight", "target", "sort_order"]
    readonly_fields = ["key", "definition"]
    extra = 0
    can_delete = False

    @admin.display(description=_("definition"))
    def definition(self, obj):
        indicator = by_key().get(obj.key)
        return indicator.definition if indicator else ""

    def has_add_permission(self, request, obj=None):
        return False  # the catalogue is fixed in code; install_default_scheme adds its new indicators

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request) or is_tenant_admin(request)

    def has_change_permission(self, request, obj=None):
        return is_platform_admin(request) or is_tenant_admin(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "tenant", "updated_at"]
    list_filter = ["tenant"]
    inlines = [SchemeIndicatorInline]

    def get_readonly_fields(self, request, obj=None):
        return ["tenant"] if obj is not None else []

    def has_add_permission(self, request):
        return is_platform_admin(request)  # every tenant gets its scheme when it is created

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentRun)
class AssessmentRunAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    """Read-only: months are computed and published from the officers' assessment page (or the monthly task)."""

    list_display = ["month", "version", "status", "tenant", "computed_at", "computed_by", "published_at", "reason"]
    list_filter = ["tenant", "status"]
    date_hierarchy = "month"
    list_select_related = ["tenant", "computed_by", "published_by"]
    exclude = ["scheme"]
