"""When the database goes away mid-request (a restart, a failover, a dropped connection): a clear 503 in the
user's language instead of a 500, and nothing half-written.

Every write runs in a transaction (the services are atomic), so a connection lost part-way through loses the whole
transaction on the server: nothing partial is committed. What is left is the answer. This middleware turns
Django's OperationalError / InterfaceError into a 503 with Retry-After — JSON for the API, a standalone page
(no database needed to render it) for the rest — and closes the broken connection so that the next request,
with CONN_HEALTH_CHECKS on, opens a fresh one.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 15


class DatabaseUnavailableMiddleware:
    """Answers 503 (not 500) when the database connection failed during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, type(exception).__name__)
        for connection in connections.all(initialized_only=True):
            if connection.in_atomic_block:
                connection.needs_rollback = True
            connection.close_if_unusable_or_obsolete()
        message = _("The database is briefly unavailable. Nothing was saved; please try again in a moment.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503, json_dumps_params={"ensure_ascii": False})
        else:
            response = HttpResponse(
                render_to_string("503.html", {"message": message}), status=503, content_type="text/html; charset=utf-8"
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
