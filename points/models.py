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
from grids.querysets import ScopedQuerySet

from .choices import NEVER_NEGATIVE, AccountKind, MovementKind, check

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
                fields=["person"], condition=Q(kind=AccountKind.VOLUNTEER), name="points_one_passbook_per_person"
            ),
            models.UniqueConstraint(
                fields=["household"], condition=Q(kind=AccountKind.HOUSEHOLD),
                name="points_one_passbook_per_household",
            ),
            models.UniqueConstraint(
                fields=["node", "kind"], condition=Q(kind__in=[AccountKind.ISSUING, AccountKind.POOL]),
                name="points_one_issuing_or_pool_per_node",
            ),
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(kind=AccountKind.PARTNER), name="points_one_account_per_partner"
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
            models.UniqueConstraint(fields=["movement", "account"], name="points_entry_one_per_side"),
        ]
        indexes = [models.Index(fields=["account", "-id"], name="points_entry_account_page")]

    def __str__(self):
        return f"{self.account_id}: {self.amount:+d}"
