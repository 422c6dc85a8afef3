"""Defects a user met on the event pages (issue 11), each pinned: the superuser's 待办, what notifications say,
which step the event page offers first."""

import re

import pytest
from django.urls import reverse

from events import services
from events.models import Notification
from tests.world import make_user

from .conftest import HEAD, NOW, WORKER

pytestmark = pytest.mark.django_db


def kinds(user, event):
    return sorted(Notification.objects.filter(user=user, event=event).values_list("kind", flat=True))


def test_the_superusers_todo_answers(ev, client):
    """An unlimited scope made the queue's branches a Q where a list was expected: TypeError, 500."""
    event = ev.event_in("reported")
    root = make_user("platform_root", None, is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.get(reverse("events:todo"))
    assert response.status_code == 200
    assert event.reference in response.content.decode()
    assert client.get(reverse("home")).status_code == 200


def test_a_new_report_tells_the_head_there_is_a_report_to_accept_not_that_it_was_dispatched(ev):
    event = ev.event_in("reported")
    assert kinds(ev.user(HEAD), event) == ["reported"]


def test_a_rejected_duplicate_reaches_the_reporter_as_not_accepted_with_the_reason(ev, client_for):
    original = ev.event_in("reported", title="原件")
    event = ev.event_in("reported", title="重复件")
    services.reject(actor=ev.user(HEAD), event=event.pk, reason="duplicate", duplicate_of=original.pk, now=NOW)
    assert kinds(ev.user(WORKER), event) == ["rejected"]
    page = client_for(WORKER).get(reverse("events:notifications")).content.decode()
    reason = re.search(r'data-testid="notification-reason">(.*?)</div>', page, re.S).group(1)
    assert "重复" in reason and original.reference in reason
    assert "已退回" not in page


@pytest.mark.parametrize("approve, expected", [(True, "ext_approved"), (False, "ext_denied")])
def test_an_answer_on_more_time_says_approved_or_denied(ev, approve, expected):
    event = ev.event_in("in_progress")
    services.request_extension(actor=ev.user("unit"), event=event.pk, amount=2, time_unit="working_days",
                               reason="等材料", now=NOW)
    services.decide_extension(actor=ev.user(HEAD), event=event.pk, approve=approve, now=NOW)
    assert expected in kinds(ev.user("unit"), event)


@pytest.mark.parametrize("approve, expected", [(True, "pause_approved"), (False, "pause_denied")])
def test_an_answer_on_a_pause_says_approved_or_denied(ev, approve, expected):
    event = ev.event_in("in_progress")
    services.request_pause(actor=ev.user("unit"), event=event.pk, reason="等待法院裁定", now=NOW)
    services.decide_pause(actor=ev.user(HEAD), event=event.pk, approve=approve, now=NOW)
    assert expected in kinds(ev.user("unit"), event)


def test_the_reporter_hears_when_her_event_is_closed(ev):
    event = ev.event_in("handled")
    services.verify(actor=ev.user(HEAD), event=event.pk, passed=True, close_reason="fixed", now=NOW)
    assert "closed" in kinds(ev.user(WORKER), event)


def test_the_event_page_offers_the_step_forward_first_and_refusing_last_with_nothing_preselected(ev, client_for):
    event = ev.event_in("reported")
    body = client_for(HEAD).get(reverse("events:detail", args=[event.pk])).content.decode()
    steps = re.findall(r'data-testid="step-(\w+)" data-emphasis="(\w+)"', body)
    assert steps[0] == ("accept", "primary")
    assert steps[-1] == ("reject", "danger")
    reject = body[body.index('data-testid="step-reject"'):]
    select = reject[: reject.index("</select>")]
    assert not re.search(r'<option value="duplicate" selected', select)
    assert 'class="btn btn-sm btn-outline-danger"' in reject[: reject.index("</form>")]


def test_handling_comes_before_returning(ev, client_for):
    event = ev.event_in("in_progress")
    body = client_for("unit").get(reverse("events:detail", args=[event.pk])).content.decode()
    steps = [action for action, _ in re.findall(r'data-testid="step-(\w+)" data-emphasis="(\w+)"', body)]
    assert steps.index("handle") < steps.index("return")
