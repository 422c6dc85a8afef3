"""dashboards.cache: a cached dashboard is exactly what a fresh computation shows, after any write under its
node, at the next deadline, after a change of the tree; and it is served without a query otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import cache as dashboard_cache
from dashboards.filters import DashboardFilters
from dashboards.page import build_page
from events import services
from events.models import Event
from grids import services as grid_services
from tests.dashboards.conftest import HOURS, Shown

pytestmark = pytest.mark.django_db

NODES = ("A", "A/S1", "A/S1/C1", "A/S1/C1/G1")


def _digest(page) -> tuple:
    board = page if isinstance(page, Shown) else Shown(page)
    return (
        board.totals,
        [(s["status"], s["events"]) for s in board.statuses],
        [(c.node.pk, c.node.name, c.node.parent_id, c.kpis) for c in board.children],
        board.categories,
        board.trend,
        [e.pk for e in board.overdue],
        board.next_deadline,
    )


def _cached(board, path, now=None):
    admin = board.world.user("A:admin")
    return Shown(dashboard_cache.page(
        actor=admin, node=board.world.node(path), filters=DashboardFilters.default(), now=now or board.now
    ))


def _fresh(board, path, now=None):
    admin = board.world.user("A:admin")
    node = type(board.world.node(path)).objects.get(pk=board.world.node(path).pk)
    return build_page(
        actor=admin, node=node, filters=DashboardFilters.default(), now=now or board.now
    )


def _assert_all_current(board, now=None):
    for path in NODES:
        assert _digest(_cached(board, path, now)) == _digest(_fresh(board, path, now)), path


def _view(board, path):
    """A view of `path` by the admin, with the user and node read once (as within one request)."""
    admin, node, filters = board.world.user("A:admin"), board.world.node(path), DashboardFilters.default()
    return lambda: dashboard_cache.page(actor=admin, node=node, filters=filters, now=board.now)


def test_a_second_view_runs_no_query(board, django_assert_num_queries):
    view = _view(board, "A/S1/C1")
    first = view()
    with django_assert_num_queries(0):
        again = view()
    assert _digest(again) == _digest(first)
    assert Shown(again).totals["events"] > 0


def test_every_kind_of_write_under_the_node_is_shown_at_once(board):
    """Each step is followed by every level's cached dashboard, compared with a fresh computation."""
    grid = "A/S1/C1/G1"
    at = board.now - 2 * HOURS
    _assert_all_current(board)  # every entry is now cached
    event = services.report_event(
        actor=board.world.user(f"{grid}:grid_worker"), node=board.world.nodes[grid], category=board.category(),
        title="新上报", now=at,
    )
    _assert_all_current(board)
    services.accept(actor=board.head(grid), event=event.pk, now=at)
    _assert_all_current(board)
    services.dispatch(actor=board.head(grid), event=event.pk, unit=board.unit.pk, now=at)
    _assert_all_current(board)
    services.sign(actor=board.member, event=event.pk, now=at)
    _assert_all_current(board)
    services.request_pause(actor=board.member, event=event.pk, reason="等待业主", now=at + HOURS)
    _assert_all_current(board)
    services.handle(actor=board.member, event=event.pk, note="已处理", now=at + HOURS)
    _assert_all_current(board)
    services.verify(
        actor=board.world.user(f"{grid}:grid_worker"), event=event.pk, passed=True, close_reason="fixed",
        now=at + HOURS,
    )
    _assert_all_current(board)
    assert Event.objects.get(pk=event.pk).status == "closed"


def test_a_write_elsewhere_keeps_the_entry(board, django_assert_num_queries):
    community = _view(board, "A/S1/C1")
    community()
    _cached(board, "A/S1")
    services.report_event(
        actor=board.world.user("A/S1/C2/G1:grid_worker"), node=board.world.nodes["A/S1/C2/G1"],
        category=board.category(), title="别处的事件", now=board.now,
    )
    with django_assert_num_queries(0):
        community()  # nothing under C1 changed
    street = _cached(board, "A/S1")
    assert _digest(street) == _digest(_fresh(board, "A/S1"))


def test_the_entry_ends_at_the_next_open_deadline(board):
    shown = _cached(board, "A/S1/C1")
    assert shown.next_deadline is not None and shown.next_deadline > board.now
    later = shown.next_deadline + dt.timedelta(seconds=1)
    after = _cached(board, "A/S1/C1", now=later)
    assert _digest(after) == _digest(_fresh(board, "A/S1/C1", now=later))
    assert after.totals["overdue"] > shown.totals["overdue"]  # the event whose deadline passed is overdue now


def test_renaming_and_moving_nodes_are_shown(board):
    _assert_all_current(board)
    g1 = board.world.node("A/S1/C1/G1")
    g1.name = "改名后的网格"
    g1.save()
    assert "改名后的网格" in [c.node.name for c in _cached(board, "A/S1/C1").children]
    _assert_all_current(board)
    grid_services.move_node(actor=board.world.user("A:admin"), node=g1, new_parent=board.world.node("A/S1/C2"))
    _assert_all_current(board)
    assert g1.pk in [c.node.pk for c in _cached(board, "A/S1/C2").children]


def test_actors_with_other_scopes_do_not_share_entries(board, django_assert_num_queries):
    """The community's head and the district admin see the same node, each through their own scope: the admin's
    entry is not served to the head, who gets (and then keeps) their own."""
    _view(board, "A/S1/C1")()  # the admin's entry
    head = board.world.user("A/S1/C1:grid_head")
    node = board.world.node("A/S1/C1")
    filters = DashboardFilters.default()
    assert dashboard_cache.scope_fingerprint(head) != dashboard_cache.scope_fingerprint(board.world.user("A:admin"))
    with CaptureQueriesContext(connection) as computed:
        head_view = dashboard_cache.page(actor=head, node=node, filters=filters, now=board.now)
    assert len(computed.captured_queries) > 0  # not the admin's entry
    assert _digest(head_view) == _digest(build_page(actor=head, node=node, filters=filters, now=board.now))
    with django_assert_num_queries(0):
        dashboard_cache.page(actor=head, node=node, filters=filters, now=board.now)


def test_the_commit_retires_the_version_again(board, django_capture_on_commit_callbacks):
    """A reader between the write and its commit keys its entry with the first new version: the commit replaces
    it, so that entry is never read."""
    key = dashboard_cache._node_key("events", board.world.node("A/S1/C1").pk)
    _cached(board, "A/S1/C1")
    before = cache.get(key)
    with django_capture_on_commit_callbacks(execute=True):
        event = Event.objects.filter(community_id=board.world.node("A/S1/C1").pk).first()
        event.title = "改个标题"
        services.save_event(event)
        at_write = cache.get(key)
    assert before != at_write != cache.get(key)


def test_off_without_a_shared_cache(board, settings, django_assert_max_num_queries):
    settings.DASHBOARD_CACHE_SECONDS = 0
    _cached(board, "A/S1/C1")
    with django_assert_max_num_queries(20) as captured:
        _cached(board, "A/S1/C1")
    assert len(captured.captured_queries) > 0


def test_a_cache_that_is_down_computes(board, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens there
    shown = _cached(board, "A/S1/C1")
    assert _digest(shown) == _digest(_fresh(board, "A/S1/C1"))
    event = Event.objects.filter(community_id=board.world.node("A/S1/C1").pk).first()
    event.title = "缓存不可用时也能保存"
    services.save_event(event)  # the write goes on


def test_the_panels_are_kept_drawn_per_language(board, client_for):
    """A view from the cache shows the panels as they were drawn, in the viewer's language: the same HTML as the
    first view, and another language is drawn (and kept) apart."""
    from django.urls import reverse

    client = client_for("A:admin")
    url = reverse("dashboards:node", args=[board.world.node("A/S1/C1").pk])
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").context["drawn"]
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").context["drawn"]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").context["drawn"]
    assert again == first
    assert english["panels"] != first["panels"]
    assert "No data in this range." in english["chart"] and "No data in this range." not in first["chart"]
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").context["drawn"] == english


def test_a_write_recomputes_only_the_panels_of_its_topic(board, monkeypatch):
    """Each panel's data is kept under its own topics' versions: an event filed under the node rebuilds the
    events' panels and takes another topic's panel from the cache; a write of that topic rebuilds it."""
    from dashboards import registry

    builds = []

    def build(request):
        builds.append(request.node.pk)
        return {"n": len(builds)}

    spy = registry.Panel(key="zz.spy", build=build, present=lambda data, view: data, template="x.html",
                         invalidated_by=("spytopic",))
    monkeypatch.setitem(registry._PANELS, "zz.spy", spy)
    community = board.world.node("A/S1/C1")
    first = _cached(board, "A/S1/C1")
    assert builds == [community.pk]
    services.report_event(
        actor=board.world.user("A/S1/C1/G1:grid_worker"), node=board.world.nodes["A/S1/C1/G1"],
        category=board.category(), title="只重算事件的面板", now=board.now,
    )
    after_event = _cached(board, "A/S1/C1")
    assert builds == [community.pk]  # the spy's data came from its own entry
    assert after_event.totals["events"] == first.totals["events"] + 1  # the events' panels were computed again
    dashboard_cache.changed("spytopic", [community.pk])
    page = dashboard_cache.page(
        actor=board.world.user("A:admin"), node=community, filters=DashboardFilters.default(), now=board.now
    )
    assert builds == [community.pk, community.pk] and page.panels["zz.spy"] == {"n": 2}


def test_a_panel_without_a_topic_is_always_built(board, monkeypatch):
    from dashboards import registry

    builds = []
    spy = registry.Panel(key="zz.spy", build=lambda request: builds.append(1) or {"n": len(builds)},
                         present=lambda data, view: data, template="x.html")
    monkeypatch.setitem(registry._PANELS, "zz.spy", spy)
    _cached(board, "A/S1/C1")
    dashboard_cache.changed("events", [board.world.node("A/S1/C1").pk])
    _cached(board, "A/S1/C1")
    assert builds == [1, 1]
