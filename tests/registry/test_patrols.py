"""Patrols and household visits: the track survives a lost connection, findings become events, visits count."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from events.catalogue import install_event_catalogue
from events.models import Category, Event
from registry import patrols, services
from registry.models import CareList, PatrolPoint
from registry.schedule import due_date
from tests.registry.factories import building, house, resident

GRID = "A/S1/C1/G1"
WORKER = f"{GRID}:grid_worker"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_patrol_through_the_api(world, client_for):
    grid = world.node(GRID)
    install_event_catalogue(grid.tenant)
    b = building(grid, number="5栋", lon=117.31, lat=31.87)
    client = client_for(WORKER)
    started = post(client, reverse("registry-patrol-start"), {"grid": grid.pk})
    assert started.status_code == 201
    pk = started.json()["id"]
    now = timezone.now()
    batch = [{"seq": i, "at": (now + dt.timedelta(seconds=30 * i)).isoformat(), "lon": 117.31 + i / 1e4, "lat": 31.87}
             for i in range(1, 6)]
    post(client, reverse("registry-patrol-positions", args=[pk]), {"points": batch[:3]})
    # The connection dropped after the first three were stored; the phone resends the whole queue.
    again = post(client, reverse("registry-patrol-positions", args=[pk]), {"points": batch})
    assert len(again.json()["track"]) == 5 and PatrolPoint.objects.filter(patrol_id=pk).count() == 5
    checked = post(client, reverse("registry-patrol-check-in", args=[pk]), {"building": b.pk, "by_qr": True})
    assert checked.json()["check_ins"][0]["building"] == b.pk
    category = Category.objects.filter(tenant=grid.tenant, parent__isnull=False).order_by("id").first()
    filed = post(client, reverse("registry-patrol-finding", args=[pk]),
                 {"category": category.pk, "title": "5栋楼道堆物", "building": b.pk})
    assert filed.status_code == 201, filed.content
    event = Event.objects.get(pk=filed.json()["findings"][0]["event"])
    assert (event.node_id, event.lon, event.lat) == (grid.pk, 117.31, 31.87)
    ended = post(client, reverse("registry-patrol-end", args=[pk]), {"summary": "整体良好"})
    assert ended.json()["ended_at"] and "整体良好" in ended.json()["summary"]
    head = client_for("A/S1/C1:grid_head").get(reverse("registry-patrol-detail", args=[pk]))
    assert len(head.json()["track"]) == 5


def test_only_the_worker_adds_to_her_patrol_and_only_in_her_grid(world):
    worker = world.user(WORKER)
    with pytest.raises(PermissionDenied):
        patrols.start_patrol(actor=worker, grid=world.node("A/S1/C1/G2"))
    patrol = patrols.start_patrol(actor=worker, grid=world.node(GRID))
    assert patrols.start_patrol(actor=worker, grid=world.node(GRID)) == patrol  # one open patrol
    with pytest.raises(PermissionDenied):
        patrols.record_positions(actor=world.user("A/S1/C1:grid_head"), patrol=patrol, points=[])
    other = building(world.node("A/S1/C2/G1"), number="隔壁")
    with pytest.raises(ValidationError):
        patrols.check_in(actor=worker, patrol=patrol, building=other)


def test_visits_count_towards_the_care_schedule(world, client_for):
    grid = world.node(GRID)
    person = resident(grid, name="独居老人甲", house=house(grid))
    household = services.form_household(actor=None, house=person.house, head=person, on_date=dt.date(2025, 1, 1))
    weekly = CareList.objects.get(tenant=grid.tenant, code="elderly_alone")  # every 7 days
    since = timezone.localdate() - dt.timedelta(days=30)
    services.add_to_care_list(actor=None, care_list=weekly, resident=person, since=since)
    worker = world.user(WORKER)
    [row] = patrols.care_schedule(actor=worker)
    assert row.state == "overdue" and row.last_visit is None
    patrols.record_visit(actor=worker, household=household, visited_on=timezone.localdate(), purpose="例行走访")
    [row] = patrols.care_schedule(actor=worker)
    assert row.due_on == due_date(timezone.localdate(), 7)  # a week on, or the next working day after
    assert row.state == ("later" if row.due_on > timezone.localdate() + dt.timedelta(days=3) else "due")
    due = client_for(WORKER).get(reverse("registry-care-member-due")).json()
    assert [(d["name"], d["state"]) for d in due] == [("独居老人甲", row.state)]
    assert client_for("A/S1/C2:grid_head").get(reverse("registry-care-member-due")).json() == []
    with pytest.raises(ValidationError):
        patrols.record_visit(actor=worker, household=household, visited_on=timezone.localdate() + dt.timedelta(1),
                             purpose="未来")


def test_the_patrol_and_visit_pages(world, client_for):
    grid = world.node(GRID)
    install_event_catalogue(grid.tenant)
    b = building(grid, number="8栋")
    person = resident(grid, name="走访对象", house=house(grid, building=b))
    household = services.form_household(actor=None, house=person.house, head=person, on_date=dt.date(2025, 1, 1))
    services.add_to_care_list(
        actor=None, care_list=CareList.objects.get(tenant=grid.tenant, code="disabled"), resident=person,
        since=timezone.localdate() - dt.timedelta(days=60),
    )
    client = client_for(WORKER)
    home = client.get(reverse("registry:my-grid")).content.decode()
    assert "走访对象" in home and "visits-due" in home
    due = client.get(reverse("registry:my-grid")).context["due"]
    assert [m.resident.name for m in due] == ["走访对象"]
    assert client.post(reverse("registry:patrol"), {"grid": grid.pk}).status_code == 200
    page = client.get(reverse("registry:patrol"))
    patrol = page.context["patrol"]
    assert "js/patrol.js" in page.content.decode()
    assert client.post(reverse("registry:patrol-check-in", args=[patrol.pk]), {"building": b.pk}).status_code == 302
    category = Category.objects.filter(tenant=grid.tenant, parent__isnull=False).order_by("id").first()
    client.post(reverse("registry:patrol-finding", args=[patrol.pk]),
                {"title": "井盖缺失", "category": category.pk, "building": b.pk})
    assert Event.objects.filter(title="井盖缺失", node=grid).exists()
    client.post(reverse("registry:patrol-end", args=[patrol.pk]), {"summary": "完成"})
    patrol.refresh_from_db()
    assert patrol.ended_at and "1" in patrol.summary
    visit = client.post(reverse("registry:household-visit", args=[household.pk]),
                        {"visited_on": timezone.localdate().isoformat(), "purpose": "例行走访"})
    assert visit.status_code == 302
    assert client.get(reverse("registry:my-grid")).context["due"] == []
    bad = client.post(reverse("registry:household-visit", args=[household.pk]), {"visited_on": "x", "purpose": ""})
    assert bad.status_code == 400
