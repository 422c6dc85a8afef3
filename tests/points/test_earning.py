"""Earning: registered services credited only after both approvals, under versioned rules and their caps."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from points.integrity import differences
from points.models import Movement, ServiceLog
from points.services import earning
from yaohai.core.errors import Conflict, Invalid, NotAllowed, NotFound

from .factories import person, service_type, staff

pytestmark = pytest.mark.django_db


def at(*args):
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def setup(world):
    kind = service_type(world, points=10, daily_cap=30, monthly_cap=50)
    return {
        "kind": kind,
        "steward": person(world, name="张玉梅"),
        "registrar": staff(world, "registrar"),
        "representative": staff(world, "resident_representative"),
        "officer": world.user("A/S1/C1:grid_head"),
    }


def register(s, minutes=120, when=None):
    return earning.register_service(
        actor=s["registrar"], person=s["steward"], service_type=s["kind"], started_at=when or at(2025, 4, 1, 9),
        key=uuid.uuid4().hex, minutes=minutes, description="清理楼道杂物",
    )


def test_both_approvals_credit_the_passbook_and_name_the_rule_version(setup):
    s = setup
    record = register(s)
    assert record.status == "submitted" and not Movement.objects.exists()
    record = earning.approve(actor=s["representative"], record=record)
    assert record.status == "representative_approved" and not Movement.objects.exists()
    record = earning.approve(actor=s["officer"], record=record)
    assert record.status == "credited" and record.points == 20
    assert (record.officer, record.representative) == (s["officer"], s["representative"])
    movement = record.movement
    assert movement.rule_version_id == record.rule.pk and movement.key == f"service:{record.pk}"
    record.account.refresh_from_db()
    assert record.account.balance == 20
    assert list(ServiceLog.objects.filter(record=record).values_list("action", flat=True)) == [
        "register", "approve_representative", "approve_community",
    ]
    assert differences() == []


def test_the_other_order_works_too_and_approving_twice_is_a_conflict(setup):
    s = setup
    record = earning.approve(actor=s["officer"], record=register(s))
    assert record.status == "community_approved"
    with pytest.raises(Conflict):
        earning.approve(actor=s["officer"], record=record)
    record = earning.approve(actor=s["representative"], record=record)
    assert record.status == "credited"
    with pytest.raises(Conflict):
        earning.approve(actor=s["representative"], record=record)
    assert Movement.objects.count() == 1


def test_one_person_cannot_give_both_approvals(world, setup):
    s = setup
    from grids import services as grids
    from grids.models import Post

    grids.assign(user=s["officer"], post=Post.objects.get(tenant=world.tenants["A"], code="resident_representative"),
                 node=world.node("A/S1/C1"), start_date=dt.date(2024, 1, 1))
    officer = world.user("A/S1/C1:grid_head")
    record = earning.approve(actor=officer, record=register(s))
    with pytest.raises(Conflict):
        earning.approve(actor=officer, record=record)
    assert not Movement.objects.exists()


def test_the_registrar_does_not_approve_and_strangers_do_not_see(world, setup):
    s = setup
    record = register(s)
    with pytest.raises(NotFound):  # the registrar holds no approving right: the record is not in reach
        earning.approve(actor=s["registrar"], record=record)
    with pytest.raises(NotFound):
        earning.approve(actor=world.user("A/S1/C2:grid_head"), record=record)
    with pytest.raises(NotFound):
        earning.approve(actor=world.user("B/S1/C1:grid_head"), record=record)


def test_a_registrar_registers_only_in_reach_and_only_sensible_values(world, setup):
    s = setup
    with pytest.raises(NotFound):
        earning.register_service(actor=staff(world, "registrar", "A/S1/C2"), person=s["steward"],
                                 service_type=s["kind"], started_at=at(2025, 4, 1, 9), minutes=60,
                                 key="out-of-reach")
    for minutes in (0, -30, 1.5, "abc", 25 * 60):
        with pytest.raises(Invalid):
            register(s, minutes=minutes)
    with pytest.raises(Invalid):
        register(s, when=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(Invalid):  # before any rule was in force
        register(s, when=at(2023, 6, 1, 9))


def test_rejection_needs_a_reason_and_moves_nothing(setup):
    s = setup
    record = register(s)
    with pytest.raises(Invalid):
        earning.reject(actor=s["representative"], record=record, reason="")
    record = earning.reject(actor=s["representative"], record=record, reason="照片与登记不符")
    assert record.status == "rejected"
    with pytest.raises(Conflict):
        earning.approve(actor=s["officer"], record=record)
    assert not Movement.objects.exists()


def credit(s, minutes, when):
    record = register(s, minutes=minutes, when=when)
    earning.approve(actor=s["representative"], record=record)
    return earning.approve(actor=s["officer"], record=record)


def test_daily_and_monthly_caps_hold(setup):
    s = setup
    assert credit(s, 120, at(2025, 4, 1, 8)).points == 20
    second = credit(s, 120, at(2025, 4, 1, 14))
    assert second.points == 10 and "30" in second.cap_note  # the daily cap of 30
    assert credit(s, 180, at(2025, 4, 2, 9)).points == 20  # the month's cap of 50 leaves 20
    assert credit(s, 60, at(2025, 4, 3, 9)).points == 0
    assert credit(s, 60, at(2025, 5, 1, 9)).points == 10  # a new month
    s["steward"].refresh_from_db()
    assert Movement.objects.filter(kind="grant").count() == 4


def test_a_new_rule_version_applies_from_its_date_and_old_records_keep_theirs(setup):
    s = setup
    old = register(s, when=at(2025, 4, 1, 9))
    earning.publish_rule(actor=s["officer"], service_type=s["kind"], basis="per_occasion", points=5,
                         effective_from=dt.date(2025, 6, 1))
    new = register(s, minutes=0, when=at(2025, 6, 2, 9)) if False else earning.register_service(
        actor=s["registrar"], person=s["steward"], service_type=s["kind"], started_at=at(2025, 6, 2, 9), occasions=2,
        key="per-occasion",
    )
    assert (old.rule.version, new.rule.version) == (1, 2)
    earning.approve(actor=s["officer"], record=new)
    assert earning.approve(actor=s["representative"], record=new).points == 10
    with pytest.raises(NotAllowed):  # a registrar does not publish rules
        earning.publish_rule(actor=s["registrar"], service_type=s["kind"], basis="per_hour", points=1,
                             effective_from=dt.date(2025, 7, 1))


def test_credit_from_source_is_idempotent_and_capped(world, setup):
    s = setup
    first = earning.credit_from_source(source="parties.attendance", source_id=7, person=s["steward"],
                                       service_type="patrol", quantity=240, occurred_at=at(2025, 4, 1, 9))
    again = earning.credit_from_source(source="parties.attendance", source_id=7, person=s["steward"],
                                       service_type="patrol", quantity=240, occurred_at=at(2025, 4, 1, 9))
    assert first.pk == again.pk and first.status == "credited" and first.points == 30  # 40, capped at 30 a day
    assert Movement.objects.count() == 1
    with pytest.raises(Invalid):
        earning.credit_from_source(source="parties.attendance", source_id=8, person=s["steward"],
                                   service_type="patrol", quantity=0, occurred_at=at(2025, 4, 1, 9))


def test_the_approvers_queue_lists_what_waits_for_them(setup):
    s = setup
    record = register(s)
    assert list(earning.queue(s["officer"])) == [record]
    assert list(earning.queue(s["representative"])) == [record]
    assert list(earning.queue(s["registrar"])) == []
    earning.approve(actor=s["officer"], record=record)
    assert list(earning.queue(s["officer"])) == []
    assert list(earning.queue(s["representative"])) == [record]


def test_the_service_record_table(setup):
    from points.models import ServiceRecord
    from points.workflows import SERVICE_WORKFLOW
    from tests.workflows import check_table

    s = setup

    def make(status, step):
        record = register(s, minutes=30)
        if status in ("community_approved", "credited"):
            earning.approve(actor=s["officer"], record=record)
        if status in ("representative_approved", "credited"):
            earning.approve(actor=s["representative"], record=record)
        if status == "rejected":
            earning.reject(actor=s["officer"], record=record, reason="重复登记")
        return record

    def take(record, step, to, refused):
        if step == "reject":
            earning.reject(actor=None, record=record, reason="不符")
        else:
            earning.approve(actor=None, record=record, step=step)

    check_table(
        SERVICE_WORKFLOW, make=make, take=take,
        state=lambda r: ServiceRecord.objects.filter(pk=r.pk).values().get(),
        logs=lambda r: list(ServiceLog.objects.filter(record=r).exclude(action="register")
                            .values_list("from_status", "to_status")),
    )


def test_a_retried_key_answers_the_first_record_and_other_contents_are_refused(world, setup):
    s = setup
    for key in ("", "   ", "x" * 101, None):
        with pytest.raises(Invalid):
            earning.register_service(actor=s["registrar"], person=s["steward"], service_type=s["kind"],
                                     started_at=at(2025, 4, 1, 9), minutes=60, key=key)
    first = earning.register_service(actor=s["registrar"], person=s["steward"], service_type=s["kind"],
                                     started_at=at(2025, 4, 1, 9), minutes=60, key=" tap ", description="清理")
    assert first.key == "tap" and first.replayed is False
    again = earning.register_service(actor=s["registrar"], person=s["steward"], service_type=s["kind"],
                                     started_at=at(2025, 4, 1, 9), minutes=60, key="tap", description="清理")
    assert again.pk == first.pk and again.replayed is True
    # After the first approval, and after the type was retired, a retry still answers the first record.
    earning.approve(actor=s["officer"], record=first)
    s["kind"].__class__.objects.filter(pk=s["kind"].pk).update(is_active=False)
    assert earning.register_service(actor=s["registrar"], person=s["steward"], service_type=s["kind"],
                                    started_at=at(2025, 4, 1, 9), minutes=60, key="tap",
                                    description="清理").pk == first.pk
    for other in ({"minutes": 90}, {"description": "别的"}, {"started_at": at(2025, 4, 1, 10)}):
        with pytest.raises(Conflict):
            earning.register_service(**{"actor": s["registrar"], "person": s["steward"], "service_type": s["kind"],
                                        "started_at": at(2025, 4, 1, 9), "minutes": 60, "key": "tap",
                                        "description": "清理", **other})
    with pytest.raises(Conflict):  # the same key from another registrar
        earning.register_service(actor=staff(world, "registrar", name="registrar_two"), person=s["steward"],
                                 service_type=s["kind"], started_at=at(2025, 4, 1, 9), minutes=60, key="tap",
                                 description="清理")
    assert ServiceLog.objects.filter(record=first, action="register").count() == 1
    assert first.__class__.objects.filter(person=s["steward"]).count() == 1


def test_the_unique_key_decides_when_a_twin_committed_between_the_look_up_and_the_insert(setup, monkeypatch):
    """The race on PostgreSQL without threads: the look-up before the insert misses the twin (not committed yet
    when it looked), the insert hits the unique (tenant, key), and the twin's record is the answer."""
    s = setup
    first = register(s)
    looked = []
    real = earning._registered_with

    def missed_once(tenant_id, key):
        looked.append(key)
        return None if len(looked) == 1 else real(tenant_id, key)

    monkeypatch.setattr(earning, "_registered_with", missed_once)
    again = earning.register_service(
        actor=s["registrar"], person=s["steward"], service_type=s["kind"], started_at=at(2025, 4, 1, 9),
        key=first.key, minutes=120, description="清理楼道杂物",
    )
    assert len(looked) == 2 and again.pk == first.pk and again.replayed is True
    with pytest.raises(Conflict):
        looked.clear()
        earning.register_service(
            actor=s["registrar"], person=s["steward"], service_type=s["kind"], started_at=at(2025, 4, 1, 9),
            key=first.key, minutes=60, description="清理楼道杂物",
        )
    assert first.__class__.objects.count() == 1 and ServiceLog.objects.count() == 1
