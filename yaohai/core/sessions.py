"""The idle timeout, without a database write on every request.

Django's `SESSION_SAVE_EVERY_REQUEST` pushes a session's expiry forward by writing the session row on every
request: three statements (a transaction around an UPDATE) on every page a signed-in user opens. This
middleware keeps the same rule — a session ends `SESSION_COOKIE_AGE` seconds after its last request — but writes
the session at most once per `SESSION_TOUCH_SECONDS` (60 by default). A session therefore ends between
`SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS` and `SESSION_COOKIE_AGE` seconds after the last request: for the
30-minute timeout, after 29 to 30 idle minutes.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware

TOUCHED_KEY = "_touched"


def touch_seconds() -> int:
    return getattr(settings, "SESSION_TOUCH_SECONDS", 60)


class IdleTimeoutSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, saving a session that was used but not changed once per touch interval."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        # Only a session this request read (a signed-in user's) and that holds something: an anonymous visitor's
        # empty session is not created by being looked at.
        if session is not None and session.accessed and not session.modified and not session.is_empty():
            now = int(time.time())
            if now - session.get(TOUCHED_KEY, 0) >= touch_seconds():
                session[TOUCHED_KEY] = now  # marks it modified: the parent saves it with a new expiry
        return super().process_response(request, response)
