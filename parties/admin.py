"""Admin of the parties app, scoped like every interface (grids.admin_scope) and read-only: the party tree changes
only under its advisory lock through parties.services, members' transfers and central households are history, and
topics and notices move through their workflow — the admin lists and shows them, within the admin's tenant."""

from django.contrib import admin

from grids.admin_scope import ReadOnlyAdminMixin, TenantScopedAdminMixin

from .models import (
    Activity,
    CentralHousehold,
    Committee,
    CommitteeSeat,
    Member,
    Notice,
    PartnerUnit,
    PartyOrg,
    ServiceCentre,
    Team,
    Topic,
)


class RecordAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False


@admin.register(PartyOrg)
class PartyOrgAdmin(RecordAdmin):
    list_display = ["name", "kind", "subkind", "code", "node", "is_archived"]
    list_filter = ["kind", "is_archived"]
    list_select_related = ["node"]
    search_fields = ["name", "code"]


@admin.register(Member)
class MemberAdmin(RecordAdmin):
    list_display = ["__str__", "org", "status", "joined_on", "left_on"]
    list_filter = ["status"]
    list_select_related = ["org", "resident", "user"]


@admin.register(CentralHousehold)
class CentralHouseholdAdmin(RecordAdmin):
    list_display = ["household", "member", "since", "until"]
    list_select_related = ["household", "member__resident", "member__user"]


@admin.register(Team)
class TeamAdmin(RecordAdmin):
    list_display = ["name", "kind", "brand", "node"]
    list_filter = ["kind"]
    list_select_related = ["node"]
    search_fields = ["name"]


@admin.register(PartnerUnit)
class PartnerUnitAdmin(RecordAdmin):
    list_display = ["organisation", "node", "since", "until"]
    list_select_related = ["organisation", "node"]


@admin.register(ServiceCentre)
class ServiceCentreAdmin(RecordAdmin):
    list_display = ["name", "level", "node", "place"]
    list_filter = ["level"]
    list_select_related = ["node"]
    search_fields = ["name"]


@admin.register(Activity)
class ActivityAdmin(RecordAdmin):
    list_display = ["title", "centre", "starts_at", "capacity", "signed_up"]
    list_select_related = ["centre"]
    search_fields = ["title"]


@admin.register(Committee)
class CommitteeAdmin(RecordAdmin):
    list_display = ["name", "node", "compound"]
    list_select_related = ["node", "compound"]
    search_fields = ["name"]


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(RecordAdmin):
    list_display = ["committee", "seat", "person_name", "term_start", "term_end"]
    list_filter = ["seat"]
    list_select_related = ["committee", "resident", "user"]


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    list_display = ["title", "status", "node", "due_on"]
    list_filter = ["status"]
    list_select_related = ["node"]
    search_fields = ["title"]


@admin.register(Notice)
class NoticeAdmin(RecordAdmin):
    list_display = ["title", "topic", "published_at", "period_days"]
    list_select_related = ["topic"]
