"""The care schedule on the working calendar, its sweep and reminders, and patrol coverage / visits on time on the
dashboard and as assessment indicators."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from registry import panels, patrols, schedule, services, sweeps
from registry.models import CareList, CareListMember, VisitReminder
from tests.registry.factories import building, house, resident

SHANGHAI = ZoneInfo("Asia/Shanghai")
GRID = "A/S1/C1/G1"
WORKER = f"{GRID}:grid_worker"


# ---- the schedule on the Chinese working calendar --------------------------------------------------------------


def test_a_due_day_on_a_holiday_moves_to_the_next_working_day(db):
    # 2025: 1–8 October are the National Day holiday; Sunday 28 September is a worked 调休 day.
    assert schedule.due_date(dt.date(2025, 9, 24), 7) == dt.date(2025, 10, 9)
    assert schedule.due_date(dt.date(2025, 9, 21), 7) == dt.date(2025, 9, 28)
    assert schedule.due_date(dt.date(2025, 11, 3), 7) == dt.date(2025, 11, 10)  # a Monday stays
    assert schedule.due_date(dt.date(2025, 11, 1), 7) == dt.date(2025, 11, 10)  # Saturday 8th → Monday


def test_the_set_based_threshold_agrees_with_the_due_day(db):
    """`on_time_q` compares a start with a threshold; it must say exactly what `due_date` says, around holidays."""
    every = 7
    for cutoff in (dt.date(2025, 10, 1) + dt.timedelta(days=n) for n in range(-5, 14)):
        threshold = schedule.on_time_threshold(cutoff)
        for start in (cutoff - dt.timedelta(days=n) for n in range(0, 25)):
            overdue = schedule.due_date(start, every) < cutoff
            assert overdue == (start + dt.timedelta(days=every) < threshold), (cutoff, start)


def _cared(world, *, since, code="elderly_alone", name="独居老人甲"):
    grid = world.node(GRID)
    person = resident(grid, name=name, house=house(grid, number=f"{name}室"))
    household = services.form_household(actor=None, house=person.house, head=person, on_date=dt.date(2024, 1, 1))
    member = services.add_to_care_list(actor=None, care_list=CareList.objects.get(tenant=grid.tenant, code=code),
                                       resident=person, since=since)
    return member, household


def test_the_page_schedule_counts_on_the_working_calendar(world):
    member, household = _cared(world, since=timezone.localdate() - dt.timedelta(days=30))
    worker = world.user(WORKER)
    [row] = patrols.care_schedule(actor=worker)
    assert row.state == "overdue"
    patrols.record_visit(actor=worker, household=household, visited_on=timezone.localdate(), purpose="例行走访")
    [row] = patrols.care_schedule(actor=worker)
    assert row.due_on == schedule.due_date(timezone.localdate(), 7) and row.state in ("due", "later")


# ---- the sweep --------------------------------------------------------------------------------------------------


def test_the_sweep_marks_the_overdue_and_reminds_the_grid_worker_once(world):
    today = timezone.localdate()
    member, household = _cared(world, since=today - dt.timedelta(days=60))
    _cared(world, since=today, name="刚列入")  # due in a week: no reminder
    worker = world.user(WORKER)
    member.refresh_from_db()
    assert member.overdue_since is not None  # adding her refreshed her row at once
    VisitReminder.objects.all().delete()
    CareListMember.objects.update(due_on=None, overdue_since=None)  # as if the rows were imported in bulk

    first = sweeps.sweep_care_visits()
    # told: who keeps the registry on that grid itself (its worker and its grid head), nobody else
    told = {world.user(WORKER), world.user(f"{GRID}:grid_head")}
    assert (first.members, first.changed, first.overdue, first.reminded) == (2, 2, 1, len(told))
    member.refresh_from_db()
    assert member.due_on == schedule.due_date(member.since, 7)
    assert member.overdue_since == member.due_on + dt.timedelta(days=1)
    assert {r.user for r in VisitReminder.objects.filter(member=member, resolved_at__isnull=True)} == told
    assert VisitReminder.objects.count() == len(told)
    reminder = VisitReminder.objects.get(user=worker)

    second = sweeps.sweep_care_visits()  # nothing left to do
    assert (second.changed, second.reminded, second.resolved) == (0, 0, 0)
    assert sweeps.open_reminders(actor=worker) == 1

    patrols.record_visit(actor=worker, household=household, visited_on=today, purpose="例行走访")
    member.refresh_from_db()
    assert member.overdue_since is None and sweeps.open_reminders(actor=worker) == 0
    reminder.refresh_from_db()
    assert reminder.resolved_at is not None


def test_a_member_who_leaves_the_list_loses_the_flag_and_the_reminder(world):
    member, _household = _cared(world, since=timezone.localdate() - dt.timedelta(days=60))
    assert VisitReminder.objects.filter(member=member, resolved_at__isnull=True).count() == 2  # worker and head
    services.end_care(actor=None, member=member, until=timezone.localdate(), reason="迁出")
    result = sweeps.sweep_care_visits()
    member.refresh_from_db()
    assert member.overdue_since is None and result.resolved == 2


def test_the_grid_workers_home_shows_her_reminders(world, client_for):
    _cared(world, since=timezone.localdate() - dt.timedelta(days=60))
    page = client_for(WORKER).get("/").content.decode()
    assert 'data-testid="visit-reminders"' in page
    assert 'data-testid="visit-reminders"' not in client_for("A/S1/C1/G2:grid_worker").get("/").content.decode()


# ---- coverage: the dashboard panel and the indicators ------------------------------------------------------------


def _patrolled(world, at: dt.datetime):
    grid = world.node(GRID)
    checked, unchecked = building(grid, number="1栋"), building(grid, number="2栋")
    building(world.node("A/S1/C1/G2"), number="3栋")
    worker = world.user(WORKER)
    patrol = patrols.start_patrol(actor=worker, grid=grid, now=at - dt.timedelta(minutes=5))
    patrols.check_in(actor=worker, patrol=patrol, building=checked, now=at)
    patrols.end_patrol(actor=worker, patrol=patrol, now=at + dt.timedelta(minutes=5))
    return checked, unchecked


def test_the_figures_count_buildings_checked_and_visits_on_time(world, django_assert_num_queries):
    now = timezone.now()
    _patrolled(world, now - dt.timedelta(minutes=10))
    _cared(world, since=timezone.localdate() - dt.timedelta(days=60))  # overdue
    _cared(world, since=timezone.localdate(), name="按时")  # on time
    community, head = world.node("A/S1/C1"), world.user("A/S1/C1:grid_head")
    panels.figures(actor=head, node=community, now=now)
    with django_assert_num_queries(1):
        rows = {r["pk"]: r for r in panels.figures(actor=head, node=community, now=now)}
    g1, g2 = world.node(GRID).pk, world.node("A/S1/C1/G2").pk
    # the factory puts each cared-for person's house in a building of its own: two more in G1
    assert {k: rows[g1][k] for k in ("buildings", "week", "month", "members", "on_time")} == {
        "buildings": 4, "week": 1, "month": 1, "members": 2, "on_time": 1}
    assert (rows[g2]["buildings"], rows[g2]["week"], rows[g2]["members"]) == (1, 0, 0)
    # the sibling community's head sees none of it, even asked about this community
    sibling = world.user("A/S1/C2:grid_head")
    assert panels.figures(actor=sibling, node=community, now=now) == []


def test_the_community_head_sees_the_coverage_on_the_dashboard(world, client_for):
    _patrolled(world, timezone.now() - dt.timedelta(minutes=10))
    community = world.node("A/S1/C1")
    page = client_for("A/S1/C1:grid_head").get(f"/dashboards/{community.pk}/")
    html = page.content.decode()
    assert 'data-testid="panel-registry-coverage"' in html
    assert 'data-testid="coverage-week">33.3%' in html and 'data-testid="coverage-children"' in html
    sibling = world.node("A/S1/C2")
    other = client_for("A/S1/C2:grid_head").get(f"/dashboards/{sibling.pk}/").content.decode()
    assert 'data-testid="panel-registry-coverage"' not in other  # no buildings there: the panel stays off


def test_a_check_in_retires_the_cached_dashboard(world, client_for, settings):
    from dashboards import cache

    if not cache.enabled():
        pytest.skip("no Redis cache")
    checked, unchecked = _patrolled(world, timezone.now() - dt.timedelta(minutes=10))
    community = world.node("A/S1/C1")
    client = client_for("A/S1/C1:grid_head")
    assert 'coverage-month">33.3%' in client.get(f"/dashboards/{community.pk}/").content.decode()
    worker = world.user(WORKER)
    patrol = patrols.start_patrol(actor=worker, grid=world.node(GRID))
    patrols.check_in(actor=worker, patrol=patrol, building=unchecked)
    assert 'coverage-month">66.7%' in client.get(f"/dashboards/{community.pk}/").content.decode()


def test_the_month_counts_feed_the_indicators(world):
    at = dt.datetime(2025, 10, 15, 10, 0, tzinfo=SHANGHAI)
    _patrolled(world, at)
    member, household = _cared(world, since=dt.date(2025, 9, 1))
    worker = world.user(WORKER)
    patrols.record_visit(actor=worker, household=household, visited_on=dt.date(2025, 10, 28), purpose="例行走访")
    tenant = world.node(GRID).tenant_id
    counts = panels.month_counts(tenant, dt.date(2025, 10, 1), dt.datetime(2025, 11, 5, tzinfo=SHANGHAI))
    g1, g2 = world.node(GRID).pk, world.node("A/S1/C1/G2").pk
    # visited 28 Oct (a Tuesday), due again 4 Nov: on time at the month's close
    # three buildings in G1 (the cared-for person's house stands in one of its own), one checked in October
    assert counts.by_grid[g1] == {"buildings": 3, "buildings_patrolled": 1, "care_members": 1, "care_on_time": 1}
    assert counts.by_grid[g2] == {"buildings": 1, "buildings_patrolled": 0}
    september = panels.month_counts(tenant, dt.date(2025, 9, 1), dt.datetime(2025, 11, 5, tzinfo=SHANGHAI))
    # on the list since 1 Sep and not visited in September: overdue at its close
    assert september.by_grid[g1]["care_on_time"] == 0 and september.by_grid[g1]["buildings_patrolled"] == 0
    from yaohai.core.indicators import by_key

    coverage = by_key()["patrol_coverage"]
    assert str(coverage.measure(counts.by_grid[g1], None)[2]) == "33.33"
