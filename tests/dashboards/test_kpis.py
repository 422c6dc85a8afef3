"""Each KPI against the hand-computed fixture of tests/dashboards/conftest.py, and the group-by variants."""

import datetime as dt

import pytest
from django.utils import translation

from dashboards.filters import DashboardFilters
from events import kpis
from events import panels as dashboards
from events.models import Event
from tests.dashboards.conftest import HOURS

pytestmark = pytest.mark.django_db


def _events(board, path="A/S1/C1", user="A/S1/C1:grid_head", filters=None):
    node = board.world.node(path)
    filters = filters or DashboardFilters.default()
    return dashboards.node_events(actor=board.world.user(user), node=node, filters=filters)


def test_totals_match_the_hand_computed_values(board):
    row = kpis.totals(_events(board), now=board.now)
    assert row["events"] == 7
    assert row["rejected"] == 1
    assert row["open"] == 2
    assert row["closed"] == 4
    assert row["closure_rate"] == 66.7  # 4 / (7 − 1 rejected)
    assert row["on_time_rate"] == 75.0  # e2 closed after its verification deadline
    assert row["went_through_handling"] == 3  # e7 was handled on the spot: excluded
    assert row["reworked"] == 1
    assert row["rework_rate"] == 33.3
    assert row["overdue"] == 1  # e5, in progress past its handling deadline
    assert row["avg_handling_hours"] == 127.0  # (1 + 504 + 3 + 0) / 4
    assert row["dispatched"] == 4 and row["extended"] == 1
    assert row["extension_rate"] == 25.0
    assert row["paused"] == 0
    assert row["satisfaction"] is None  # no event rated (tests/residents/test_satisfaction.py counts ratings)


def test_escalated_events_are_not_on_time(board):
    Event.objects.filter(pk=board.events["e1"].pk).update(escalation_level=1)
    row = kpis.totals(_events(board), now=board.now)
    assert row["closed_on_time"] == 2  # e3 and e7 remain
    assert row["on_time_rate"] == 50.0


def test_overdue_depends_on_now(board):
    events = _events(board)
    assert kpis.totals(events, now=board.base - dt.timedelta(days=1))["overdue"] == 0
    # Far in the future, e6's acceptance deadline has passed too.
    assert kpis.totals(events, now=board.now + dt.timedelta(days=60))["overdue"] == 2


def test_empty_range_gives_no_rates(board):
    filters = DashboardFilters(date_from=dt.date(2000, 1, 1), date_to=dt.date(2000, 1, 31))
    row = kpis.totals(_events(board, filters=filters), now=board.now)
    assert row["events"] == 0
    assert row["closure_rate"] is None and row["on_time_rate"] is None and row["rework_rate"] is None
    assert row["avg_handling_hours"] is None


def test_by_child_groups_on_the_child_level(board):
    community = board.world.node("A/S1/C1")
    rows = kpis.by_child(_events(board), community, now=board.now)
    g1, g2 = board.world.nodes["A/S1/C1/G1"].pk, board.world.nodes["A/S1/C1/G2"].pk
    assert set(rows) == {g1, g2}
    assert rows[g1]["events"] == 5 and rows[g1]["closed"] == 3 and rows[g1]["overdue"] == 1
    assert rows[g2]["events"] == 2 and rows[g2]["closed"] == 1 and rows[g2]["open"] == 1


def test_district_groups_by_street_and_counts_everything_below(board):
    district = board.world.node("A")
    rows = kpis.by_child(_events(board, "A", "A:admin"), district, now=board.now)
    s1 = board.world.nodes["A/S1"].pk
    assert list(rows) == [s1]
    assert rows[s1]["events"] == 8  # the seven of C1 and the sibling community's one


def test_by_status_and_by_category(board):
    statuses = {row["status"]: row["events"] for row in kpis.by_status(_events(board))}
    assert statuses == {
        "reported": 1, "accepted": 0, "rejected": 1, "dispatched": 0, "in_progress": 1, "handled": 0, "rework": 0,
        "closed": 4,
    }
    categories = kpis.by_category(_events(board), now=board.now)
    assert [(c["category__parent__name"], c["events"]) for c in categories] == [("市容环境", 7)]


def test_by_period_in_shanghai_time(board):
    events = _events(board)
    days = kpis.by_period(events, "day", now=board.now)
    assert sum(d["events"] for d in days) == 7
    assert all(isinstance(d["period"], dt.date) for d in days)
    weeks = kpis.by_period(events, "week", now=board.now)
    assert all(w["period"].weekday() == 0 for w in weeks)  # weeks start on Monday
    months = kpis.by_period(events, "month", now=board.now)
    assert all(m["period"].day == 1 for m in months)
    assert sum(m["events"] for m in months) == 7


def test_every_kpi_has_a_written_definition():
    with translation.override("en"):
        for kpi in kpis.KPIS:
            assert len(str(kpi.definition)) > 40, kpi.key
    assert {k.key for k in kpis.KPIS if not k.available} == set()  # satisfaction counts ratings (residents)


def test_a_paused_event_is_open_but_not_overdue(board):
    from events import services

    e5 = board.events["e5"]
    services.request_pause(actor=board.member, event=e5.pk, reason="等待法院判决", now=board.base + 2 * HOURS)
    services.decide_pause(actor=board.head("A/S1/C1/G1"), event=e5.pk, approve=True, now=board.base + 2 * HOURS)
    row = kpis.totals(_events(board), now=board.now)
    assert row["open"] == 2 and row["paused"] == 1
    assert row["overdue"] == 0


def test_denied_extensions_do_not_count(board):
    from events import services

    e8 = board.report("e8", "A/S1/C1/G1")
    board.to_in_progress(e8, "A/S1/C1/G1", board.base)
    services.request_extension(
        actor=board.member, event=e8.pk, amount=1, time_unit="working_days", reason="等配件", now=board.base + HOURS
    )
    services.decide_extension(actor=board.head("A/S1/C1/G1"), event=e8.pk, approve=False, now=board.base + HOURS)
    row = kpis.totals(_events(board), now=board.now)
    assert row["dispatched"] == 5 and row["extended"] == 1  # e5's approved request only
    assert row["extension_rate"] == 20.0
