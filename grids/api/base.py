"""The API's base view: every list and detail starts from `visible_to`, so out of scope is 404."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from grids.rights import VIEW


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only list and detail over `model.objects.visible_to(user, action)`; subclasses add named actions."""

    model = None
    scope_action = VIEW
    ordering = ("id",)

    def scoped_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.scope_action)

    def get_queryset(self):
        return self.scoped_queryset()


def as_drf_error(exc: DjangoValidationError) -> ValidationError:
    """A service's ValidationError, as a 400 carrying the same translated messages."""
    if hasattr(exc, "error_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"detail": exc.messages})
