"""Filing through the API reads and writes only what it must (docs/bench_filing.md), and the working calendar it
keeps per process follows every edit: at once in the process that made it, within the cache time elsewhere."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events import calendar, services
from events.models import CalendarDay, Event, EventLog, Notification
from tests.world import make_user

from .conftest import GRID, HEAD, WORKER

pytestmark = pytest.mark.django_db

# NOW is Wednesday 25 Nov 2026, 09:00 in Shanghai; 暴露垃圾 must be accepted within 2 working hours.
WEDNESDAY = dt.date(2026, 11, 25)
DUE_ON_WEDNESDAY = dt.datetime(2026, 11, 25, 11, 0, tzinfo=calendar.CALENDAR_TZ)
DUE_ON_THURSDAY = dt.datetime(2026, 11, 26, 10, 30, tzinfo=calendar.CALENDAR_TZ)


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test starts and ends without a kept calendar (a transactional test's rows are truncated unseen)."""
    calendar.forget_calendar()
    yield
    calendar.forget_calendar()


def _token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _payload(ev, key):
    return {"node": ev.world.nodes[GRID].pk, "category": ev.category().pk, "title": "井盖缺失", "urgency": 2,
            "idempotency_key": key}


def _statement(sql: str) -> str:
    verb = sql.split()[0].upper()
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
    return f"{verb} {table.group(1)}" if table and verb in {"SELECT", "INSERT", "UPDATE"} else verb


def test_filing_through_the_api_runs_only_the_statements_it_needs(ev):
    """Token, grid, scope, category, dispatchers; then number, event, log, notification in one transaction.

    The dashboards' counts that Event.save keeps (events_eventrollup) belong to the event row and are left out of
    this list. In production the transaction is BEGIN … COMMIT; inside a test's transaction it is a savepoint."""
    client = _token_client(ev.user(WORKER))
    assert client.post(reverse("event-list"), _payload(ev, "first"), format="json").status_code == 201
    second = _payload(ev, "second")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("event-list"), second, format="json")
    assert response.status_code == 201, response.content
    statements = [_statement(q["sql"]) for q in queries.captured_queries if "events_eventrollup" not in q["sql"]]
    assert statements == [
        "SELECT authtoken_token",  # the token and its user
        "SELECT grids_gridnode",  # the grid named, live
        "SELECT grids_assignment",  # the caller's scope (every action at once): may they report there?
        "SELECT events_category",  # the subcategory and its main category
        "SELECT grids_assignment",  # whom to notify: the dispatchers of the grid and community
        "SAVEPOINT",
        "UPDATE events_eventsequence",  # the day's number, UPDATE … RETURNING
        "INSERT events_event",
        "INSERT events_eventlog",
        "INSERT audit_entry",  # the audit row of the filing (sealed into its chain once the transaction commits)
        "INSERT events_notification",
        "RELEASE",
    ]
    assert response.json()["reference"].endswith("-0002")
    assert Notification.objects.filter(event_id=response.json()["id"]).count() == 2  # grid and community heads


def test_a_grid_named_through_the_api_must_be_a_live_grid_in_the_callers_scope(ev):
    from grids import services as grid_services

    head = _token_client(ev.user(HEAD))
    second_grid = ev.world.nodes["A/S1/C1/G2"].pk
    assert head.post(reverse("event-list"), {**_payload(ev, "ok"), "node": second_grid}, format="json").status_code == 201
    grid_services.archive_node(node=ev.world.node("A/S1/C1/G2"), actor=ev.user("A:admin"))
    refused = [second_grid, ev.world.nodes["A/S1/C1"].pk, ev.world.nodes["A/S1/C2/G1"].pk,
               ev.world.nodes["B/S1/C1/G1"].pk, 10**9]
    for node in refused:  # archived, not a grid, outside the subtree, another district, missing
        response = head.post(reverse("event-list"), {**_payload(ev, f"n{node}"), "node": node}, format="json")
        assert response.status_code == 400 and "node" in response.json(), (node, response.content)
    assert Event.objects.count() == 1


def test_a_replay_reads_nothing_new_and_takes_no_number(ev):
    first = ev.report(idempotency_key="k")
    assert ev.report(idempotency_key="k").pk == first.pk
    assert ev.report(idempotency_key="other").reference.endswith("-0002")
    assert EventLog.objects.filter(event=first).count() == 1


def test_a_replay_answers_the_first_event_even_after_its_category_is_retired(ev):
    first = ev.report(idempotency_key="k")
    category = ev.category()
    category.is_active = False
    category.save()
    assert ev.report(idempotency_key="k", category=category).pk == first.pk
    assert Event.objects.count() == 1


def test_the_returned_event_answers_its_timeline_from_memory(ev, django_assert_num_queries):
    event = ev.report()
    with django_assert_num_queries(0):
        assert [log.action for log in event.logs.all()] == ["report"]
        assert event.photos.count() == 0


def test_a_grid_outside_the_scope_is_refused_without_a_trace(ev):
    foreign = ev.world.nodes["B/S1/C1/G1"]
    for node in (foreign, foreign.pk, None):
        with pytest.raises(ValidationError):
            services.report_event(actor=ev.user(WORKER), node=node, category=ev.category(), title="越界")
    assert not Event.objects.exists()


def test_a_calendar_edit_in_the_admin_takes_effect_at_once(ev, client_for):
    assert ev.report().accept_due == DUE_ON_WEDNESDAY  # the process now keeps the calendar
    root = make_user("root", None, is_superuser=True, is_staff=True)
    ev.world.users["root"] = root
    response = client_for("root").post(
        reverse("admin:events_calendarday_add"), {"date": WEDNESDAY.isoformat(), "note": "临时放假"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarDay.objects.get(date=WEDNESDAY).is_workday is False
    assert ev.report().accept_due == DUE_ON_THURSDAY


def test_other_processes_see_an_edit_within_the_cache_time(ev, monkeypatch):
    """A write this process was not told about (another process's, or a bulk write) is seen once the kept
    calendar is older than EVENTS_CALENDAR_CACHE_SECONDS."""
    clock = [1000.0]
    monkeypatch.setattr(calendar, "monotonic", lambda: clock[0])
    with override_settings(EVENTS_CALENDAR_CACHE_SECONDS=60):
        assert ev.report().accept_due == DUE_ON_WEDNESDAY
        CalendarDay.objects.bulk_create([CalendarDay(date=WEDNESDAY, is_workday=False, note="临时放假")])
        clock[0] += 59
        assert ev.report().accept_due == DUE_ON_WEDNESDAY  # still the kept calendar
        clock[0] += 1
        assert ev.report().accept_due == DUE_ON_THURSDAY
