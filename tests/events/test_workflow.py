"""Table-driven workflow tests: every allowed transition works and logs; every other is refused and changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events import services
from events.choices import EVENT_WORKFLOW, Status, Transition
from events.models import Event, EventLog, Notification
from events.services import NotAllowed, TransitionError
from tests.workflows import allowed_cases, case_id, check_allowed, check_refused, refused_cases
from yaohai.core.workflow import IllegalStep

from .conftest import HEAD, NOW, PATHS, WORKER

pytestmark = pytest.mark.django_db

CASES = allowed_cases(EVENT_WORKFLOW)  # every outcome: verify and recheck have two
REFUSED: dict[str, list[str]] = {}
for _status, _step in refused_cases(EVENT_WORKFLOW):
    REFUSED.setdefault(_status, []).append(_step)


def test_paths_cover_every_status():
    assert set(PATHS) == set(Status.values)


def _callables(ev):
    def make(status, step):
        return ev.sampled_on_spot() if step == Transition.RECHECK else ev.event_in(status)

    def take(event, step, to, refused):
        if refused:  # as the tenant admin, who sees the whole tenant: only the table can refuse
            ev.step(event, step, actor="A:admin")
            return
        failed = to == Status.REWORK or (step == Transition.RECHECK and to == Status.ACCEPTED)
        ev.step(event, step, **({"passed": False, "note": "仍有垃圾"} if failed else {}))

    return {
        "make": make,
        "take": take,
        "state": lambda event: Event.objects.filter(pk=event.pk).values().get(),
        "logs": lambda event: list(
            EventLog.objects.filter(event=event).order_by("id").values_list("from_status", "to_status", "actor_id")
        ),
    }


@pytest.mark.parametrize("src, action, dst", CASES, ids=[case_id(c) for c in CASES])
def test_allowed_transition_works_and_logs(ev, src, action, dst):
    check_allowed(EVENT_WORKFLOW, src, action, dst, **_callables(ev))


@pytest.mark.parametrize("status", Status.values)
def test_every_other_transition_is_refused_and_changes_nothing(ev, status):
    assert REFUSED[status], status
    check_refused(EVENT_WORKFLOW, status, REFUSED[status], **_callables(ev))
    assert TransitionError is IllegalStep  # the table refuses (409), before any role check


def test_grid_worker_may_not_accept(ev):
    event = ev.event_in("reported")
    with pytest.raises(NotAllowed):
        ev.step(event, Transition.ACCEPT, actor=WORKER)
    assert Event.objects.get(pk=event.pk).status == Status.REPORTED


def test_out_of_scope_user_cannot_even_find_the_event(ev):
    event = ev.event_in("reported")
    for outsider in ("A/S1/C2:grid_head", "B/S1/C1:grid_head", "B:admin"):
        with pytest.raises(Event.DoesNotExist):
            ev.step(event, Transition.ACCEPT, actor=outsider)
    assert Event.objects.get(pk=event.pk).status == Status.REPORTED


def test_street_and_district_heads_and_tenant_admin_may_accept(ev):
    for actor in ("A/S1:grid_head", "A:grid_head", "A:admin"):
        event = ev.event_in("reported")
        assert ev.step(event, Transition.ACCEPT, actor=actor).status == Status.ACCEPTED


def test_handler_cannot_verify_own_work(ev):
    # The community head dispatches to himself, handles, and may not verify it; the grid worker may.
    event = ev.event_in("accepted")
    head = ev.user(HEAD)
    ev.step(event, Transition.DISPATCH, handler=head.pk, unit=None)
    ev.step(event, Transition.SIGN, actor=HEAD)
    ev.step(event, Transition.HANDLE, actor=HEAD)
    with pytest.raises(NotAllowed):
        ev.step(event, Transition.VERIFY, actor=HEAD)
    assert ev.step(event, Transition.VERIFY, actor=WORKER).status == Status.CLOSED


def test_only_the_assigned_unit_may_sign(ev):
    event = ev.event_in("dispatched")
    for actor in ("A/S1/C1/G1:police", WORKER):
        with pytest.raises(NotAllowed):
            ev.step(event, Transition.SIGN, actor=actor)
    signed = ev.step(event, Transition.SIGN)
    assert signed.current_handler_id == ev.unit_member.pk


def test_unit_member_sees_the_event_outside_the_tree(ev):
    event = ev.event_in("dispatched")
    assert Event.objects.visible_to(ev.user("unit")).filter(pk=event.pk).exists()
    other = ev.event_in("accepted")
    assert not Event.objects.visible_to(ev.user("unit")).filter(pk=other.pk).exists()


def test_dispatch_to_another_tenants_unit_is_refused(ev):
    event = ev.event_in("accepted")
    with pytest.raises(ValidationError) as exc:
        ev.step(event, Transition.DISPATCH, unit=ev.foreign_unit.pk)
    assert "unit" in exc.value.message_dict
    assert Event.objects.get(pk=event.pk).status == Status.ACCEPTED


def test_dispatch_notifies_unit_members(ev):
    event = ev.event_in("dispatched")
    assert Notification.objects.filter(user=ev.unit_member, event=event, kind="assigned").exists()


def test_reject_as_duplicate_looks_up_the_original_in_scope(ev):
    original = ev.event_in("reported")
    foreign = ev.report(path="B/S1/C1/G1")
    sibling = ev.report(path="A/S1/C2/G1")
    event = ev.event_in("reported")
    for other in (foreign.pk, sibling.pk, event.pk, 999999):
        with pytest.raises(ValidationError) as exc:
            ev.step(event, Transition.REJECT, reason="duplicate", duplicate_of=other)
        assert "duplicate_of" in exc.value.message_dict
    assert Event.objects.get(pk=event.pk).status == Status.REPORTED
    rejected = ev.step(event, Transition.REJECT, reason="duplicate", duplicate_of=original.pk)
    assert (rejected.status, rejected.duplicate_of_id) == (Status.REJECTED, original.pk)


def test_return_sends_back_to_dispatcher(ev):
    event = ev.event_in("in_progress")
    returned = ev.step(event, Transition.RETURN)
    assert (returned.status, returned.current_unit_id, returned.current_handler_id) == (Status.ACCEPTED, None, None)
    assert Notification.objects.filter(user=ev.user(HEAD), event=event, kind="returned").exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"close_reason": ""}, "close_reason"),
        ({"close_reason": "not_responsible"}, "responsible_party"),
        ({"close_reason": "referred", "responsible_party": "  "}, "responsible_party"),
    ],
)
def test_verify_needs_a_typed_close_reason(ev, kwargs, field):
    event = ev.event_in("handled")
    with pytest.raises(ValidationError) as exc:
        ev.step(event, Transition.VERIFY, **kwargs)
    assert field in exc.value.message_dict
    assert Event.objects.get(pk=event.pk).status == Status.HANDLED


def test_close_not_responsible_names_the_party(ev):
    event = ev.event_in("handled")
    closed = ev.step(event, Transition.VERIFY, close_reason="not_responsible", responsible_party="市供电公司")
    assert (closed.status, closed.close_reason, closed.responsible_party) == ("closed", "not_responsible", "市供电公司")


def test_failed_check_goes_to_rework_and_back(ev):
    event = ev.event_in("rework")
    assert Notification.objects.filter(user=ev.unit_member, event=event, kind="rework").exists()
    assert ev.step(event, Transition.HANDLE).status == Status.HANDLED
    assert ev.step(event, Transition.VERIFY).status == Status.CLOSED


def test_reopen_only_by_the_reporter_within_the_window(ev):
    event = ev.event_in("closed")
    with pytest.raises(NotAllowed):
        ev.step(event, Transition.REOPEN, actor=HEAD)
    with pytest.raises(NotAllowed):
        ev.step(event, Transition.REOPEN, now=NOW + dt.timedelta(days=8))
    reopened = ev.step(event, Transition.REOPEN, now=NOW + dt.timedelta(days=2))
    assert (reopened.status, reopened.close_reason, reopened.closed_at) == (Status.ACCEPTED, "", None)


def test_handled_on_spot_closes_at_once(ev):
    from django.core.files.base import ContentFile

    from .images import jpeg_bytes

    photos = [("before", ContentFile(jpeg_bytes(), name="b.jpg")), ("after", ContentFile(jpeg_bytes(), name="a.jpg"))]
    event = ev.report(handled_on_spot=True, photos=photos)
    assert (event.status, event.close_reason, event.handled_by_id) == (Status.CLOSED, "fixed", event.reporter_id)
    assert list(EventLog.objects.filter(event=event).values_list("action", flat=True)) == ["report", "handle_on_spot"]
    assert event.photos.count() == 2
    assert event.due_at is None


def test_handled_on_spot_needs_an_after_photo(ev):
    with pytest.raises(ValidationError) as exc:
        ev.report(handled_on_spot=True)
    assert "photos" in exc.value.message_dict


def test_report_checks_the_grid_and_the_category(ev):
    with pytest.raises(ValidationError) as exc:
        ev.report(path="A/S1/C2/G1", reporter=WORKER)
    assert "node" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        ev.report(category=ev.category("B"))
    assert "category" in exc.value.message_dict
    main = ev.category().parent
    with pytest.raises(ValidationError):
        ev.report(category=main)
    assert not Event.objects.exists()


def test_report_numbers_and_stamps(ev):
    first, second = ev.report(), ev.report()
    assert first.reference == "340102-20261125-0001" and second.reference == "340102-20261125-0002"
    foreign = ev.report(path="B/S1/C1/G1")
    assert foreign.reference == "340103-20261125-0001"  # the same number, told apart by the district
    grid = ev.world.node("A/S1/C1/G1")
    assert (first.grid_id, first.community_id, first.street_id, first.district_id) == (
        grid.pk, grid.community_id, grid.street_id, grid.district_id)
    assert first.accept_due is not None and first.due_at == first.accept_due


def test_same_idempotency_key_files_one_event(ev):
    first = ev.report(idempotency_key="k-123")
    again = ev.report(idempotency_key="k-123", title="changed")
    assert again.pk == first.pk
    assert Event.objects.count() == 1
    assert EventLog.objects.count() == 1
    with pytest.raises(ValidationError):
        ev.report(idempotency_key="k-123", reporter="A/S1/C1:grid_head")
    # The key is per tenant: another district's form never collides.
    ev.report(path="B/S1/C1/G1", idempotency_key="k-123")
    assert Event.objects.count() == 2


def test_resident_contact_for_hotline_events(ev):
    with pytest.raises(ValidationError) as exc:
        ev.report(source="hotline")
    assert "resident_phone" in exc.value.message_dict
    event = ev.report(source="hotline", resident_name="王女士", resident_phone="13800000000")
    assert services.can_see_contact(actor=ev.user(HEAD), event=event)
    assert services.can_see_contact(actor=ev.user(WORKER), event=event)
    assert not services.can_see_contact(actor=ev.user("A/S1/C1/G1:police"), event=event)


def test_recheck_only_for_sampled_on_spot_events(ev):
    event = ev.event_in("closed")
    with pytest.raises(TransitionError) as exc:
        ev.step(event, Transition.RECHECK)
    assert type(exc.value) is TransitionError
    assert Transition.RECHECK not in services.allowed_transitions(actor=ev.user(HEAD), event=event)
    sampled = ev.sampled_on_spot()
    assert Transition.RECHECK in services.allowed_transitions(actor=ev.user(HEAD), event=sampled)
    with pytest.raises(NotAllowed):  # the reporter handled it: someone else must check
        ev.step(sampled, Transition.RECHECK, actor=WORKER)
    checked = ev.step(sampled, Transition.RECHECK)
    assert (checked.status, checked.needs_recheck) == (Status.CLOSED, False)
    with pytest.raises(TransitionError):  # once only
        ev.step(sampled, Transition.RECHECK)


def test_about_a_tenth_of_on_spot_events_are_sampled():
    picked = sum(services.sampled_for_recheck(f"YH20261126-{i:04d}", 1) for i in range(1, 2001))
    assert 140 < picked < 260


def test_notifications_are_announced_only_after_commit(ev, django_capture_on_commit_callbacks):
    from events.signals import notifications_created

    received = []

    def receiver(sender, ids, **kwargs):
        received.append(ids)

    notifications_created.connect(receiver)
    try:
        event = ev.event_in("accepted")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ev.step(event, Transition.DISPATCH)
        assert received == []  # nothing leaves before the commit
        for callback in callbacks:
            callback()
        ids = [pk for batch in received for pk in batch]
        dispatched_to = Notification.objects.filter(event=event, user=ev.unit_member, kind="assigned")
        assert set(ids) == set(dispatched_to.values_list("id", flat=True))
        assert ids
    finally:
        notifications_created.disconnect(receiver)


def test_a_new_tenant_gets_the_default_categories(db):
    from events.catalogue import DEFAULT_CATEGORIES
    from events.models import Category
    from grids import services as grid_services

    tenant = grid_services.create_tenant(name="新区", code="340199")
    expected = len(DEFAULT_CATEGORIES) + sum(len(subs) for subs in DEFAULT_CATEGORIES.values())
    assert Category.objects.filter(tenant=tenant).count() == expected


def test_a_runner_locks_through_the_scope_and_may_answer_not_found(ev):
    """With the events' table: an event out of the actor's scope is the model's DoesNotExist, or NotFound (404)."""
    from events.choices import EVENT_WORKFLOW
    from events.models import Event, EventLog
    from events.services.writes import save_event
    from yaohai.core.errors import NotFound
    from yaohai.core.workflow import Runner

    event = ev.event_in("reported")
    kwargs = {
        "rows": lambda actor: Event.objects.visible_to(actor),
        "may": lambda actor, obj, rule, now: True,
        "log_model": EventLog,
        "log_subject": "event",
        "save": save_event,  # the events' write seam (a plain save() is refused)
    }
    outsider = ev.user("B/S1/C1:grid_head")
    with pytest.raises(Event.DoesNotExist):
        Runner(EVENT_WORKFLOW, **kwargs).lock(outsider, event)
    with pytest.raises(NotFound):
        Runner(EVENT_WORKFLOW, not_found=True, **kwargs).lock(outsider, event.pk)
    step = Runner(EVENT_WORKFLOW, **kwargs).begin(actor=ev.user("A:admin"), obj=event, step="accept")
    with pytest.raises(ValueError):
        step.finish("closed")  # not an outcome of accept
    log = step.finish("accepted", note="好")
    assert (log.from_status, log.to_status, log.action, log.note) == ("reported", "accepted", "accept", "好")
