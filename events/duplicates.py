"""Candidate duplicates (这里已有人上报): open events of the same subcategory near a point, recently filed.

The residents app offers them to a resident before she files (she may join one instead); the dispatcher sees the
same candidates on a new event's page and merges it into one (reject as a duplicate of it).

Index-friendly: a bounding box on lat/lon (degrees for the radius) narrows the rows in SQL with the tenant, the
subcategory, the open statuses and the window; the exact distance (haversine) and the ranking run on the few rows
left. Ranked nearest first (in 10 m bands, a phone's precision), then newest first.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.utils import timezone

from .choices import OPEN_STATUSES
from .models import Event

EARTH_RADIUS_M = 6_371_000
DEFAULT_RADIUS_M = 50
DEFAULT_WINDOW_DAYS = 7
MAX_CANDIDATES = 5
# A phone's position is good to about 10 m: distances are compared in 10 m bands, the newer first within a band.
DISTANCE_BAND_M = 10


def radius_for(category) -> int:
    """Metres: settings.RESIDENT_DUPLICATE_RADIUS maps a main or subcategory name to its radius (a fallen tree
    is one place; a noisy building site is heard from further)."""
    radii = getattr(settings, "RESIDENT_DUPLICATE_RADIUS", {})
    for name in (category.name, getattr(category.parent, "name", None)):
        if name in radii:
            return int(radii[name])
    return int(radii.get("*", DEFAULT_RADIUS_M))


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def candidates(*, tenant_id: int, category, lon: float, lat: float, now: dt.datetime | None = None,
               exclude_id: int | None = None, among=None) -> list[tuple[Event, float]]:
    """(event, metres) of the open events of `category` within its radius and the window, nearest then newest;
    `among` narrows the events (a dispatcher's scope: Event.objects.visible_to(actor))."""
    now = now or timezone.now()
    radius = radius_for(category)
    dlat = radius / 111_320
    dlon = radius / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    window = getattr(settings, "RESIDENT_DUPLICATE_WINDOW_DAYS", DEFAULT_WINDOW_DAYS)
    rows = (
        (among if among is not None else Event.objects.all()).filter(
            tenant_id=tenant_id, category_id=category.pk, status__in=list(OPEN_STATUSES),
            lat__gte=lat - dlat, lat__lte=lat + dlat, lon__gte=lon - dlon, lon__lte=lon + dlon,
            created_at__gte=now - dt.timedelta(days=window),
        )
        .exclude(pk=exclude_id)
        .only("id", "reference", "lon", "lat", "created_at", "status", "description", "category_id")
        .order_by()[:200]
    )
    found = [(event, distance_m(lon, lat, event.lon, event.lat)) for event in rows]
    found = [(event, metres) for event, metres in found if metres <= radius]
    found.sort(key=lambda pair: (round(pair[1] / DISTANCE_BAND_M), -pair[0].created_at.timestamp(), -pair[0].pk))
    return found[:MAX_CANDIDATES]


def for_event(event: Event, *, actor) -> list[tuple[Event, float]]:
    """The candidates a dispatcher sees on a new event: earlier open events like it nearby, in his scope."""
    if event.lon is None or event.lat is None:
        return []
    return [
        (other, metres) for other, metres in candidates(
            tenant_id=event.tenant_id, category=event.category, lon=event.lon, lat=event.lat, now=event.created_at,
            exclude_id=event.pk, among=Event.objects.visible_to(actor),
        ) if other.created_at <= event.created_at
    ]
