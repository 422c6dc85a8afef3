"""Computing, publishing and versioning a month; who may do it; bad months; the catch-up sweep."""

import datetime as dt
from decimal import Decimal

import pytest

from assessment import services
from assessment.choices import RunStatus, SubjectKind
from assessment.models import AssessmentRun, Score
from assessment.months import MonthError, parse_month
from events.models import Event

from .conftest import DISTRICT_HEAD, G1, NOW, OCTOBER, SH, W1

pytestmark = pytest.mark.django_db


def compute(world, actor=DISTRICT_HEAD, month=OCTOBER, now=NOW, **kwargs):
    return services.compute_month(
        actor=world.user(actor) if actor else None, tenant=world.tenants["A"], month=month, now=now, **kwargs
    )


def publish(world, run, actor=DISTRICT_HEAD):
    return services.publish_month(
        actor=world.user(actor), tenant=world.tenants["A"], month=run.month, version=run.version, now=NOW
    )


def w1_total(run, world):
    return Score.objects.get(run=run, user=world.users[W1]).total


def test_a_published_month_is_frozen_and_a_new_version_needs_a_reason(month, world):
    first = compute(world)
    publish(world, first)
    rows_before = list(Score.objects.filter(run=first).order_by("id").values_list("id", "total", "indicators"))
    # The grid's last open event gets closed: the published month does not move.
    Event.objects.filter(pk=month.events["e5"].pk).update(status="closed", close_reason="fixed", closed_at=NOW)
    with pytest.raises(services.Frozen):
        compute(world)
    assert AssessmentRun.objects.filter(tenant=world.tenants["A"], month=OCTOBER).count() == 1
    second = compute(world, reason="e5 已办结，复核后重算")
    assert (second.version, second.status, second.reason) == (2, RunStatus.DRAFT, "e5 已办结，复核后重算")
    assert first.pk != second.pk
    assert list(Score.objects.filter(run=first).order_by("id").values_list("id", "total", "indicators")) == rows_before
    assert w1_total(first, world) == Decimal("60.76")
    assert w1_total(second, world) != w1_total(first, world)
    first.refresh_from_db()
    assert first.status == RunStatus.PUBLISHED  # the old version stays, published and readable
    # A second draft of the same month cannot exist; recomputing the draft stays version 2.
    assert compute(world).pk == second.pk
    with pytest.raises(services.Frozen):
        publish(world, first)
    publish(world, second)
    third = compute(world, reason="再次复核")
    assert third.version == 3


def test_the_scheme_used_is_kept_with_the_run(month, world):
    from assessment.models import SchemeIndicator

    run = compute(world)
    publish(world, run)
    SchemeIndicator.objects.filter(scheme__tenant=world.tenants["A"], key="reporting_volume").update(target=6)
    run.refresh_from_db()
    assert {"key": "reporting_volume", "weight": 20, "target": 20} in run.scheme
    newer = compute(world, reason="目标调整为 6 件")
    row = Score.objects.get(run=newer, user=world.users[W1])
    assert row.breakdown()["reporting_volume"]["points"] == "100.00"  # 6 of 6


@pytest.mark.parametrize(
    "actor, may_compute, may_publish",
    [
        (DISTRICT_HEAD, True, True),
        ("A/S1:grid_head", True, False),  # a street's head computes drafts; only the district publishes
        ("A/S1/C1:grid_head", False, False),
        (W1, False, False),
        ("A:admin", True, True),
        ("B:admin", False, False),  # another tenant's admin
    ],
)
def test_who_may_compute_and_publish(month, world, actor, may_compute, may_publish):
    user = world.user(actor)
    if may_compute:
        run = compute(world, actor=actor)
    else:
        with pytest.raises(services.NotAllowed):
            compute(world, actor=actor)
        assert not AssessmentRun.objects.exists()
        run = compute(world)
    if may_publish:
        assert services.publish_month(actor=user, tenant=world.tenants["A"], month=OCTOBER, version=1).is_published
    else:
        with pytest.raises(services.NotAllowed):
            services.publish_month(actor=user, tenant=world.tenants["A"], month=OCTOBER, version=1)
        run.refresh_from_db()
        assert run.status == RunStatus.DRAFT


@pytest.mark.parametrize("month_", [dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(1999, 12, 1)])
def test_current_and_future_months_are_refused_and_nothing_changes(world, month_):
    with pytest.raises(services.AssessmentError) as refused:
        compute(world, month=month_)
    assert "2026-11" in str(refused.value) or "2000" in str(refused.value) or "2026-12" in str(refused.value)
    assert not AssessmentRun.objects.exists() and not Score.objects.exists()


@pytest.mark.parametrize("text", ["2026-13", "2026/10", "October", "", "2026-1-1"])
def test_malformed_months(text):
    with pytest.raises(MonthError):
        parse_month(text)


def test_months_are_asia_shanghai_calendar_months(month, world):
    """e8 at 31 Oct 23:30 in Shanghai (15:30 UTC) is October's; e0 at 30 Sep 23:30 is September's."""
    run = compute(world)
    grid = Score.objects.get(run=run, user__isnull=True, node=world.nodes[G1])
    assert grid.breakdown()["reporting_volume"]["numerator"] == 7
    september = compute(world, month=dt.date(2026, 9, 1))
    grid = Score.objects.get(run=september, user__isnull=True, node=world.nodes[G1])
    assert grid.breakdown()["reporting_volume"]["numerator"] == 1


def test_a_grid_worker_who_left_before_the_month_is_not_scored(month, world):
    from grids.models import Assignment

    Assignment.objects.filter(user=world.users[W1]).update(end_date=dt.date(2026, 9, 30))
    run = compute(world)
    assert not Score.objects.filter(run=run, user=world.users[W1]).exists()
    assert Score.objects.filter(run=run, subject_kind=SubjectKind.WORKER).count() == 7


def test_the_sweep_scores_missing_months_once(month, world):
    now = dt.datetime(2026, 11, 1, 2, 30, tzinfo=SH)
    done = services.score_due_months(now=now, months_back=2)
    # Both tenants, September and October.
    assert sorted((t, m) for t, m, _v in done) == sorted(
        (world.tenants[k].pk, dt.date(2026, m, 1)) for k in "AB" for m in (9, 10)
    )
    runs = AssessmentRun.objects.filter(tenant=world.tenants["A"], month=OCTOBER)
    assert runs.count() == 1 and runs.get().computed_by is None
    assert services.score_due_months(now=now, months_back=2) == []  # nothing left: a second run does nothing
    # A missed month is caught up by the next run, months later.
    later = dt.datetime(2027, 1, 5, 2, 30, tzinfo=SH)
    caught = services.score_due_months(now=later, months_back=3)
    assert sorted({m for _t, m, _v in caught}) == [dt.date(2026, 11, 1), dt.date(2026, 12, 1)]


def test_a_new_tenant_gets_the_default_scheme():
    from assessment.models import AssessmentScheme
    from grids import services as grid_services

    tenant = grid_services.create_tenant(name="丙区", code="340104")
    scheme = AssessmentScheme.objects.get(tenant=tenant)
    weights = dict(scheme.indicators.values_list("key", "weight"))
    assert weights == {
        "reporting_volume": 20, "on_time_acceptance": 20, "on_time_closure": 25, "rework": 15, "overdue": 20,
        "satisfaction": 0,
        # the domains' indicators are in the catalogue with weight 0 until a district weights them
        "topics_on_time": 0, "mediation_success": 0, "mediation_on_time": 0,
        "patrol_coverage": 0, "care_visits_on_time": 0,
    }
    assert sum(weights.values()) == 100
