"""The records of dispute mediation: the catalogue, the bodies and their rosters, cases, parties and their log."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from grids.models import ScopedModel, Tenant
from grids.querysets import TenantQuerySet

from .choices import (
    AgreementForm,
    BodyKind,
    Channel,
    Confirmation,
    MediatorKind,
    PartyKind,
    PartyRole,
    Performance,
    ReferralTarget,
    Risk,
    Status,
)


def _in(field: str, choices) -> dict:
    return {"condition": Q(**{f"{field}__in": list(choices.values)}), "name": f"%(class)s_{field}_valid"}


class DisputeType(models.Model):
    """A kind of dispute in a tenant's own catalogue (邻里、婚姻家庭、物业 …): cases are counted by it."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispute type")
        verbose_name_plural = _("dispute types")
        ordering = ["tenant_id", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="dispute_type_code_unique")]

    def __str__(self):
        return self.name


class Body(ScopedModel):
    """A mediation body attached to a node: a community's or street's committee, a sub-centre, a department."""

    kind = models.CharField(_("kind"), max_length=16, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=100)
    department = models.CharField(_("department"), max_length=100, blank=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("head"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mediation body")
        verbose_name_plural = _("mediation bodies")
        ordering = ["tenant_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="mediation_body_name_unique"),
            models.CheckConstraint(**_in("kind", BodyKind)),
        ]

    def __str__(self):
        return self.name


class Mediator(models.Model):
    """One person on a body's roster: a people's mediator, a specially invited one or a 三官一律 professional."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="mediators", verbose_name=_("body"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=MediatorKind.choices)
    fields = models.CharField(_("fields"), max_length=200, blank=True)
    visits = models.CharField(
        _("community visits"), max_length=200, blank=True, help_text=_("e.g. the first Tuesday of each month")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ["body_id", "name"]
        constraints = [models.CheckConstraint(**_in("kind", MediatorKind))]

    def __str__(self):
        return self.name

    @property
    def is_outside(self) -> bool:
        """A judge, prosecutor or lawyer from outside the platform's posts: sees only the cases given to them."""
        return self.kind in (MediatorKind.JUDGE, MediatorKind.PROSECUTOR, MediatorKind.LAWYER)


class Case(ScopedModel):
    """One dispute brought to mediation (一案), from intake to archive, belonging to the node where it arose."""

    number = models.CharField(_("number"), max_length=24, editable=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    dispute_type = models.ForeignKey(
        DisputeType, on_delete=models.PROTECT, related_name="+", verbose_name=_("dispute type")
    )
    facts = models.TextField(_("facts"), max_length=4000)
    amount = models.DecimalField(_("amount at stake"), max_digits=12, decimal_places=2, null=True, blank=True)
    risk = models.CharField(_("risk"), max_length=8, choices=Risk.choices, default=Risk.LOW)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.REGISTERED)
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("body")
    )
    mediator = models.ForeignKey(
        Mediator, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("mediator")
    )
    event = models.OneToOneField(
        "events.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("event")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    due_on = models.DateField(_("time limit"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    referred_to = models.CharField(_("referred to"), max_length=12, choices=ReferralTarget.choices, blank=True)
    extended_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    chosen_by_parties = models.BooleanField(
        _("mediator chosen by the parties"), default=False,
        help_text=_("当事人选定调解员 (人民调解法 第十九条); otherwise the body's head designated the mediator"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The in-app notifications about the case (events' one mechanism: events.notifications); go with the case.
    notifications = GenericRelation(
        "events.Notification", content_type_field="subject_type", object_id_field="subject_id"
    )

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="mediation_case_number_unique"),
            models.CheckConstraint(**_in("channel", Channel)),
            models.CheckConstraint(**_in("risk", Risk)),
            models.CheckConstraint(**_in("status", Status)),
        ]
        indexes = [models.Index(fields=["community", "status"], name="mediation_case_community")]

    def __str__(self):
        return self.number


class CaseParty(models.Model):
    """An applicant or respondent: a registry person, a person entered on the spot (data encrypted), or a unit."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=PartyKind.choices)
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("resident"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("identity number"), max_length=40, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case_id", "role", "id"]
        constraints = [
            models.CheckConstraint(**_in("role", PartyRole)),
            models.CheckConstraint(**_in("kind", PartyKind)),
            models.CheckConstraint(
                condition=(Q(kind=PartyKind.RESIDENT) & Q(resident__isnull=False) & Q(organisation__isnull=True))
                | (Q(kind=PartyKind.ORGANISATION) & Q(organisation__isnull=False) & Q(resident__isnull=True))
                | (Q(kind=PartyKind.PERSON) & Q(resident__isnull=True) & Q(organisation__isnull=True)),
                name="case_party_kind_matches_link",
            ),
        ]

    def __str__(self):
        return self.name


class CaseLog(models.Model):
    """One step of a case (or an act beside the table): who, when, from and to which status, and a note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="logs")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(max_length=14, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=Status.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case log")
        verbose_name_plural = _("case logs")
        ordering = ["id"]

    def __str__(self):
        return f"{self.case_id} {self.action}"


class Transfer(models.Model):
    """A case moving from one body to another, with the reason: the case's history of bodies."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_body = models.ForeignKey(Body, null=True, on_delete=models.PROTECT, related_name="+")
    to_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["id"]

    def __str__(self):
        return f"{self.case_id} → {self.to_body_id}"


def _session_photo_path(instance, filename):
    return f"mediation/{instance.case.tenant_id}/{instance.case_id}/{filename}"


class Session(models.Model):
    """A mediation session (调解): when, where, who took part, and its record (调解笔录), typed or photographed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    participants = models.CharField(_("participants"), max_length=500)
    record = models.TextField(_("record"), blank=True, max_length=8000)
    photo = models.ImageField(_("photo of the signed record"), upload_to=_session_photo_path, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["case_id", "held_at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.held_at:%Y-%m-%d}"


class Evidence(models.Model):
    """A piece of evidence attached to a case (a description; a photo where there is one)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(_("description"), max_length=500)
    photo = models.ImageField(_("photo"), upload_to=_session_photo_path, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["case_id", "id"]

    def __str__(self):
        return self.description


class Agreement(models.Model):
    """The outcome of a successful mediation: the 人民调解协议书 (or an oral agreement) and its judicial confirmation."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="agreement")
    form = models.CharField(_("form"), max_length=8, choices=AgreementForm.choices, default=AgreementForm.WRITTEN)
    terms = models.TextField(_("terms"), max_length=8000)
    performance_method = models.CharField(_("how it is performed"), max_length=500, blank=True)
    perform_by = models.DateField(_("to be performed by"))
    signed_on = models.DateField(_("signed on"))
    confirmation_applied_on = models.DateField(_("judicial confirmation applied for on"), null=True, blank=True)
    confirmation = models.CharField(
        _("judicial confirmation"), max_length=10, choices=Confirmation.choices, blank=True
    )
    performance = models.CharField(_("performance"), max_length=8, choices=Performance.choices, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(**_in("form", AgreementForm)),
            models.CheckConstraint(condition=Q(performance="") | Q(performance__in=Performance.values),
                                   name="agreement_performance_valid"),
        ]

    def __str__(self):
        return f"{self.case_id}"


class FollowUp(models.Model):
    """A follow-up visit (回访) after the performance date: due, done, and what was found of the performance."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("due on"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    performance = models.CharField(_("performance"), max_length=8, choices=Performance.choices, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["case_id", "due_on", "id"]

    def __str__(self):
        return f"{self.case_id} {self.due_on}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's direct foreign-key permission (ADR 4): an outside mediator's access to one case."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case permission")
        verbose_name_plural = _("case permissions")
