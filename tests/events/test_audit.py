"""Every logged step or act on an event leaves one audit row through the kit's `on_step` hook (filing, steps,
more-time and pause requests and decisions, sweep escalations); a refused step leaves none."""

import datetime as dt

import pytest

from audit.models import Kind
from events import services
from events.choices import Transition
from events.models import Event
from tests.audit.trail import new_rows, only

from .conftest import HEAD, NOW, WORKER

pytestmark = pytest.mark.django_db


def test_filing_leaves_one_row_by_the_reporter(ev):
    with new_rows() as rows:
        event = ev.report()
    row = only(rows)
    assert (row.action, row.kind, row.actor_id) == ("events.report", Kind.WRITE, ev.user(WORKER).pk)
    assert (row.object_type, row.object_id) == ("events.Event", str(event.pk))
    assert row.summary == {"status": ["", "reported"]} and row.tenant_id == ev.world.tenants["A"].pk


def test_a_step_leaves_one_row_with_the_status_before_and_after_and_the_note(ev):
    event = ev.report()
    with new_rows() as rows:
        ev.step(event, Transition.ACCEPT, note="收到")
    row = only(rows)
    assert (row.action, row.actor_id) == ("events.accept", ev.user(HEAD).pk)
    assert row.summary == {"status": ["reported", "accepted"], "note": "收到"}


def test_a_refused_step_leaves_no_row(ev):
    event = ev.report()
    with new_rows() as rows, pytest.raises((services.NotAllowed, Event.DoesNotExist)):
        ev.step(event, Transition.ACCEPT, actor=WORKER)
    with new_rows() as more, pytest.raises(services.TransitionError):
        ev.step(event, Transition.SIGN, actor=HEAD)
    assert rows == [] and more == []


def test_requests_and_decisions_beside_the_table_leave_one_row_each(ev):
    event = ev.event_in("in_progress")
    with new_rows() as asked:
        services.request_pause(actor=ev.user("unit"), event=event.pk, reason="等待配件", now=NOW)
    assert only(asked).action == "events.pause_request" and only(asked).summary["note"] == "等待配件"
    with new_rows() as decided:
        services.decide_pause(actor=ev.user(HEAD), event=event.pk, approve=True, now=NOW)
    assert only(decided).action == "events.pause_approved"


def test_an_escalation_by_the_sweep_leaves_one_row_without_a_person(ev):
    event = ev.report()
    with new_rows() as rows:
        services.sweep_deadlines(now=Event.objects.get(pk=event.pk).due_at + dt.timedelta(minutes=1))
    escalations = [r for r in rows if r.action == "events.escalate"]
    assert len(escalations) == 1 and escalations[0].actor_id is None
    assert escalations[0].object_id == str(event.pk)
