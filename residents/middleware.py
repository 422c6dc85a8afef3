"""A resident's session reaches the resident pages only: every staff page answers 404, as for a stranger."""

from __future__ import annotations

from django.http import Http404

SESSION_FLAG = "resident_account"
ALLOWED_PREFIXES = ("/r/", "/static/", "/i18n/", "/healthz")


class ResidentConfinementMiddleware:
    """Reads the session flag the resident sign-in sets (no query): a resident outside /r/ gets a 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_FLAG) and not request.path.startswith(ALLOWED_PREFIXES):
            raise Http404
        return self.get_response(request)
