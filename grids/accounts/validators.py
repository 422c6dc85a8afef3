"""Password rules a government system is audited for (listed in settings.AUTH_PASSWORD_VALIDATORS).

- MinimumLengthValidator: Django's, with a message our catalogue translates.
- CharacterClassesValidator: at least three of four classes — upper-case letters, lower-case letters, digits,
  symbols. Spaces and characters outside those classes (e.g. Chinese characters) count for none, so ten spaces
  or a repeated four-character Chinese phrase are refused.
- PasswordHistoryValidator: not the current password, nor one of the last PASSWORD_HISTORY_COUNT. Its
  `password_changed` hook, which Django calls whenever a user is saved with a new password (the change page, the
  admin, `changepassword`), records the change through grids.accounts.services.password_changed.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a message of our own catalogue (Django 5.2 changed its msgid, and its Chinese
    catalogue still carries the old one, so the rule answered in English)."""

    def get_error_message(self):
        return _("The password is too short: it must have at least %(n)d characters.") % {"n": self.min_length}

    def get_help_text(self):
        return _("Your password must have at least %(n)d characters.") % {"n": self.min_length}


def _classes(password: str) -> int:
    upper = any("A" <= c <= "Z" for c in password)
    lower = any("a" <= c <= "z" for c in password)
    digit = any("0" <= c <= "9" for c in password)
    symbol = any(c.isascii() and not c.isalnum() and not c.isspace() for c in password)
    return upper + lower + digit + symbol


class CharacterClassesValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols (ASCII)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if _classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of: upper-case letters, lower-case letters, digits and "
                    "symbols."
                ) % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _(
            "Your password must mix at least %(n)d of: upper-case letters, lower-case letters, digits and symbols."
        ) % {"n": self.min_classes}


class PasswordHistoryValidator:
    """Not the current password nor one of the last `count` (settings.PASSWORD_HISTORY_COUNT by default)."""

    def __init__(self, count: int | None = None):
        self._count = count

    @property
    def count(self) -> int:
        from .services import password_history_count

        return self._count if self._count is not None else password_history_count()

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from ..models import PasswordHistory, User

        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        former = list(
            PasswordHistory.objects.filter(user_id=user.pk)
            .order_by("-created_at", "-pk")
            .values_list("password", flat=True)[: self.count]
        )
        for encoded in [current, *former]:
            if encoded and check_password(password, encoded):
                raise ValidationError(
                    _("The password must differ from your current one and your last %(n)d.") % {"n": self.count},
                    code="password_reused",
                )

    def get_help_text(self):
        return _("Your password must differ from your current one and your last %(n)d.") % {"n": self.count}

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .services import password_changed

        password_changed(user=user)
