"""Volunteer teams (the alley stewards 小巷管家, the brands 左邻右舍 and 星火公益) and interest groups with their
members and leader (registry people), and partner units (好帮手单位: registry organisations) with what they offer."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.models import ScopedModel

from ..choices import OfferKind, TeamBrand, TeamKind, check


class Team(ScopedModel):
    """A volunteer team or interest group of a community or grid (or of one compound in it)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=TeamKind.choices)
    brand = models.CharField(_("brand"), max_length=10, choices=TeamBrand.choices, blank=True, default="")
    compound = models.ForeignKey(
        "registry.Compound", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("compound"),
    )
    leader = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(**check("kind", TeamKind)),
            models.CheckConstraint(**check("brand", TeamBrand)),
            models.UniqueConstraint(fields=["tenant", "node", "name"], name="party_team_name_unique_in_node"),
        ]

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    """A registry person in a team, from the day they joined to the day they left (history, kept)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "resident"], condition=Q(left_on__isnull=True), name="party_team_member_once"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="party_team_member_period"
            ),
        ]

    def __str__(self):
        return f"{self.team} · {self.resident}"


class PartnerUnit(ScopedModel):
    """A registry organisation partnering a community or grid (好帮手单位), from a date."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner unit")
        verbose_name_plural = _("partner units")
        ordering = ["since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "node", "organisation"], condition=Q(until__isnull=True), name="party_partner_once_per_node"
            ),
        ]

    def __str__(self):
        return str(self.organisation)


class PartnerOffer(models.Model):
    """One thing a partner unit offers: rewards, services, space or money, described."""

    partner = models.ForeignKey(PartnerUnit, on_delete=models.PROTECT, related_name="offers")
    kind = models.CharField(_("kind"), max_length=10, choices=OfferKind.choices)
    description = models.CharField(_("description"), max_length=200)

    class Meta:
        verbose_name = _("partner offer")
        verbose_name_plural = _("partner offers")
        ordering = ["partner", "kind", "id"]
        constraints = [models.CheckConstraint(**check("kind", OfferKind))]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description}"
