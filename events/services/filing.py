"""Filing an event (上报), idempotently, numbered per tenant and day; 自处置 events close at once."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.choices import CODE_LENGTH, NodeKind
from grids.models import GridNode, User
from grids.scope import scope_for
from grids.selectors import point_outside_district
from yaohai.core.personal import fields as personal
from yaohai.core.personal.identity import validate_phone

from ..choices import (
    ON_SPOT_SAMPLE_PERCENT,
    RESIDENT_PHONE_PURPOSE,
    CloseReason,
    LogAction,
    NotificationKind,
    PhotoKind,
    Source,
    Status,
    Urgency,
)
from ..models import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Event,
    EventLog,
)
from ..rights import REPORT
from .common import _dispatchers_of, _log, _next_reference, _notify, _pk, _save_photos, _set_due, _stage_due
from .writes import save_event


def report_event(
    *,
    actor: User,
    node: GridNode | int | None,
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
    """File an event in a grid the actor may report in; the same idempotency key returns the first event.

    `node` is a grid's id, or the GridNode the caller has just read (selectors.report_grid): an instance is checked
    in memory against the actor's scope instead of being read again. The returned event carries its category (with
    its main category), grid, log rows and photos, so the caller can answer from it without reading it back.

    What is read and written, in order (docs/bench_filing.md counts it): the actor's scope (cached on the user for
    the request), the grid when given by id, the category, the dispatchers to notify — all before anything is
    locked — then, in one transaction: the day's counter (UPDATE … RETURNING, locked until commit), the event,
    its log row(s), the notifications, the photos. A second submission of the same key that raced the first fails
    on the unique (tenant, idempotency_key) and rolls its whole transaction back, its number included: numbers stay
    gapless, and it answers the first event.
    """
    now = now or timezone.now()
    photos = list(photos)
    grid = _grid_to_file_in(actor, node)
    if grid is None:
        raise ValidationError({"node": [_("You cannot file events in this grid.")]})
    key = (idempotency_key or "").strip()[:64] or None
    try:
        cat = _checked(
            grid, category=category, title=title, description=description, urgency=urgency, source=source, lon=lon, lat=lat,
            resident_name=resident_name, resident_phone=resident_phone, handled_on_spot=handled_on_spot, photos=photos,
        )
    except ValidationError:
        # A replay of a form that was filed answers its event, even if the catalogue has changed since.
        first = _filed_with(grid.tenant_id, key)
        if first is None:
            raise
        return _same_submission(first, actor)

    event = Event(
        category=cat,
        title=(title or "").strip(),
        description=(description or "").strip(),
        lon=lon,
        lat=lat,
        urgency=urgency,
        source=source,
        reporter=actor,
        resident_name=(resident_name or "").strip(),
        handled_on_spot=handled_on_spot,
        idempotency_key=key,
        status=Status.REPORTED,
    )
    # sealed, indexed and masked like the registry's phones (validated by _checked)
    personal.set_field(event, "resident_phone", RESIDENT_PHONE_PURPOSE, validate_phone(resident_phone))
    event.stamp_from(grid)
    event.node = grid
    # The main category the dashboards group on, known here: Event.save need not look it up.
    event.main_category_id = cat.parent_id
    dispatchers: set[int] = set()
    if handled_on_spot:
        event.status, event.close_reason, event.handled_by, event.closed_at = (
            Status.CLOSED, CloseReason.FIXED, actor, now,
        )
    else:
        event.accept_due = _stage_due(now, cat, "accept")
        _set_due(event, event.accept_due)
        dispatchers = _dispatchers_of(event)  # read before the counter is locked: the lock covers writes only
    try:
        with transaction.atomic():
            # A grid's code starts with its district's, which is the tenant's code (grids.services.create_tenant).
            event.reference = _next_reference(
                grid.tenant_id, timezone.localdate(now), prefix=grid.code[: CODE_LENGTH[NodeKind.DISTRICT]]
            )
            event.needs_recheck = handled_on_spot and sampled_for_recheck(event.reference, grid.tenant_id)
            # With a key, a twin of this submission that committed first makes this insert fail (unique key).
            save_event(event)
            if handled_on_spot:
                logs = [
                    EventLog.objects.create(
                        event=event, actor=actor, action=LogAction.REPORT, from_status="", to_status=Status.REPORTED
                    ),
                    _log(event, actor, LogAction.HANDLE_ON_SPOT, Status.REPORTED),
                ]
            else:
                logs = [_log(event, actor, LogAction.REPORT, "")]
                _notify(dispatchers, event, NotificationKind.REPORTED, skip=actor.pk)
            saved = _save_photos(event, logs[-1], actor, photos)
    except IntegrityError:
        first = _filed_with(grid.tenant_id, key)
        if first is None:
            raise
        return _same_submission(first, actor)
    # What a fresh read prefetches (selectors.event_detail), so that serialising the event reads nothing more.
    _known(event, "logs", logs)
    _known(event, "photos", saved)
    return event


def _known(event: Event, related: str, rows: list) -> None:
    """Seed the prefetch cache of a reverse relation with the rows just written, as prefetch_related would:
    `event.logs.all()`, `.count()`, `.first()` answer from memory."""
    rows_qs = getattr(event, related).order_by("id")
    rows_qs._result_cache = rows
    rows_qs._prefetch_done = True
    event.__dict__.setdefault("_prefetched_objects_cache", {})[related] = rows_qs


def _grid_to_file_in(actor: User, node: GridNode | int | None) -> GridNode | None:
    """The live grid, within the actor's `report` scope, that the event is filed in; None if it is not one.
    The scope is tested in memory (Scope.covers, the same test as visible_to's filter)."""
    if isinstance(node, GridNode):
        fits = node.kind == NodeKind.GRID and not node.is_archived and scope_for(actor, REPORT).covers(node)
        return node if fits else None
    if node is None:
        return None
    try:
        # The actor's tenant named (a superuser has none): one node of a database split by tenant (docs/scale.md).
        tenant = {"tenant_id": actor.tenant_id} if actor.tenant_id else {}
        grid = GridNode.objects.get(pk=node, kind=NodeKind.GRID, is_archived=False, **tenant)
    except (GridNode.DoesNotExist, TypeError, ValueError):
        return None
    return grid if scope_for(actor, REPORT).covers(grid) else None


def _checked(grid: GridNode, *, category, title, description, urgency, source, lon, lat, resident_name, resident_phone,
             handled_on_spot, photos) -> Category:
    """The subcategory, once every field is valid; a ValidationError naming each bad field otherwise."""
    errors: dict[str, list[str]] = {}
    try:
        cat = Category.objects.select_related("parent").get(
            pk=_pk(category), tenant_id=grid.tenant_id, parent__isnull=False, is_active=True
        )
    except (Category.DoesNotExist, TypeError, ValueError):
        cat = None
        errors["category"] = [_("Choose a subcategory of your district's catalogue.")]
    if not (title or "").strip():
        errors["title"] = [_("A title is required.")]
    elif len(title.strip()) > TITLE_MAX_LENGTH:
        errors["title"] = [_("The title may have at most %(n)d characters.") % {"n": TITLE_MAX_LENGTH}]
    if len((description or "").strip()) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = [
            _("The description may have at most %(n)d characters.") % {"n": DESCRIPTION_MAX_LENGTH}
        ]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Unknown urgency.")]
    if source not in Source.values:
        errors["source"] = [_("Unknown source.")]
    if (lon is None) != (lat is None):
        errors["lon"] = [_("Give both longitude and latitude, or neither.")]
    elif lon is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        errors["lon"] = [_("The location is outside the valid range.")]
    elif lon is not None and point_outside_district(tenant_id=grid.tenant_id, lon=lon, lat=lat):
        errors["lon"] = [_("The location is outside your district: check the point, or file without one.")]
    # A resident filing herself (residents app) is known by her account, not by a name typed here.
    if source in (Source.HOTLINE, Source.WALK_IN) and not (resident_name or resident_phone).strip():
        errors["resident_phone"] = [_("An event taken from a resident needs their name or phone.")]
    try:
        validate_phone(resident_phone)
    except ValidationError as exc:
        errors["resident_phone"] = exc.messages
    if len(photos) > 6:
        errors["photos"] = [_("At most %(n)d photos.") % {"n": 6}]
    if handled_on_spot and not any(kind == PhotoKind.AFTER for kind, _content in photos):
        errors["photos"] = [_("An event handled on the spot needs at least one photo taken after the fix.")]
    if errors:
        raise ValidationError(errors)
    return cat


def _filed_with(tenant_id: int, key: str | None) -> Event | None:
    if key is None:
        return None
    return Event.objects.filter(tenant_id=tenant_id, idempotency_key=key).first()


def sampled_for_recheck(reference: str, tenant_id: int) -> bool:
    """Whether a 自处置 event is picked for a re-check: a stable hash, so the share holds and cannot be gamed."""
    digest = hashlib.sha256(f"{tenant_id}:{reference}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < ON_SPOT_SAMPLE_PERCENT


def _same_submission(first: Event, actor: User) -> Event:
    if first.reporter_id != actor.pk:
        raise ValidationError(_("This form was already submitted by someone else; reload the page."))
    return first
