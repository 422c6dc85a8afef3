"""Open311 GeoReport v2 endpoints (/open311/v2/…): JSON or XML by the path's extension, the spec's error list on
every refusal (never a page, never a 500 for bad input). No session and no cookie: reads are public, a POST is
authorised by its api_key (residents.open311), so CSRF does not apply."""

from __future__ import annotations

import json
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from yaohai.core.client_ip import client_ip
from yaohai.core.errors import DomainError

from . import open311

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def _answer(fmt: str, payload, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = open311.to_xml(root, item, payload)
    else:
        body = json.dumps(payload, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Access-Control-Allow-Origin"] = "*"  # public reads: any client may call (no cookie is honoured)
    return response


def _error(fmt: str, status: int, description) -> HttpResponse:
    return _answer(fmt if fmt in open311.FORMATS else "json", open311.errors(status, description),
                   root="errors", item="error", status=status)


def endpoint(*methods: str):
    """The format checked, the method checked, every refusal in the spec's error format."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, fmt, *args, **kwargs):
            if fmt not in open311.FORMATS:
                return _error("json", 404, "format: json or xml")
            if request.method not in methods:
                response = _error(fmt, 405, f"method: {', '.join(methods)}")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, *args, **kwargs)
            except DomainError as refusal:
                return _error(fmt, refusal.status, refusal.message)
            except ValidationError as refusal:
                return _error(fmt, 400, " ".join(refusal.messages))

        return csrf_exempt(wrapper)

    return decorate


@endpoint("GET")
def service_list(request, fmt):
    tenant = open311.jurisdiction(request.GET)
    return _answer(fmt, open311.services(tenant), root="services", item="service")


@endpoint("GET")
def service_definition(request, fmt, code):
    tenant = open311.jurisdiction(request.GET)
    return _answer(fmt, open311.definition(tenant, code), root="service_definition", item=None)


@endpoint("GET", "POST")
def request_list(request, fmt):
    if request.method == "POST":
        row, event = open311.post_request(request.POST, address=client_ip(request) or "")
        payload = [{"service_request_id": event.reference, "token": row.token, "service_notice": None,
                    "account_id": None}]
        return _answer(fmt, payload, root="service_requests", item="request")
    tenant = open311.jurisdiction(request.GET)
    rows = open311.requests(tenant, request.GET)
    return _answer(fmt, open311.projection(rows, extensions=request.GET.get("extensions") == "true"),
                   root="service_requests", item="request")


@endpoint("GET")
def request_detail(request, fmt, reference):
    tenant = open311.jurisdiction(request.GET)
    event = open311.one_request(tenant, reference)
    return _answer(fmt, open311.projection([event], extensions=request.GET.get("extensions") == "true"),
                   root="service_requests", item="request")


@endpoint("GET")
def token_detail(request, fmt, token):
    tenant = open311.jurisdiction(request.GET)
    return _answer(fmt, [open311.token(tenant, token)], root="service_requests", item="request")
