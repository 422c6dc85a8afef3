"""Party members (a registry person or a staff user), their transfers as history, in-service members registering
at their home community (双报到) with service hours, and central households (党员中心户) with the households
they look after (联系户)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.models import ScopedModel

from ..choices import MemberStatus, TransferKind, check
from .orgs import PartyOrg

PERSON_OR_USER = Q(resident__isnull=False, user__isnull=True) | Q(resident__isnull=True, user__isnull=False)


class Member(ScopedModel):
    """A party member: a registry person (or a staff user), formal or probationary, in one organisation; stamped
    at the organisation's node, so a transfer re-stamps the member and leaves a Transfer row behind."""

    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("staff user"),
    )
    org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="members", verbose_name=_("organisation"),
        help_text=_("The current organisation, or the last one for a member who transferred out."),
    )
    status = models.CharField(_("status"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.FORMAL)
    joined_on = models.DateField(_("joined the party on"))
    formal_on = models.DateField(_("became formal on"), null=True, blank=True)
    in_service = models.BooleanField(
        _("in-service member"), default=False, help_text=_("在职党员: works at a unit and registers at home (双报到).")
    )
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    left_on = models.DateField(_("transferred out on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["org", "id"]
        constraints = [
            models.CheckConstraint(**check("status", MemberStatus)),
            models.CheckConstraint(condition=PERSON_OR_USER, name="party_member_is_a_person_or_a_user"),
            models.CheckConstraint(
                condition=Q(formal_on__isnull=True) | Q(formal_on__gte=F("joined_on")),
                name="party_member_formal_after_joining",
            ),
            models.UniqueConstraint(
                fields=["tenant", "resident"], condition=Q(left_on__isnull=True, resident__isnull=False),
                name="party_member_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["tenant", "user"], condition=Q(left_on__isnull=True, user__isnull=False),
                name="party_member_once_per_user",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "org", "left_on"], name="party_member_org")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return str(self.resident or self.user)

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class Transfer(models.Model):
    """One line of a member's history: joined, transferred in or out, moved, became formal. Append-only."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("change"), max_length=10, choices=TransferKind.choices)
    on_date = models.DateField(_("date"))
    from_org = models.ForeignKey(PartyOrg, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(PartyOrg, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    elsewhere = models.CharField(_("organisation elsewhere"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        ordering = ["member", "on_date", "id"]
        constraints = [models.CheckConstraint(**check("kind", TransferKind))]

    def __str__(self):
        return f"{self.on_date} {self.get_kind_display()}"


class ServiceRegistration(ScopedModel):
    """An in-service member registered at her home community (双报到): stamped at that community."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="registrations")
    registered_on = models.DateField(_("registered on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("home-community registration")
        verbose_name_plural = _("home-community registrations")
        ordering = ["-registered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "member"], condition=Q(ended_on__isnull=True), name="party_member_registers_at_one_home"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("registered_on")),
                name="party_registration_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.member} @ {self.node}"


class ServiceHours(ScopedModel):
    """Hours an in-service member served at her home community on one day."""

    registration = models.ForeignKey(ServiceRegistration, on_delete=models.PROTECT, related_name="hours")
    on_date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    what = models.CharField(_("service"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service hours")
        verbose_name_plural = _("service hours")
        ordering = ["-on_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="party_service_hours_in_a_day")
        ]

    def __str__(self):
        return f"{self.on_date} {self.hours}h"


class CentralHousehold(ScopedModel):
    """A member's household named a central household (党员中心户): stamped at the household's grid."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="central_households")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("central household")
        verbose_name_plural = _("central households")
        ordering = ["since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "household"], condition=Q(until__isnull=True), name="party_central_household_once"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="party_central_household_period"
            ),
        ]

    def __str__(self):
        return f"{self.household} ({self.member})"


class CentralHouseholdLink(ScopedModel):
    """A household a central household looks after (联系户), for a period; stamped at the linked household."""

    central = models.ForeignKey(CentralHousehold, on_delete=models.PROTECT, related_name="links")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("household looked after")
        verbose_name_plural = _("households looked after")
        ordering = ["central", "since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "household"], condition=Q(until__isnull=True), name="party_household_looked_after_once"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="party_link_period"
            ),
        ]

    def __str__(self):
        return f"{self.central} → {self.household}"
