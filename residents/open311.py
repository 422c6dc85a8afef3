"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): the district's categories as services, requests
posted by other clients (filed through the events services by the district's intake account), and a public
projection of residents' requests that carries no personal data.

`jurisdiction_id` is the district's division code (Tenant.code) and is required: the platform serves many
districts. Answers are JSON or XML as the spec shows them; an error is the spec's list of {code, description}.
What the projection shows and why is in docs/residents.md ("Open311 GeoReport v2").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from audit import services as audit
from events.choices import FINAL_STATUSES, LogAction, Source
from events.models import DESCRIPTION_MAX_LENGTH, Category, Event, EventLog
from events.services import report_event
from grids.models import Tenant
from yaohai.core.errors import DomainError, Invalid, NotAllowed, NotFound
from yaohai.core.personal import crypto

from . import throttles
from .models import Open311Client, Open311Request, ResidentSettings
from .reporting import PUBLIC_STEPS, _coordinates, categories, grid_at, intake_actor

CONTACT_PURPOSE = "open311_request.contact"
FORMATS = ("json", "xml")
DEFAULT_DAYS = 90  # the spec's default window of GET requests
MAX_RESULTS = 200
MAX_IDS = 50
COORDINATE_DECIMALS = 4  # ≈ 10 m: where the problem is, not whose door it is
DEFAULT_LIMITS = {"open311_client": (500, 86400), "open311_address": (30, 86400)}
_ID = re.compile(r"^[A-Za-z0-9-]{1,24}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class Open311Error(DomainError):
    """A refusal in the spec's error format with an HTTP status of its own (405, 429 besides the usual ones)."""

    def __init__(self, message, status: int):
        super().__init__(message)
        self.status = status


# -- reading the parameters ------------------------------------------------------------------------------------


def text(params, name: str, limit: int = 200) -> str:
    """A parameter as text: stripped, bounded, no NUL (PostgreSQL refuses it; the answer is a 400, not a 500)."""
    value = params.get(name, "")
    if not isinstance(value, str):
        value = ""
    if "\x00" in value:
        raise Invalid(_("%(name)s holds a character that is not allowed.") % {"name": name})
    return value.strip()[:limit]


def jurisdiction(params) -> Tenant:
    code = text(params, "jurisdiction_id", 20)
    if not code:
        raise Invalid(_("jurisdiction_id is required: the district's division code."))
    tenant = Tenant.objects.filter(code=code, is_active=True).first() if code.isdigit() else None
    if tenant is None:
        raise NotFound(_("jurisdiction_id was not found."))
    return tenant


def _when(value: str, name: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value.replace(" ", "+"))  # a "+08:00" sent unencoded in a query arrives as a space
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise Invalid(_("%(name)s is not a date and time (W3C format, e.g. 2026-11-25T09:00:00+08:00).")
                      % {"name": name})
    try:
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        # In UTC, as the databases compare it: a moment that lies outside the years 1–9999 there (the last hours of
        # 9999 west of Greenwich) is taken as the end of time (the first as its start).
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        return (dt.datetime.max if parsed.year > 1 else dt.datetime.min).replace(tzinfo=dt.UTC)


# -- services --------------------------------------------------------------------------------------------------


def services(tenant: Tenant) -> list[dict]:
    """The district's active subcategories as services, grouped by their main category."""
    return [_service(category) for category in categories(tenant)]


def _service(category: Category) -> dict:
    return {
        "service_code": str(category.pk), "service_name": category.name,
        "description": f"{category.parent.name} · {category.name}", "metadata": False, "type": "realtime",
        "keywords": "", "group": category.parent.name,
    }


def service_category(tenant: Tenant, code: str) -> Category:
    code = (code or "").strip()
    if not code:
        raise Invalid(_("service_code is required."))
    found = next((c for c in categories(tenant) if str(c.pk) == code), None) if code.isdigit() and len(code) < 10 else None
    if found is None:
        raise NotFound(_("service_code was not found."))
    return found


def definition(tenant: Tenant, code: str) -> dict:
    """A service's definition: no attributes of its own (metadata false): a description and a place suffice."""
    category = service_category(tenant, code)
    return {"service_code": str(category.pk), "attributes": []}


# -- posting a request -----------------------------------------------------------------------------------------


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_client(*, tenant: Tenant, name: str, actor=None) -> tuple[Open311Client, str]:
    """A client of the district and its API key, shown this once; only its hash is kept."""
    key = secrets.token_urlsafe(24)
    client = Open311Client.objects.create(tenant=tenant, name=name[:100], key_prefix=key[:8], key_hash=key_hash(key))
    audit.record("residents.open311_client", client, after={"name": client.name}, actor=actor)
    return client, key


def client_for(tenant: Tenant, api_key: str) -> Open311Client | None:
    """The client the key names (None when anonymous and the district accepts it); 403 otherwise."""
    if api_key:
        client = Open311Client.objects.filter(key_hash=key_hash(api_key), tenant=tenant, is_active=True).first()
        if client is None:
            raise NotAllowed(_("api_key is not valid for this jurisdiction."))
        return client
    if not ResidentSettings.of(tenant.pk).open311_anonymous:
        raise NotAllowed(_("api_key is required by this jurisdiction."))
    return None


def _limits() -> dict:
    from django.conf import settings

    return {**DEFAULT_LIMITS, **getattr(settings, "RESIDENT_RATE_LIMITS", {})}


def post_request(params, *, address: str = "", now: dt.datetime | None = None) -> tuple[Open311Request, Event]:
    """File the request as an event of the grid holding its point (source resident, the intake account its
    reporter of record); the poster's contact is kept encrypted with the request, never in the event."""
    now = now or timezone.now()
    tenant = jurisdiction(params)
    client = client_for(tenant, text(params, "api_key", 100))
    category = service_category(tenant, text(params, "service_code", 20))
    lon_text, lat_text = text(params, "long", 40), text(params, "lat", 40)
    if not (lon_text and lat_text):
        raise Invalid(_("lat and long are required: this jurisdiction places a request by its coordinates."))
    lon, lat = _coordinates(lon_text, lat_text)
    grid = grid_at(tenant, lon, lat)
    if grid is None:
        raise Invalid(_("This place is in no grid of %(district)s.") % {"district": tenant.name})
    description = text(params, "description", DESCRIPTION_MAX_LENGTH)
    contact = {name: text(params, name, 100) for name in
               ("first_name", "last_name", "email", "phone", "device_id", "account_id", "address_string")}
    limits = _limits()
    if not throttles.hit("open311_client", str(client.pk if client else "anonymous:" + tenant.code),
                         limit=limits["open311_client"][0], seconds=limits["open311_client"][1]):
        raise Open311Error(_("Too many requests from this client today."), 429)
    if not throttles.hit("open311_address", address, limit=limits["open311_address"][0],
                         seconds=limits["open311_address"][1]):
        raise Open311Error(_("Too many requests from this address today."), 429)
    phone = contact["phone"]
    masked = f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else ""
    actor = intake_actor(tenant)
    with transaction.atomic():
        event = report_event(
            actor=actor, node=grid, category=category, title=category.name[:50], description=description,
            lon=lon, lat=lat, source=Source.RESIDENT, resident_name=f"Open311 {masked}".strip(), now=now,
        )
        filled = {k: v for k, v in contact.items() if v}
        row = Open311Request.objects.create(
            tenant=tenant, event=event, client=client, token=secrets.token_urlsafe(16), created_at=now,
            contact_encrypted=crypto.encrypt(json.dumps(filled, ensure_ascii=False), CONTACT_PURPOSE) if filled else "",
        )
        audit.record("residents.open311_request", event,
                     after={"reference": event.reference, "client": client.pk if client else None}, actor=actor)
    return row, event


# -- the public projection -------------------------------------------------------------------------------------


def public_events(tenant: Tenant):
    """What anyone may read of a district: the residents' own reports (those a resident or an Open311 client
    filed), never an event staff filed (patrols, hotline, walk-in), whose place or matter may be a person's."""
    return Event.objects.filter(tenant_id=tenant.pk, source=Source.RESIDENT)


def requests(tenant: Tenant, params) -> list[Event]:
    """GET requests with the spec's filters: service_request_id (a comma list, the others then ignored),
    service_code, start_date, end_date (by default the last 90 days), status (open, closed)."""
    rows = public_events(tenant)
    ids = [part.strip() for part in text(params, "service_request_id", 2000).split(",") if part.strip()]
    if ids:
        if len(ids) > MAX_IDS or not all(_ID.match(part) for part in ids):
            raise Invalid(_("service_request_id: at most %(count)s ids, separated by commas.") % {"count": MAX_IDS})
        rows = rows.filter(reference__in=ids)
    else:
        codes = [part.strip() for part in text(params, "service_code", 500).split(",") if part.strip()]
        if codes:
            if not all(part.isdigit() and len(part) < 10 for part in codes):
                raise Invalid(_("service_code: codes of this jurisdiction's services, separated by commas."))
            rows = rows.filter(category_id__in=[int(part) for part in codes])
        end = _when(text(params, "end_date", 40), "end_date")
        start = _when(text(params, "start_date", 40), "start_date")
        if start is None:
            try:
                start = (end or timezone.now()) - dt.timedelta(days=DEFAULT_DAYS)
            except OverflowError:  # an end_date in the first days of year 1
                start = dt.datetime.min.replace(tzinfo=dt.UTC)
        if end is not None and end < start:
            raise Invalid(_("end_date is before start_date."))
        rows = rows.filter(created_at__gte=start)
        if end is not None:
            rows = rows.filter(created_at__lte=end)
        statuses = {part.strip() for part in text(params, "status", 40).split(",") if part.strip()}
        if statuses - {"open", "closed"}:
            raise Invalid(_("status is open, closed or both."))
        if statuses == {"open"}:
            rows = rows.exclude(status__in=list(FINAL_STATUSES))
        elif statuses == {"closed"}:
            rows = rows.filter(status__in=list(FINAL_STATUSES))
    return list(rows.select_related("category", "category__parent", "node").order_by("-created_at", "-id")
                [:MAX_RESULTS])


def one_request(tenant: Tenant, reference: str) -> Event:
    if not _ID.match(reference or ""):
        raise NotFound(_("service_request_id was not found."))
    found = public_events(tenant).select_related("category", "category__parent", "node").filter(
        reference=reference).first()
    if found is None:
        raise NotFound(_("service_request_id was not found."))
    return found


def token(tenant: Tenant, value: str) -> dict:
    row = (Open311Request.objects.select_related("event").filter(token=value, tenant=tenant).first()
           if _TOKEN.match(value or "") else None)
    if row is None:
        raise NotFound(_("token was not found."))
    return {"service_request_id": row.event.reference, "token": row.token}


@dataclass
class _Step:
    label: str
    action: str


def _last_steps(events: list[Event]) -> dict[int, _Step]:
    """The latest public step of each event (one query, a correlated subquery: DISTINCT ON is PostgreSQL's only)."""
    latest = (EventLog.objects.filter(event_id=OuterRef("pk"), action__in=list(PUBLIC_STEPS))
              .order_by("-created_at", "-id").values("action")[:1])
    rows = (Event.objects.filter(pk__in=[e.pk for e in events]).order_by()
            .annotate(last_step=Subquery(latest)).values_list("pk", "last_step"))
    return {event_id: _Step(str(PUBLIC_STEPS[action]), action) for event_id, action in rows if action}


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def projection(events: list[Event], *, extensions: bool = False) -> list[dict]:
    """The spec's service request, public fields only: no description (free text may name people), no contact,
    no photo, no staff; the point rounded to ≈ 10 m. Extensions (extensions=true) add the Chinese labels."""
    steps = _last_steps(events)
    answer = []
    for event in events:
        step = steps.get(event.pk)
        row = {
            "service_request_id": event.reference,
            "status": "closed" if event.status in FINAL_STATUSES else "open",
            "status_notes": step.label if step else "",
            "service_name": event.category.name, "service_code": str(event.category_id),
            "description": None, "agency_responsible": event.node.name, "service_notice": None,
            "requested_datetime": _iso(event.created_at), "updated_datetime": _iso(event.updated_at),
            "expected_datetime": None if event.status in FINAL_STATUSES else _iso(event.due_at),
            "address": None, "address_id": None, "zipcode": None,
            "lat": round(event.lat, COORDINATE_DECIMALS) if event.lat is not None else None,
            "long": round(event.lon, COORDINATE_DECIMALS) if event.lon is not None else None,
            "media_url": None,
        }
        if extensions:
            row["extended_attributes"] = {
                "status_detail": event.status, "status_detail_label": str(event.get_status_display()),
                "group": event.category.parent.name if event.category.parent_id else "",
                "merged_into": event.duplicate_of.reference if event.duplicate_of_id and step
                and step.action == LogAction.REJECT else None,
            }
        answer.append(row)
    return answer


# -- formats ---------------------------------------------------------------------------------------------------


def to_xml(root: str, item: str | None, payload) -> bytes:
    """The spec's XML: a list is <root><item>…</item>…</root>; one object is <root>…</root>; nested lists
    (attributes, values) are wrapped the same way; None is an empty element."""
    nested = {"attributes": "attribute", "values": "value"}

    def fill(element, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if isinstance(inner, list):
                    wrapper = ET.SubElement(element, key)
                    for entry in inner:
                        fill(ET.SubElement(wrapper, nested.get(key, "item")), entry)
                else:
                    fill(ET.SubElement(element, key), inner)
        elif isinstance(value, bool):
            element.text = "true" if value else "false"
        elif value is not None:
            element.text = str(value)

    top = ET.Element(root)
    if item is None:
        fill(top, payload)
    else:
        for entry in payload:
            fill(ET.SubElement(top, item), entry)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, encoding="unicode").encode()


def errors(status: int, description: str) -> list[dict]:
    return [{"code": status, "description": str(description)}]
