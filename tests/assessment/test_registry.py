"""The indicator registry (yaohai.core.indicators): an indicator another domain registers is weighted by a
tenant's scheme and scored, for grid workers and for nodes, with no change to the assessment app."""

import pytest

from assessment import services
from assessment.models import SchemeIndicator, Score
from yaohai.core import indicators as registry

from .conftest import DISTRICT_HEAD, G1, NOW, OCTOBER, W1

pytestmark = pytest.mark.django_db


@pytest.fixture
def patrols(world):
    """A made-up domain counting patrols: 3 of 4 planned at G1, and 2 of them by W1 himself."""
    g1 = world.nodes[G1].pk

    def count(tenant_id, month, as_of):
        if tenant_id != world.tenants["A"].pk or month != OCTOBER:
            return registry.MonthCounts()
        return registry.MonthCounts(
            by_grid={g1: {"patrols_done": 3, "patrols_planned": 4}},
            by_worker={(world.users[W1].pk, g1): {"patrols_done": 2}},
        )

    before = (dict(registry._SOURCES), dict(registry._INDICATORS))
    registry.register(
        registry.CountSource(key="patrols", count=count, worker_keys=("patrols_done",)),
        registry.Indicator(key="patrols", label="巡查", definition="巡查完成率", numerator="patrols_done",
                           denominator="patrols_planned"),
    )
    yield
    registry._SOURCES.clear(), registry._SOURCES.update(before[0])
    registry._INDICATORS.clear(), registry._INDICATORS.update(before[1])


def test_a_registered_indicator_is_weighted_and_scored(month, world, patrols):
    tenant = world.tenants["A"]
    scheme = services.install_default_scheme(tenant)  # adds the new indicator to the scheme, weight 0
    added = SchemeIndicator.objects.get(scheme=scheme, key="patrols")
    assert added.weight == 0 and added.get_key_display() == "巡查"
    SchemeIndicator.objects.filter(scheme=scheme).update(weight=0)
    SchemeIndicator.objects.filter(pk=added.pk).update(weight=100)

    run = services.compute_month(actor=world.user(DISTRICT_HEAD), tenant=tenant, month=OCTOBER, now=NOW)

    worker = Score.objects.get(run=run, user=world.users[W1])
    grid = Score.objects.get(run=run, subject_kind="grid", node=world.nodes[G1])
    assert worker.indicators["patrols"][:3] == [2, 4, "50.00"] and worker.total == 50
    assert grid.indicators["patrols"][:3] == [3, 4, "75.00"] and grid.total == 75
    community = Score.objects.get(run=run, subject_kind="community", node=world.nodes[G1].parent)
    assert community.indicators["patrols"][:3] == [3, 4, "75.00"]
