"""The officers' list reads each branch of the visibility from its own index (events.selectors.event_rows): its
pages, followed cursor by cursor, hold exactly the events `visible_to` allows, newest first, on SQLite (one OR)
and on PostgreSQL (a UNION of branches); the personal grants still reach past the tree scope."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from events import selectors
from events.choices import Transition
from events.models import Event
from events.querysets import visible_branches
from grids import services as grid_services
from grids.models import Assignment, User
from grids.scope import forget_scope, scope_for

from .conftest import GRID, HEAD, NOW, WORKER
from .test_pages import _bulk_events

pytestmark = pytest.mark.django_db

VIEWERS = (HEAD, WORKER, "A/S1:grid_head", "A:grid_head", "A/S1/C1/G2:grid_worker", "A:admin", "B:admin", "unit")


def _every_page(actor, filters, size):
    """The ids of every page, following each page's cursor to the end."""
    seen, after = [], None
    for _ in range(100):
        page, after = selectors.event_page(actor=actor, filters=filters, after=after, size=size)
        seen += [e.pk for e in page]
        if after is None:
            return seen
    raise AssertionError("the cursor did not reach the end")


@pytest.fixture
def spread(ev):
    """Events in both tenants, on several grids, a few filed at the same instant, two with the handling unit."""
    hour = dt.timedelta(hours=1)
    for i, path in enumerate(("A/S1/C1/G1", "A/S1/C1/G2", "A/S1/C2/G1", "A/S2/C1/G1", "B/S1/C1/G1", GRID)):
        ev.report(path=path, now=NOW - i * hour, title=f"spread {i}")
    _bulk_events(ev, 6)  # six copies of one event: the same filing time, ids break the tie
    for _ in range(2):
        ev.event_in("in_progress")
    return ev


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("size", [2, 5, 50])
def test_pages_hold_exactly_the_visible_events_newest_first(spread, viewer, size):
    actor = spread.user(viewer)
    expected = list(
        Event.objects.visible_to(actor).order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    assert _every_page(actor, selectors.EventFilters(), size) == expected


@pytest.mark.parametrize(
    "filters",
    [
        lambda ev: selectors.EventFilters(status="in_progress"),
        lambda ev: selectors.EventFilters(node=ev.world.node("A/S2")),
        lambda ev: selectors.EventFilters(category=ev.category().parent),
        lambda ev: selectors.EventFilters(category=ev.category()),
        lambda ev: selectors.EventFilters(date_from=timezone.localdate(), date_to=timezone.localdate()),
    ],
    ids=["status", "node", "main category", "subcategory", "dates"],
)
@pytest.mark.parametrize("viewer", ["A:admin", "A/S1:grid_head", "unit"])
def test_filtered_pages_equal_the_filtered_queryset(spread, viewer, filters):
    actor = spread.user(viewer)
    chosen = filters(spread)
    expected = list(selectors.filtered_events(actor=actor, filters=chosen).values_list("pk", flat=True))
    assert _every_page(actor, chosen, 3) == expected


def test_a_superuser_pages_through_every_tenant(spread):
    root = User.objects.create(username="root", is_superuser=True)
    expected = list(Event.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    assert {spread.world.tenants[t].pk for t in "AB"} <= set(Event.objects.values_list("tenant_id", flat=True))
    assert _every_page(root, selectors.EventFilters(), 4) == expected


def test_branches_name_one_indexed_column_each(spread):
    head = spread.user("A/S1:grid_head")
    branches = [sorted(k for k, _v in branch.children) for branch in visible_branches(head)]
    assert branches == [["street_id", "tenant_id"], ["reporter_id", "tenant_id"], ["current_handler_id", "tenant_id"]]
    assert len(visible_branches(spread.user("unit"))) == 3  # reporter, handler and the one unit
    assert visible_branches(User.objects.create(username="root", is_superuser=True)) is None


def test_reporter_still_sees_their_event_outside_their_tree_scope(ev, client_for):
    event = ev.report(title="mine from before")
    worker = ev.user(WORKER)
    for assignment in Assignment.objects.filter(user=worker):
        grid_services.end_assignment(assignment=assignment, end_date=timezone.localdate() - dt.timedelta(days=1))
    forget_scope(worker)
    assert not scope_for(worker).covers(event)  # only the personal grant is left
    client = client_for(WORKER)
    listed = client.get(reverse("events:list")).context["events"]
    assert [e.pk for e in listed] == [event.pk]
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200
    outsider = client_for("A/S1/C1/G2:grid_worker")
    assert event.pk not in [e.pk for e in outsider.get(reverse("events:list")).context["events"]]
    assert outsider.get(reverse("events:detail", args=[event.pk])).status_code == 404


def test_unit_member_lists_the_events_given_to_the_unit_only(ev, client_for):
    given = ev.event_in("dispatched")
    ev.event_in("accepted")
    listed = client_for("unit").get(reverse("events:list")).context["events"]
    assert [e.pk for e in listed] == [given.pk]
    signed = ev.step(given, Transition.SIGN)
    assert signed.current_handler_id == ev.unit_member.pk
    listed = client_for("unit").get(reverse("events:list")).context["events"]
    assert [e.pk for e in listed] == [given.pk]


def test_a_bad_cursor_is_refused(spread, client_for):
    client = client_for(HEAD)
    for bad in ("12", "x_1", "1_", "_", "9" * 40 + "_1", "-5_3"):
        response = client.get(reverse("events:list"), {"after": bad})
        assert response.status_code == 400 and 'data-testid="bad-query"' in response.content.decode()


def test_a_deep_page_costs_the_queries_of_the_first(ev, client_for, django_assert_max_num_queries):
    _bulk_events(ev, 120)
    client = client_for(HEAD)
    with django_assert_max_num_queries(30) as first:
        response = client.get(reverse("events:list"))
    next_url = response.context["next_url"]
    with django_assert_max_num_queries(len(first.captured_queries)) as second:
        deeper = client.get(reverse("events:list") + next_url)
    assert len(second.captured_queries) == len(first.captured_queries)
    assert deeper.context["next_url"] and deeper.context["next_url"] != next_url
    assert not {e.pk for e in response.context["events"]} & {e.pk for e in deeper.context["events"]}


def _waiting_as_one_or(actor):
    """The 待办 condition as it reads in events/choices.py, written as one OR: the spec of work_queue's branches."""
    from django.db.models import F, Q

    from events.choices import HANDLING_STATUSES, Status, UnitKind
    from events.querysets import unit_ids_of
    from events.rights import DISPATCH, HANDLE, VERIFY

    waiting = Q(pk__in=[])
    dispatch = scope_for(actor, DISPATCH)
    if not dispatch.is_empty:
        waiting |= Q(status__in=[Status.REPORTED, Status.ACCEPTED]) & dispatch.q()
    mine = Q(current_handler_id=actor.pk)
    if unit_ids_of(actor):
        mine |= Q(current_handler__isnull=True, current_unit_id__in=sorted(unit_ids_of(actor)))
    handle = scope_for(actor, HANDLE)
    if not handle.is_empty:
        mine |= Q(current_handler__isnull=True, current_unit__kind=UnitKind.GRID_STAFF) & handle.q()
    waiting |= Q(status__in=HANDLING_STATUSES) & mine
    check = scope_for(actor, VERIFY)
    if not check.is_empty:
        waiting |= Q(status=Status.HANDLED) & check.q() & ~Q(handled_by_id=actor.pk)
        waiting |= Q(status=Status.CLOSED, needs_recheck=True) & check.q() & ~Q(handled_by_id=actor.pk)
    rows = Event.objects.visible_to(actor).filter(waiting).order_by(F("due_at").asc(nulls_last=True), "id")
    return list(rows.values_list("pk", flat=True))


@pytest.mark.parametrize("viewer", [*VIEWERS, "A/S1/C1/G1:police"])
def test_work_queue_holds_exactly_what_waits(ev, viewer):
    from events.models import HandlingUnit

    for status in ("reported", "accepted", "dispatched", "in_progress", "handled", "rework", "closed"):
        ev.event_in(status)
    ev.report(path="A/S1/C2/G1")
    ev.report(path="B/S1/C1/G1")
    ev.sampled_on_spot()
    staff = HandlingUnit.objects.create(tenant=ev.world.tenants["A"], name="网格员队伍", kind="grid_staff")
    ev.step(ev.event_in("accepted"), Transition.DISPATCH, unit=staff.pk)
    actor = ev.user(viewer)
    expected = _waiting_as_one_or(actor)
    assert [e.pk for e in selectors.work_queue(actor=actor)] == expected
    assert [e.pk for e in selectors.work_queue(actor=actor, limit=2)] == expected[:2]


@pytest.mark.parametrize("viewer", [HEAD, "A:grid_head", "unit", "A:admin"])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_queue_pages_follow_the_deadlines_to_the_end(ev, viewer, size):
    """Following each 待办 page's cursor gives the whole queue once, in order, events without a deadline last
    (and several sharing one deadline, ids breaking the tie)."""
    for status in ("reported", "reported", "accepted", "dispatched", "in_progress", "handled", "closed"):
        ev.event_in(status)
    reported = list(Event.objects.filter(status="reported").order_by("id"))
    Event.objects.filter(pk__in=[e.pk for e in reported[:2]]).update(due_at=reported[0].due_at)  # a tie
    Event.objects.filter(status="accepted").update(due_at=None)  # no deadline: last
    actor = ev.user(viewer)
    expected = _waiting_as_one_or(actor)
    seen, after = [], None
    for _ in range(50):
        page, after = selectors.queue_page(actor=actor, after=after, size=size)
        assert len(page) <= size
        seen += [e.pk for e in page]
        if after is None:
            break
    assert seen == expected
    if viewer == HEAD:
        assert len(expected) >= 4 and Event.objects.get(pk=expected[-1]).due_at is None


def test_the_queue_page_links_to_the_next(ev, client_for):
    for _ in range(3):
        ev.event_in("reported")
    client = client_for(HEAD)
    expected = _waiting_as_one_or(ev.user(HEAD))
    first = client.get(reverse("events:todo"))
    assert [e.pk for e in first.context["events"]] == expected[:50]
    assert first.context["next_url"] is None  # a short queue: one page
    for bad in ("x", "n_", "n_x", "12", "-1_2"):
        assert client.get(reverse("events:todo"), {"after": bad}).status_code == 400


def test_a_long_queue_continues_on_the_next_page(ev, client_for):
    _bulk_events(ev, 55)
    client = client_for(HEAD)
    expected = _waiting_as_one_or(ev.user(HEAD))
    assert len(expected) > 50
    first = client.get(reverse("events:todo"))
    assert [e.pk for e in first.context["events"]] == expected[:50]
    assert 'data-testid="todo-next"' in first.content.decode()
    second = client.get(reverse("events:todo") + first.context["next_url"])
    assert [e.pk for e in second.context["events"]] == expected[50:]
    assert second.context["next_url"] is None


def _every_api_page(client, params=None):
    """The ids of every page of the API list, following `next` to the end."""
    seen, url, data = [], reverse("event-list"), dict(params or {})
    for _ in range(100):
        body = client.get(url, data).json()
        assert body["previous"] is None
        seen += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return seen
        url, data = body["next"], None
    raise AssertionError("the API's next links did not reach the end")


@pytest.mark.parametrize("viewer", VIEWERS)
def test_api_pages_hold_exactly_the_visible_events_newest_first(spread, viewer, client_for, settings):
    from events.api.views import EventKeyset

    actor = spread.user(viewer)
    expected = list(Event.objects.visible_to(actor).order_by("-created_at", "-id").values_list("pk", flat=True))
    EventKeyset.page_size, size = 3, EventKeyset.page_size
    try:
        assert _every_api_page(client_for(viewer)) == expected
    finally:
        EventKeyset.page_size = size


@pytest.mark.parametrize(
    "params",
    [
        lambda ev: {"status": "in_progress"},
        lambda ev: {"node": ev.world.node(GRID).pk},
        lambda ev: {"category": ev.category().pk},
        lambda ev: {"is_overdue": "false"},
        lambda ev: {"created_at__gte": (NOW - dt.timedelta(hours=2)).isoformat(), "created_at__lt": NOW.isoformat()},
    ],
    ids=["status", "node", "category", "not overdue", "filing time"],
)
@pytest.mark.parametrize("viewer", ["A:admin", "A/S1:grid_head", "unit"])
def test_api_filters_keep_their_meaning(spread, viewer, params, client_for):
    """The same rows as the API's FilterSet applied to the visible events (what the list did before)."""
    from events.api.views import EventFilter

    actor = spread.user(viewer)
    chosen = params(spread)
    request = RequestFactory().get("/")
    request.user = actor
    filterset = EventFilter(chosen, queryset=Event.objects.visible_to(actor), request=request)
    if not filterset.is_valid():  # a node or category outside the caller's reach: refused, as before
        response = client_for(viewer).get(reverse("event-list"), chosen)
        assert response.status_code == 400 and set(response.json()) == set(filterset.errors)
        return
    expected = list(filterset.qs.order_by("-created_at", "-id").values_list("pk", flat=True))
    assert _every_api_page(client_for(viewer), chosen) == expected


def test_an_api_page_deep_down_costs_the_queries_of_the_first(ev, client_for, django_assert_max_num_queries):
    _bulk_events(ev, 120)
    client = client_for(HEAD)
    client.get(reverse("event-list"))  # the session's first touch
    with django_assert_max_num_queries(30) as first:
        body = client.get(reverse("event-list")).json()
    with django_assert_max_num_queries(len(first.captured_queries)) as second:
        deeper = client.get(body["next"]).json()
    assert len(second.captured_queries) == len(first.captured_queries)
    assert deeper["results"] and not {r["id"] for r in body["results"]} & {r["id"] for r in deeper["results"]}
