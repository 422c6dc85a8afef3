"""Reads about accounts: whether a password has expired under its tenant's policy, a user's API token."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework.authtoken.models import Token

from ..models import Tenant, User


def password_expired(user: User, now: dt.datetime | None = None) -> bool:
    """True when the user's tenant sets a password lifetime and the password is older than it.
    A password never changed through the platform dates from the account's creation."""
    if not user.tenant_id:
        return False
    tenant = user.tenant if "tenant" in user._state.fields_cache else None
    max_age = (
        tenant.password_max_age_days
        if tenant is not None
        else Tenant.objects.filter(pk=user.tenant_id).values_list("password_max_age_days", flat=True).first()
    )
    if not max_age:
        return False
    changed = user.password_changed_at or user.date_joined
    return (now or timezone.now()) - changed >= dt.timedelta(days=max_age)


def token_of(*, actor: User) -> Token | None:
    """The actor's own API token, if one was issued."""
    return Token.objects.filter(user=actor).first()
