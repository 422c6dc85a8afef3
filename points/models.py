"""The passbook ledger (网格银行存折): accounts, double-entry movements and their append-only entries.

A movement moves a whole, positive number of points from one account to another and carries an idempotency key
unique in its tenant; it writes two entries (minus on the paying account, plus on the receiving one), each with the
balance after it. The balance kept on the account equals the sum of its entries, always: the services update both
in one transaction under the accounts' row locks, `check_ledger` proves it, and movements and entries are never
updated or deleted (the querysets and models refuse, and on PostgreSQL a trigger refuses too). A correction is a
reversing movement with a reason. Accounts carry the jurisdiction and follow their node when the tree moves;
entries keep the stamps they were written with (restamp_on_move = False, docs/adr/0005).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.models import ScopedModel, Tenant
from grids.querysets import ScopedQuerySet, TenantQuerySet

from .choices import (
    NEVER_NEGATIVE,
    AccountKind,
    Basis,
    MovementKind,
    RedemptionStatus,
    Registration,
    ServiceStatus,
    check,
)

APPEND_ONLY = "points ledger rows are append-only: correct with a reversing movement"


class LedgerPolicy(models.Model):
    """A tenant's ledger settings: the earning threshold that flags an account, and the optional yearly expiry."""

    tenant = models.OneToOneField(Tenant, on_delete=models.PROTECT, related_name="points_policy")
    flag_threshold = models.PositiveIntegerField(
        _("monthly earning threshold"), default=500,
        help_text=_("An account that earns more than this in one calendar month is flagged for review (0: never)."),
    )
    expiry_enabled = models.BooleanField(
        _("yearly expiry"), default=False,
        help_text=_("At the end of each year, the points a passbook did not earn during that year expire."),
    )

    class Meta:
        verbose_name = _("ledger policy")
        verbose_name_plural = _("ledger policies")

    def __str__(self):
        return str(self.tenant)


class Account(ScopedModel):
    """A points account: a volunteer's or household's passbook, a community's issuing account, a partner's or pool."""

    kind = models.CharField(_("kind"), max_length=10, choices=AccountKind.choices)
    number = models.CharField(_("passbook number"), max_length=24, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    person = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("person"),
    )
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("household"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )
    holder = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="passbook",
        verbose_name=_("signs in as"), help_text=_("The volunteer's own sign-in, to see the passbook on the phone."),
    )
    balance = models.BigIntegerField(_("balance"), default=0, editable=False)
    is_frozen = models.BooleanField(_("frozen"), default=False, editable=False)
    frozen_reason = models.CharField(_("reason for freezing"), max_length=200, blank=True, editable=False)
    flagged_at = models.DateTimeField(_("flagged for review"), null=True, blank=True, editable=False)
    flag_reason = models.CharField(_("reason for the flag"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        ordering = ["number", "id"]
        constraints = [
            models.CheckConstraint(**check("kind", AccountKind)),
            models.CheckConstraint(
                condition=~Q(kind__in=NEVER_NEGATIVE) | Q(balance__gte=0), name="points_account_never_negative"
            ),
            models.CheckConstraint(
                condition=(Q(kind=AccountKind.VOLUNTEER) & Q(person__isnull=False) & Q(household__isnull=True))
                | (Q(kind=AccountKind.HOUSEHOLD) & Q(household__isnull=False) & Q(person__isnull=True))
                | (~Q(kind__in=[AccountKind.VOLUNTEER, AccountKind.HOUSEHOLD]) & Q(person__isnull=True)
                   & Q(household__isnull=True)),
                name="points_account_holder_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["tenant", "number"], condition=~Q(number=""), name="points_account_number_unique"
            ),
            models.UniqueConstraint(
                fields=["tenant", "person"], condition=Q(kind=AccountKind.VOLUNTEER), name="points_one_passbook_per_person"
            ),
            models.UniqueConstraint(
                fields=["tenant", "household"], condition=Q(kind=AccountKind.HOUSEHOLD),
                name="points_one_passbook_per_household",
            ),
            models.UniqueConstraint(
                fields=["tenant", "node", "kind"], condition=Q(kind__in=[AccountKind.ISSUING, AccountKind.POOL]),
                name="points_one_issuing_or_pool_per_node",
            ),
            models.UniqueConstraint(
                fields=["tenant", "organisation"], condition=Q(kind=AccountKind.PARTNER), name="points_one_account_per_partner"
            ),
        ]
        indexes = [models.Index(fields=["community", "kind", "balance"], name="points_account_community")]

    def __str__(self):
        return f"{self.number} {self.name}" if self.number else self.name


class AppendOnlyQuerySet(ScopedQuerySet):
    """Ledger rows are never updated or deleted through the ORM."""

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(APPEND_ONLY)

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError(APPEND_ONLY)


class AppendOnly(models.Model):
    """Refuses a second save and any delete of a row (the queryset refuses the bulk forms)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)


class Movement(AppendOnly):
    """One double-entry movement of whole points between two accounts, paid once per idempotency key."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    debit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("from account"))
    credit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("to account"))
    amount = models.BigIntegerField(_("points"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    source_type = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.CharField(_("source id"), max_length=40, blank=True)
    rule_version_id = models.BigIntegerField(_("rule version"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        verbose_name = _("points movement")
        verbose_name_plural = _("points movements")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(**check("kind", MovementKind)),
            models.UniqueConstraint(fields=["tenant", "key"], name="points_movement_key_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="points_movement_amount_positive"),
            models.CheckConstraint(condition=~Q(debit=models.F("credit")), name="points_movement_two_accounts"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(kind=MovementKind.REVERSAL) | Q(kind=MovementKind.REFUND),
                name="points_movement_reverses_only_when_reversal",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "source_type", "source_id"], name="points_movement_source")]

    def __str__(self):
        return f"{self.key}: {self.amount}"


class Entry(AppendOnly, ScopedModel):
    """One side of a movement on one account: the signed points and the balance after it (a passbook line)."""

    restamp_on_move = False  # an entry states where the account stood when it was written (docs/adr/0005)

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account"))
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField(_("points"))
    balance_after = models.BigIntegerField(_("balance after"))
    occurred_at = models.DateTimeField(_("occurred at"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="points_entry_amount_not_zero"),
            models.UniqueConstraint(fields=["tenant", "movement", "account"], name="points_entry_one_per_side"),
        ]
        indexes = [models.Index(fields=["account", "-id"], name="points_entry_account_page")]

    def __str__(self):
        return f"{self.account_id}: {self.amount:+d}"


class ServiceType(models.Model):
    """A kind of volunteer service in a tenant's catalogue (巡楼, 助老, 环境整治 …); its rules are versioned."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="points_service_type_code_unique")]

    def __str__(self):
        return self.name


class RuleVersion(AppendOnly):
    """One published version of a service type's rule: points per hour or per occasion, daily and monthly caps.

    Published rules are never edited: a change is the next version, and every credit names the version it used."""

    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices)
    points = models.PositiveIntegerField(_("points"))
    daily_cap = models.PositiveIntegerField(_("daily cap"), default=0, help_text=_("0: no cap."))
    monthly_cap = models.PositiveIntegerField(_("monthly cap"), default=0, help_text=_("0: no cap."))
    registration = models.CharField(_("registered by"), max_length=10, choices=Registration.choices)
    effective_from = models.DateField(_("in force from"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["service_type", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service_type", "version"], name="points_rule_version_unique"),
            models.CheckConstraint(**check("basis", Basis)),
            models.CheckConstraint(**check("registration", Registration)),
            models.CheckConstraint(condition=Q(points__gt=0), name="points_rule_points_positive"),
        ]

    def __str__(self):
        return f"{self.service_type} v{self.version}"


class ServiceRecord(ScopedModel):
    """志愿服务登记: who served, what, when and how long, with a photo; credited only after both approvals."""

    person = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+", verbose_name=_("volunteer"))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="services", verbose_name=_("passbook"))
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service"))
    rule = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule version"))
    served_on = models.DateField(_("served on"))
    started_at = models.DateTimeField(_("started at"))
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    occasions = models.PositiveIntegerField(_("occasions"), default=1)
    description = models.CharField(_("what was done"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to="points/services/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=24, choices=ServiceStatus.choices, default=ServiceStatus.SUBMITTED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("registrar"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("community officer"),
    )
    officer_at = models.DateTimeField(_("approved by the community at"), null=True, blank=True)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("resident representative"),
    )
    representative_at = models.DateTimeField(_("approved by the representative at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True)
    points = models.PositiveIntegerField(_("points credited"), default=0)
    cap_note = models.CharField(_("cap applied"), max_length=200, blank=True)
    movement = models.OneToOneField(
        Movement, null=True, blank=True, on_delete=models.PROTECT, related_name="service", editable=False
    )
    source_type = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.CharField(_("source id"), max_length=40, blank=True)
    request = models.ForeignKey(
        "points.ServiceRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="records",
        verbose_name=_("household's request"),
    )
    key = models.CharField(_("idempotency key"), max_length=100, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(**check("status", ServiceStatus)),
            models.UniqueConstraint(
                fields=["tenant", "source_type", "source_id", "person"], condition=~Q(source_type=""),
                name="points_service_once_per_source",
            ),
            # 登记 carries the registrar's key (the form's hidden one, the API's `key`): a double submit, even two at
            # once, makes one record. Automatic credits (a source) and the rows registered before keys have none.
            models.UniqueConstraint(
                fields=["tenant", "key"], condition=Q(key__isnull=False), name="points_service_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(officer__isnull=True) | Q(representative__isnull=True)
                | ~Q(officer=models.F("representative")),
                name="points_service_two_different_approvers",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "-id"], name="points_service_queue"),
            models.Index(fields=["person", "service_type", "served_on"], name="points_service_caps"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.service_type_id} {self.served_on}"


class ServiceLog(models.Model):
    """One step of a service record's workflow: who, from which status to which, when, with a note."""

    record = models.ForeignKey(ServiceRecord, on_delete=models.PROTECT, related_name="log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.record_id} {self.action}"


class ServiceRequest(ScopedModel):
    """Two-way exchange: a household spends points to ask the volunteers for a service (a small time bank)."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="requests")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("what is needed"), max_length=300)
    points = models.PositiveIntegerField(_("points offered"))
    is_done = models.BooleanField(_("done"), default=False)
    payment = models.OneToOneField(Movement, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="points_request_points_positive")]

    def __str__(self):
        return self.description[:40]


class Reward(ScopedModel):
    """A reward in the catalogue: goods or a service offered by a partner unit or the community, priced in points."""

    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    sponsor = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("partner unit"), help_text=_("Empty: the community offers it."),
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", editable=False,
        verbose_name=_("account spent points go to"),
    )
    price = models.PositiveIntegerField(_("price in points"))
    stock = models.PositiveIntegerField(_("in stock"))
    per_account_limit = models.PositiveIntegerField(_("limit per passbook"), default=0, help_text=_("0: no limit."))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    requires_approval = models.BooleanField(_("needs approval"), default=False)
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["price", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="points_reward_price_positive"),
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="points_reward_validity"),
        ]
        indexes = [models.Index(fields=["community", "is_active", "price"], name="points_reward_offer")]

    def __str__(self):
        return self.name


class Redemption(ScopedModel):
    """积分兑换: a passbook's points paid for a reward, taken from stock; handed over at the counter or refunded."""

    key = models.CharField(_("idempotency key"), max_length=120)
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("reward"))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="redemptions",
                                verbose_name=_("passbook"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    points = models.PositiveIntegerField(_("points"))
    status = models.CharField(_("status"), max_length=10, choices=RedemptionStatus.choices,
                              default=RedemptionStatus.REQUESTED)
    needs_approval = models.BooleanField(default=False, editable=False)
    ready = models.BooleanField(default=False, editable=False)
    payment = models.OneToOneField(Movement, on_delete=models.PROTECT, related_name="+", editable=False)
    refund = models.OneToOneField(Movement, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    fulfilled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("handed over by"))
    fulfilled_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(**check("status", RedemptionStatus)),
            models.UniqueConstraint(fields=["tenant", "key"], name="points_redemption_key_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="points_redemption_quantity_positive"),
        ]
        indexes = [models.Index(fields=["reward", "account", "status"], name="points_redemption_limit")]

    def __str__(self):
        return f"{self.reward_id} × {self.quantity}"


class RedemptionLog(models.Model):
    """One step of a redemption's workflow."""

    redemption = models.ForeignKey(Redemption, on_delete=models.PROTECT, related_name="log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.redemption_id} {self.action}"


from .evaluation_models import (  # noqa: E402  (the civilised-household evaluation's models, in their own module)
    Evaluation,
    EvaluationItem,
    EvaluationLog,
    HouseholdScore,
    Inspection,
    Objection,
)

__all__ = ["Evaluation", "EvaluationItem", "EvaluationLog", "HouseholdScore", "Inspection", "Objection"]
