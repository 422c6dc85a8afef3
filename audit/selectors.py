"""Reading the audit trail: only audit administrators, each within their tenant's chain (platform-wide: all)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .models import Entry, Kind

AUDIT_ROLE = "audit"
PAGE = 50


def may_read(user) -> bool:
    """三员分立: the audit administrator reads the trail; the system and security administrators do not."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "admin_role", "") == AUDIT_ROLE)


def visible_to(user):
    if not may_read(user):
        return Entry.objects.none()
    if user.tenant_id is None:
        return Entry.objects.all()
    return Entry.objects.filter(chain=user.tenant_id)


@dataclass
class Filters:
    start: dt.date | None = None
    end: dt.date | None = None
    actor: str = ""
    action: str = ""
    kind: str = ""
    object_type: str = ""
    object_id: str = ""


def parse_filters(query) -> Filters:
    """The query string's filters; a bad value is a ValidationError whose message is for the user."""
    errors = {}
    values = {}
    for key in ("start", "end"):
        text = (query.get(key) or "").strip()
        if text:
            try:
                values[key] = parse_date(text)
            except ValueError:
                values[key] = None
            if values[key] is None:
                errors[key] = _("Give the date as YYYY-MM-DD.")
    kind = (query.get("kind") or "").strip()
    if kind and kind not in Kind.values:
        errors["kind"] = _("Unknown kind of entry.")
    if errors:
        raise ValidationError(errors)
    return Filters(
        start=values.get("start"), end=values.get("end"), kind=kind,
        actor=(query.get("actor") or "").strip()[:150], action=(query.get("action") or "").strip()[:100],
        object_type=(query.get("object_type") or "").strip()[:100], object_id=(query.get("object_id") or "").strip()[:64],
    )


def entries(*, actor, filters: Filters):
    qs = visible_to(actor)
    tz = timezone.get_current_timezone()
    if filters.start:
        qs = qs.filter(at__gte=dt.datetime.combine(filters.start, dt.time.min, tzinfo=tz))
    if filters.end:
        qs = qs.filter(at__lt=dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if filters.actor:
        qs = qs.filter(actor_name=filters.actor)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    return qs.order_by("-at", "-id")


def page(*, actor, filters: Filters, after: str | None = None) -> tuple[list[Entry], str | None]:
    """One page, newest first, continued by a keyset cursor "<at iso>|<id>"; a bad cursor is a ValidationError."""
    qs = entries(actor=actor, filters=filters)
    if after:
        try:
            at_text, id_text = after.split("|")
            at, pk = dt.datetime.fromisoformat(at_text), int(id_text)
        except ValueError as error:
            raise ValidationError({"after": _("This page link is not valid.")}) from error
        qs = qs.filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    rows = list(qs[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    cursor = f"{rows[-1].at.isoformat()}|{rows[-1].pk}" if more else None
    return rows, cursor
