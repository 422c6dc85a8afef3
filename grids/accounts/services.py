"""Writes about accounts: a password was changed, API tokens issued and revoked."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from audit import services as audit
from audit.models import Kind

from ..models import PasswordHistory, User


def _audit(action: str, user: User, *, summary: dict, actor: User | None = None) -> None:
    """The accounts' one audit helper: an account row about `user` (never the password or the token itself)."""
    audit.record(
        f"accounts.{action}", user, kind=Kind.ACCOUNT, summary=summary, tenant_id=user.tenant_id, actor=actor
    )


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "API_TOKEN_LIFETIME_HOURS", 168))


def token_expires_at(token: Token) -> dt.datetime:
    return token.created + token_lifetime()


def token_is_expired(token: Token, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


@transaction.atomic
def issue_token(*, user: User, now: dt.datetime | None = None) -> Token:
    """The user's API token: the current one while it lives, else a new one (an expired token is replaced)."""
    now = now or timezone.now()
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not token_is_expired(token, now):
        return token
    replaced = token is not None
    if token is not None:
        token.delete()
    token = Token.objects.create(user=user)  # its `created` is now: the lifetime starts
    _audit("token.issue", user, summary={"replaced_expired": replaced}, actor=user)  # the user signs in for it
    return token


@transaction.atomic
def revoke_tokens(*, user: User) -> int:
    """Revoke the user's API tokens (sign-out, password change, the user's or an admin's request)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        _audit("token.revoke", user, summary={"tokens": deleted})
    return deleted


@transaction.atomic
def password_changed(*, user: User, now: dt.datetime | None = None) -> None:
    """Record a new password: it joins the history (the oldest beyond the kept count go), its date restarts the
    expiry clock, and every API token of the user is revoked."""
    now = now or timezone.now()
    if user.pk is None:
        return
    PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
    keep = max(password_history_count(), 1)
    stale = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-pk").values_list("pk", flat=True)[keep:]
    stale = list(stale)
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()
    User.objects.filter(pk=user.pk).update(password_changed_at=now)
    user.password_changed_at = now
    _audit("password.change", user, summary={"at": now})
    revoke_tokens(user=user)


def password_history_count() -> int:
    return getattr(settings, "PASSWORD_HISTORY_COUNT", 5)
