"""Building QR plates: a printable page and an SVG per building; the code leads a signed-in grid worker to the
building's page, where her patrol under way checks in by QR plate."""

import segno
from django.test import RequestFactory
from django.urls import reverse

from registry import patrols, plates
from registry.models import PatrolCheckIn
from tests.registry.factories import building

GRID = "A/S1/C1/G1"
WORKER = f"{GRID}:grid_worker"


def test_the_plate_holds_the_buildings_page(world, client_for):
    b = building(world.node(GRID), number="7栋")
    request = RequestFactory().get("/", secure=True)
    url = plates.plate_url(request, b)
    assert url == f"https://testserver{reverse('registry:building', args=[b.pk])}?from=qr"
    page = client_for(WORKER).get(reverse("registry:building-plate", args=[b.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="building-plate"' in html and "7栋" in html
    # the page's code is the one of the address seen from this host (segno draws the same matrix twice)
    expected = plates.qr_svg(f"http://testserver{reverse('registry:building', args=[b.pk])}?from=qr")
    assert expected in html and "<script" not in html
    svg = client_for(WORKER).get(reverse("registry:building-plate-svg", args=[b.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")
    assert segno.make(url, error="m").designator.endswith("-M")


def test_scanning_the_plate_on_a_patrol_checks_in_by_qr(world, client_for):
    grid = world.node(GRID)
    b = building(grid, number="9栋")
    client = client_for(WORKER)
    page = client.get(reverse("registry:building", args=[b.pk]), {"from": "qr"}).content.decode()
    assert 'data-testid="plate-check-in"' not in page  # no patrol under way: nothing to check in to
    patrol = patrols.start_patrol(actor=world.user(WORKER), grid=grid)
    page = client.get(reverse("registry:building", args=[b.pk]), {"from": "qr"}).content.decode()
    assert 'data-testid="plate-check-in"' in page and 'name="by_qr"' in page
    assert client.post(reverse("registry:patrol-check-in", args=[patrol.pk]),
                       {"building": b.pk, "by_qr": "1"}).status_code == 302
    assert PatrolCheckIn.objects.get(patrol=patrol).by_qr is True
    # the sibling community's worker scanning it gets the answer of a missing building
    assert client_for("A/S1/C2/G1:grid_worker").get(reverse("registry:building", args=[b.pk])).status_code == 404
