"""One shape and the user's language for every API error that is not a field-by-field validation answer.

DRF's own handler answers `Http404` with the ORM's English "No Event matches the given query.", a body it cannot
parse with Python's English "JSON parse error - Expecting value …", and a missing CSRF token with "CSRF Failed: …".
This handler (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"]) replaces those with messages from our catalogue, and
gives each such answer the same body: `{"detail": <message>, "code": <machine code>}`. Validation errors keep
DRF's `{field: [messages]}` body, whose messages are already translated.

It is small on purpose: the error hierarchy of yaohai.core.errors can map its classes here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def _replacement(exc: Exception) -> Exception:
    if isinstance(exc, Http404):
        # Never the ORM's message: it names the model, and an id from elsewhere must answer as one that is absent.
        return exceptions.NotFound(_("Not found."), code="not_found")
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(code="permission_denied")
    if isinstance(exc, exceptions.ParseError):
        return exceptions.ParseError(
            _("The request body could not be read: send valid JSON (or form data)."), code="parse_error"
        )
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return exceptions.PermissionDenied(
            _("The security check of the form failed (CSRF): reload the page and try again."), code="csrf_failed"
        )
    return exc


def exception_handler(exc, context):
    """DRF's handler, after replacing the English messages; detail answers get `{"detail", "code"}`."""
    exc = _replacement(exc)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    detail = exc.detail
    if isinstance(detail, exceptions.ErrorDetail):
        response.data = {"detail": str(detail), "code": detail.code}
    return response
