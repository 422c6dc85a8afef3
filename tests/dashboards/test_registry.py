"""The panel registry (dashboards.registry): a panel another domain registers is built for the page, shares the
page's cache, is retired by writes of its own topic and expires with its `valid_until`; a panel whose build
answers None stays off the page; its sheet is linked from the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dashboards import cache, registry
from dashboards.filters import DashboardFilters

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 26, 4, 0, tzinfo=dt.UTC)


@pytest.fixture
def patrols(world):
    """A made-up domain's panel: how many times it was built, for which node, seen by whom."""
    built = []

    def build(request):
        if request.node.kind == "grid":
            return None  # not on a grid's page
        built.append((request.actor.pk, request.node.pk))
        return {"builds": len(built), "due": request.now + dt.timedelta(hours=1)}

    before = dict(registry._PANELS)
    registry.register(registry.Panel(
        key="patrols.done", build=build, present=lambda data, view: {"chart": {"patrols": data["builds"]}},
        template="", invalidated_by=("patrols",), valid_until=lambda data: data["due"],
        exports=(registry.PanelExport("patrols", "events.dashboard", "巡查台账"),),
    ))
    yield built
    registry._PANELS.clear()
    registry._PANELS.update(before)


def _page(world, path, now=NOW):
    return cache.page(actor=world.user("A:admin"), node=world.node(path), filters=DashboardFilters.default(), now=now)


def test_a_registered_panel_is_built_cached_and_retired_by_its_topic(world, patrols):
    community = world.node("A/S1/C1")
    assert _page(world, "A/S1/C1").panels["patrols.done"]["builds"] == 1
    assert _page(world, "A/S1/C1").panels["patrols.done"]["builds"] == 1  # from the cache
    cache.changed("events", [world.node("A/S1/C2").pk])  # another topic, another node: still cached
    assert _page(world, "A/S1/C1").panels["patrols.done"]["builds"] == 1
    cache.changed("patrols", [community.pk])  # a write of its topic under the node
    assert _page(world, "A/S1/C1").panels["patrols.done"]["builds"] == 2
    later = NOW + dt.timedelta(hours=1)  # its valid_until has come
    assert _page(world, "A/S1/C1", now=later).panels["patrols.done"]["builds"] == 3
    assert "patrols.done" not in _page(world, "A/S1/C1/G1").panels  # None: off the page


def test_the_page_links_the_panels_ledgers_and_draws_their_chart_data(world, patrols, client):
    client.force_login(world.user("A:admin"))
    community = world.node("A/S1/C1")
    body = client.get(reverse("dashboards:node", args=[community.pk])).content.decode()
    assert "巡查台账" in body and "table=patrols" in body
    assert '"patrols": 1' in body  # its chart entry joined the page's JSON
    grid = world.node("A/S1/C1/G1")
    assert "巡查台账" not in client.get(reverse("dashboards:node", args=[grid.pk])).content.decode()
