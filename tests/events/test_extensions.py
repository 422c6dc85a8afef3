"""Requests for more time: the handler asks, a dispatcher decides; the status never changes, the deadline may."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events import services
from events.calendar import add_working_time
from events.models import Event, EventLog, ExtensionRequest, Notification
from events.services import NotAllowed, TransitionError

from .conftest import HEAD, NOW, WORKER

pytestmark = pytest.mark.django_db


def ask(ev, event, actor="unit", **kwargs):
    kwargs = {"amount": 2, "time_unit": "working_days", "reason": "需要等待配件", **kwargs}
    return services.request_extension(actor=ev.user(actor), event=event.pk, now=NOW, **kwargs)


def test_approved_request_moves_the_handling_deadline(ev):
    event = ev.event_in("in_progress")
    old_due = Event.objects.get(pk=event.pk).handle_due
    request = ask(ev, event)
    assert Notification.objects.filter(user=ev.user(HEAD), event=event, kind="ext_requested").exists()
    services.decide_extension(actor=ev.user(HEAD), event=event.pk, approve=True, now=NOW)
    fresh = Event.objects.get(pk=event.pk)
    assert fresh.status == "in_progress"
    assert fresh.handle_due == fresh.due_at == add_working_time(old_due, 2, "working_days")
    request.refresh_from_db()
    assert (request.status, request.decided_by_id) == ("approved", ev.user(HEAD).pk)
    assert list(EventLog.objects.filter(event=event).values_list("action", flat=True))[-2:] == [
        "ext_request", "ext_approved"]
    assert Notification.objects.filter(user=ev.unit_member, event=event, kind="ext_approved").exists()


def test_denied_request_leaves_the_deadline(ev):
    event = ev.event_in("dispatched")
    due = Event.objects.get(pk=event.pk).due_at
    ask(ev, event)
    services.decide_extension(actor=ev.user(HEAD), event=event.pk, approve=False, note="不予延期", now=NOW)
    assert Event.objects.get(pk=event.pk).due_at == due
    assert ExtensionRequest.objects.get().status == "denied"


def test_who_and_when(ev):
    reported = ev.event_in("reported")
    with pytest.raises(TransitionError):
        ask(ev, reported, actor=HEAD)
    event = ev.event_in("in_progress")
    with pytest.raises(NotAllowed):
        ask(ev, event, actor=WORKER)
    with pytest.raises(Event.DoesNotExist):
        ask(ev, event, actor="B/S1/C1:grid_head")
    with pytest.raises(ValidationError):
        ask(ev, event, amount=99)
    ask(ev, event)
    with pytest.raises(TransitionError):  # one pending request at a time
        ask(ev, event)
    with pytest.raises(NotAllowed):  # the handler cannot approve their own request
        services.decide_extension(actor=ev.user("unit"), event=event.pk, approve=True)
    services.decide_extension(actor=ev.user(HEAD), event=event.pk, approve=True)
    with pytest.raises(TransitionError):  # nothing pending any more
        services.decide_extension(actor=ev.user(HEAD), event=event.pk, approve=True)


def test_extension_clears_overdue_and_allows_a_new_escalation(ev):
    event = ev.event_in("in_progress")
    late = Event.objects.get(pk=event.pk).due_at + dt.timedelta(hours=1)
    services.sweep_deadlines(now=late)
    assert Event.objects.get(pk=event.pk).is_overdue
    ask(ev, event)
    services.decide_extension(actor=ev.user(HEAD), event=event.pk, approve=True, now=late)
    fresh = Event.objects.get(pk=event.pk)
    assert not fresh.is_overdue and fresh.due_at > late


def test_through_the_pages_and_the_api(ev, client_for):
    event = ev.event_in("in_progress")
    unit, head = client_for("unit"), client_for(HEAD)
    page = unit.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'data-testid="step-extension-request"' in page
    response = unit.post(reverse("events:extension-request", args=[event.pk]),
                         {"ext-amount": 1, "ext-time_unit": "working_days", "ext-reason": "等待物业配合"})
    assert response.status_code == 302
    assert 'data-testid="step-extension-decide"' in head.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert unit.post(reverse("events:extension-decide", args=[event.pk]), {"ext-approve": "1"}).status_code == 403
    response = head.post(reverse("event-decide-extension", args=[event.pk]), {"approve": False},
                         content_type="application/json")
    assert response.status_code == 200 and response.json()["logs"][-1]["action"] == "ext_denied"
    again = head.post(reverse("event-decide-extension", args=[event.pk]), {"approve": True},
                      content_type="application/json")
    assert again.status_code == 409


DECISION_LOGS = {"ext_approved": ("pending", "approved"), "ext_denied": ("pending", "denied")}


def test_the_request_table_every_decision_works_and_logs_every_other_is_refused(ev):
    """The REQUEST_WORKFLOW table through tests/workflows.py: a pending request is approved or denied once."""
    from events.choices import REQUEST_WORKFLOW, Decision
    from tests.workflows import check_table

    def make(status, step):
        request = ask(ev, ev.event_in("in_progress"))
        if status != "pending":
            services.decide_extension(
                actor=ev.user(HEAD), event=request.event_id, approve=status == "approved", now=NOW
            )
        return request

    def take(request, step, to, refused):
        actor = ev.user("A:admin" if refused else HEAD)
        services.decide_extension(actor=actor, event=request.event_id, approve=step == Decision.APPROVE, now=NOW)

    def logs(request):
        rows = EventLog.objects.filter(event_id=request.event_id, action__in=DECISION_LOGS).order_by("id")
        return [(*DECISION_LOGS[action], actor) for action, actor in rows.values_list("action", "actor_id")]

    check_table(
        REQUEST_WORKFLOW,
        make=make,
        take=take,
        state=lambda request: ExtensionRequest.objects.filter(pk=request.pk).values().get(),
        logs=logs,
    )
