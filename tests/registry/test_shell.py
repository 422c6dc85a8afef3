"""The registry in the platform's shell: 人地事物 in the officers' menu; on the grid worker's 首页, today's tasks —
the patrol, her grid's registry, and the care-list visits overdue (dates computed from today, not written down)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from registry import services
from registry.models import CareList
from tests.registry.factories import house, resident

GRID = "A/S1/C1/G1"
WORKER = f"{GRID}:grid_worker"


def test_the_grid_workers_home_lists_the_visits_overdue(world, client_for):
    grid = world.node(GRID)
    person = resident(grid, name="独居老人乙", house=house(grid))
    services.form_household(actor=None, house=person.house, head=person, on_date=dt.date(2025, 1, 1))
    weekly = CareList.objects.get(tenant=grid.tenant, code="elderly_alone")
    services.add_to_care_list(
        actor=None, care_list=weekly, resident=person, since=timezone.localdate() - dt.timedelta(days=30)
    )
    body = client_for(WORKER).get(reverse("home")).content.decode()
    assert 'data-testid="panel-registry-tasks"' in body
    assert 'data-testid="visits-overdue"' in body and "独居老人乙" in body
    assert reverse("registry:patrol") in body and reverse("registry:my-grid") in body
    # Another community's worker sees neither the person nor the count.
    other = client_for("A/S1/C2/G1:grid_worker").get(reverse("home")).content.decode()
    assert "独居老人乙" not in other and 'data-testid="visits-overdue"' not in other


def test_officers_reach_the_registry_from_the_menu(world, client_for):
    response = client_for("A/S1/C1:grid_head").get(reverse("home"))
    keys = [item.key for item in response.context["shell"].links]
    assert "registry" in keys
    assert reverse("registry:residents") in response.content.decode()
    assert "registry" not in [i.key for i in client_for(WORKER).get(reverse("home")).context["shell"].links]
