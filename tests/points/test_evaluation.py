"""文明户评选: items adopted by the committee, inspections, scores with the passbook's participation, the ranking,
the notice's objection period and the final list; the workflow table-driven (every allowed step works and logs,
every other is refused and changes nothing)."""

import datetime as dt

import pytest
from django.utils import timezone

from parties import services as parties
from points.choices import EvaluationStatus as S
from points.choices import EvaluationStep as T
from points.models import EvaluationLog, HouseholdScore, Objection
from points.services import evaluation as ev
from points.services import ledger
from points.workflows import EVALUATION_TABLE
from yaohai.core.errors import Conflict, Invalid, NotFound

from .factories import grant, household

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
PUBLISHED = dt.datetime(2026, 1, 10, 9, tzinfo=TZ)
HEAD = "A/S1/C1:grid_head"


def _evaluation(world, **extra):
    committee = parties.set_up_committee(grid=world.node("A/S1/C1/G1"), name="宝文国际花园共治委员会")
    return ev.create_evaluation(
        actor=world.user(HEAD), community=world.node("A/S1/C1"), year=2025, title="2025年度文明户评选",
        items=[("垃圾分类", 5), ("无违建", 3), ("毁绿种菜", -10)], committee=committee, nominees=2, **extra,
    )


def _items(evaluation):
    return {item.name: item for item in evaluation.items.all()}


def test_scores_rank_the_households_with_their_passbook_participation(world):
    head = world.user(HEAD)
    a, b, c = (household(world, number=n, head_name=name) for n, name in (("101", "王"), ("102", "李"), ("103", "张")))
    elsewhere = household(world, grid_path="A/S1/C2/G1", number="201", head_name="赵")
    evaluation = _evaluation(world)
    ev.open_inspections(actor=head, evaluation=evaluation)
    items = _items(evaluation)
    for hh, item in ((a, "垃圾分类"), (a, "无违建"), (b, "垃圾分类"), (c, "毁绿种菜"), (c, "垃圾分类")):
        ev.record_inspection(actor=head, evaluation=evaluation, household=hh, item=items[item],
                             on_date=dt.date(2025, 6, 1))
    with pytest.raises(NotFound):  # another community's household
        ev.record_inspection(actor=head, evaluation=evaluation, household=elsewhere, item=items["无违建"],
                             on_date=dt.date(2025, 6, 1))
    with pytest.raises(Invalid):  # outside the year
        ev.record_inspection(actor=head, evaluation=evaluation, household=b, item=items["无违建"],
                             on_date=dt.date(2026, 1, 2))
    book = ledger.passbook_for_household(household=b)
    grant(world, book, 34, "b-2025", occurred_at=dt.datetime(2025, 5, 1, 10, tzinfo=TZ))  # 3 score points
    grant(world, book, 50, "b-2026", occurred_at=dt.datetime(2026, 2, 1, 10, tzinfo=TZ))  # another year
    ev.score(actor=head, evaluation=evaluation)
    rows = {s.household_id: (s.item_points, s.participation, s.total, s.rank, s.nominated)
            for s in HouseholdScore.objects.filter(evaluation=evaluation)}
    assert rows[a.pk] == (8, 0, 8, 1, True) and rows[b.pk] == (5, 3, 8, 1, True)  # equal scores share a rank
    assert rows[c.pk] == (-5, 0, -5, 3, False)
    assert elsewhere.pk not in rows


def test_the_list_is_final_only_after_the_objection_period(world):
    head = world.user(HEAD)
    hh = household(world)
    evaluation = _evaluation(world, notice_days=7)
    ev.open_inspections(actor=head, evaluation=evaluation)
    ev.record_inspection(actor=head, evaluation=evaluation, household=hh, item=_items(evaluation)["垃圾分类"],
                         on_date=dt.date(2025, 3, 1))
    ev.score(actor=head, evaluation=evaluation)
    ev.publish(actor=head, evaluation=evaluation, now=PUBLISHED)
    evaluation.refresh_from_db()
    assert evaluation.notice_ends_on == dt.date(2026, 1, 17)
    ev.record_objection(actor=head, evaluation=evaluation, text="该户有违建", household=hh,
                        now=PUBLISHED + dt.timedelta(days=3))
    with pytest.raises(Conflict):
        ev.finalise(actor=head, evaluation=evaluation, now=dt.datetime(2026, 1, 17, 20, tzinfo=TZ))
    with pytest.raises(Conflict):  # after the period, no objection is taken
        ev.record_objection(actor=head, evaluation=evaluation, text="迟到的异议",
                            now=dt.datetime(2026, 1, 18, 9, tzinfo=TZ))
    evaluation.refresh_from_db()
    assert evaluation.status == S.NOTICED and Objection.objects.count() == 1
    ev.finalise(actor=head, evaluation=evaluation, now=dt.datetime(2026, 1, 18, 9, tzinfo=TZ))
    evaluation.refresh_from_db()
    assert evaluation.status == S.FINAL


def test_only_the_communitys_ledger_keepers_act(world):
    evaluation = _evaluation(world)
    for key in ("A/S1/C2:grid_head", "B:admin"):
        with pytest.raises(NotFound):
            ev.open_inspections(actor=world.user(key), evaluation=evaluation)
    with pytest.raises(NotFound):
        ev.create_evaluation(actor=world.user("A/S1/C2:grid_head"), community=world.node("A/S1/C1"), year=2024,
                             title="x", items=[("垃圾分类", 5)])
    for bad in ([], [("垃圾分类", 0)], [("", 3)], [("垃圾分类", "1.5")], [("a", 1), ("a", 2)]):
        with pytest.raises(Invalid):
            ev.create_evaluation(actor=None, community=world.node("A/S1/C1"), year=2024, title="x", items=bad)
    with pytest.raises(Conflict):  # one a year
        ev.create_evaluation(actor=None, community=world.node("A/S1/C1"), year=2025, title="再评", items=[("a", 1)])
    evaluation.refresh_from_db()
    assert evaluation.status == S.DRAFT


def _bring_to(world, status):
    """An evaluation of A/S1/C1 in `status`, with one nominated household."""
    head = world.user(HEAD)
    evaluation = _evaluation(world)
    if status == S.DRAFT:
        return evaluation
    ev.open_inspections(actor=head, evaluation=evaluation)
    ev.record_inspection(actor=head, evaluation=evaluation, household=household(world),
                         item=_items(evaluation)["垃圾分类"], on_date=dt.date(2025, 3, 1))
    if status == S.INSPECTING:
        return evaluation
    ev.score(actor=head, evaluation=evaluation)
    if status == S.SCORED:
        return evaluation
    ev.publish(actor=head, evaluation=evaluation, now=PUBLISHED)
    if status == S.NOTICED:
        return evaluation
    ev.finalise(actor=head, evaluation=evaluation, now=PUBLISHED + dt.timedelta(days=30))
    return evaluation


LATER = PUBLISHED + dt.timedelta(days=30)
STEPS = {
    T.OPEN: lambda actor, e: ev.open_inspections(actor=actor, evaluation=e),
    T.SCORE: lambda actor, e: ev.score(actor=actor, evaluation=e),
    T.PUBLISH: lambda actor, e: ev.publish(actor=actor, evaluation=e, now=PUBLISHED),
    T.REOPEN: lambda actor, e: ev.reopen(actor=actor, evaluation=e, note="异议成立"),
    T.FINALISE: lambda actor, e: ev.finalise(actor=actor, evaluation=e, now=LATER),
}


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("step", T.values)
def test_every_step_of_the_table_and_no_other(world, status, step):
    evaluation = _bring_to(world, status)
    evaluation.refresh_from_db()
    logged = EvaluationLog.objects.filter(evaluation=evaluation).count()
    rule = EVALUATION_TABLE.get((status, step))
    if rule is None:
        with pytest.raises(Conflict):
            STEPS[step](world.user(HEAD), evaluation)
        evaluation.refresh_from_db()
        assert evaluation.status == status
        assert EvaluationLog.objects.filter(evaluation=evaluation).count() == logged
    else:
        STEPS[step](world.user(HEAD), evaluation)
        evaluation.refresh_from_db()
        assert evaluation.status in rule.to
        last = EvaluationLog.objects.filter(evaluation=evaluation).last()
        assert (last.action, last.from_status, last.to_status) == (step, status, evaluation.status)


def test_the_certificate_prints_for_a_household_on_the_final_list_only(world, client_for):
    from django.urls import reverse

    evaluation = _bring_to(world, S.NOTICED)
    nominee = HouseholdScore.objects.get(evaluation=evaluation, nominated=True)
    other = household(world, number="199", head_name="未提名")
    client = client_for(HEAD)
    url = reverse("points:certificate", args=[evaluation.pk, nominee.household_id])
    assert client.get(url).status_code == 404  # not final yet
    ev.finalise(actor=world.user(HEAD), evaluation=evaluation, now=LATER)
    response = client.get(url)
    assert response.status_code == 200 and 'data-testid="certificate"' in response.content.decode()
    assert client.get(reverse("points:certificate", args=[evaluation.pk, other.pk])).status_code == 404
    page = client.get(reverse("points:evaluation", args=[evaluation.pk])).content.decode()
    assert url in page
