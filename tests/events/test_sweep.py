"""The deadline sweep: flags near/overdue, escalates one level per missed deadline, idempotently."""

import datetime as dt

import pytest
from django.core.management import call_command

from events import services, tasks
from events.choices import Transition
from events.models import Event, EventLog, Notification

from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_overdue_event_escalates_once_per_deadline(ev):
    event = ev.event_in("reported")  # 暴露垃圾: accept within 2 working hours → 11:00
    assert event.due_at == NOW + dt.timedelta(hours=2)
    later = NOW + dt.timedelta(hours=3)
    result = services.sweep_deadlines(now=later)
    assert (result.overdue, result.escalated) == (1, 1)
    event.refresh_from_db()
    community = ev.world.nodes["A/S1/C1"]
    assert (event.is_overdue, event.escalation_level, event.escalated_to_id) == (True, 1, community.pk)
    assert EventLog.objects.filter(event=event, action="escalate").count() == 1
    head = ev.user("A/S1/C1:grid_head")
    assert Notification.objects.filter(user=head, event=event, kind="escalated").count() == 1

    # Running again — now, or much later after missed runs — does nothing more for the same deadline.
    for when in (later, later + dt.timedelta(days=30)):
        again = services.sweep_deadlines(now=when)
        assert (again.overdue, again.escalated) == (0, 0)
    event.refresh_from_db()
    assert event.escalation_level == 1
    assert Notification.objects.filter(event=event, kind="escalated").count() == 1


def test_each_new_missed_deadline_climbs_one_more_level(ev):
    event = ev.event_in("reported")
    services.sweep_deadlines(now=NOW + dt.timedelta(hours=3))
    event = ev.step(event, Transition.ACCEPT, now=NOW + dt.timedelta(hours=3))  # new deadline: handle in 1 day
    assert not event.is_overdue
    services.sweep_deadlines(now=NOW + dt.timedelta(days=5))
    event.refresh_from_db()
    assert (event.escalation_level, event.escalated_to_id) == (2, ev.world.nodes["A/S1"].pk)
    street_head = ev.user("A/S1:grid_head")
    assert Notification.objects.filter(user=street_head, event=event, kind="escalated").exists()
    # The district is the top: a further missed deadline escalates to it, then nothing is above.
    event = ev.step(event, Transition.DISPATCH, now=NOW + dt.timedelta(days=5))
    event = ev.step(event, Transition.SIGN, now=NOW + dt.timedelta(days=5))
    event = ev.step(event, Transition.HANDLE, now=NOW + dt.timedelta(days=5))
    services.sweep_deadlines(now=NOW + dt.timedelta(days=10))
    event.refresh_from_db()
    assert (event.escalation_level, event.escalated_to_id) == (3, ev.world.nodes["A"].pk)
    event = ev.step(event, Transition.VERIFY, passed=False, note="未整改", now=NOW + dt.timedelta(days=10))
    services.sweep_deadlines(now=NOW + dt.timedelta(days=20))
    event.refresh_from_db()
    assert event.escalation_level == 3 and event.is_overdue


def test_near_deadline_is_flagged_once_and_notifies_the_waiting(ev):
    event = ev.event_in("reported")
    near = services.sweep_deadlines(now=NOW + dt.timedelta(minutes=30))
    assert (near.near, near.overdue) == (1, 0)
    event.refresh_from_db()
    assert event.is_near_deadline and not event.is_overdue
    assert Notification.objects.filter(event=event, kind="near_deadline", user=ev.user("A/S1/C1:grid_head")).exists()
    assert services.sweep_deadlines(now=NOW + dt.timedelta(minutes=40)).near == 0


def test_closed_and_rejected_events_are_left_alone(ev):
    closed, rejected = ev.event_in("closed"), ev.event_in("rejected")
    services.sweep_deadlines(now=NOW + dt.timedelta(days=60))
    for event in (closed, rejected):
        event.refresh_from_db()
        assert not event.is_overdue and event.escalation_level == 0


def test_task_and_command_run_the_sweep(ev):
    event = ev.event_in("reported")
    Event.objects.filter(pk=event.pk).update(due_at=NOW - dt.timedelta(days=1))
    assert tasks.sweep_deadlines() == {"near": 0, "overdue": 1, "escalated": 1}
    call_command("run_periodic")
    event.refresh_from_db()
    assert event.escalation_level == 1


def test_beat_entry_names_a_registered_task(settings):
    from yaohai.celery import app

    app.loader.import_default_modules()
    assert "events-sweep-deadlines" in settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= set(app.tasks)
