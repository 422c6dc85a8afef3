"""Identity numbers and phones: normalising, validating (GB 11643 check digit) and masking — no storage here."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def check_digit(first17: str) -> str:
    """The 18th character of a 居民身份证 number (GB 11643-1999, ISO 7064 MOD 11-2)."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise_id(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normalise_document(value: str) -> str:
    """Other documents (passports, permits): no spaces, upper case."""
    return re.sub(r"[\s-]+", "", value or "").upper()


def parse_resident_id(value: str) -> tuple[str, dt.date, str]:
    """A valid 18-digit 居民身份证 number → (normalised number, birth date, sex "male"/"female").

    Raises ValidationError with the reason: its shape, its birth date, or its check digit."""
    number = normalise_id(value)
    if not ID_RE.match(number):
        raise ValidationError(_("An identity card number has 17 digits and a check digit (0–9 or X)."), code="shape")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date inside the identity card number does not exist."), code="birth") from None
    if birth.year < 1900:
        raise ValidationError(_("The birth date inside the identity card number does not exist."), code="birth")
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(_("The identity card number's check digit is wrong."), code="check_digit")
    sex = "male" if int(number[16]) % 2 else "female"
    return number, birth, sex


def normalise_phone(value: str) -> str:
    """Digits only; a leading +86 / 0086 / 86 on a mobile number is dropped."""
    digits = re.sub(r"\D", "", value or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    return digits


def validate_phone(value: str) -> str:
    phone = normalise_phone(value)
    if phone and not (MOBILE_RE.match(phone) or 7 <= len(phone) <= 12):
        raise ValidationError(_("Enter a mobile number of 11 digits or a landline number."), code="phone")
    return phone


def mask_id(number: str) -> str:
    """340102********1234: the region and the last four, the birth date hidden."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * (len(number) - 2) + number[-2:]
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    return number[:2] + "*" * (len(number) - 6) + number[-4:]


def mask_phone(phone: str) -> str:
    """139****8230 for a mobile; a landline keeps its last four."""
    if not phone:
        return ""
    if len(phone) == 11:
        return phone[:3] + "****" + phone[-4:]
    return "*" * max(len(phone) - 4, 0) + phone[-4:]
