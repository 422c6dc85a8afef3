"""Reads of events for the pages, the API and exports; each takes the actor whose scope bounds it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from grids import geo
from grids.models import Assignment, GridNode, Tenant, User
from grids.rights import VIEW
from grids.scope import scope_for

from .choices import HANDLING_STATUSES, OPEN_STATUSES, Status, UnitKind
from .models import Category, Event, EventLog, EventPhoto, HandlingUnit, Notification
from .querysets import node_branches, unit_ids_of, visible_branches, visible_q
from .rights import DISPATCH, HANDLE, REPORT, VERIFY

LIST_RELATED = ("category", "category__parent", "node", "node__parent", "current_unit", "current_handler", "reporter")


def visible_events(*, actor: User, right: str = VIEW):
    return Event.objects.visible_to(actor, right)


# Soonest deadline first; none last.
QUEUE_ORDER = (F("due_at").asc(nulls_last=True), "id")


def _queue_branches(actor: User) -> list[Q]:
    """What waits for the actor, as branches of one status each on one node of a scope, the actor as handler, or
    one of their units; OR-ed together they are the 待办 condition:

    - reported or accepted, in the dispatch scope: to accept or dispatch;
    - dispatched, in progress or back for rework, theirs: given to them, to one of their units (not yet signed),
      or to a unit of the grid's own staff (not yet signed) where they hold `handle` (events/choices.py);
    - handled, or closed and sampled for a re-check, in the verify scope, and not handled by themselves.

    Each branch is read in deadline order from an index of open events (`event_queue_*`, `event_status_due`)."""
    branches = []

    def on_nodes(scope, statuses, extra=None):
        nodes, extra = node_branches(scope), extra or Q()
        for status in statuses:
            if nodes is None:  # an unlimited scope (a superuser): one branch per status
                branches.append(Q(status=status) & extra)
            else:
                branches.extend(Q(status=status) & node & extra for node in nodes)

    on_nodes(scope_for(actor, DISPATCH), (Status.REPORTED, Status.ACCEPTED))
    for status in HANDLING_STATUSES:
        branches.append(Q(status=status, current_handler_id=actor.pk))
        branches += [
            Q(status=status, current_handler__isnull=True, current_unit_id=pk) for pk in sorted(unit_ids_of(actor))
        ]
    grid_staff = HandlingUnit.objects.filter(kind=UnitKind.GRID_STAFF).values("id")
    on_nodes(
        scope_for(actor, HANDLE), HANDLING_STATUSES, Q(current_handler__isnull=True, current_unit_id__in=grid_staff)
    )
    not_theirs = ~Q(handled_by_id=actor.pk)
    check = scope_for(actor, VERIFY)
    on_nodes(check, (Status.HANDLED,), not_theirs)
    on_nodes(check, (Status.CLOSED,), Q(needs_recheck=True) & not_theirs)
    return branches


def queue_cursor(row) -> str:
    """The `?after=` of the 待办 page that follows `row`: its deadline in microseconds ("n" for none) and its id."""
    due = "n" if row.due_at is None else str((row.due_at - _EPOCH) // _MICROSECOND)
    return f"{due}_{row.pk}"


def parse_queue_cursor(value) -> tuple[dt.datetime | None, int] | None:
    """`queue_cursor`'s value read back; None for anything else (the queue then starts at the top)."""
    due, _, pk = str(value or "").partition("_")
    if due == "n" and pk.isdigit() and len(pk) <= 18:
        return None, int(pk)
    return parse_cursor(value)


def _after_in_queue(after: tuple[dt.datetime | None, int]) -> Q:
    """The events after the cursor in QUEUE_ORDER (deadline, none last; then id)."""
    due, pk = after
    if due is None:
        return Q(due_at__isnull=True, pk__gt=pk)
    return Q(due_at__gt=due) | Q(due_at=due, pk__gt=pk) | Q(due_at__isnull=True)


def work_queue(*, actor: User, limit: int = 200, after: tuple[dt.datetime | None, int] | None = None) -> list[ListRow]:
    """What waits for the actor, soonest deadline first: to accept or dispatch, to handle, to check (one query);
    after the cursor `after` (parse_queue_cursor) when given.

    Like the event list (event_rows), each branch of the condition takes its own first `limit` rows in deadline
    order from an index, and the queue is the first `limit` of their UNION. As one OR, the condition and the
    visibility named a dozen columns: PostgreSQL read the whole table, 650 ms for a district (docs/bench.md)."""
    visible = visible_q(actor)
    if after is not None:
        visible &= _after_in_queue(after)
    branches = _queue_branches(actor)
    if not connections[router.db_for_read(Event)].features.supports_slicing_ordering_in_compound:
        waiting = Q(pk__in=[])
        for branch in branches:
            waiting |= branch
        rows = Event.objects.filter(visible, waiting)
    else:
        firsts = [Event.objects.filter(visible, b).order_by(*QUEUE_ORDER).values("id")[:limit] for b in branches]
        rows = Event.objects.filter(pk__in=firsts[0].union(*firsts[1:], all=True)) if firsts else Event.objects.none()
    # Read as the event list's rows (values into ListRow): 200 events as model instances cost more than the query.
    return list_rows(rows.order_by(*QUEUE_ORDER), limit)


def queue_page(*, actor: User, after: str | None = None, size: int = 50) -> tuple[list[ListRow], str | None]:
    """One page of 待办 after the cursor `after` (queue_cursor), and the cursor to continue from (None at the
    end)."""
    rows = work_queue(actor=actor, limit=size + 1, after=parse_queue_cursor(after))
    if len(rows) > size:
        return rows[:size], queue_cursor(rows[size - 1])
    return rows, None


@dataclass
class EventFilters:
    status: str | None = None
    category: Category | None = None
    node: GridNode | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False


# Newest first by filing time, the id breaking ties; a page continues after a cursor on both (`?after=`).
NEWEST_FIRST = ("-created_at", "-id")


@dataclass(frozen=True, slots=True)
class ListRow:
    """One row of the officers' list page (templates/events/list.html), read as values: building 50 events with
    their category and grid as model instances cost twice the query itself (docs/bench.md, Lists)."""

    pk: int
    reference: str
    title: str
    status: str
    escalation_level: int
    due_at: dt.datetime | None
    is_overdue: bool
    is_near_deadline: bool
    created_at: dt.datetime
    current_handler_id: int | None
    category_name: str
    category_parent_name: str | None
    node_name: str
    node_parent_name: str | None
    unit_name: str | None
    handler_name: str | None

    @property
    def status_label(self) -> str:
        return Status(self.status).label


# Where each ListRow field comes from: the event's own columns, two joined names, and page_annotations().
LIST_ROW_COLUMNS = (
    "reference", "title", "status", "escalation_level", "due_at", "is_overdue", "is_near_deadline", "created_at",
    "current_handler_id",
)
LIST_ROW_JOINED = {"pk": F("id"), "category_name": F("category__name"), "node_name": F("node__name")}


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def cursor_after(event: Event) -> str:
    """The `?after=` of the page that follows `event`: its filing time in microseconds and its id.

    The cursor carries its own position, so continuing reads no other event (an id alone would have to be
    looked up, through the viewer's scope, in every branch of the page's query)."""
    return f"{(event.created_at - _EPOCH) // _MICROSECOND}_{event.pk}"


def parse_cursor(value) -> tuple[dt.datetime, int] | None:
    """`cursor_after`'s value read back; None for anything else (the page then starts at the top)."""
    micros, _, pk = str(value or "").partition("_")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 17 or len(pk) > 18:
        return None
    return _EPOCH + int(micros) * _MICROSECOND, int(pk)


def _name_of(model, column: str, expression=None) -> Subquery:
    """The name of the row `column` points to, as a scalar subquery of the list page's query."""
    rows = model.objects.filter(pk=OuterRef(column)).order_by()
    return Subquery(rows.values(shown=expression or F("name"))[:1])


def page_annotations() -> dict:
    """What a list row shows of the rows around its event, beside `select_related("category", "node")`.

    Scalar subqueries rather than four more joins: PostgreSQL plans every join order of the query's tables, and
    with the six joins of LIST_RELATED the page's query took 11 ms to plan for 1 ms of work (docs/bench.md,
    Lists); each subquery is planned alone and runs once per row shown."""
    return {
        "category_parent_name": _name_of(Category, "category__parent_id"),
        "node_parent_name": _name_of(GridNode, "node__parent_id"),
        "unit_name": _name_of(HandlingUnit, "current_unit_id"),
        "handler_name": _name_of(User, "current_handler_id", Coalesce(NullIf("display_name", Value("")), "username")),
    }


def _filters_q(filters: EventFilters) -> Q:
    """The list page's filters as one Q on the event's own columns (no join: each branch of a page reads one
    index, see event_rows)."""
    q = Q()
    if filters.status:
        q &= Q(status=filters.status)
    if filters.category is not None:
        if filters.category.parent_id is None:
            q &= Q(category_id__in=Category.objects.filter(parent_id=filters.category.pk).values("id"))
        else:
            q &= Q(category_id=filters.category.pk)
    if filters.node is not None:
        q &= Q(**{f"{filters.node.kind}_id": filters.node.pk})
    tz = timezone.get_current_timezone()
    if filters.date_from:
        q &= Q(created_at__gte=dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz))
    if filters.date_to:
        q &= Q(created_at__lt=dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if filters.overdue:
        q &= Q(is_overdue=True)
    return q


def filtered_events(*, actor: User, filters: EventFilters):
    """The actor's visible events narrowed by the list page's filters (newest first), as one queryset."""
    return Event.objects.visible_to(actor).filter(_filters_q(filters)).order_by(*NEWEST_FIRST)


def event_rows(
    *,
    actor: User,
    filters: EventFilters | None = None,
    where: Q | None = None,
    after: tuple[dt.datetime, int] | None = None,
    limit: int,
):
    """The first `limit` rows of filtered_events after the cursor (parse_cursor), in one query that reads
    indexes in order. Slice the result with [:limit]. `where` narrows further, on the event's own columns (the
    API's filters).

    On PostgreSQL the visibility is split into its branches (events.querysets.visible_branches); each branch
    takes its own first `limit` rows newest first from its index, and the page is the first `limit` of their
    UNION: `WHERE id IN ((… LIMIT n) UNION (… LIMIT n) …) ORDER BY created_at DESC, id DESC`. The rows are
    those of filtered_events exactly, at any depth and whatever the actor's scope. Databases that cannot order
    and limit inside a UNION (SQLite) run filtered_events itself."""
    where = _filters_q(filters or EventFilters()) & (where or Q())
    if after:
        at, pk = after
        # `created_at <= at` alone is what an index range can use; the OR settles the ties.
        where &= Q(created_at__lte=at) & (Q(created_at__lt=at) | Q(pk__lt=pk))
    branches = visible_branches(actor)
    if branches is None:
        # Every event (a superuser): one branch per tenant, each read from event_list_tenant (one query more).
        branches = [Q(tenant_id=pk) for pk in Tenant.objects.order_by("id").values_list("id", flat=True)]
    if not branches:
        return Event.objects.none()
    if len(branches) == 1:
        return Event.objects.filter(branches[0], where).order_by(*NEWEST_FIRST)
    if not connections[router.db_for_read(Event)].features.supports_slicing_ordering_in_compound:
        return Event.objects.visible_to(actor).filter(where).order_by(*NEWEST_FIRST)
    firsts = [Event.objects.filter(branch, where).order_by(*NEWEST_FIRST).values("id")[:limit] for branch in branches]
    return Event.objects.filter(pk__in=firsts[0].union(*firsts[1:])).order_by(*NEWEST_FIRST)


def list_rows(rows, limit: int) -> list[ListRow]:
    """The list page's first `limit` rows: its columns, the category and grid, the names around them."""
    annotations = page_annotations()
    values = rows.annotate(**annotations).values(*LIST_ROW_COLUMNS, *annotations, **LIST_ROW_JOINED)
    return [ListRow(**row) for row in values[:limit]]


def event_page(
    *,
    actor: User,
    filters: EventFilters | None = None,
    where: Q | None = None,
    after: str | None = None,
    size: int = 50,
    read=list_rows,
) -> tuple[list, str | None]:
    """Keyset pagination, newest first: the page after the cursor `after` (cursor_after; anything else starts
    at the top), and the cursor to continue from (None at the end). One query at any depth. `read(rows, limit)`
    reads the rows (the list page's ListRows by default; the API reads events)."""
    rows = event_rows(actor=actor, filters=filters, where=where, after=parse_cursor(after), limit=size + 1)
    page = read(rows, size + 1)
    if len(page) > size:
        return page[:size], cursor_after(page[size - 1])
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
        GridNode.objects.visible_to(actor, REPORT)
        .filter(kind="grid", is_archived=False)
        .select_related("parent")
        .order_by("code")
    )


def reference_candidates(*, actor: User, reference: str) -> list[str]:
    """The references a typed one may mean: itself, and for one written before references carried the district's
    code ("YH20261126-0001"), the same number in the actor's district ("340102-20261126-0001")."""
    reference = (reference or "").strip()
    candidates = [reference]
    if reference[:2].upper() == "YH" and actor.tenant_id:
        code = Tenant.objects.filter(pk=actor.tenant_id).values_list("code", flat=True).first()
        if code:
            candidates.append(f"{code}-{reference[2:]}")
    return candidates


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
        tenant_id=event.tenant_id, node_id__in=[n for n in (event.grid_id, event.community_id) if n]
    )
    people = (
        User.objects.filter(tenant_id=event.tenant_id, is_active=True)
        .filter(Q(handling_units__in=[u.pk for u in units]) | Q(pk__in=holders.values("user_id")))
        .distinct()
        .order_by("display_name", "username")
    )
    return units, list(people)


def unread_count(*, actor: User, fresh: bool = False) -> int:
    """How many of the actor's notifications are unread; read once per request (the bell in the menu and the
    workbench's panel both show it) unless `fresh`."""
    if fresh or "_unread_count" not in actor.__dict__:
        actor.__dict__["_unread_count"] = Notification.objects.filter(user=actor, read_at__isnull=True).count()
    return actor.__dict__["_unread_count"]


def notifications(*, actor: User, limit: int = 100):
    return list(
        Notification.objects.filter(user=actor)
        .select_related("event", "event__duplicate_of", "subject_type")
        .prefetch_related("subject")
        .order_by("-id")[:limit]
    )


@dataclass(frozen=True)
class Counted:
    """A count that stops at a ceiling (shown as "500+"): a district's workbench never counts its whole table."""

    value: int
    more: bool


def _bounded_count(rows, ceiling: int) -> Counted:
    value = rows.order_by().values("id")[:ceiling].count()
    return Counted(value=value, more=value >= ceiling)


def workbench_counts(*, actor: User, ceiling: int = 1000) -> dict[str, Counted]:
    """The officer's workbench figures over their jurisdiction: open events overdue, open events near their
    deadline, events filed today (three bounded counts, each read from the open-events or list indexes)."""
    visible = Event.objects.visible_to(actor)
    open_events = visible.filter(status__in=OPEN_STATUSES)
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "overdue": _bounded_count(open_events.filter(is_overdue=True), ceiling),
        "near_deadline": _bounded_count(open_events.filter(is_near_deadline=True, is_overdue=False), ceiling),
        "today": _bounded_count(visible.filter(created_at__gte=start), ceiling),
    }


def my_recent_events(*, actor: User, limit: int = 5) -> list[ListRow]:
    """The events the actor filed, newest first (one query, from the reporter's list index)."""
    rows = Event.objects.visible_to(actor).filter(reporter_id=actor.pk).order_by(*NEWEST_FIRST)
    return list_rows(rows, limit)


def unread_notifications(*, actor: User, limit: int = 3) -> list[Notification]:
    return list(
        Notification.objects.filter(user=actor, read_at__isnull=True)
        .select_related("event", "subject_type")
        .prefetch_related("subject")
        .order_by("-id")[:limit]
    )
