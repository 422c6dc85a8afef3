"""The API's cursor pagination: a cursor that does not read is refused with a 400 naming `cursor` (as the events
list refuses an unreadable `after`), not DRF's 404 "Invalid cursor", which reads as "no such record"."""

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


class CursorPagination(pagination.CursorPagination):
    """DRF's cursor pagination, with an unreadable cursor a 400."""

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {self.cursor_query_param: [_("This is not a page cursor: follow the page's own “next” link.")]}
            ) from None
