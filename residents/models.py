"""Resident accounts (a User with a phone kept encrypted) and the one-time codes they sign in with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.models import ScopedModel, Tenant

from .choices import AccountStatus, LinkRole, NoticeKind, ReopenStatus


class ResidentAccount(ScopedModel):
    """A resident who signs in with a phone and a code: stamped with the community she says she lives in (her
    officers confirm her and link her to a registry household); her phone only as the registry keeps phones."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="resident_account", verbose_name=_("user")
    )
    phone_encrypted = models.TextField(editable=False)
    phone_index = models.CharField(max_length=64, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=AccountStatus.choices, default=AccountStatus.UNCONFIRMED
    )
    has_community = models.BooleanField(default=False, editable=False)
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("household"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    blocked_reason = models.CharField(_("reason for blocking"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resident account")
        verbose_name_plural = _("resident accounts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "phone_index"], name="resident_phone_unique_in_tenant"),
            models.CheckConstraint(condition=Q(status__in=AccountStatus.values), name="resident_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=AccountStatus.CONFIRMED) | Q(has_community=True),
                name="resident_confirmed_has_community",
            ),
        ]

    def __str__(self):
        return self.phone_masked

    @property
    def is_confirmed(self) -> bool:
        return self.status == AccountStatus.CONFIRMED

    @property
    def is_blocked(self) -> bool:
        return self.status == AccountStatus.BLOCKED


class OneTimeCode(models.Model):
    """A sign-in code sent to a phone: kept only as a keyed hash, short-lived, single use, few attempts."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    phone_index = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "phone_index", "created_at"], name="otc_phone_created")]

    def __str__(self):
        return f"code #{self.pk}"


class ReportLink(models.Model):
    """A resident follows an event: she filed it (reporter) or joined it as a supporter; she hears of its steps."""

    account = models.ForeignKey(ResidentAccount, on_delete=models.PROTECT, related_name="links")
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=LinkRole.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "event"], name="resident_link_once"),
            models.CheckConstraint(condition=Q(role__in=LinkRole.values), name="resident_link_role_valid"),
        ]
        indexes = [models.Index(fields=["event"], name="resident_link_event")]

    def __str__(self):
        return f"{self.account} → {self.event_id}"


class ResidentNotice(models.Model):
    """A message to a resident about an event she follows (acceptance, dispatch, closure), in her own inbox."""

    account = models.ForeignKey(ResidentAccount, on_delete=models.CASCADE, related_name="notices")
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "read_at"], name="resident_notice_unread")]

    def __str__(self):
        return self.get_kind_display()


class ReopenRequest(ScopedModel):
    """A dissatisfied resident asks for her closed report to be handled again: the community checks, then
    reopens it (through events' reopen step, as its reporter of record) or declines with a reason."""

    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(ResidentAccount, on_delete=models.PROTECT, related_name="reopen_requests")
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=ReopenStatus.choices, default=ReopenStatus.PENDING)
    answer = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "event"], condition=Q(status="pending"), name="one_pending_reopen"),
            models.CheckConstraint(condition=Q(status__in=ReopenStatus.values), name="reopen_status_valid"),
        ]

    def __str__(self):
        return f"reopen {self.event_id}"
