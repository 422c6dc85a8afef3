"""The audit trail: one row per write through a service and per read of personal data, never edited.

Rows are chained by hash per tenant (`chain` = the tenant's id, 0 for platform-wide rows): once sealed, a row holds
its place in the chain (`seq`), the hash of the row before it and its own hash over its content, so
`manage.py verify_audit` proves that no sealed row was altered or removed. Rows carry ids, not foreign keys: the
trail outlives what it names and never cascades.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    WRITE = "write", _("Change")
    READ = "read", _("Personal-data access")
    ACCOUNT = "account", _("Account")


class AppendOnly(models.QuerySet):
    """Audit rows are never updated or deleted through the ORM (pruning and sealing use their own statements)."""

    def update(self, **kwargs):
        raise TypeError("audit entries are append-only")

    def delete(self):
        raise TypeError("audit entries are append-only")


class Entry(models.Model):
    """Who did what to which object, from where and when, with a summary of before and after."""

    at = models.DateTimeField(_("time"), db_index=True)
    chain = models.BigIntegerField(editable=False)  # the tenant's id, 0 outside any tenant
    tenant_id = models.BigIntegerField(_("tenant"), null=True, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    seq = models.BigIntegerField(null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AppendOnly.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_entry_chain_seq"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="audit_entry_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["chain", "at", "id"], name="audit_entry_chain_at"),
            models.Index(fields=["chain", "object_type", "object_id"], name="audit_entry_object"),
            models.Index(fields=["chain", "seq"], name="audit_entry_unsealed", condition=models.Q(seq__isnull=True)),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("audit entries are append-only")


class Anchor(models.Model):
    """Where a chain starts after pruning: the first kept position and the hash before it."""

    chain = models.BigIntegerField(primary_key=True)
    seq = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64, blank=True)
    pruned_at = models.DateTimeField()
    pruned_rows = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain anchor")

    def __str__(self):
        return f"chain {self.chain} from {self.seq}"
