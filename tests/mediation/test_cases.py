"""Intake: parties' personal data sealed, high-risk notices, cases turned from events, the time limit, outside
mediators' object permission."""

import datetime as dt

import pytest

from events import services as event_services
from events.models import Category, Notification
from events.notifications import about
from mediation import selectors, services
from mediation.models import Case, CaseParty, Mediator
from yaohai.core.errors import Invalid, NotFound
from yaohai.core.personal import crypto

from .conftest import HEAD, NOW


def test_parties_entered_on_the_spot_are_sealed_with_the_registry_encryption(med):
    case = med.register()
    applicant = CaseParty.objects.get(case=case, role="applicant")
    assert med.id_number not in applicant.id_number_encrypted and applicant.id_number_encrypted
    assert crypto.decrypt(applicant.id_number_encrypted, services.ID_PURPOSE) == med.id_number
    assert applicant.id_number_masked == med.id_number[:6] + "********" + med.id_number[-4:]
    assert applicant.phone_masked == "139****8230"
    assert CaseParty.objects.filter(phone_index=crypto.blind_index("13905518230", services.PHONE_PURPOSE)).count() == 1


def test_a_case_needs_an_applicant_and_changes_nothing_when_refused(med):
    with pytest.raises(Invalid):
        med.register(parties=[{"role": "respondent", "kind": "person", "name": "李四"}])
    assert not Case.objects.exists()


def test_registry_people_and_organisations_of_another_tenant_are_refused(med):
    from tests.registry.scope_cases import registry

    found = registry(med.world)
    case = med.register(parties=[
        {"role": "applicant", "kind": "resident", "resident": found["resident"]["inside"].pk},
        {"role": "respondent", "kind": "organisation", "organisation": found["organisation"]["inside"].pk},
    ])
    assert [p.name for p in case.parties.order_by("role")] == [found["resident"]["inside"].name,
                                                               found["organisation"]["inside"].name]
    with pytest.raises(Invalid):
        med.register(parties=[{"role": "applicant", "kind": "resident", "resident": found["resident"]["foreign"].pk}])


def test_high_risk_notifies_the_street_and_the_police_post_at_once(med):
    w = med.world
    case = med.register(risk="high")
    told = set(about(case).filter(kind="high_risk").values_list("user_id", flat=True))
    assert w.users["A/S1:grid_head"].pk in told
    assert {w.users["A/S1/C1/G1:police"].pk, w.users["A/S1/C1/G2:police"].pk} <= told
    assert w.users["A/S1/C2/G1:police"].pk not in told and w.users["A/S2:grid_head"].pk not in told
    low = med.register(risk="low")
    assert not about(low).exists()


def test_a_dispute_event_turned_into_a_case_keeps_both_links(med, client):
    med.install_events()
    w = med.world
    category = Category.objects.get(tenant=w.tenants["A"], name="邻里纠纷", parent__isnull=False)
    event = event_services.report_event(
        actor=w.user("A/S1/C1/G1:grid_worker"), node=w.nodes["A/S1/C1/G1"], category=category, title="邻里噪音纠纷",
        now=NOW,
    )
    case = services.turn_event_into_case(
        actor=w.user(HEAD), event=event.pk, dispute_type=med.dispute_type(),
        parties=[{"role": "applicant", "kind": "person", "name": "王五"}],
    )
    assert case.event_id == event.pk and case.channel == "event"
    services.accept(actor=w.user(HEAD), case=case.pk, now=NOW)
    client.force_login(w.user(HEAD))
    page = client.get(f"/events/{event.pk}/")
    assert page.status_code == 200
    entries = page.context["linked"]
    assert case.number in entries[-1].title
    assert len(entries) == 2
    with pytest.raises(Invalid):
        services.turn_event_into_case(actor=w.user(HEAD), event=event.pk, dispute_type=med.dispute_type(), parties=[])
    # the grid worker who reported the event may not read the case: the timeline shows nothing of it
    client.force_login(w.user("A/S1/C1/G1:grid_worker"))
    assert client.get(f"/events/{event.pk}/").context["linked"] == []


def test_only_dispute_events_turn_into_cases(med):
    med.install_events()
    w = med.world
    category = Category.objects.get(tenant=w.tenants["A"], name="暴露垃圾", parent__isnull=False)
    event = event_services.report_event(
        actor=w.user("A/S1/C1/G1:grid_worker"), node=w.nodes["A/S1/C1/G1"], category=category, title="垃圾",
        now=NOW,
    )
    with pytest.raises(Invalid):
        services.turn_event_into_case(actor=w.user(HEAD), event=event.pk, dispute_type=med.dispute_type(),
                                      parties=[{"role": "applicant", "kind": "person", "name": "王五"}])
    with pytest.raises(NotFound):
        services.turn_event_into_case(actor=w.user("B/S1/C1:grid_head"), event=event.pk,
                                      dispute_type=med.dispute_type(), parties=[])


def test_the_time_limit_runs_thirty_calendar_days_and_leaves_the_national_day_holiday():
    # Accepted on Saturday 5 September 2026: the 30th day is Monday 5 October, inside the National Day holiday
    # (1–7 October 2026), so the limit moves to the first working day after it.
    assert services.due_date(dt.date(2026, 9, 5)) == dt.date(2026, 10, 8)
    # An ordinary case: the 30th day is a working day and stays.
    assert services.due_date(dt.date(2026, 11, 2)) == dt.date(2026, 12, 2)


def test_acceptance_sets_the_time_limit(med):
    case = med.register()
    accepted = services.accept(actor=med.user(HEAD), case=case.pk,
                               now=dt.datetime(2026, 9, 5, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    assert (accepted.accepted_on, accepted.due_on) == (dt.date(2026, 9, 5), dt.date(2026, 10, 8))


def test_an_outside_mediator_sees_only_the_cases_given_to_them_until_the_case_ends(med):
    given, other = med.register(), med.register()
    head = med.user(HEAD)
    services.accept(actor=head, case=given.pk, now=NOW)
    services.assign(actor=head, case=given.pk, mediator=med.lawyer, now=NOW)
    lawyer = med.lawyer_user
    assert list(selectors.cases(actor=lawyer)) == [Case.objects.get(pk=given.pk)]
    with pytest.raises(Case.DoesNotExist):
        selectors.case(actor=lawyer, pk=other.pk)
    # the inside mediator sees every case of the body
    assert set(selectors.cases(actor=med.inside_user)) == {given, other}
    services.begin(actor=lawyer, case=given.pk, now=NOW)
    services.terminate(actor=lawyer, case=given.pk, reason="双方分歧过大，告知可向法院起诉", now=NOW)
    services.archive(actor=head, case=given.pk, now=NOW)
    assert not selectors.cases(actor=lawyer).exists()


def test_a_case_moves_between_bodies_with_history_and_its_outside_mediator_loses_it(med):
    from mediation.models import Body, Transfer

    street = med.world.node("A/S1")
    other = Body(kind="street", name="街道人民调解委员会", node=street)
    other.stamp_from(street)
    other.save()
    case = med.register()
    head = med.user(HEAD)
    services.accept(actor=head, case=case.pk, now=NOW)
    services.assign(actor=head, case=case.pk, mediator=med.lawyer, now=NOW)
    with pytest.raises(Invalid):
        services.transfer(actor=head, case=case.pk, to_body=other, reason="")
    moved = services.transfer(actor=head, case=case.pk, to_body=other, reason="涉及多个社区，移交街道")
    assert (moved.body_id, moved.mediator_id, moved.status) == (other.pk, None, "accepted")
    assert list(Transfer.objects.filter(case=case).values_list("from_body_id", "to_body_id")) == [
        (None, med.body.pk), (med.body.pk, other.pk)]
    assert not selectors.cases(actor=med.lawyer_user).exists()


def test_the_notifications_page_shows_a_case_beside_an_event_one_mechanism(med, client):
    """One notification model (events.Notification): a case is its subject; the 通知 page, the bell and the API list
    it beside the events, linked to the case page."""
    med.install_events()
    w = med.world
    head = w.user(HEAD)
    category = Category.objects.get(tenant=w.tenants["A"], name="邻里纠纷", parent__isnull=False)
    event = event_services.report_event(
        actor=w.user("A/S1/C1/G1:grid_worker"), node=w.nodes["A/S1/C1/G1"], category=category, title="邻里噪音",
        now=NOW,
    )
    assert Notification.objects.filter(user=head, event=event).exists()
    myself = Mediator.objects.create(body=med.body, user=head, name="主任本人", kind="peoples")
    case = med.register()
    services.accept(actor=head, case=case.pk, now=NOW)
    services.assign(actor=head, case=case.pk, mediator=myself, now=NOW)
    assert list(about(case).values_list("user_id", "kind")) == [(head.pk, "assigned")]
    client.force_login(head)
    page = client.get("/events/notifications/").content.decode()
    assert f'href="/mediation/{case.pk}/"' in page and case.number in page
    assert f'href="/events/{event.pk}/"' in page
    rows = client.get("/api/v1/notifications/").json()["results"]
    mine = {(row["subject_type"], row["link"]) for row in rows}
    assert ("mediation.case", f"/mediation/{case.pk}/") in mine and (None, f"/events/{event.pk}/") in mine
