"""The parties API for every part: each step of a topic as a named action through the services the pages use, a
resident's topic, check-in, summary and photos of an activity, and the read-only parts. Ids in a path or a body
are read through the caller's scope first: from elsewhere they answer 404 exactly like a missing id."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.models import Category, Event
from parties import services
from parties.models import ActivityPhoto, FollowUp, Notice, Topic
from registry import services as registry_services
from tests.parties.centres import centre
from tests.registry import factories as registry

GRID = "A/S1/C1/G1"
HEAD = "A/S1/C1:grid_head"
TZ = dt.timezone(dt.timedelta(hours=8))
API = "/api/v1/parties"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post(client, url, data=None, lang="zh-hans"):
    return client.post(url, data or {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)


def _board(world):
    board = services.set_up_committee(grid=world.node(GRID), name="网格1共治委员会")
    owner = registry.resident(world.node(GRID), name="业主代表李", id_number=registry.make_id(seq=7),
                              phone="13905518231")
    services.seat_member(committee=board, seat="owner", resident=owner, term_start=dt.date(2024, 1, 1))
    return board, owner


def test_a_resident_s_topic_carried_through_every_step_by_the_api(world, client_for):
    board, owner = _board(world)
    head = client_for(HEAD)
    raiser = registry.resident(world.node(GRID), name="居民王", id_number=registry.make_id(seq=8),
                               phone="13905518232")
    raised = post(head, f"{API}/topics/", {"node": world.node(GRID).pk, "title": "楼道照明", "source": "resident",
                                           "resident": raiser.pk, "due_on": "2030-01-01"})
    assert raised.status_code == 201, raised.content
    body = raised.json()
    assert body["raised_by_name"] == "居民王" and body["committee"] == board.pk
    assert "13905518232" not in raised.content.decode() and raiser.id_number_masked not in raised.content.decode()
    url = f"{API}/topics/{body['id']}"

    assert post(head, f"{url}/resolve/", {"resolution": "x", "on_date": "2029-01-01"}).status_code == 409
    assert post(head, f"{url}/record-meeting/", {"minutes": "x"}).status_code == 409  # no meeting called
    assert post(head, f"{url}/accept/").json()["status"] == "accepted"
    scheduled = post(head, f"{url}/schedule/", {"starts_at": "2029-01-01T19:00:00+08:00", "place": "议事厅",
                                               "agenda": "照明"})
    assert scheduled.status_code == 201 and scheduled.json()["held"] is False
    me = world.user(HEAD)
    recorded = post(head, f"{url}/record-meeting/", {
        "minutes": "一致同意更换灯具", "residents": [owner.pk], "users": [me.pk],
        "votes": [{"motion": "更换灯具", "in_favour": 7, "against": 1, "abstaining": 0}],
    })
    assert recorded.status_code == 200, recorded.content
    meeting = recorded.json()
    assert meeting["held"] and {a["name"] for a in meeting["attendees"]} == {"业主代表李", str(me)}
    assert meeting["votes"][0]["carried"] is True
    assert post(head, f"{url}/resolve/", {"resolution": "更换灯具", "on_date": "2029-01-02"}).json()["status"] == \
        "resolved"
    task = post(head, f"{url}/follow-ups/", {"title": "采购灯具", "due_on": "2029-02-01"})
    assert task.status_code == 201 and task.json()["node"] == world.node(GRID).pk
    task_id = task.json()["id"]
    category = Category.objects.filter(tenant=world.tenants["A"], parent__isnull=False, is_active=True).first()
    filed = post(head, f"{url}/file-event/", {"follow_up": task_id, "category": category.pk})
    assert filed.status_code == 200 and Event.objects.filter(pk=filed.json()["event"]).exists()
    assert post(head, f"{url}/file-event/", {"follow_up": task_id, "category": category.pk}).status_code == 400
    assert post(head, f"{url}/implement/").status_code == 400  # a task is open
    assert post(head, f"{url}/finish-follow-up/", {"follow_up": task_id, "on_date": "2029-02-01"}).json()[
        "done_on"] == "2029-02-01"
    assert post(head, f"{url}/implement/").json()["status"] == "implemented"
    draft = post(head, f"{url}/notices/", {"title": "照明公示", "body": "已更换", "period_days": 5})
    assert draft.status_code == 201 and draft.json()["published_at"] is None
    assert head.get(f"{API}/notices/{draft.json()['id']}/").status_code == 404  # a draft is never served
    published = post(head, f"{url}/publish-notice/", {"notice": draft.json()["id"]})
    assert published.status_code == 200 and published.json()["published_at"]
    assert post(head, f"{url}/close/", {"on_date": "2029-03-01"}).json()["status"] == "closed"
    assert post(head, f"{url}/withdraw/", {"note": "晚了"}).status_code == 409
    assert list(Topic.objects.get(pk=body["id"]).logs.values_list("action", flat=True)) == [
        "raise", "accept", "schedule", "discuss", "resolve", "implement", "close"]


def test_ids_from_elsewhere_answer_like_missing_ones_before_anything_else(world, client_for):
    board, owner = _board(world)
    head = client_for(HEAD)
    foreign = registry.resident(world.node("B/S1/C1/G1"), name="乙区居民", id_number=registry.make_id(seq=9),
                                phone="")
    sibling = registry.resident(world.node("A/S1/C2/G1"), name="邻区居民", id_number=registry.make_id(seq=10),
                                phone="")
    raise_ = {"node": world.node(GRID).pk, "title": "", "source": "nonsense", "due_on": "bad"}
    for other in (foreign.pk, sibling.pk, 99999999, 2**70):
        answer = post(head, f"{API}/topics/", {**raise_, "resident": other})
        assert answer.status_code == 404, (other, answer.content)  # before the bad title, source and date
    for node in (world.node("B/S1/C1/G1").pk, world.node("A/S1/C2/G1").pk, 99999999):
        assert post(head, f"{API}/topics/", {**raise_, "node": node}).status_code == 404
    assert post(head, f"{API}/topics/", {**raise_, "resident": "abc"}).status_code == 400
    assert Topic.objects.count() == 0

    topic = services.raise_topic(actor=None, node=world.node(GRID), title="议题", source="grid_worker",
                                 due_on=dt.date(2030, 1, 1), committee=board)
    services.accept_topic(actor=None, topic=topic)
    services.schedule_meeting(actor=None, topic=topic, starts_at=dt.datetime(2029, 1, 1, tzinfo=TZ), place="厅")
    url = f"{API}/topics/{topic.pk}"
    for attendee in (foreign.pk, 99999999):
        assert post(head, f"{url}/record-meeting/", {"minutes": "", "residents": [attendee]}).status_code == 404
    listed = post(head, f"{url}/record-meeting/", {"minutes": "同意", "residents": [sibling.pk]})
    assert listed.status_code == 404  # out of the head's sight: not even "not on the list"
    local = registry.resident(world.node(GRID), name="非委员", id_number=registry.make_id(seq=11), phone="")
    not_seated = post(head, f"{url}/record-meeting/", {"minutes": "同意", "residents": [local.pk]})
    assert not_seated.status_code == 400 and "attendees" in not_seated.json()
    other_topic = services.raise_topic(actor=None, node=world.node("A/S1/C1/G2"), title="别的", source="grid_worker",
                                       due_on=dt.date(2030, 1, 1))
    assert post(head, f"{url}/publish-notice/", {"notice": 99999999}).status_code == 404
    assert post(head, f"{url}/finish-follow-up/", {"follow_up": 99999999, "on_date": "x"}).status_code == 404
    b_topic = services.raise_topic(actor=None, node=world.node("B/S1/C1/G1"), title="乙", source="grid_worker",
                                   due_on=dt.date(2030, 1, 1))
    assert post(head, f"{API}/topics/{b_topic.pk}/schedule/", {}).status_code == 404
    assert post(head, f"{API}/topics/{other_topic.pk}/withdraw/", {"note": "x"}).status_code == 200


def test_bad_input_is_a_400_in_the_user_s_language_and_changes_nothing(world, client_for):
    head = client_for(HEAD)
    topic = services.raise_topic(actor=None, node=world.node(GRID), title="议题", source="grid_worker",
                                 due_on=dt.date(2030, 1, 1))
    services.accept_topic(actor=None, topic=topic)
    url = f"{API}/topics/{topic.pk}/schedule/"
    zh = post(head, url, {"starts_at": "not a time", "place": ""})
    en = post(head, url, {"starts_at": "not a time", "place": ""}, lang="en")
    assert zh.status_code == en.status_code == 400
    assert set(zh.json()) >= {"starts_at", "place"}
    assert zh.json()["place"] != en.json()["place"]
    assert "may not be blank" in en.json()["place"][0]
    wrong = post(head, f"{API}/topics/", {"node": world.node(GRID).pk, "title": "t", "source": "nonsense",
                                          "due_on": "2030-01-01"}, lang="en")
    assert wrong.status_code == 400 and wrong.json()["source"] == ["Choose one of the offered values."]
    past = post(head, f"{API}/topics/", {"node": world.node(GRID).pk, "title": "t", "source": "grid_worker",
                                         "due_on": "2000-01-01"})
    assert past.status_code == 400 and "due_on" in past.json()
    assert post(head, f"{API}/topics/", [1, 2]).status_code == 400  # not an object: never a 500
    assert Topic.objects.get(pk=topic.pk).status == "accepted" and Topic.objects.count() == 1
    worker = client_for(f"{GRID}:grid_worker")
    assert post(worker, f"{API}/topics/{topic.pk}/schedule/", {"starts_at": "2029-01-01T09:00:00+08:00",
                                                               "place": "厅"}).status_code == 403


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 52.0, 0.0)}  # GPSInfo
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_check_in_summary_and_photos_of_an_activity(world, client_for, settings):
    start = dt.datetime.now(tz=TZ) + dt.timedelta(minutes=30)  # check-in opens an hour before
    activity = services.plan_activity(centre=centre(world), section="culture", title="太极", starts_at=start,
                                      ends_at=start + dt.timedelta(hours=2), place="活动室", capacity=5,
                                      organiser=world.user(f"{GRID}:grid_worker"))
    person = registry.resident(world.node(GRID), name="居民甲", id_number=registry.make_id(seq=1), phone="")
    row = services.sign_up(activity=activity, resident=person)
    head, organiser = client_for(HEAD), client_for(f"{GRID}:grid_worker")
    url = f"{API}/activities/{activity.pk}"
    assert post(head, f"{url}/check-in/", {"sign_up": 99999999}).status_code == 404
    checked = post(organiser, f"{url}/check-in/", {"sign_up": row.pk})
    assert checked.status_code == 200 and checked.json()["checked_in_at"] and checked.json()["name"] == "居民甲"
    assert post(head, f"{url}/check-in/", {"sign_up": row.pk}).status_code == 409
    early_photo = head.post(f"{url}/photos/", {"photos": [SimpleUploadedFile("a.jpg", _jpeg_with_gps())]})
    assert early_photo.status_code == 409  # photos once it has started
    activity.starts_at = dt.datetime.now(tz=TZ) - dt.timedelta(minutes=10)
    activity.save(update_fields=["starts_at"])
    early = post(head, f"{url}/summary/", {"summary": "圆满"}, lang="en")
    assert early.status_code == 400 and "once it has ended" in early.json()["summary"][0]
    photos = [SimpleUploadedFile("a.jpg", _jpeg_with_gps(), content_type="image/jpeg") for _ in range(2)]
    refused = head.post(f"{url}/photos/", {"photos": [SimpleUploadedFile("x.jpg", b"nope")]})
    assert refused.status_code == 400 and ActivityPhoto.objects.count() == 0
    added = head.post(f"{url}/photos/", {"photos": photos})
    assert added.status_code == 201, added.content
    stored = ActivityPhoto.objects.get(pk=added.json()[0]["id"])
    with Image.open(stored.image.open("rb")) as image:
        assert image.format == "JPEG" and not image.getexif()  # re-encoded by events.images: no EXIF, no GPS
    assert head.get(added.json()[0]["image"]).status_code == 200
    assert client_for("B/S1/C1:grid_head").get(f"/parties/activity-photos/{stored.pk}/").status_code == 404
    assert client_for("A/S1/C2:grid_head").get(f"/parties/activity-photos/{stored.pk}/").status_code == 404
    activity.starts_at = activity.starts_at - dt.timedelta(days=1)
    activity.ends_at = activity.starts_at + dt.timedelta(hours=1)
    activity.save(update_fields=["starts_at", "ends_at"])
    done = post(organiser, f"{url}/summary/", {"summary": "二十人参加，圆满结束"})
    assert done.status_code == 200 and done.json()["summary"] == "二十人参加，圆满结束"
    stranger = client_for("A/S1/C1/G2:grid_worker")  # sees the community's activity, keeps nothing there
    assert post(stranger, f"{url}/summary/", {"summary": "x"}).status_code in (403, 404)


def test_the_read_only_parts_show_names_only(world, client_for):
    board, owner = _board(world)
    team = services.form_team(node=world.node("A/S1/C1"), name="小巷管家", kind="stewards", brand="zuolin",
                              leader=None)
    services.join_team(team=team, residents=[owner], on_date=dt.date(2025, 3, 1))
    shop = registry_services.save_organisation(actor=None, node=world.node(GRID), name="百货超市", kind="enterprise")
    services.enlist_partner(node=world.node("A/S1/C1"), organisation=shop, since=dt.date(2025, 1, 1),
                            offers=[("rewards", "积分兑换")])
    centre(world)
    org = services.create_org(parent=services.create_org(
        parent=services.create_org(parent=services.create_root(tenant=world.tenants["A"], name="区委"),
                                   subkind="working_committee", name="党工委", node=world.node("A/S1")),
        subkind="party_committee", name="社区党委", node=world.node("A/S1/C1")), subkind="grid_branch", name="支部")
    member = services.admit_member(org=org, resident=owner, joined_on=dt.date(2001, 7, 1))
    registry_services.form_household(actor=None, house=registry.house(world.node(GRID)), head=owner,
                                     on_date=dt.date(2020, 1, 1))
    central = services.name_central_household(member=member, since=dt.date(2024, 1, 1))
    neighbour = registry.resident(world.node(GRID), name="邻居", id_number=registry.make_id(seq=12),
                                  phone="13905518299")
    looked = registry_services.form_household(actor=None, house=registry.house(world.node(GRID), number="102"),
                                              head=neighbour, on_date=dt.date(2020, 1, 1))
    services.look_after(central=central, household=looked, since=dt.date(2024, 1, 1))
    head = client_for(HEAD)
    answers = {part: head.get(f"{API}/{part}/") for part in
               ("committees", "teams", "partners", "centres", "central-households")}
    assert all(a.status_code == 200 for a in answers.values())
    text = "".join(a.content.decode() for a in answers.values())
    for secret in ("13905518231", "13905518299", owner.id_number_masked, neighbour.id_number_masked):
        assert secret not in text
    assert answers["committees"].json()["results"][0]["seats"][0]["name"] == "业主代表李"
    assert answers["teams"].json()["results"][0]["members"][0]["name"] == "业主代表李"
    assert answers["partners"].json()["results"][0]["offers"][0]["description"] == "积分兑换"
    assert {s["section"] for s in answers["centres"].json()["results"][0]["sections"]} == {
        "party", "culture", "convenience"}
    row = answers["central-households"].json()["results"][0]
    assert row["member_name"] == "业主代表李" and row["links"][0]["household"] == looked.pk
    other = client_for("A/S1/C2:grid_head")
    assert other.get(f"{API}/central-households/").json()["results"] == []
    assert other.get(f"{API}/committees/{board.pk}/").status_code == 404


def test_the_page_records_a_topic_raised_by_a_resident_of_her_scope(world, client_for):
    head = client_for(HEAD)
    mine = registry.resident(world.node(GRID), name="居民赵四", id_number=registry.make_id(seq=21),
                             phone="13905518277")
    other = registry.resident(world.node("A/S1/C2/G1"), name="居民赵五", id_number=registry.make_id(seq=22), phone="")
    found = head.get("/parties/topics/new/", {"q": "赵"})
    page = found.content.decode()
    assert found.status_code == 200 and "居民赵四" in page and "居民赵五" not in page
    assert "13905518277" not in page and mine.id_number_masked not in page
    data = {"title": "停车难", "node": world.node(GRID).pk, "source": "resident", "due_on": "2030-01-01",
            "resident": mine.pk}
    assert head.post("/parties/topics/new/", {**data, "resident": other.pk}).status_code == 404
    assert head.post("/parties/topics/new/", {**data, "resident": 99999999}).status_code == 404
    missing = head.post("/parties/topics/new/", {**data, "resident": ""})
    assert missing.status_code == 400 and Topic.objects.count() == 0
    made = head.post("/parties/topics/new/", data)
    assert made.status_code == 302
    topic = Topic.objects.get()
    assert topic.raised_by_resident == mine and topic.source == "resident"
    shown = head.get(f"/parties/topics/{topic.pk}/").content.decode()
    assert "居民赵四" in shown and "13905518277" not in shown


def test_the_activity_page_takes_photos_and_the_summary_from_its_keeper(world, client_for):
    start = dt.datetime.now(tz=TZ) - dt.timedelta(hours=3)
    activity = services.plan_activity(centre=centre(world), section="culture", title="书法", starts_at=start,
                                      ends_at=start + dt.timedelta(hours=2), place="活动室", capacity=5,
                                      organiser=world.user(f"{GRID}:grid_worker"))
    organiser = client_for(f"{GRID}:grid_worker")
    page = organiser.get(f"/parties/activities/{activity.pk}/").content.decode()
    assert 'data-testid="after-activity"' in page and 'data-testid="do-summary"' in page
    photo = SimpleUploadedFile("a.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    assert organiser.post(f"/parties/activities/{activity.pk}/photos/", {"photos": [photo]}).status_code == 302
    assert organiser.post(f"/parties/activities/{activity.pk}/summary/", {"summary": ""}).status_code == 400
    assert organiser.post(f"/parties/activities/{activity.pk}/summary/", {"summary": "很好"}).status_code == 302
    page = client_for(HEAD).get(f"/parties/activities/{activity.pk}/").content.decode()
    assert 'data-testid="photo"' in page and "很好" in page
    other = client_for("A/S1/C1/G2:grid_worker")
    assert other.post(f"/parties/activities/{activity.pk}/summary/", {"summary": "x"}).status_code == 404
    assert FollowUp.objects.count() == 0 and Notice.objects.count() == 0
