"""The role homes composed from the panels the apps register (yaohai.core.shell): what an officer's workbench and
a grid worker's 首页 show, and that each costs the same number of queries whatever the number of events."""

import pytest
from django.urls import reverse

from yaohai.core import shell

from .conftest import HEAD, WORKER

pytestmark = pytest.mark.django_db


def panels(response) -> dict:
    return {panel.key: data for panel, data in response.context["panels"]}


def test_the_grid_workers_home_shows_her_own_recent_events_and_her_tasks(ev, client_for):
    """It always said "暂无事件", even after she had filed three."""
    filed = [ev.report(title=f"第{i}件") for i in range(3)]
    ev.report(path="A/S1/C1/G2", title="别人的")  # another grid's worker
    checking = ev.event_in("handled", title="待核查")  # hers to check
    response = client_for(WORKER).get(reverse("home"))
    body = response.content.decode()
    mine = panels(response)["my-events"]["rows"]
    assert [row.title for row in mine] == ["待核查", *[e.title for e in reversed(filed)]]
    assert "别人的" not in body and 'data-testid="empty-events"' not in body
    assert [row.pk for row in panels(response)["todo"]["rows"]] == [checking.pk]


def test_the_officers_workbench_shows_the_queue_the_deadlines_and_today(ev, client_for):
    for i in range(2):
        ev.report(title=f"新上报{i}")
    response = client_for(HEAD).get(reverse("home"))
    data = panels(response)
    assert list(data) == ["todo", "figures", "notifications", "mediation-todo", "my-nodes", "roster-gaps"]
    assert data["todo"]["count"] == 2 and not data["todo"]["more"]
    assert data["notifications"]["unread"] == 2  # a new report to accept, each
    assert {n.kind for n in data["notifications"]["rows"]} == {"reported"}
    assert data["figures"]["counts"]["overdue"].value == 0


def test_a_new_domain_adds_a_menu_entry_and_a_panel_by_one_registration(world, client_for):
    shell.menu.register("mediation", "调解", "home", order=55, visible=shell.for_roles(*shell.OFFICERS))
    shell.home_panels.register("mediation", "home/panels/todo.html", lambda actor: {"count": 0, "rows": []},
                               roles=shell.OFFICERS, order=5)
    try:
        response = client_for(HEAD).get(reverse("home"))
        assert [i.key for i in response.context["shell"].links][4:6] == ["assessment", "mediation"]
        assert next(iter(panels(response))) == "mediation"
    finally:
        shell.menu._entries.pop("mediation")
        shell.home_panels._panels.pop("mediation")


# HEAD: + mediation's 待办 panel and the points panel (services waiting for the head's approval, points/shell.py).
# Each domain's panel costs a fixed few (the worker: her grid's party branch and activities, her care visits; the
# head: mediation's 待办, points' approvals, the parties' overview); the point is that none grows with the data.
# Both: + the points panel's one read of the committee seats that make a resident representative (points/representatives.py);
# the worker's: + the registry's reminders.
@pytest.mark.parametrize("key, budget", [(WORKER, 18), (HEAD, 21)])
def test_a_home_costs_the_same_queries_with_more_events(ev, client_for, django_assert_max_num_queries, key, budget):
    client = client_for(key)
    ev.report()
    with django_assert_max_num_queries(budget):
        client.get(reverse("home"))
    for i in range(6):
        ev.event_in("handled", title=f"又一件{i}")
    with django_assert_max_num_queries(budget):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("name", ["events:todo", "events:list", "events:notifications", "exports:list"])
def test_the_bell_counts_the_unread_once_per_page(ev, client_for, name):
    """The menu's bell and a page's own use of the count read it once (events.selectors.unread_count)."""
    client = client_for(HEAD)
    ev.report()
    client.get(reverse(name))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(name))
    shell_queries = [q["sql"] for q in queries.captured_queries
                     if "events_notification" in q["sql"] and "COUNT" in q["sql"]]
    assert len(shell_queries) == 1


def test_a_handling_units_member_lands_on_their_queue(ev, client_for):
    """A unit's member holds no post on the tree, yet has events to sign for and handle."""
    event = ev.event_in("dispatched")
    response = client_for("unit").get(reverse("home"))
    assert response.templates[0].name == "home/workbench.html"
    assert [row.pk for row in panels(response)["todo"]["rows"]] == [event.pk]


def test_someone_with_no_post_and_nothing_to_do_is_told_whom_to_ask(world, client):
    from tests.world import make_user

    client.force_login(make_user("newcomer", world.tenants["A"]))
    response = client.get(reverse("home"))
    assert response.templates[0].name == "home/no_role.html"
