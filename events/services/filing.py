"""Filing an event (上报), idempotently, numbered per tenant and day; 自处置 events close at once."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.choices import Action, NodeKind
from grids.models import GridNode, User

from ..choices import (
    ON_SPOT_SAMPLE_PERCENT,
    CloseReason,
    LogAction,
    NotificationKind,
    PhotoKind,
    Source,
    Status,
    Urgency,
)
from ..models import (
    Category,
    Event,
    EventLog,
)
from .common import _dispatchers_of, _log, _next_reference, _notify, _pk, _save_photos, _set_due, _stage_due


@transaction.atomic
def report_event(
    *,
    actor: User,
    node: GridNode | int,
    category: Category | int,
    title: str,
    description: str = "",
    lon: float | None = None,
    lat: float | None = None,
    urgency: int = Urgency.NORMAL,
    source: str = Source.GRID_WORKER,
    resident_name: str = "",
    resident_phone: str = "",
    handled_on_spot: bool = False,
    photos: Iterable[tuple[str, object]] = (),
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """File an event in a grid the actor may report in; the same idempotency key returns the first event."""
    now = now or timezone.now()
    photos = list(photos)
    grid = (
        GridNode.objects.visible_to(actor, Action.REPORT)
        .filter(pk=_pk(node), kind=NodeKind.GRID, is_archived=False)
        .first()
    )
    if grid is None:
        raise ValidationError({"node": [_("You cannot file events in this grid.")]})
    key = (idempotency_key or "").strip()[:64] or None
    if key:
        first = Event.objects.filter(tenant_id=grid.tenant_id, idempotency_key=key).first()
        if first is not None:
            return _same_submission(first, actor)

    errors: dict[str, list[str]] = {}
    cat = (
        Category.objects.filter(pk=_pk(category), tenant_id=grid.tenant_id, parent__isnull=False, is_active=True)
        .select_related("parent")
        .first()
    )
    if cat is None:
        errors["category"] = [_("Choose a subcategory of your district's catalogue.")]
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("A title is required.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Unknown urgency.")]
    if source not in Source.values:
        errors["source"] = [_("Unknown source.")]
    if (lon is None) != (lat is None):
        errors["lon"] = [_("Give both longitude and latitude, or neither.")]
    elif lon is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        errors["lon"] = [_("The location is outside the valid range.")]
    if source != Source.GRID_WORKER and not (resident_name or resident_phone).strip():
        errors["resident_phone"] = [_("An event taken from a resident needs their name or phone.")]
    if len(photos) > 6:
        errors["photos"] = [_("At most %(n)d photos.") % {"n": 6}]
    if handled_on_spot and not any(kind == PhotoKind.AFTER for kind, _content in photos):
        errors["photos"] = [_("An event handled on the spot needs at least one photo taken after the fix.")]
    if errors:
        raise ValidationError(errors)

    event = Event(
        category=cat,
        title=title,
        description=(description or "").strip(),
        lon=lon,
        lat=lat,
        urgency=urgency,
        source=source,
        reporter=actor,
        resident_name=(resident_name or "").strip(),
        resident_phone=(resident_phone or "").strip(),
        handled_on_spot=handled_on_spot,
        idempotency_key=key,
        status=Status.REPORTED,
    )
    event.stamp_from(grid)
    event.node = grid
    if handled_on_spot:
        event.status, event.close_reason, event.handled_by, event.closed_at = (
            Status.CLOSED, CloseReason.FIXED, actor, now,
        )
    else:
        event.accept_due = _stage_due(now, cat, "accept")
        _set_due(event, event.accept_due)
    try:
        # One savepoint for the number and the row: a double submit that lost the race takes back its number.
        with transaction.atomic():
            event.reference = _next_reference(grid.tenant_id, timezone.localdate(now))
            event.needs_recheck = handled_on_spot and sampled_for_recheck(event.reference, grid.tenant_id)
            # The counter row is locked now, so a concurrent twin of this submission has committed or waits.
            if key and Event.objects.filter(tenant_id=grid.tenant_id, idempotency_key=key).exists():
                raise _AlreadyFiled
            event.save()
    except (IntegrityError, _AlreadyFiled):
        if key is None:
            raise
        return _same_submission(Event.objects.get(tenant_id=grid.tenant_id, idempotency_key=key), actor)

    if handled_on_spot:
        EventLog.objects.create(
            event=event, actor=actor, action=LogAction.REPORT, from_status="", to_status=Status.REPORTED
        )
        log = _log(event, actor, LogAction.HANDLE_ON_SPOT, Status.REPORTED)
    else:
        log = _log(event, actor, LogAction.REPORT, "")
        _notify(_dispatchers_of(event), event, NotificationKind.ASSIGNED, skip=actor.pk)
    _save_photos(event, log, actor, photos)
    return event


def sampled_for_recheck(reference: str, tenant_id: int) -> bool:
    """Whether a 自处置 event is picked for a re-check: a stable hash, so the share holds and cannot be gamed."""
    digest = hashlib.sha256(f"{tenant_id}:{reference}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < ON_SPOT_SAMPLE_PERCENT


class _AlreadyFiled(Exception):
    """A concurrent submission with the same idempotency key committed first."""


def _same_submission(first: Event, actor: User) -> Event:
    if first.reporter_id != actor.pk:
        raise ValidationError(_("This form was already submitted by someone else; reload the page."))
    return first
