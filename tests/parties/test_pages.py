"""The 党建 page (an officer's subtree; a grid worker's phone page), the workbench panel, the dashboard panel and
the indicator."""

import datetime as dt

from django.utils import timezone

from dashboards.registry import PanelRequest
from parties import services
from parties.indicators import topic_counts
from parties.panels import build_overview
from tests.parties.factories import party_tree
from tests.registry import factories as registry


def _world_with_things(world):
    tree = party_tree(world)
    grid = world.node("A/S1/C1/G1")
    house = registry.house(grid, number="101")
    head = registry.resident(grid, name="党员王", id_number=registry.make_id(seq=1), phone="", house=house)
    from registry import services as registry_services

    registry_services.form_household(actor=None, house=house, head=head, on_date=dt.date(2020, 1, 1))
    member = services.admit_member(org=tree.branch, resident=head, joined_on=dt.date(2001, 7, 1))
    services.name_central_household(member=member, since=dt.date(2024, 1, 1))
    committee = services.set_up_committee(grid=grid, name="网格1共治委员会")
    services.seat_member(committee=committee, seat="grid_worker", user=world.user("A/S1/C1/G1:grid_worker"),
                         term_start=dt.date(2024, 1, 1))
    start = timezone.now() + dt.timedelta(days=3)
    services.plan_activity(
        centre=services.open_centre(node=world.node("A/S1/C1"), level="community", name="中心", place="路",
                                    hours="全天", sections=[("culture", "")]),
        section="culture", title="重阳节包饺子", starts_at=start, ends_at=start + dt.timedelta(hours=2), place="活动室",
        capacity=20, organiser=world.user("A/S1/C1:grid_head"),
    )
    return tree


def test_a_grid_workers_phone_page_shows_her_grids_party_side(world, client_for):
    _world_with_things(world)
    page = client_for("A/S1/C1/G1:grid_worker").get("/parties/").content.decode()
    assert "网格1党支部" in page and "党员王" in page and "网格1共治委员会" in page and "重阳节包饺子" in page
    other = client_for("A/S1/C1/G2:grid_worker").get("/parties/").content.decode()
    assert "网格1党支部" not in other and "党员王" not in other
    home = client_for("A/S1/C1/G1:grid_worker").get("/").content.decode()
    assert 'data-testid="party-grid"' in home


def test_an_officers_page_and_the_dashboard_panel(world, client_for):
    tree = _world_with_things(world)
    page = client_for("A/S1/C1:grid_head").get("/parties/").content.decode()
    assert "网格1党支部" in page and "1 / 1" in page
    assert "社区2党总支" not in page
    data = build_overview(PanelRequest(actor=world.user("A/S1:grid_head"), node=world.node("A/S1"), filters=None,
                                       now=timezone.now()))
    assert data["members"] == {"formal": 1, "probationary": 0}
    assert (data["households"], data["covered"], data["coverage"]) == (1, 1, 100.0)
    assert data["activities"] == 1 and data["orgs"][0]["name"] == tree.branch.name
    assert build_overview(PanelRequest(actor=world.user("A/S2:grid_head"), node=world.node("A/S2"), filters=None,
                                       now=timezone.now())) is None
    # The panel as drawn on the street's dashboard: its figures, not blanks (the template read names the panel's
    # include does not give it, and the sum of the members raised a 500 on every dashboard that showed the panel).
    body = client_for("A/S1:grid_head").get(f"/dashboards/{world.node('A/S1').pk}/").content.decode()
    panel = body.split('data-testid="parties-overview"', 1)[1].split("</section>", 1)[0]
    assert '<div class="fs-4">1</div>' in panel and "100.0%" in panel and "（1/1）" in panel
    assert tree.branch.name in panel


def test_the_indicator_counts_topics_resolved_by_their_date(world):
    grid = world.node("A/S1/C1/G1")
    due = dt.date(2026, 11, 20)
    now = dt.datetime(2026, 11, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    topics = [services.raise_topic(actor=None, node=grid, title=f"议题{n}", due_on=due, source="grid_worker", now=now)
              for n in range(3)]
    for topic, resolved_on in ((topics[0], dt.date(2026, 11, 19)), (topics[1], dt.date(2026, 11, 25))):
        services.accept_topic(actor=None, topic=topic)
        meeting = services.schedule_meeting(actor=None, topic=topic, starts_at=now, place="议事厅")
        services.record_meeting(actor=None, meeting=meeting, minutes="同意")
        services.resolve_topic(actor=None, topic=topic, resolution="决议", on_date=resolved_on)
    counts = topic_counts(world.tenants["A"].pk, dt.date(2026, 11, 1), now)
    assert counts.by_grid[grid.pk] == {"topics_due": 3, "topics_on_time": 1}
    assert topic_counts(world.tenants["A"].pk, dt.date(2026, 12, 1), now).by_grid == {}
