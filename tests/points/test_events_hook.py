"""A report verified as valid (events' report_verified signal) earns the reporter's linked passbook, once."""

import pytest

from points.models import ServiceRecord
from points.services import ledger
from tests.events.conftest import EventWorld

from .factories import passbook, service_type

pytestmark = pytest.mark.django_db


def test_a_verified_report_credits_the_reporters_passbook_once(world, django_capture_on_commit_callbacks):
    ev = EventWorld(world)
    service_type(world, code="report", name="随手拍上报", basis="per_occasion", points=5,
                 registration="automatic")
    book = ledger.link_holder(account=passbook(world), user=world.user("A/S1/C1/G1:grid_worker"))
    with django_capture_on_commit_callbacks(execute=True):
        event = ev.event_in("closed")
    record = ServiceRecord.objects.get(source_type="events.event", source_id=str(event.pk))
    assert record.status == "credited" and record.points == 5 and record.account == book
    book.refresh_from_db()
    assert book.balance == 5
    with django_capture_on_commit_callbacks(execute=True):  # reopened and verified again: paid once
        ev.step(event, "reopen")
        for action in ("dispatch", "sign", "handle", "verify"):
            ev.step(event, action)
    book.refresh_from_db()
    assert book.balance == 5


def test_a_report_without_a_linked_passbook_or_a_rule_earns_nothing(world, django_capture_on_commit_callbacks):
    ev = EventWorld(world)
    passbook(world)
    with django_capture_on_commit_callbacks(execute=True):
        ev.event_in("closed")
    assert not ServiceRecord.objects.exists()
