import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grids import services

pytestmark = pytest.mark.django_db


def test_grid_worker_gets_the_mobile_tabs(client_for):
    response = client_for("A/S1/C1/G1:grid_worker").get(reverse("home"))
    body = response.content.decode()
    assert response.templates[0].name == "home/grid_worker.html"
    for tab in ("?tab=home", "?tab=report", "?tab=todo", "?tab=me"):
        assert tab in body
    assert "网格1" in body


def test_officer_home_shows_node_children_and_gaps(world, client_for):
    # Leave one grid of the community without a police officer: that is a gap.
    grid = world.node("A/S1/C1/G2")
    police = grid.__class__.objects.get(pk=grid.pk)
    from grids.models import Assignment

    Assignment.objects.filter(node=police, post__code="police").delete()
    response = client_for("A/S1/C1:grid_head").get(reverse("home"))
    assert response.templates[0].name == "home/officer.html"
    nodes = response.context["nodes"]
    assert [n.pk for n, _ in nodes] == [world.nodes["A/S1/C1"].pk]
    assert {c.pk for c in nodes[0][1]} == {world.nodes["A/S1/C1/G1"].pk, world.nodes["A/S1/C1/G2"].pk}
    gaps = {r.node.pk: [p.code for p in r.gaps] for r in response.context["gap_rosters"]}
    assert gaps == {world.nodes["A/S1/C1/G2"].pk: ["police"]}


def test_admin_home_links_to_the_admin(client_for):
    response = client_for("A:admin").get(reverse("home"))
    assert reverse("admin:index") in response.content.decode()


def test_node_page_flags_a_community_without_a_head(world, client_for):
    from grids.models import Assignment

    community = world.node("A/S1/C2")
    Assignment.objects.filter(node=community, post__code="grid_head").delete()
    response = client_for("A/S1:grid_head").get(reverse("grids:node-detail", args=[community.pk]))
    assert [p.code for p in response.context["roster"].gaps] == ["grid_head"]
    assert 'data-testid="roster-gap"' in response.content.decode()


def test_roster_export_is_a_ledger(world, client_for):
    community = world.node("A/S1/C1")
    response = client_for("A/S1:grid_head").get(reverse("grids:roster-export", args=[community.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == "序号"
    names = {sheet.cell(row=r, column=2).value for r in range(3, sheet.max_row + 1)}
    assert names == {community.name, "网格1", "网格2"}


def test_home_and_node_pages_run_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for("A:admin")
    street = world.node("A/S1")
    with django_assert_max_num_queries(14):
        client.get(reverse("grids:node-detail", args=[street.pk]))
    for i in range(10):
        services.create_node(parent=street, subkind="community", name=f"新社区{i}")
    with django_assert_max_num_queries(14):
        client.get(reverse("grids:node-detail", args=[street.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("home"))


def test_officer_home_links_each_node_to_its_dashboard(world, client_for):
    body = client_for("A/S1/C1:grid_head").get(reverse("home")).content.decode()
    assert reverse("dashboards:node", args=[world.nodes["A/S1/C1"].pk]) in body
