"""Taking part in consultation earns points (issue 14): recording a meeting's attendees sends
parties.signals.consultation_attended after the commit, once per attendee; the points app credits the tenant's
"consultation" service through the same rules and caps as attendance, once per meeting and person."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from parties import services
from parties.signals import consultation_attended
from points.models import Account, ServiceRecord
from points.services import ledger
from points.services.earning import credit_consultation
from tests.points.factories import service_type
from tests.registry import factories as registry

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=TZ)
GRID = "A/S1/C1/G1"


def _meeting(world):
    topic = services.raise_topic(actor=None, node=world.node(GRID), title="活动场地不足", source="grid_worker",
                                 due_on=dt.date(2026, 12, 31), now=NOW)
    services.accept_topic(actor=None, topic=topic)
    return services.schedule_meeting(actor=None, topic=topic, starts_at=NOW + dt.timedelta(days=1), place="议事厅")


def _person(world, seq, name):
    return registry.resident(world.node(GRID), name=name, id_number=registry.make_id(seq=seq), phone="")


def test_each_attendee_earns_once_per_meeting(world, django_capture_on_commit_callbacks):
    service_type(world, code="consultation", name="参与协商议事", basis="per_occasion", points=3, daily_cap=5,
                 registration="automatic")
    meeting = _meeting(world)
    owner, tenant = _person(world, 1, "业主甲"), _person(world, 2, "业主乙")
    worker = world.user(f"{GRID}:grid_worker")
    linked = ledger.link_holder(account=ledger.passbook_for_person(person=_person(world, 3, "网格员本人")), user=worker)
    head = world.user("A/S1/C1:grid_head")  # a staff attendee without a passbook earns nothing, and no error
    heard = []
    consultation_attended.connect(lambda sender, **kw: heard.append(kw), weak=False, dispatch_uid="test-heard")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.record_meeting(actor=None, meeting=meeting, minutes="一致同意", residents=[owner, tenant, owner],
                                    users=[worker, head])
    finally:
        consultation_attended.disconnect(dispatch_uid="test-heard")
    assert sorted((h["person_id"] or 0, h["user_id"] or 0) for h in heard) == sorted(
        [(owner.pk, 0), (tenant.pk, 0), (0, worker.pk), (0, head.pk)])
    records = ServiceRecord.objects.filter(source_type="parties.meeting", source_id=str(meeting.pk))
    assert sorted(r.person.name for r in records) == ["业主乙", "业主甲", "网格员本人"]
    assert all((r.status, r.points, r.service_type.code) == ("credited", 3, "consultation") for r in records)
    assert Account.objects.get(person=owner).balance == 3
    linked.refresh_from_db()
    assert linked.balance == 3
    again = credit_consultation(meeting_id=meeting.pk, person_id=owner.pk, user_id=None)  # a retried signal
    assert again == records.get(person=owner) and Account.objects.get(person=owner).balance == 3


def test_the_caps_hold_and_nothing_without_the_service_type(world, django_capture_on_commit_callbacks):
    meeting = _meeting(world)
    person = _person(world, 4, "居民丙")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_meeting(actor=None, meeting=meeting, minutes="纪要", residents=[person])
    assert not ServiceRecord.objects.exists() and not Account.objects.filter(person=person).exists()
    service_type(world, code="consultation", name="参与协商议事", basis="per_hour", points=4, daily_cap=3,
                 registration="automatic")
    record = credit_consultation(meeting_id=meeting.pk, person_id=person.pk, user_id=None)
    assert (record.minutes, record.points) == (60, 3)  # one hour × 4, the daily cap of 3 holds


def test_a_refused_record_earns_nothing(world, django_capture_on_commit_callbacks):
    service_type(world, code="consultation", name="参与协商议事", basis="per_occasion", points=3,
                 registration="automatic")
    meeting = _meeting(world)
    person = _person(world, 5, "居民丁")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.record_meeting(actor=None, meeting=meeting, minutes="纪要", residents=[person],
                                votes=[("动议", -1, 0, 0)])
    assert not ServiceRecord.objects.exists() and not meeting.attendees.exists()
