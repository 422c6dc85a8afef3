"""群众满意度: residents rate their own closed reports, grid workers record the follow-up call of hotline and walk-in
events, the dashboards' KPI and the assessment's indicator count them (checked by hand), dissatisfied residents
may ask for a reopen that their community checks."""

import datetime as dt
import re

import pytest
from django.test import Client

from events import kpis
from events import services as event_services
from events.choices import RatingSource, Satisfaction, Source, Status
from events.indicators import event_counts
from events.models import Event
from residents import reporting, satisfaction
from residents.choices import ReopenStatus
from residents.models import ReopenRequest
from tests.events.conftest import EventWorld
from yaohai.core.errors import Conflict, NotFound

from .helpers import signed_in_resident

LAMP = "路灯不亮"


@pytest.fixture
def ev(world):
    return EventWorld(world)


def closed_resident_report(ev, account):
    event = reporting.file_report(account=account, category_id=ev.category(name=LAMP).pk, description="路灯坏了")
    for step in ("accept", "dispatch", "sign", "handle", "verify"):
        ev.step(event, step, now=None)
    return Event.objects.get(pk=event.pk)


def test_she_rates_a_closed_report_she_follows_once_the_first_rating_counts(ev, world):
    client, account = signed_in_resident(world)
    _c, supporter = signed_in_resident(world, phone="13800002222")
    event = reporting.file_report(account=account, category_id=ev.category(name=LAMP).pk, description="路灯坏了")
    link = reporting.my_report(account, event.pk)
    with pytest.raises(Conflict):  # not closed yet
        satisfaction.rate_my_report(link=link, level=Satisfaction.SATISFIED)
    reporting.join_event(account=supporter, event_id=event.pk)
    for step in ("accept", "dispatch", "sign", "handle", "verify"):
        ev.step(event, step, now=None)
    assert "name=\"level\"" in client.get(f"/r/reports/{event.pk}/").content.decode()
    client.post(f"/r/reports/{event.pk}/rate/", {"level": "basic", "comment": "修好了，就是慢了点"})
    event.refresh_from_db()
    assert (event.satisfaction, event.satisfaction_source) == (Satisfaction.BASIC, RatingSource.RESIDENT)
    assert event.satisfaction_comment == "修好了，就是慢了点"
    for who in (account, supporter):
        with pytest.raises(Conflict):
            satisfaction.rate_my_report(link=reporting.my_report(who, event.pk), level=Satisfaction.SATISFIED)


def test_the_grid_worker_records_the_follow_up_call_of_hotline_events_only(ev, world):
    hotline = ev.event_in("closed", source=Source.HOTLINE, resident_name="王阿姨")
    own = ev.event_in("closed")
    worker = world.user("A/S1/C1/G1:grid_worker")
    event_services.record_callback(actor=worker, event=hotline.pk, level=Satisfaction.DISSATISFIED, comment="还坏着")
    hotline.refresh_from_db()
    assert (hotline.satisfaction, hotline.satisfaction_source) == (Satisfaction.DISSATISFIED, RatingSource.CALLBACK)
    with pytest.raises(Conflict):
        event_services.record_callback(actor=worker, event=own.pk, level=Satisfaction.SATISFIED)
    sibling_worker = world.user("A/S1/C2/G1:grid_worker")
    other = ev.event_in("closed", source=Source.WALK_IN, resident_name="李大爷")
    with pytest.raises(NotFound):
        event_services.record_callback(actor=sibling_worker, event=other.pk, level=Satisfaction.SATISFIED)


def test_the_satisfaction_kpi_and_indicator_checked_by_hand(ev, world):
    """Five events: satisfied, basic, dissatisfied, unrated closed, open. Rated 3, satisfied-or-basic 2:
    satisfaction = 2 ÷ 3 = 66.7 %; the unrated and the open event are excluded."""
    worker = world.user("A/S1/C1/G1:grid_worker")
    levels = [Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED]
    for level in levels:
        event = ev.event_in("closed", source=Source.HOTLINE, resident_name="居民")
        event_services.record_callback(actor=worker, event=event.pk, level=level)
    ev.event_in("closed")
    ev.event_in("accepted")
    events = Event.objects.filter(tenant=world.tenants["A"])
    row = kpis.totals(events)
    assert (row["rated"], row["satisfied"], row["satisfaction"]) == (3, 2, 66.7)
    assert kpis.KPI_BY_KEY["satisfaction"].available
    month = Event.objects.first().created_at.date().replace(day=1)
    counts = event_counts(world.tenants["A"].pk, month, dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    grid = counts.by_grid[world.nodes["A/S1/C1/G1"].pk]
    assert (grid["satisfied"], grid["rated"]) == (2, 3)


def test_the_community_dashboard_shows_the_rating(ev, world, client_for):
    _c, account = signed_in_resident(world)
    event = closed_resident_report(ev, account)
    satisfaction.rate_my_report(link=reporting.my_report(account, event.pk), level=Satisfaction.SATISFIED)
    head = client_for("A/S1/C1:grid_head")
    page = head.get(f"/dashboards/{world.nodes['A/S1/C1'].pk}/").content.decode()
    card = re.search(r'data-testid="kpi-satisfaction">.*?class="kpi-value">([^<]*)<', page, re.S)
    assert card and "100" in card.group(1), card and card.group(1)


def test_dissatisfied_asks_to_reopen_and_the_community_reopens(ev, world, client_for):
    client, account = signed_in_resident(world)
    event = closed_resident_report(ev, account)
    link = reporting.my_report(account, event.pk)
    satisfaction.rate_my_report(link=link, level=Satisfaction.DISSATISFIED, comment="灯还是不亮")
    client.post(f"/r/reports/{event.pk}/rate/", {"reopen": "1", "reason": "灯还是不亮"})
    request = ReopenRequest.objects.get()
    assert request.status == ReopenStatus.PENDING
    sibling_head = world.user("A/S1/C2:grid_head")
    with pytest.raises(NotFound):
        satisfaction.decide_reopen(actor=sibling_head, request_id=request.pk, reopen=True)
    head = client_for("A/S1/C1:grid_head")
    assert event.reference in head.get("/residents/reopen/").content.decode()
    head.post("/residents/reopen/", {"request": request.pk, "decision": "reopen"})
    event.refresh_from_db()
    assert event.status == Status.ACCEPTED
    request.refresh_from_db()
    assert request.status == ReopenStatus.REOPENED


def test_no_reopen_after_the_districts_days(ev, world, settings):
    _c, account = signed_in_resident(world)
    event = closed_resident_report(ev, account)
    link = reporting.my_report(account, event.pk)
    satisfaction.rate_my_report(link=link, level=Satisfaction.DISSATISFIED)
    settings.RESIDENT_REOPEN_DAYS = 3
    later = event.closed_at + dt.timedelta(days=3, minutes=1)
    with pytest.raises(Conflict):
        satisfaction.ask_reopen(link=reporting.my_report(account, event.pk), reason="x", now=later)
    assert not ReopenRequest.objects.exists()
    assert Client().get("/residents/reopen/").status_code == 302
