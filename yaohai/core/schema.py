"""The OpenAPI schema tells the truth about errors: every operation declares the 400/403/404/409 answers it
really gives (drf-spectacular's AutoSchema declares only the success), with the bodies DRF sends."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.pagination import CursorPagination


class ErrorDetailSerializer(serializers.Serializer):
    """A refusal with one message (404, 403, 409), in the caller's language."""

    detail = serializers.CharField()


FIELD_ERRORS = {
    "type": "object",
    "description": "Each refused field (or query parameter) with its messages, in the caller's language; "
    "`detail` or `non_field_errors` for the request as a whole.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

DESCRIPTIONS = {
    400: "Refused input (body fields or query parameters), with the reasons; nothing was changed.",
    403: "This step is not the caller's to take (their post or role does not allow it).",
    404: "No such record within the caller's scope — the same answer whether it exists elsewhere or not at all.",
    409: "The step does not apply to the record's current state (e.g. already accepted); nothing was changed.",
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the error answers: 404 for a path with an id, 400 for a body, for filters or for a page cursor, and whatever a view lists in `schema_errors` ({action: codes}) — e.g. 403/409 of a workflow step."""

    def error_codes(self) -> set[int]:
        view, codes = self.view, set()
        if "{" in self.path:
            codes.add(404)
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            codes.add(400)
        if self.method == "GET" and self._is_list_view():
            if self.get_filter_backends() and (
                getattr(view, "filterset_class", None) or getattr(view, "filterset_fields", None)
            ):
                codes.add(400)
            if isinstance(self._get_paginator(), CursorPagination):
                codes.add(400)  # an unreadable cursor (yaohai.core.pagination)
        codes |= set(getattr(view, "schema_errors", {}).get(getattr(view, "action", None), ()))
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in sorted(self.error_codes()):
            if str(code) in responses:
                continue
            body = FIELD_ERRORS if code == 400 else ErrorDetailSerializer
            responses[str(code)] = self._get_response_for_code(
                OpenApiResponse(response=body, description=DESCRIPTIONS[code]), str(code), direction=direction
            )
        return responses
