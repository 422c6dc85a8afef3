"""Attending a party–mass activity (parties' attendance_recorded, sent after the check-in commits) earns the
attendee's passbook the tenant's "activity" service, through the same rules and caps, once per activity."""

import datetime as dt

import pytest

from audit.models import Entry as AuditEntry
from parties import services as parties
from points.models import Account, ServiceRecord
from points.services import ledger
from tests.parties.centres import NOW, STARTS, activity
from tests.registry import factories as registry

from .factories import service_type

pytestmark = pytest.mark.django_db


def _attend(world, capture, event, *, resident=None, user=None):
    row = parties.sign_up(activity=event, resident=resident, user=user, now=NOW)
    with capture(execute=True):
        parties.check_in(sign_up=row, now=STARTS + dt.timedelta(minutes=5))
    return row


def test_attendance_credits_the_attendees_passbook_per_hour_within_the_caps(world, django_capture_on_commit_callbacks):
    service_type(world, code="activity", name="参加党群活动", basis="per_hour", points=3, daily_cap=5,
                 registration="automatic")
    event = activity(world)  # two hours
    person = registry.resident(world.node("A/S1/C1/G1"), name="张秀兰", id_number=registry.make_id(seq=1), phone="")
    _attend(world, django_capture_on_commit_callbacks, event, resident=person)
    record = ServiceRecord.objects.get(source_type="parties.attendance", source_id=str(event.pk))
    assert (record.person, record.status, record.minutes) == (person, "credited", 120)
    assert record.points == 5 and "5" in record.cap_note  # 2 h × 3 = 6, the daily cap of 5 holds
    book = Account.objects.get(person=person)
    assert book.balance == 5 == sum(book.entries.values_list("amount", flat=True))
    assert AuditEntry.objects.filter(action="points.credit_from_source").count() == 1
    from points.services.earning import credit_attendance

    again = credit_attendance(activity_id=event.pk, person_id=person.pk, user_id=None, hours=2)  # a retried signal
    assert again == record
    book.refresh_from_db()
    assert book.balance == 5 and ServiceRecord.objects.count() == 1


def test_a_staff_attendee_earns_through_her_linked_passbook_only(world, django_capture_on_commit_callbacks):
    service_type(world, code="activity", name="参加党群活动", basis="per_occasion", points=4, registration="automatic")
    event = activity(world)
    worker, head = world.user("A/S1/C1/G1:grid_worker"), world.user("A/S1/C1:grid_head")
    person = registry.resident(world.node("A/S1/C1/G1"), name="网格员", id_number=registry.make_id(seq=2), phone="")
    book = ledger.link_holder(account=ledger.passbook_for_person(person=person), user=worker)
    _attend(world, django_capture_on_commit_callbacks, event, user=worker)
    _attend(world, django_capture_on_commit_callbacks, event, user=head)  # no passbook: nothing, no error
    book.refresh_from_db()
    assert book.balance == 4
    assert ServiceRecord.objects.get().person == person


def test_without_an_activity_type_attendance_earns_nothing(world, django_capture_on_commit_callbacks):
    event = activity(world)
    person = registry.resident(world.node("A/S1/C1/G1"), name="李四", id_number=registry.make_id(seq=3), phone="")
    _attend(world, django_capture_on_commit_callbacks, event, resident=person)
    assert not ServiceRecord.objects.exists() and not Account.objects.filter(person=person).exists()


def test_a_frozen_passbook_leaves_the_check_in_standing(world, django_capture_on_commit_callbacks):
    service_type(world, code="activity", name="参加党群活动", basis="per_occasion", points=4, registration="automatic")
    event = activity(world)
    person = registry.resident(world.node("A/S1/C1/G1"), name="王五", id_number=registry.make_id(seq=4), phone="")
    book = ledger.passbook_for_person(person=person)
    ledger.freeze(account=book, reason="核查中", actor=None)
    row = _attend(world, django_capture_on_commit_callbacks, event, resident=person)
    row.refresh_from_db()
    book.refresh_from_db()
    assert row.checked_in_at is not None and book.balance == 0
