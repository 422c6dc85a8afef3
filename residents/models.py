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

    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="+", verbose_name=_("event"))
    account = models.ForeignKey(
        ResidentAccount, on_delete=models.PROTECT, related_name="reopen_requests", verbose_name=_("resident account")
    )
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=ReopenStatus.choices, default=ReopenStatus.PENDING
    )
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("asked at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("reopen request")
        verbose_name_plural = _("reopen requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "event"], condition=Q(status="pending"), name="one_pending_reopen"),
            models.CheckConstraint(condition=Q(status__in=ReopenStatus.values), name="reopen_status_valid"),
        ]

    def __str__(self):
        return f"reopen {self.event_id}"


class ResidentSettings(models.Model):
    """A district's choices for its residents' pages and its Open311 endpoint (one row a tenant; absent = defaults)."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="+", verbose_name=_("tenant"))
    show_staff_names = models.BooleanField(
        _("show staff names to residents"), default=False,
        help_text=_("Off: a resident sees who took a step of her report by role (网格员), not by name."),
    )
    open311_anonymous = models.BooleanField(
        _("Open311: accept requests without an API key"), default=False,
        help_text=_("Off: an Open311 client posts a request only with an API key of this district."),
    )

    class Meta:
        verbose_name = _("residents' settings")
        verbose_name_plural = _("residents' settings")

    def __str__(self):
        return str(self.tenant)

    @classmethod
    def of(cls, tenant_id) -> ResidentSettings:
        return cls.objects.filter(tenant_id=tenant_id).first() or cls(tenant_id=tenant_id)


class Open311Client(models.Model):
    """An application that posts Open311 GeoReport v2 requests to a district: its key is kept as a hash only."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"))
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["tenant", "name"]

    def __str__(self):
        return self.name


class Open311Request(models.Model):
    """A request posted through Open311: its event, the client (none when anonymous), the token the spec's
    /tokens/ answers, and the contact the poster gave, encrypted (never shown by the public projection)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    event = models.OneToOneField("events.Event", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Open311Client, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=32, unique=True)
    contact_encrypted = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.token
