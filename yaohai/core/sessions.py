"""The idle timeout, without a database write on every request.

Django's `SESSION_SAVE_EVERY_REQUEST` pushes a session's expiry forward by writing the session row on every
request: three statements (a transaction around an UPDATE) on every page a signed-in user opens. This
middleware keeps the same rule — a session ends `SESSION_COOKIE_AGE` seconds after its last request — but has
Django's SessionMiddleware write the session at most once per `SESSION_TOUCH_SECONDS` (60 by default). A session
therefore ends between `SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS` and `SESSION_COOKIE_AGE` seconds after the
last request: for the 30-minute timeout, after 29 to 30 idle minutes.

It is listed right after SessionMiddleware, so it sees the response first and marks the session modified before
SessionMiddleware decides whether to save it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

TOUCHED_KEY = "_touched"


def touch_seconds() -> int:
    return getattr(settings, "SESSION_TOUCH_SECONDS", 60)


class IdleTimeoutMiddleware:
    """Save a session that was used but not changed once per touch interval (its expiry moves forward)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request read (a signed-in user's) and that holds something: an anonymous visitor's
        # empty session is not created by being looked at.
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(TOUCHED_KEY, 0) >= touch_seconds():
                session[TOUCHED_KEY] = now  # saved by SessionMiddleware, with a new expiry
        return response


@receiver(user_logged_in, dispatch_uid="yaohai.core.sessions.touched_at_login")
def _touched_at_login(sender, request, user, **kwargs):
    """A sign-in writes the session with a fresh expiry: that counts as its first touch."""
    session = getattr(request, "session", None)
    if session is not None:
        session[TOUCHED_KEY] = int(time.time())
