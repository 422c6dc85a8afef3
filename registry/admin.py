"""Admin of the registry, scoped like every interface (grids.admin_scope).

The catalogues (care lists, thing types) are edited here. Registry records are written through registry.services
(pages, API, import), so the admin shows them read-only; personal data appears masked only, never decrypted.
"""

from django.contrib import admin

from grids.admin_scope import ReadOnlyAdminMixin, TenantScopedAdminMixin

from .models import (
    AccessRecord,
    Building,
    CareList,
    CareListMember,
    Compound,
    House,
    Household,
    HouseholdChange,
    HouseholdMember,
    Organisation,
    Patrol,
    Resident,
    Thing,
    ThingType,
    Visit,
)


class CatalogueAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # entries in use are protected; switch them off with `active`


@admin.register(CareList)
class CareListAdmin(CatalogueAdmin):
    list_display = ["name", "code", "visit_every_days", "is_active", "tenant"]
    list_filter = ["tenant", "is_active"]


@admin.register(ThingType)
class ThingTypeAdmin(CatalogueAdmin):
    list_display = ["name", "code", "is_active", "tenant"]
    list_filter = ["tenant", "is_active"]


class RecordAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    # ReadOnlyAdminMixin first: the scoped mixin grants add and change to a tenant admin, which would make these
    # records editable in the admin, past the services, with forms offering other tenants' people.
    list_per_page = 50
    show_full_result_count = False


@admin.register(Compound)
class CompoundAdmin(RecordAdmin):
    list_display = ["name", "node", "no_property_company", "no_supervising_department", "no_security"]
    search_fields = ["name"]


@admin.register(Building)
class BuildingAdmin(RecordAdmin):
    list_display = ["number", "compound", "grid", "floors", "units", "property_company"]
    list_select_related = ["compound", "grid", "property_company"]
    search_fields = ["number", "compound__name", "address"]


@admin.register(House)
class HouseAdmin(RecordAdmin):
    list_display = ["building", "unit", "floor", "number", "use"]
    list_select_related = ["building__compound"]


@admin.register(Resident)
class ResidentAdmin(RecordAdmin):
    list_display = ["name", "sex", "birth_date", "registration", "status", "grid"]
    list_select_related = ["grid"]
    search_fields = ["name"]
    # The encrypted tokens and blind indexes are never shown; the masked forms are.
    exclude = ["id_number_encrypted", "id_number_index", "phone_encrypted", "phone_index"]
    readonly_fields = ["id_number_masked", "phone_masked"]


class MemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    can_delete = False
    readonly_fields = ["resident", "relation", "joined_on", "left_on"]

    def has_add_permission(self, request, obj=None):
        return False


class ChangeInline(admin.TabularInline):
    model = HouseholdChange
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "on_date", "resident", "note", "actor", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(RecordAdmin):
    list_display = ["house", "number", "formed_on", "dissolved_on"]
    list_select_related = ["house__building__compound"]
    inlines = [MemberInline, ChangeInline]


@admin.register(CareListMember)
class CareListMemberAdmin(RecordAdmin):
    list_display = ["resident", "care_list", "since", "until"]
    list_select_related = ["resident", "care_list"]


@admin.register(Organisation)
class OrganisationAdmin(RecordAdmin):
    list_display = ["name", "kind", "grid", "contact_name"]
    list_select_related = ["grid"]
    search_fields = ["name"]
    exclude = ["contact_phone_encrypted", "contact_phone_index"]
    readonly_fields = ["contact_phone_masked"]


@admin.register(Thing)
class ThingAdmin(RecordAdmin):
    list_display = ["thing_type", "code", "status", "grid"]
    list_select_related = ["thing_type", "grid"]


@admin.register(AccessRecord)
class AccessRecordAdmin(RecordAdmin):
    """The tenant's auditors read who saw whose personal data, when and why."""

    list_display = ["created_at", "actor", "resident", "organisation", "field", "kind", "reason"]
    list_select_related = ["actor", "resident", "organisation"]
    list_filter = ["kind", "field"]


@admin.register(Patrol)
class PatrolAdmin(RecordAdmin):
    list_display = ["worker", "grid", "started_at", "ended_at"]
    list_select_related = ["worker", "grid"]


@admin.register(Visit)
class VisitAdmin(RecordAdmin):
    list_display = ["household", "visitor", "visited_on", "purpose"]
    list_select_related = ["household__house__building__compound", "visitor"]
