"""The dashboards' rollups (events.rollups): exact after every step, equal to the events' own KPIs, and moved with
the tree. The KPIs of the events are proven against hand-computed values in test_kpis.py; here the dashboard,
which sums the rollups, must give the same numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboards.filters import DashboardFilters
from dashboards.page import build_page
from events import kpis, rollups, services
from events import panels as dashboards
from events.models import Event, EventRollup
from grids import services as grid_services
from tests.dashboards.conftest import HOURS, Shown, photo

pytestmark = pytest.mark.django_db

# Every key of a KPI row the dashboard shows; the mean handling time is compared in hours (it is a float).
COMPARED = (
    "events", "rejected", "open", "closed", "closed_on_time", "went_through_handling", "reworked", "dispatched",
    "extended", "closure_rate", "on_time_rate", "rework_rate", "extension_rate", "avg_handling_hours",
)
LIVE = ("overdue", "paused")
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def _pick(row: dict, keys=COMPARED + LIVE) -> dict:
    return {k: row[k] for k in keys}


def test_the_stored_rollups_equal_a_recount_after_the_whole_fixture(board):
    assert EventRollup.objects.exists()
    assert rollups.drift() == []


@pytest.mark.parametrize(
    "path, user",
    [("A/S1/C1", "A/S1/C1:grid_head"), ("A/S1", "A:admin"), ("A", "A:admin"), ("A/S1/C1/G1", "A:admin")],
)
def test_every_panel_equals_the_kpis_computed_from_the_events(board, path, user):
    node, actor = board.world.node(path), board.world.user(user)
    filters = DashboardFilters.default()
    shown = Shown(build_page(actor=actor, node=node, filters=filters, now=board.now))
    events = dashboards.node_events(actor=actor, node=node, filters=filters)

    assert _pick(shown.totals) == _pick(kpis.totals(events, now=board.now))
    assert shown.totals["events"] > 0
    assert shown.statuses == kpis.by_status(events)
    expected_children = kpis.by_child(events, node, now=board.now)
    for child in shown.children:
        if child.node.pk in expected_children:
            assert _pick(child.kpis) == _pick(expected_children[child.node.pk]), child.node
        else:
            assert child.kpis["events"] == 0
    expected_categories = {r["category__parent_id"]: _pick(r) for r in kpis.by_category(events, now=board.now)}
    assert {r["category__parent_id"]: _pick(r) for r in shown.categories} == expected_categories
    for period in ("day", "week", "month"):
        rows = dashboards.rollup_rows(actor=actor, node=node, filters=filters, by_day=period != "month")
        expected = [{"period": r["period"], **_pick(r, COMPARED)} for r in kpis.by_period(events, period)]
        assert [{"period": r["period"], **_pick(r, COMPARED)} for r in dashboards.trend(rows, period)] == expected


def test_each_workflow_step_keeps_the_rollups_exact(world, settings, tmp_path):
    """Walk one event through every kind of step (and the sweep) and recount after each."""
    from tests.dashboards.conftest import Board

    settings.MEDIA_ROOT = tmp_path
    b = Board(world, dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    grid, tenant = "A/S1/C1/G1", world.tenants["A"]
    steps = []

    def step(label, call):
        call()
        steps.append((label, rollups.drift(tenant.pk)))

    at = b.now
    event = services.report_event(
        actor=world.user(f"{grid}:grid_worker"), node=world.nodes[grid], category=b.category(), title="井盖缺失",
        now=at,
    )
    steps.append(("report", rollups.drift(tenant.pk)))
    step("accept", lambda: services.accept(actor=b.head(grid), event=event.pk, now=at))
    step("dispatch", lambda: services.dispatch(actor=b.head(grid), event=event.pk, unit=b.unit.pk, now=at))
    step("sign", lambda: services.sign(actor=b.member, event=event.pk, now=at))
    step("request more time", lambda: services.request_extension(
        actor=b.member, event=event.pk, amount=1, time_unit="working_days", reason="等配件", now=at + HOURS))
    step("approve", lambda: services.decide_extension(
        actor=b.head(grid), event=event.pk, approve=True, now=at + HOURS))
    step("sweep escalates", lambda: services.sweep_deadlines(now=at + dt.timedelta(days=30)))
    step("handle", lambda: b.handle(event, at + dt.timedelta(days=30)))
    step("verify fails", lambda: b.verify(event, grid, at + dt.timedelta(days=30), passed=False))
    step("handle again", lambda: b.handle(event, at + dt.timedelta(days=31)))
    step("verify passes", lambda: b.verify(event, grid, at + dt.timedelta(days=31)))
    step("reopen", lambda: services.reopen(
        actor=world.user(f"{grid}:grid_worker"), event=event.pk, note="又坏了", now=at + dt.timedelta(days=32)))
    on_spot = services.report_event(
        actor=world.user(f"{grid}:grid_worker"), node=world.nodes[grid], category=b.category(), title="小广告",
        handled_on_spot=True, photos=[("after", photo())], now=at,
    )
    steps.append(("on the spot", rollups.drift(tenant.pk)))
    Event.objects.filter(pk=on_spot.pk).update(needs_recheck=True)  # set-up: pick it for the re-check
    step("re-check fails", lambda: services.recheck(
        actor=b.head(grid), event=on_spot.pk, passed=False, note="未清理干净", now=at + HOURS))
    step("reject", lambda: services.reject(
        actor=b.head(grid), event=on_spot.pk, reason="invalid", note="重复", now=at + 2 * HOURS))

    assert [label for label, differences in steps if differences] == []
    final = Event.objects.get(pk=event.pk)
    assert final.rework_count == 1 and final.extension_count == 1 and final.escalation_level >= 1


def test_a_moved_grid_takes_its_counts_to_its_new_community_and_street(board):
    world, admin = board.world, board.world.user("A:admin")
    grid_services.update_node(node=world.node("A/S1/C1/G1"), name="迁入网格", actor=admin)  # its new siblings' names
    grid_services.move_node(node=world.node("A/S1/C1/G1"), new_parent=world.node("A/S2/C1"), actor=admin)
    assert rollups.drift() == []
    moved = EventRollup.objects.filter(node=world.node("A/S1/C1/G1"), span="day")
    assert set(moved.values_list("parent_id", "street_id")) == {(world.node("A/S2/C1").pk, world.node("A/S2").pk)}


def test_a_moved_community_takes_its_counts_to_the_new_street(board):
    world = board.world
    admin = world.user("A:admin")
    filters = DashboardFilters.default()
    before = Shown(build_page(actor=admin, node=world.node("A/S2"), filters=filters, now=board.now))
    grid_services.move_node(node=world.node("A/S1/C1"), new_parent=world.node("A/S2"), actor=admin)

    assert rollups.drift() == []
    after = Shown(build_page(actor=admin, node=world.node("A/S2"), filters=filters, now=board.now))
    assert after.totals["events"] == before.totals["events"] + 7
    street_one = Shown(build_page(actor=admin, node=world.node("A/S1"), filters=filters, now=board.now))
    assert street_one.totals["events"] == 1  # only the sibling community's event is left there


def test_a_community_officer_sees_only_their_community_in_the_rollups(board):
    officer = board.world.user("A/S1/C1:grid_head")
    visible = EventRollup.objects.visible_to(officer)
    assert visible.exists()
    assert set(visible.values_list("community_id", flat=True)) == {board.world.node("A/S1/C1").pk}
    assert not visible.filter(tenant=board.world.tenants["B"]).exists()


@pytest.mark.parametrize(
    "first, last, spans",
    [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), {"month"}),  # exactly one month
        (dt.date(2026, 3, 2), dt.date(2026, 3, 31), {"day"}),  # no whole month
        (dt.date(2026, 2, 15), dt.date(2026, 5, 10), {"day", "month"}),  # partial, two whole, partial
        (dt.date(2025, 12, 31), dt.date(2026, 2, 28), {"day", "month"}),  # across a year, February's end
    ],
)
def test_a_range_sums_whole_months_from_month_rows_and_the_rest_from_day_rows(world, first, last, spans):
    """Events on every day from December to May, then each range's totals from the mixed rows equal a recount."""
    from events.catalogue import install_event_catalogue
    from events.models import Category

    tenant = world.tenants["A"]
    install_event_catalogue(tenant)
    grid = world.node("A/S1/C1/G1")
    category = Category.objects.filter(tenant=tenant, parent__isnull=False).first()
    day, events = dt.date(2025, 12, 1), []
    while day <= dt.date(2026, 5, 31):
        reported = dt.datetime.combine(day, dt.time(23, 30), tzinfo=rollups.SHANGHAI)  # late: the local day counts
        for n in range(day.day % 3 + 1):
            e = Event(reference=f"R{day:%Y%m%d}{n}", category=category, main_category_id=category.parent_id,
                      title="井盖", reporter=world.user("A/S1/C1/G1:grid_worker"), status="reported")
            e.stamp_from(grid)
            e.node = grid
            events.append((e, reported))
        day += dt.timedelta(days=1)
    Event.objects.bulk_create([e for e, _at in events])
    for e, at in events:
        Event.objects.filter(pk=e.pk).update(created_at=at)
    rollups.rebuild(tenant.pk)
    assert rollups.drift(tenant.pk) == []

    admin = world.user("A:admin")
    node = world.node("A/S1")
    filters = DashboardFilters(date_from=first, date_to=last)
    rows = dashboards.rollup_rows(actor=admin, node=node, filters=filters)
    assert set(rows.values_list("span", flat=True)) == spans
    live = dashboards.live_counts(dashboards.node_events(actor=admin, node=node, filters=filters), node, NOW)
    shown, _statuses = dashboards.totals_and_statuses(dashboards.rollup_sums(rows, node), live)
    expected = kpis.totals(dashboards.node_events(actor=admin, node=node, filters=filters), now=NOW)
    assert shown["events"] == expected["events"] == sum(
        d.day % 3 + 1 for d in (first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    )


def test_check_rollups_finds_a_bulk_write_and_rebuild_repairs_it(board):
    from io import StringIO

    from django.core.management import CommandError, call_command

    code = board.world.tenants["A"].code
    out = StringIO()
    call_command("check_rollups", code, stdout=out)
    assert "match" in out.getvalue()
    Event.objects.filter(pk=board.events["e1"].pk).update(status="rejected")  # bypasses Event.save
    with pytest.raises(CommandError):
        call_command("check_rollups", code, stdout=StringIO())
    call_command("check_rollups", code, "--rebuild", stdout=StringIO())
    call_command("check_rollups", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("check_rollups", "NO-SUCH-TENANT", stdout=StringIO())


def test_an_event_loaded_with_deferred_columns_keeps_its_counts_when_saved(board):
    partial = Event.objects.only("id", "title").get(pk=board.events["e1"].pk)
    partial.title = "改了标题"
    services.save_event(partial, update_fields=["title"])
    assert rollups.drift() == []
    partial = Event.objects.defer("status").get(pk=board.events["e5"].pk)
    services.save_event(partial)
    assert rollups.drift() == []


def test_an_event_refreshed_after_a_concurrent_step_moves_from_what_the_database_held(board):
    """A copy loaded before another step was saved, refreshed, then saved: its counts move from the stored state."""
    stale = Event.objects.get(pk=board.events["e6"].pk)
    services.accept(actor=board.head("A/S1/C1/G2"), event=stale.pk, now=board.now)
    stale.refresh_from_db()
    stale.title = "已刷新"
    services.save_event(stale)
    assert rollups.drift() == []


def test_a_save_or_delete_around_the_write_seam_fails_loudly(board):
    """Event.save() and delete() outside events.services.save_event/delete_event would leave the rollups wrong:
    they raise, and nothing is written."""
    from events.models import UnseamedWrite

    event = Event.objects.get(pk=board.events["e1"].pk)
    event.status = "rejected"
    with pytest.raises(UnseamedWrite):
        event.save()
    with pytest.raises(UnseamedWrite):
        event.delete()
    assert Event.objects.get(pk=event.pk).status != "rejected"
    services.save_event(event)
    assert Event.objects.get(pk=event.pk).status == "rejected"
    assert rollups.drift() == []
