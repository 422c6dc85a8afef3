"""A move in the tree re-stamps the moved grid's events, not its published scores: those keep the jurisdiction
they were scored in (docs/adr/0005-immutable-rows-keep-their-stamps.md)."""

import pytest

from assessment import services
from assessment.models import Score
from events import services as event_services
from events.models import Category, Event
from grids import integrity
from grids import services as grid_services

from .conftest import DISTRICT_HEAD, NOW, OCTOBER, T

pytestmark = pytest.mark.django_db


def test_a_move_restamps_events_but_not_published_scores(world):
    tenant = world.tenants["A"]
    grid = grid_services.update_node(node=world.node("A/S1/C1/G1"), name="迁出网格")
    old_community, new_community = world.node("A/S1/C1"), world.node("A/S2/C1")
    event = event_services.report_event(
        actor=world.user("A/S1/C1/G1:grid_worker"), node=grid, title="迁移前的事件", now=T,
        category=Category.objects.get(tenant=tenant, name="暴露垃圾", parent__isnull=False),
    )
    run = services.compute_month(actor=world.user(DISTRICT_HEAD), tenant=tenant, month=OCTOBER, now=NOW)
    run = services.publish_month(
        actor=world.user(DISTRICT_HEAD), tenant=tenant, month=run.month, version=run.version, now=NOW
    )
    scores = Score.objects.filter(run=run, node=grid)
    assert scores.count() == 2  # the grid and its worker
    recorded = sorted(scores.values_list("pk", "street_id", "community_id", "grid_id"))
    assert {row[1:] for row in recorded} == {(old_community.street_id, old_community.pk, grid.pk)}

    grid_services.move_node(node=grid, new_parent=new_community)

    event.refresh_from_db()
    assert (event.street_id, event.community_id, event.grid_id) == (
        new_community.street_id, new_community.pk, grid.pk
    )
    assert sorted(scores.values_list("pk", "street_id", "community_id", "grid_id")) == recorded
    # The integrity check does not count the kept stamps as damage, and a rebuild leaves them alone.
    assert integrity.check_tree(tenant) == []
    integrity.rebuild_tree(tenant)
    assert sorted(scores.values_list("pk", "street_id", "community_id", "grid_id")) == recorded
    assert Event.objects.get(pk=event.pk).community_id == new_community.pk
