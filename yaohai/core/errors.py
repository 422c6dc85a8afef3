"""One hierarchy of refusals for every app, mapped once to API answers and once to pages.

A service refuses a request by raising a subclass of DomainError with a message for the user, already in their
language (gettext at raise time). The class says the HTTP answer:

    DomainError            400  the base; catch it to catch any refusal
    ├── Invalid            400  the request is malformed or names something unusable (a bad month, too big an export)
    ├── NotAllowed         403  the step exists, but this person may not take it
    ├── NotFound           404  nothing there for this person (out of scope looks exactly like absent)
    └── Conflict           409  the record's state forbids it now (yaohai.core.workflow.IllegalStep: a step the
                                 table does not allow from the current status; a frozen month; a pending request)

Field-by-field form errors stay django.core.exceptions.ValidationError (the forms and serializers show them beside
their fields). Apps subclass these (events: TransitionError is IllegalStep; assessment: Frozen is a Conflict) so
both mappings apply to them without a line of their own:

- the API: `api_exception_handler` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) answers {"detail": message} with the
  class's status; a ValidationError from a service answers 400 with its messages; the rest is DRF's own handler;
- the pages: `render_refusal` renders the error inside the page's own template (its `error` context variable),
  and `DomainErrorMiddleware` renders any refusal a view let through on templates/core/refused.html.

This module imports no app.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refused request; nothing was changed. `message` is for the user, `status` is the HTTP answer."""

    status = 400

    def __init__(self, message=""):
        message = str(message) or self.default_message()
        super().__init__(message)
        self.message = message

    @classmethod
    def default_message(cls) -> str:
        return _("The request was refused.")

    @property
    def status_code(self) -> int:
        return self.status

    @property
    def messages(self) -> list[str]:
        """The same shape as ValidationError.messages, for code that lists the reasons."""
        return [self.message]


class Invalid(DomainError):
    """The request cannot be carried out as asked: say what is wrong (HTTP 400)."""

    status = 400


class NotAllowed(DomainError):
    """A step that exists, refused to this person (HTTP 403)."""

    status = 403

    @classmethod
    def default_message(cls) -> str:
        return _("You may not do this.")


class NotFound(DomainError):
    """Nothing there for this person: out of scope answers exactly like absent (HTTP 404)."""

    status = 404

    @classmethod
    def default_message(cls) -> str:
        return _("Not found.")


class Conflict(DomainError):
    """The record's current state forbids the request (HTTP 409)."""

    status = 409


# --- the API -------------------------------------------------------------------------------------------------------


def domain_response(exc):
    """The API answer to a refusal (a DomainError, or a service's ValidationError); None for anything else."""
    from rest_framework.response import Response

    if isinstance(exc, DomainError):
        return Response({"detail": exc.message}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=400)
    return None


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: refusals of our services, then DRF's own errors translated (api_errors)."""
    response = domain_response(exc)
    if response is not None:
        return response
    from .api_errors import exception_handler  # DRF's own errors, in the user's language and one shape

    return exception_handler(exc, context)


# --- the pages -----------------------------------------------------------------------------------------------------

REFUSED_TEMPLATE = "core/refused.html"


def render_refusal(request, error: DomainError, template: str = REFUSED_TEMPLATE, context: dict | None = None):
    """The page answering a refusal: `template` (the page the user was on) with the message as `error`, and the
    status of the error's class."""
    return render(request, template, {**(context or {}), "error": error.message}, status=error.status)


class DomainErrorMiddleware:
    """Pages: a refusal a view did not handle itself is rendered in the site's look with its status, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return render_refusal(request, exception)
        return None
