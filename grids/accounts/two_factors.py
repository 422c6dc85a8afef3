"""Who must give a second factor, and the gate that asks for it (django-otp's TOTP devices, recovery codes).

Administrators — superusers, staff, tenant admins and every holder of an administrator role — always need a
one-time code after the password; officers (heads above the grid level) need one when their tenant sets
`Tenant.officers_need_two_factors`. A signed-in user who needs it and has not given it in this session may only
give it (or enrol, or sign out): every other page, the admin included, sends them to the code page, and the API
answers 403. The API's token endpoint asks such users for an `otp` field (grids.accounts.api).
"""

from __future__ import annotations

import math
from urllib.parse import quote

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import Tenant, User

SESSION_KEY = "_two_factors_needed"


def required_by_rank(user: User) -> bool:
    """Administrators of every kind need the second factor, whatever their tenant says (no query)."""
    return bool(user.is_superuser or user.is_staff or user.is_tenant_admin or getattr(user, "admin_role", ""))


def needs_two_factors(user: User) -> bool:
    """True when this user must give a one-time code after the password."""
    if not user.is_authenticated:
        return False
    if required_by_rank(user):
        return True
    if not user.tenant_id:
        return False
    if not Tenant.objects.filter(pk=user.tenant_id, officers_need_two_factors=True).exists():
        return False
    from ..selectors import role_of

    return role_of(user) == "officer"


def has_authenticator(user: User) -> bool:
    """The user has enrolled an authenticator app (a confirmed TOTP device)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needed(request) -> bool:
    """needs_two_factors for the request's user, decided once per session for officers (at sign-in)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if required_by_rank(user):
        return True
    session = getattr(request, "session", None)
    if session is None:
        return needs_two_factors(user)
    value = session.get(SESSION_KEY)
    if value is None:
        value = session[SESSION_KEY] = needs_two_factors(user)
    return value


def is_verified(request) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def two_factors_missing(request) -> bool:
    """The user is signed in with the password only, and needs the second factor too."""
    return needed(request) and not is_verified(request)


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: a user who still owes the second factor gets only the pages that take it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._allowed(request.path):
            if two_factors_missing(request):
                return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        open_paths = (
            reverse("accounts:two-factors-verify"),
            reverse("accounts:two-factors-enrol"),
            reverse("logout"),
            reverse("set_language"),
        )
        return path in open_paths or path.startswith("/static/")

    @staticmethod
    def _refuse(request):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Give the one-time code of your second factor on the web first."),
                 "code": "two_factors_required"},
                status=403,
            )
        target = "accounts:two-factors-verify" if has_authenticator(request.user) else "accounts:two-factors-enrol"
        return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")


@receiver(user_logged_in, dispatch_uid="grids.accounts.two_factors_at_login")
def _decide_at_login(sender, request, user, **kwargs):
    """Decide at sign-in whether this session owes a second factor, so the pages after it read the session."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = needs_two_factors(user)


def status(user: User) -> dict:
    """What the 账号安全 page says about the user's second factor."""
    from .models import RecoveryCode

    enrolled = has_authenticator(user)
    left = RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count() if enrolled else 0
    return {"enrolled": enrolled, "needed": needs_two_factors(user), "recovery_left": left}


def throttled_seconds(user: User, after: int = 3) -> int:
    """How long the user's authenticator still refuses every code, once `after` wrong codes in a row have slowed
    it down (django-otp's throttling: 1, 2, 4 … seconds); 0 when it takes codes."""
    waits = []
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until") and data.get("failure_count", 0) >= after:
            waits.append(math.ceil((data["locked_until"] - timezone.now()).total_seconds()))
    return max([w for w in waits if w > 0], default=0)
