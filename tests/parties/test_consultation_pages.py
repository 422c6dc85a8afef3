"""The consultation pages: a community officer raises a topic from an event she can see (the event page offers it),
takes every step of the table from the topic page (each works and logs), adds follow-up tasks, files one as an
event, publishes the notice; a refused step shows its message and changes nothing; an event or a topic out of her
scope answers 404. Dates are computed from the clock the services read (timezone.localdate)."""

import datetime as dt

import pytest
from django.utils import timezone

from events.catalogue import install_event_catalogue
from events.models import Category, Event
from events.services import report_event
from parties import services
from parties.models import FollowUp, Meeting, Notice, Topic, TopicLog
from registry.models import Resident
from tests.registry import factories as registry

pytestmark = pytest.mark.django_db

HEAD = "A/S1/C1:grid_head"
GRID = "A/S1/C1/G1"


def _event(world, path=GRID, key="A", title="毁绿种菜"):
    install_event_catalogue(world.tenants[key])
    category = Category.objects.filter(tenant=world.tenants[key], parent__isnull=False).first()
    return report_event(actor=world.user(f"{path}:grid_worker"), node=world.node(path), category=category,
                        title=title, description="三号楼前绿地被改种蔬菜")


def _state(topic):
    return (Topic.objects.filter(pk=topic.pk).values().get(), TopicLog.objects.filter(topic_id=topic.pk).count(),
            Meeting.objects.filter(topic_id=topic.pk).count())


def test_the_event_page_offers_a_topic_and_the_topic_takes_the_event_over(world, client_for):
    event = _event(world)
    head = client_for(HEAD)
    page = head.get(f"/events/{event.pk}/").content.decode()
    assert 'data-testid="offer-consultation"' in page and f"/parties/topics/new/?event={event.pk}" in page
    worker_page = client_for(f"{GRID}:grid_worker").get(f"/events/{event.pk}/").content.decode()
    assert 'data-testid="offer-consultation"' not in worker_page  # she files events, she keeps no consultation
    form = head.get(f"/parties/topics/new/?event={event.pk}").content.decode()
    assert "毁绿种菜" in form and f'value="{world.nodes[GRID].pk}" selected' in form
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    response = head.post("/parties/topics/new/", {"event": event.pk, "title": "毁绿种菜怎么办", "node": world.nodes[GRID].pk,
                                                   "due_on": due, "description": "议一议"})
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/parties/topics/{topic.pk}/"
    assert (topic.source, topic.event_id, topic.status, topic.raised_by.username) == (
        "event", event.pk, "raised", world.user(HEAD).username)
    assert TopicLog.objects.filter(topic=topic, action="raise").count() == 1
    # the event's page now lists the topic on its timeline
    assert "毁绿种菜怎么办" in head.get(f"/events/{event.pk}/").content.decode()


def test_raising_refuses_bad_input_and_hides_events_out_of_scope(world, client_for):
    head = client_for(HEAD)
    sibling = _event(world, path="A/S1/C2/G1", title="邻居社区事件")
    foreign = _event(world, path="B/S1/C1/G1", key="B", title="乙区事件")
    for other in (sibling, foreign):
        assert head.get(f"/parties/topics/new/?event={other.pk}").status_code == 404
        assert head.post("/parties/topics/new/", {"event": other.pk, "title": "x", "node": world.nodes[GRID].pk,
                                                  "due_on": "2099-01-01"}).status_code == 404
    assert head.get("/parties/topics/new/?event=abc").status_code == 404
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    refused = head.post("/parties/topics/new/", {"title": "活动场地不足", "node": world.nodes[GRID].pk, "due_on": past,
                                                 "source": "grid_worker"})
    assert refused.status_code == 400 and "过去" in refused.content.decode()
    for due in ("2030-02-30", "soon", ""):
        assert head.post("/parties/topics/new/", {"title": "x", "node": world.nodes[GRID].pk, "due_on": due,
                                                  "source": "grid_worker"}).status_code == 400
    assert head.post("/parties/topics/new/", {"title": "x" * 101, "node": world.nodes[GRID].pk,
                                              "due_on": "2099-01-01", "source": "grid_worker"}).status_code == 400
    outside = head.post("/parties/topics/new/", {"title": "x", "node": world.nodes["A/S1/C2/G1"].pk,
                                                 "due_on": "2099-01-01", "source": "grid_worker"})
    assert outside.status_code == 400
    assert not Topic.objects.exists()
    assert client_for(f"{GRID}:grid_worker").get("/parties/topics/new/").status_code == 404  # no place to keep


def _topic(world, committee=True):
    grid = world.node(GRID)
    board = services.set_up_committee(grid=grid, name="网格1共治委员会") if committee else None
    if board is not None:
        owner = registry.resident(grid, name="业主代表李", id_number=registry.make_id(seq=7), phone="")
        services.seat_member(committee=board, seat="owner", resident=owner, term_start=dt.date(2024, 1, 1))
    return services.raise_topic(actor=world.user(HEAD), node=grid, title="活动场地不足", source="grid_worker",
                                due_on=timezone.localdate() + dt.timedelta(days=30), committee=board)


def test_every_step_from_the_topic_page_works_and_logs(world, client_for):
    install_event_catalogue(world.tenants["A"])
    topic = _topic(world)
    head, url = client_for(HEAD), f"/parties/topics/{topic.pk}/"
    owner = Resident.objects.get(name="业主代表李")
    page = head.get(url).content.decode()
    assert 'data-testid="step-accept"' in page and 'data-testid="step-withdraw"' in page
    assert 'data-testid="step-resolve"' not in page

    def post(path, data=None):
        response = head.post(url + path, data or {})
        assert response.status_code == 302, response.content.decode()[:2000]
        return Topic.objects.get(pk=topic.pk)

    assert post("step/accept/", {"note": "受理"}).status == "accepted"
    starts = timezone.localtime() + dt.timedelta(days=2)
    assert post("step/schedule/", {"starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "place": "议事厅",
                                   "agenda": "架空层改造"}).status == "scheduled"
    me = world.user(HEAD)
    assert post("step/discuss/", {"minutes": "与会人员一致同意改造架空层", "resident": [owner.pk], "user": [me.pk],
                                  "motion": ["改造架空层为活动室"], "in_favour": ["9"], "against": ["1"],
                                  "abstaining": ["0"]}).status == "discussed"
    meeting = Meeting.objects.get(topic=topic)
    assert meeting.held and meeting.minutes.startswith("与会人员")
    assert {(a.resident_id, a.user_id) for a in meeting.attendees.all()} == {(owner.pk, None), (None, me.pk)}
    assert meeting.attendees.get(resident=owner).seat is not None
    assert [(v.motion, v.in_favour, v.against) for v in meeting.votes.all()] == [("改造架空层为活动室", 9, 1)]
    today = timezone.localdate().isoformat()
    resolved = post("step/resolve/", {"resolution": "改造架空层为活动室", "on_date": today})
    assert (resolved.status, resolved.resolution) == ("resolved", "改造架空层为活动室")
    post("act/follow_up/", {"title": "清理架空层杂物", "grid": world.nodes[GRID].pk})
    task = FollowUp.objects.get(topic=topic)
    category = Category.objects.filter(tenant=world.tenants["A"], parent__isnull=False).first()
    post("act/file_event/", {"follow_up": task.pk, "category": category.pk})
    task.refresh_from_db()
    event = Event.objects.get(pk=task.event_id)
    assert event.grid_id == world.nodes[GRID].pk and "活动场地不足" in event.description
    post("act/finish_follow_up/", {"follow_up": task.pk, "on_date": today})
    post("act/notice/", {"title": "关于架空层改造的公示", "body": "经议事会表决……", "period_days": "7"})
    notice = Notice.objects.get(topic=topic)
    assert notice.published_at is None
    post("act/publish/", {"notice": notice.pk})
    notice.refresh_from_db()
    assert notice.published_at is not None and notice.ends_on is not None
    assert post("step/implement/").status == "implemented"
    assert post("step/close/", {"on_date": today}).status == "closed"
    logs = list(TopicLog.objects.filter(topic=topic).order_by("id").values_list("action", "to_status"))
    assert logs == [("raise", "raised"), ("accept", "accepted"), ("schedule", "scheduled"), ("discuss", "discussed"),
                    ("resolve", "resolved"), ("implement", "implemented"), ("close", "closed")]
    page = head.get(url).content.decode()
    assert 'data-testid="steps"' not in page and "关于架空层改造的公示" in page and event.reference in page
    listed = head.get("/parties/topics/?status=closed").content.decode()
    assert f'data-id="{topic.pk}"' in listed
    assert f'data-id="{topic.pk}"' not in head.get("/parties/topics/?status=raised").content.decode()


@pytest.mark.parametrize("step", ["resolve", "implement", "close", "discuss", "schedule"])
def test_a_step_the_table_refuses_says_so_and_changes_nothing(world, client_for, step):
    topic = _topic(world, committee=False)
    before = _state(topic)
    today = timezone.localdate().isoformat()
    data = {"resolution": "决议", "on_date": today, "minutes": "纪要", "place": "议事厅",
            "starts_at": (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}
    response = client_for(HEAD).post(f"/parties/topics/{topic.pk}/step/{step}/", data)
    assert response.status_code in (400, 409)
    assert 'data-testid="error"' in response.content.decode()
    assert _state(topic) == before


def test_bad_input_and_acts_out_of_turn_change_nothing(world, client_for):
    topic = _topic(world, committee=False)
    head, url = client_for(HEAD), f"/parties/topics/{topic.pk}/"
    services.accept_topic(actor=world.user(HEAD), topic=topic)
    before = _state(topic)
    for when in ("not a time", "2030-02-30T09:00", "2030-01-01T25:00"):
        assert head.post(url + "step/schedule/", {"starts_at": when, "place": "议事厅"}).status_code == 400
    assert head.post(url + "step/schedule/", {"starts_at": "2030-01-01T09:00", "place": ""}).status_code == 400
    assert head.post(url + "step/withdraw/", {"note": ""}).status_code == 400
    assert _state(topic) == before
    services.schedule_meeting(actor=world.user(HEAD), topic=topic, place="议事厅",
                              starts_at=timezone.now() + dt.timedelta(days=1))
    before = _state(topic)
    for counts in (("99999", "0"), ("-1", "0"), ("x", "0")):
        refused = head.post(url + "step/discuss/", {"minutes": "纪要", "motion": ["动议"], "in_favour": [counts[0]],
                                                    "against": [counts[1]], "abstaining": ["0"]})
        assert refused.status_code == 400 and 'data-testid="error"' in refused.content.decode()
    assert head.post(url + "step/discuss/", {"minutes": "纪要", "user": ["999999"]}).status_code == 400
    assert head.post(url + "step/nonsense/").status_code == 404
    assert head.post(url + "act/nonsense/").status_code == 404
    assert head.post(url + "act/follow_up/", {"title": "x"}).status_code == 400  # not resolved yet
    assert head.post(url + "act/notice/", {"title": "x", "body": "y"}).status_code == 400
    assert head.post(url + "act/publish/", {"notice": "abc"}).status_code == 400
    assert head.get(url + "step/accept/").status_code == 405
    assert _state(topic) == before and not FollowUp.objects.exists() and not Notice.objects.exists()
    assert not Meeting.objects.filter(held=True).exists()
    assert head.post(url + "step/withdraw/", {"note": "居民撤回"}).status_code == 302
    assert Topic.objects.get(pk=topic.pk).status == "withdrawn"


def test_a_sibling_officer_and_a_grid_worker_get_404(world, client_for):
    topic = _topic(world, committee=False)
    for who in ("A/S1/C2:grid_head", "B/S1/C1:grid_head"):
        client = client_for(who)
        assert client.get(f"/parties/topics/{topic.pk}/").status_code == 404
        assert client.post(f"/parties/topics/{topic.pk}/step/accept/").status_code == 404
    before = _state(topic)
    worker = client_for(f"{GRID}:grid_worker")  # sees the grid, keeps no party building: no topic page
    assert worker.get(f"/parties/topics/{topic.pk}/").status_code == 404
    assert worker.post(f"/parties/topics/{topic.pk}/step/accept/").status_code == 404
    assert _state(topic) == before
    street = client_for("A/S1:grid_head")  # the street's officer keeps its communities' topics
    assert street.get(f"/parties/topics/{topic.pk}/").status_code == 200
