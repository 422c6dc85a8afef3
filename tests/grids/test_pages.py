import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grids import services

pytestmark = pytest.mark.django_db


def test_grid_worker_gets_the_phone_shell_with_its_four_tabs(client_for):
    response = client_for("A/S1/C1/G1:grid_worker").get(reverse("home"))
    body = response.content.decode()
    assert response.templates[0].name == "home/grid_worker.html"
    assert 'class="tabbar' in body  # .ci/run greps the demo grid worker's home for it
    tabs = [item.href for item in response.context["shell"].tabs]
    assert tabs == [reverse("home"), reverse("events:report"), reverse("events:todo"), reverse("home") + "?tab=me"]
    assert "网格1" in body
    assert 'data-testid="desktop-bar"' not in body


def test_every_page_a_grid_worker_uses_has_the_phone_shell(world, client_for):
    client = client_for("A/S1/C1/G1:grid_worker")
    for url in (reverse("events:report"), reverse("events:todo"), reverse("events:notifications"),
                reverse("events:list"), reverse("assessment:me"), reverse("home") + "?tab=me",
                reverse("grids:node-detail", args=[world.nodes["A/S1/C1/G1"].pk])):
        body = client.get(url).content.decode()
        assert 'class="tabbar' in body, url
        assert 'data-testid="desktop-bar"' not in body, url


def test_a_grid_workers_me_tab_lists_her_menu_entries_that_are_not_tabs(client_for):
    """The phone shell shows only the four tabs: the other entries of her menu (回访 among them) are reached from
    我的, or nowhere."""
    client = client_for("A/S1/C1/G1:grid_worker")
    response = client.get(reverse("home") + "?tab=me")
    others = [item for item in response.context["shell"].links if not item.phone_tab]
    assert reverse("residents:callbacks") in [item.href for item in others]
    body = response.content.decode()
    for item in others:
        assert f'href="{item.href}" data-testid="me-menu-{item.key}"' in body
    assert 'data-testid="me-menu-report"' not in body  # a tab stays a tab


def test_officer_home_shows_node_children_and_gaps(world, client_for):
    # Leave one grid of the community without a police officer: that is a gap.
    from grids.models import Assignment

    Assignment.objects.filter(node=world.node("A/S1/C1/G2"), post__code="police").delete()
    response = client_for("A/S1/C1:grid_head").get(reverse("home"))
    assert response.templates[0].name == "home/workbench.html"
    panels = dict((panel.key, data) for panel, data in response.context["panels"])
    nodes = panels["my-nodes"]["nodes"]
    assert [n.pk for n, _ in nodes] == [world.nodes["A/S1/C1"].pk]
    assert {c.pk for c in nodes[0][1]} == {world.nodes["A/S1/C1/G1"].pk, world.nodes["A/S1/C1/G2"].pk}
    gaps = [(node.pk, post.code) for node, post in panels["roster-gaps"]["gaps"].rows]
    assert gaps == [(world.nodes["A/S1/C1/G2"].pk, "police")]


def test_district_officer_sees_gaps_anywhere_in_the_subtree(world, client_for):
    """The gaps panel looks at every depth: a grid two levels below the district's children counts too (it
    checked only the home node and its children, so a district read "every required post is filled")."""
    from grids.models import Assignment

    Assignment.objects.filter(node=world.node("A/S2/C2/G1"), post__code="police").delete()
    Assignment.objects.filter(node=world.node("B/S1/C1/G1"), post__code="police").delete()  # another tenant
    response = client_for("A:grid_head").get(reverse("home"))
    panels = dict((panel.key, data) for panel, data in response.context["panels"])
    gaps = panels["roster-gaps"]["gaps"]
    assert [(node.pk, post.code) for node, post in gaps.rows] == [(world.nodes["A/S2/C2/G1"].pk, "police")]
    assert gaps.total == 1
    assert "所有必备岗位均已配齐" not in response.content.decode()


@pytest.mark.parametrize("key", ["A/S1/C1:grid_head", "A/S1:grid_head", "A:grid_head", "A:admin"])
def test_every_officer_page_has_the_same_menu(world, client_for, key):
    client = client_for(key)
    expected = ["workbench", "events", "todo", "dashboards", "assessment", "exports"]
    for url in (reverse("home"), reverse("events:list"), reverse("events:todo"), reverse("exports:list"),
                reverse("events:notifications"), reverse("assessment:index")):
        response = client.get(url)
        keys = [item.key for item in response.context["shell"].links]
        assert keys[: len(expected)] == expected, url
        assert 'data-testid="notifications-icon"' in response.content.decode(), url
        assert "🔔" not in response.content.decode()


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
    # The workbench: session, user, 待办 (2), three figures, unread notifications (2), nodes (2), gaps (1 + one per
    # required post), and a fixed few for each domain's panel (mediation's 待办, points' approvals, the parties'
    # overview, residents waiting to be confirmed, the committee seats that make a resident representative): the
    # same at any size of the jurisdiction. Counted on a second view: the first reads the working calendar, which a
    # process keeps for a minute (and from November it also asks whether next year's is loaded, so a first view's
    # count depends on the date).
    client.get(reverse("home"))
    with django_assert_max_num_queries(21):
        client.get(reverse("home"))


def test_officer_home_links_each_node_to_its_dashboard(world, client_for):
    body = client_for("A/S1/C1:grid_head").get(reverse("home")).content.decode()
    assert reverse("dashboards:node", args=[world.nodes["A/S1/C1"].pk]) in body
