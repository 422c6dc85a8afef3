"""The party organisation tree of each tenant (a second tree on the generic machinery, grids.trees), the grid
nodes and buildings each organisation leads, and its officers.

Organisations carry the scope stamps of the grid node they are anchored at (a street for a working committee, a
community for a committee, its branches and groups), so `visible_to` reads them as any scoped record; what a
branch leads is a row per grid (stamped at that grid), so a grid worker finds her grid's branch. Written only by
parties.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from grids.models import ScopedModel
from grids.querysets import ScopedQuerySetMixin

from ..choices import SUBKINDS, OfficerRole, OrgKind, OrgLevel, check


class PartyOrgQuerySet(ScopedQuerySetMixin, TreeQuerySet):
    def live(self):
        return self.filter(is_archived=False)


class PartyOrgManager(TreeManager.from_queryset(PartyOrgQuerySet)):
    pass


def _kind_matches_level() -> Q:
    condition = Q(pk__in=[])
    for level, kinds in SUBKINDS.items():
        condition |= Q(kind=level, subkind__in=list(kinds))
    return condition


class PartyOrg(MPTTModel, ScopedModel):
    """One party organisation (区委 → 党工委 → 社区党委/党总支 → 支部 → 小组) of a tenant's party tree."""

    parent = TreeForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("level"), max_length=20, choices=OrgLevel.choices, editable=False)
    subkind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=30, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartyOrgManager()

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="party_org_code_unique_in_tenant"),
            models.UniqueConstraint(fields=["tenant", "parent", "name"], name="party_org_name_unique_among_siblings"),
            models.UniqueConstraint(fields=["tenant"], condition=Q(parent__isnull=True), name="one_party_root_per_tenant"),
            models.CheckConstraint(**check("kind", OrgLevel)),
            models.CheckConstraint(condition=_kind_matches_level(), name="party_org_subkind_matches_level"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, kind=OrgLevel.DISTRICT_COMMITTEE)
                | (Q(parent__isnull=False) & ~Q(kind=OrgLevel.DISTRICT_COMMITTEE)),
                name="only_district_committees_are_party_roots",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "kind", "is_archived"], name="party_org_tenant_kind")]

    def __str__(self):
        return self.name


class LedGrid(ScopedModel):
    """A grid a branch (or group) leads: stamped at that grid, so the grid's worker sees her branch."""

    org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="led_grids", verbose_name=_("organisation"))

    class Meta:
        verbose_name = _("grid led")
        verbose_name_plural = _("grids led")
        constraints = [models.UniqueConstraint(fields=["tenant", "org", "node"], name="party_org_leads_a_grid_once")]

    def __str__(self):
        return f"{self.org} → {self.node}"


class LedBuilding(ScopedModel):
    """A registry building a (building) party group covers; stamped at the building's grid."""

    org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="led_buildings", verbose_name=_("organisation")
    )
    building = models.ForeignKey(
        "registry.Building", on_delete=models.PROTECT, related_name="+", verbose_name=_("building")
    )

    class Meta:
        verbose_name = _("building covered")
        verbose_name_plural = _("buildings covered")
        constraints = [models.UniqueConstraint(fields=["tenant", "org", "building"], name="party_org_covers_a_building_once")]

    def __str__(self):
        return f"{self.org} → {self.building}"


class Officer(ScopedModel):
    """A secretary or committee member of an organisation for a term: a registry person or a staff user."""

    org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="officers", verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=10, choices=OfficerRole.choices)
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("staff user"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["org", "role", "start_date", "id"]
        constraints = [
            models.CheckConstraint(**check("role", OfficerRole)),
            models.CheckConstraint(
                condition=Q(resident__isnull=False, user__isnull=True) | Q(resident__isnull=True, user__isnull=False),
                name="party_officer_is_a_person_or_a_user",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="party_officer_term_valid"
            ),
            models.UniqueConstraint(
                fields=["tenant", "org"], condition=Q(role=OfficerRole.SECRETARY, end_date__isnull=True),
                name="party_org_has_one_current_secretary",
            ),
        ]

    def __str__(self):
        return f"{self.org} · {self.get_role_display()}"

    @property
    def person_name(self) -> str:
        return str(self.resident or self.user)
