"""Query strings read strictly: a parameter a page reads, given a value it cannot read, is refused with a 400 that
says which parameter and why (in the user's language) — never silently replaced by its default."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _


def bad_query(request, errors: list[str], *, status: int = 400):
    """The page that refuses a query string: each reason, and a link back to the page without it."""
    return render(request, "bad_query.html", {"errors": errors, "back_url": request.path}, status=status)


def query_errors(form: forms.Form) -> list[str]:
    """A bound query form's errors as "parameter: message" lines."""
    lines = []
    for name, errors in form.errors.items():
        for message in errors:
            lines.append(f"{name}: {message}" if name != forms.forms.NON_FIELD_ERRORS else message)
    return lines


def strict_query(**fields: forms.Field):
    """Decorate a view: these query-string parameters are read by these form fields before the view runs, and
    a value that does not read answers 400 (bad_query). Parameters left out or empty keep the view's defaults."""
    form_class = type("QueryForm", (forms.Form,), dict(fields))

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            form = form_class(request.GET)
            if not form.is_valid():
                return bad_query(request, query_errors(form))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class CursorField(forms.CharField):
    """A keyset cursor (`?after=`) read back by `parse`; one it cannot read is refused, not read as "the top"."""

    def __init__(self, parse, **kwargs):
        self.parse = parse
        super().__init__(required=False, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and self.parse(value) is None:
            raise ValidationError(_("This is not a page cursor: follow the page's own “next” link."), code="invalid")
