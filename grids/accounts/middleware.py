"""An expired password sends a signed-in user to the password-change page until it is changed."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from . import selectors

SESSION_KEY = "_password_expired"


class PasswordExpiryMiddleware:
    """After sign-in, a user whose tenant's password lifetime has passed may only change the password (or sign
    out, or switch the language). The check runs once per session and is cleared by the change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            expired = request.session.get(SESSION_KEY)
            if expired is None:
                expired = selectors.password_expired(user)
                request.session[SESSION_KEY] = expired
            if expired and not self._allowed(request.path):
                return redirect("accounts:password-change")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed = (
            reverse("accounts:password-change"), reverse("logout"), reverse("set_language"),
            reverse("accounts:two-factors-verify"), reverse("accounts:two-factors-enrol"),  # the code comes first
        )
        return path in allowed or path.startswith("/static/")


@receiver(user_logged_in, dispatch_uid="grids.accounts.password_expiry_at_login")
def _check_at_login(sender, request, user, **kwargs):
    """Decide at sign-in, so the pages after it read the answer from the session (no query, no session write)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = selectors.password_expired(user)
