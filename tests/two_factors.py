"""Test helpers for the second factor: codes computed from a device's own secret, never read off a clock-bound
fixture. TOTP accepts the step before and after the current one (django-otp's tolerance), and refuses a step it
has already accepted, so a test asks for a code `ahead` steps later to give a second code in the same test."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

TEST_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, hex


def code_for(device: TOTPDevice, ahead: int = 0) -> str:
    """The code the user's app shows now (ahead=0) or `ahead` steps (of 30 s) later, within the tolerance."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user, key: str = TEST_KEY) -> TOTPDevice:
    """The user's confirmed authenticator (made with `key` if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)
