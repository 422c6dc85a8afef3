"""Recovery codes for the second factor: ten single-use codes per user, stored as SHA-256 digests only."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


def normalise_code(code: str) -> str:
    """What the user typed, without spaces, dashes and case: "ABCD-efgh …" and "abcdefgh…" are the same code."""
    return "".join(ch for ch in str(code or "").lower() if ch.isalnum())


def digest(code: str) -> str:
    """The stored form of a recovery code. The codes carry 80 random bits, so a plain hash is enough: nobody can
    guess one from its digest, and a code is found by its digest in one indexed query."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


class RecoveryCodeDevice(Device):
    """The recovery codes of one user, as a django-otp device: a code signs in once when the phone is lost."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token) -> bool:
        code = normalise_code(token)
        if not code or len(code) > 64:
            return False
        used = RecoveryCode.objects.filter(device=self, digest=digest(code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        return used == 1  # the conditional update makes a code single-use even under concurrent requests

    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


class RecoveryCode(models.Model):
    """One recovery code (its digest); `used_at` is set when it signs in, and it never signs in again."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique_per_device")]

    def __str__(self):
        return f"{self.device_id}:{self.digest[:8]}…"
