"""The dashboard's breadcrumb links only the ancestors whose dashboards the viewer may open (issue 11: a street
officer was linked to the district's dashboard, which answers 404 to them)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def crumb_links(body: str) -> list[str]:
    nav = body[body.index('data-testid="breadcrumb"'):]
    nav = nav[: nav.index("</ol>")]
    return re.findall(r'href="(/dashboards/\d+/)\?', nav)


@pytest.mark.parametrize(
    "viewer, page, linked",
    [
        ("A/S1/C1:grid_head", "A/S1/C1/G1", ["A/S1/C1"]),
        ("A/S1:grid_head", "A/S1/C1/G1", ["A/S1", "A/S1/C1"]),
        ("A/S1:grid_head", "A/S1/C1", ["A/S1"]),
        ("A:grid_head", "A/S1/C1/G1", ["A", "A/S1", "A/S1/C1"]),
        ("A:admin", "A/S1/C1", ["A", "A/S1"]),
    ],
)
def test_every_linked_ancestor_opens_and_the_others_are_text(world, client_for, viewer, page, linked):
    client = client_for(viewer)
    response = client.get(reverse("dashboards:node", args=[world.nodes[page].pk]))
    assert response.status_code == 200
    links = crumb_links(response.content.decode())
    assert links == [reverse("dashboards:node", args=[world.nodes[path].pk]) for path in linked]
    for url in links:
        assert client.get(url).status_code == 200
