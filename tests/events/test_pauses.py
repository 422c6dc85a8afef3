"""Pausing the handling clock: asked by the handler, approved by a dispatcher; the working time left is kept."""

import datetime as dt

import pytest
from django.urls import reverse

from events import services
from events.calendar import CALENDAR_TZ, add_working_duration, working_time_between
from events.models import Event
from events.services import NotAllowed, TransitionError

from .conftest import HEAD, NOW, WORKER

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=CALENDAR_TZ)


def test_working_time_between_skips_nights_lunch_and_holidays():
    assert working_time_between(at(2025, 9, 30, 16, 0), at(2025, 10, 9, 10, 0)) == dt.timedelta(hours=3)
    assert working_time_between(at(2025, 11, 5, 11, 0), at(2025, 11, 5, 15, 0)) == dt.timedelta(hours=2)
    assert working_time_between(at(2025, 11, 5, 15, 0), at(2025, 11, 5, 11, 0)) == dt.timedelta(0)
    assert add_working_duration(at(2025, 9, 30, 16, 0), dt.timedelta(hours=3)) == at(2025, 10, 9, 10, 0)


def test_paused_event_keeps_its_working_time_and_is_never_overdue(ev):
    event = ev.event_in("in_progress")
    due = Event.objects.get(pk=event.pk).handle_due
    services.request_pause(actor=ev.user("unit"), event=event.pk, reason="等待法院裁定", now=NOW)
    services.decide_pause(actor=ev.user(HEAD), event=event.pk, approve=True, now=NOW)
    paused = Event.objects.get(pk=event.pk)
    assert paused.paused_at == NOW and paused.due_at is None
    assert paused.paused_remaining == working_time_between(NOW, due)
    assert services.sweep_deadlines(now=NOW + dt.timedelta(days=60)).overdue == 0
    later = NOW + dt.timedelta(days=30)
    services.resume(actor=ev.user("unit"), event=event.pk, now=later)
    resumed = Event.objects.get(pk=event.pk)
    assert resumed.paused_at is None
    assert resumed.due_at == resumed.handle_due == add_working_duration(later, paused.paused_remaining)
    assert list(resumed.logs.values_list("action", flat=True))[-3:] == ["pause_request", "pause_approved", "resume"]


def test_handling_a_paused_event_ends_the_pause(ev):
    event = ev.event_in("in_progress")
    services.request_pause(actor=ev.user("unit"), event=event.pk, reason="等配件", now=NOW)
    services.decide_pause(actor=ev.user(HEAD), event=event.pk, approve=True, now=NOW)
    handled = ev.step(event, "handle")
    assert handled.paused_at is None and handled.due_at == handled.verify_due


def test_who_and_when(ev):
    event = ev.event_in("in_progress")
    with pytest.raises(NotAllowed):
        services.request_pause(actor=ev.user(WORKER), event=event.pk, reason="x")
    with pytest.raises(TransitionError):
        services.resume(actor=ev.user(HEAD), event=event.pk)  # not paused
    services.request_pause(actor=ev.user("unit"), event=event.pk, reason="等待")
    with pytest.raises(TransitionError):
        services.request_pause(actor=ev.user("unit"), event=event.pk, reason="again")
    with pytest.raises(NotAllowed):
        services.decide_pause(actor=ev.user("unit"), event=event.pk, approve=True)
    services.decide_pause(actor=ev.user(HEAD), event=event.pk, approve=True)
    with pytest.raises(TransitionError):  # more time while paused: resume first
        services.request_extension(actor=ev.user("unit"), event=event.pk, amount=1, time_unit="working_days", reason="x")
    with pytest.raises(Event.DoesNotExist):
        services.resume(actor=ev.user("B/S1/C1:grid_head"), event=event.pk)
    services.resume(actor=ev.user(HEAD), event=event.pk)
    reported = ev.event_in("reported")
    with pytest.raises(TransitionError):
        services.request_pause(actor=ev.user(HEAD), event=reported.pk, reason="x")


def test_through_the_pages_and_the_api(ev, client_for):
    event = ev.event_in("in_progress")
    unit, head = client_for("unit"), client_for(HEAD)
    assert 'data-testid="step-pause-request"' in unit.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert unit.post(reverse("events:pause-request", args=[event.pk]), {"pause-reason": "等待审批"}).status_code == 302
    assert head.post(reverse("events:pause-decide", args=[event.pk]), {"pause-approve": "1"}).status_code == 302
    page = unit.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'data-testid="paused"' in page and 'data-testid="step-resume"' in page
    response = unit.post(reverse("event-resume", args=[event.pk]), {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["paused_at"] is None
    assert unit.post(reverse("event-resume", args=[event.pk]), {}, content_type="application/json").status_code == 409
