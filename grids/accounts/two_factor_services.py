"""Writes about the second factor: enrolling an authenticator app, recovery codes, checking a code, a reset."""

from __future__ import annotations

import base64
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import User
from .models import RecoveryCode, RecoveryCodeDevice, digest, normalise_code

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"


def _audit(action: str, user: User, *, actor: User | None = None, summary: dict | None = None) -> None:
    from audit.services import record

    record(action, user, summary={"user": user.get_username(), **(summary or {})}, actor=actor,
           tenant_id=user.tenant_id)


def new_code() -> str:
    """A recovery code: 16 base32 characters (80 random bits) in four groups, e.g. "k3mq-…"."""
    text = base64.b32encode(secrets.token_bytes(10)).decode().lower()
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


@transaction.atomic
def start_enrolment(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled: the user's unconfirmed TOTP device, made on the first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def confirm_enrolment(*, user: User, device_id: int, code: str) -> tuple[TOTPDevice, list[str]]:
    """The user typed a code of the app they just set up: the device is confirmed, any other authenticator of
    theirs goes, and ten new recovery codes are made (returned once, stored as digests)."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        raise ValidationError(_("This enrolment has expired; start again."), code="enrolment_gone")
    if not device.verify_token(_digits(code)):
        raise ValidationError(_("The code is wrong or has expired. Type the six digits your app shows now."),
                              code="wrong_code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    _audit("accounts.two_factors.enrol", user)
    codes = new_recovery_codes(user=user)
    return device, codes


@transaction.atomic
def enrol_with_key(*, user: User, key: str) -> TOTPDevice:
    """Enrol an authenticator with a given secret (hex): the demo's administrators (grids.demo)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, key=key, confirmed=True)


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; only their digests are kept."""
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, digest=digest(c)) for c in codes)
    _audit("accounts.two_factors.recovery_codes", user)
    return codes


def _digits(code: str) -> str:
    return "".join(ch for ch in str(code or "") if not ch.isspace())[:32]


def verify_code(*, user: User, code: str) -> Device | None:
    """The device that accepts this code — the authenticator (six digits) or an unused recovery code — or None.
    Wrong codes slow the authenticator down (django-otp's throttling); a recovery code signs in once."""
    text = _digits(code)
    if not text:
        return None
    if text.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            verified = verify_token(user, device.persistent_id, text)
            if verified is not None:
                return verified
        return None
    if not normalise_code(text):
        return None
    for device in RecoveryCodeDevice.objects.filter(user=user, confirmed=True):
        verified = verify_token(user, device.persistent_id, text)
        if verified is not None:
            _audit("accounts.two_factors.recovery_code_used", user, summary={"left": verified.remaining()})
            return verified
    return None


@transaction.atomic
def reset_two_factors(*, user: User, actor: User | None = None) -> int:
    """A security administrator resets a user's second factor (a lost phone): the authenticator and the recovery
    codes go, and the user enrols again at the next sign-in."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    codes, _ = RecoveryCodeDevice.objects.filter(user=user).delete()
    _audit("accounts.two_factors.reset", user, actor=actor)
    return removed + codes
