"""Reads of events for the pages, the API and exports; each takes the actor whose scope bounds it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from grids import geo
from grids.choices import Action
from grids.models import Assignment, GridNode, User
from grids.scope import scope_for

from .choices import Status, UnitKind
from .models import Category, Event, EventLog, EventPhoto, HandlingUnit, Notification
from .querysets import unit_ids_of

LIST_RELATED = ("category", "category__parent", "node", "node__parent", "current_unit", "current_handler", "reporter")


def visible_events(*, actor: User, action: str = Action.VIEW):
    return Event.objects.visible_to(actor, action)


def work_queue(*, actor: User, limit: int = 200) -> list[Event]:
    """What waits for the actor, soonest deadline first: to accept or dispatch, to handle, to check."""
    waiting = Q(pk__in=[])
    dispatch = scope_for(actor, Action.DISPATCH)
    if not dispatch.is_empty:
        waiting |= Q(status__in=[Status.REPORTED, Status.ACCEPTED]) & dispatch.q()
    mine = Q(current_handler_id=actor.pk)
    units = unit_ids_of(actor)
    if units:
        mine |= Q(current_handler__isnull=True, current_unit_id__in=sorted(units))
    handle = scope_for(actor, Action.HANDLE)
    if not handle.is_empty:
        # A unit of the grid's own staff is whoever holds a post granting `handle` there (events/choices.py).
        mine |= Q(current_handler__isnull=True, current_unit__kind=UnitKind.GRID_STAFF) & handle.q()
    waiting |= Q(status__in=[Status.DISPATCHED, Status.IN_PROGRESS, Status.REWORK]) & mine
    check = scope_for(actor, Action.VERIFY)
    if not check.is_empty:
        waiting |= Q(status=Status.HANDLED) & check.q() & ~Q(handled_by_id=actor.pk)
        waiting |= Q(status=Status.CLOSED, needs_recheck=True) & check.q() & ~Q(handled_by_id=actor.pk)
    rows = (
        Event.objects.visible_to(actor)
        .filter(waiting)
        .select_related(*LIST_RELATED)
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )
    return list(rows[:limit])


@dataclass
class EventFilters:
    status: str | None = None
    category: Category | None = None
    node: GridNode | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False


def filtered_events(*, actor: User, filters: EventFilters):
    """The actor's visible events narrowed by the list page's filters (newest first)."""
    rows = Event.objects.visible_to(actor)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.category is not None:
        field = "category__parent" if filters.category.parent_id is None else "category"
        rows = rows.filter(**{field: filters.category})
    if filters.node is not None:
        rows = rows.filter(**{f"{filters.node.kind}_id": filters.node.pk})
    tz = timezone.get_current_timezone()
    if filters.date_from:
        rows = rows.filter(created_at__gte=dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz))
    if filters.date_to:
        rows = rows.filter(created_at__lt=dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if filters.overdue:
        rows = rows.filter(is_overdue=True)
    return rows.order_by("-id")


def page_after(rows, *, after: int | None, size: int = 50) -> tuple[list[Event], int | None]:
    """Keyset pagination on -id: the page after the id `after`, and the id to continue from (None at the end)."""
    if after:
        rows = rows.filter(pk__lt=after)
    page = list(rows.select_related(*LIST_RELATED)[: size + 1])
    if len(page) > size:
        return page[:size], page[size - 1].pk
    return page, None


def event_detail(*, actor: User, pk: int) -> Event:
    """One event with its timeline and photos (Event.DoesNotExist outside the actor's scope)."""
    photos = EventPhoto.objects.order_by("id")
    logs = EventLog.objects.select_related("actor").prefetch_related(Prefetch("photos", queryset=photos))
    return (
        Event.objects.visible_to(actor)
        .select_related(*LIST_RELATED, "handled_by", "escalated_to", "duplicate_of")
        .prefetch_related(Prefetch("logs", queryset=logs.order_by("id")), Prefetch("photos", queryset=photos))
        .get(pk=pk)
    )


def categories_for(*, actor: User, tenant_id: int | None = None):
    """The active categories of the actor's tenant, main categories first, each followed by its subcategories."""
    rows = Category.objects.visible_to(actor).filter(is_active=True).select_related("parent")
    if tenant_id is not None:
        rows = rows.filter(tenant_id=tenant_id)
    return rows.order_by("tenant_id", "sort_order", "id")


def reportable_grids(*, actor: User):
    return (
        GridNode.objects.visible_to(actor, Action.REPORT)
        .filter(kind="grid", is_archived=False)
        .select_related("parent")
        .order_by("code")
    )


def report_grid(*, actor: User, node_id: int | None, lon: float | None, lat: float | None) -> GridNode | None:
    """Where a report is filed: the grid whose boundary covers the point, where boundaries exist; else the grid
    the reporter chose; else the reporter's own grid when they have exactly one. None when none applies."""
    grids = reportable_grids(actor=actor)
    if lon is not None and lat is not None:
        for grid in grids.grids_at(lon, lat):
            if grid.boundary and geo.contains_point(grid.boundary, lon, lat):
                return grid
    if node_id:
        return grids.filter(pk=node_id).first()
    own = list(grids[:2])
    return own[0] if len(own) == 1 else None


def dispatch_targets(*, event: Event) -> tuple[list[HandlingUnit], list[User]]:
    """Handling units of the event's tenant, and the people an event may be given to in person."""
    units = list(HandlingUnit.objects.filter(tenant_id=event.tenant_id, is_active=True).order_by("kind", "name"))
    holders = Assignment.objects.current(timezone.localdate()).filter(
        node_id__in=[n for n in (event.grid_id, event.community_id) if n]
    )
    people = (
        User.objects.filter(tenant_id=event.tenant_id, is_active=True)
        .filter(Q(handling_units__in=[u.pk for u in units]) | Q(pk__in=holders.values("user_id")))
        .distinct()
        .order_by("display_name", "username")
    )
    return units, list(people)


def unread_count(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).count()


def notifications(*, actor: User, limit: int = 100):
    return list(
        Notification.objects.filter(user=actor).select_related("event").order_by("-id")[:limit]
    )
