"""The passbook API's write steps: registering, rewards, the redemption workflow (approve, hand over, cancel, the QR
token), the two-way exchange and the civilised-household evaluation's named actions. Bad input is a 400/409 in the
user's language that changes nothing; an id out of reach is a 404; a retried key pays once."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from parties import services as parties
from points.integrity import differences
from points.models import (
    Evaluation,
    EvaluationLog,
    Inspection,
    Movement,
    Objection,
    Redemption,
    Reward,
    ServiceRecord,
    ServiceRequest,
)
from points.services import ledger, spending

from .factories import grant, household, passbook, person, reward, service_type, staff

pytestmark = pytest.mark.django_db
WORKER = "A/S1/C1/G1:grid_worker"
HEAD = "A/S1/C1:grid_head"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json", **ZH)


def put(client, url, data):
    return client.put(url, data, content_type="application/json", **ZH)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_a_registrar_registers_through_the_api_and_both_approvals_credit(world, client_for):
    kind = service_type(world, points=10)
    steward = person(world, name="张玉梅")
    elsewhere = person(world, grid_path="A/S1/C2/G1", name="赵")
    registrar = staff(world, "registrar")
    client = client_for(HEAD)
    client.force_login(registrar)
    url = reverse("points-service-record-list")
    good = {"person": steward.pk, "service_type": kind.pk, "started_at": "2025-04-01T09:00:00+08:00", "minutes": 90,
            "key": "reg-1"}
    later = (timezone.now() + dt.timedelta(days=2)).isoformat()
    for bad in ({**good, "minutes": -30}, {**good, "minutes": 1.5}, {**good, "minutes": "x"},
                {**good, "started_at": later}, {**good, "service_type": 999999}, {"person": steward.pk}):
        answer = post(client, url, bad)
        assert answer.status_code == 400, (bad, answer.content)
    assert has_chinese(post(client, url, {**good, "started_at": later}).json()["detail"])
    assert post(client, url, {**good, "person": elsewhere.pk}).status_code == 404  # out of the registrar's reach
    assert post(client, url, {**good, "person": 99999999}).status_code == 404
    # Out of reach with a bad service type too: the same 404 as an id that does not exist, not the 400 it would get
    for who in (elsewhere.pk, 99999999):
        assert post(client, url, {**good, "person": who, "service_type": 999999}).status_code == 404
    assert not ServiceRecord.objects.exists()
    made = post(client, url, good)
    assert made.status_code == 201 and made.json()["status"] == "submitted"
    record = ServiceRecord.objects.get()
    assert record.registered_by == registrar and record.minutes == 90
    approve = reverse("points-service-record-approve", args=[record.pk])
    assert post(client, approve).status_code == 404  # the registrar is no approver: not in the approvers' reach
    assert ServiceRecord.objects.get().status == "submitted"
    officer, representative = client_for(HEAD), client_for(HEAD)
    representative.force_login(staff(world, "resident_representative"))
    assert post(officer, approve).status_code == 200
    twice = post(officer, approve)
    assert twice.status_code == 409 and has_chinese(twice.json()["detail"])
    assert post(representative, approve).json()["status"] == "credited"
    assert post(representative, approve).status_code == 409
    assert Movement.objects.filter(kind="grant").count() == 1 and differences() == []


def test_a_double_submit_of_a_registration_answers_the_first_record_and_changes_nothing(world, client_for):
    kind = service_type(world, points=10)
    steward = person(world, name="张玉梅")
    client = client_for(HEAD)
    client.force_login(staff(world, "registrar"))
    url = reverse("points-service-record-list")
    good = {"person": steward.pk, "service_type": kind.pk, "started_at": "2025-04-01T09:00:00+08:00", "minutes": 90,
            "description": "清理楼道杂物", "key": "tap-1"}
    for bad in ({k: v for k, v in good.items() if k != "key"}, {**good, "key": ""}, {**good, "key": "x" * 101}):
        assert post(client, url, bad).status_code == 400, bad
    assert not ServiceRecord.objects.exists()
    first = post(client, url, good)
    assert first.status_code == 201 and first.json()["replayed"] is False and first.json()["key"] == "tap-1"
    again = post(client, url, good)
    assert again.status_code == 200 and again.json()["replayed"] is True and again.json()["id"] == first.json()["id"]
    # The same instant written another way is the same contents.
    assert post(client, url, {**good, "started_at": "2025-04-01T01:00:00Z"}).status_code == 200
    for other in ({"minutes": 60}, {"description": "别的"}, {"started_at": "2025-04-02T09:00:00+08:00"},
                  {"service_type": service_type(world, code="escort", points=5).pk},
                  {"person": person(world, name="李").pk}):
        refused = post(client, url, {**good, **other})
        assert refused.status_code == 409, other
        assert has_chinese(refused.json()["detail"])
    # Another registrar's submission with the key is not hers to replay.
    client.force_login(staff(world, "registrar", name="registrar_two"))
    assert post(client, url, good).status_code == 409
    assert ServiceRecord.objects.count() == 1
    client.force_login(ServiceRecord.objects.get().registered_by)
    assert post(client, url, {**good, "key": "tap-2"}).status_code == 201  # a new key is a new service
    assert ServiceRecord.objects.count() == 2


def test_rewards_are_listed_in_reach_and_saved_by_those_who_keep_the_ledger(world, client_for):
    book = passbook(world)
    ledger.link_holder(account=book, user=world.user(WORKER))
    other = reward(world, community="A/S1/C2", name="别处的奖品")
    head, holder = client_for(HEAD), client_for(WORKER)
    url = reverse("points-reward-list")
    good = {"community": world.node("A/S1/C1").pk, "name": "洗衣液", "price": 20, "stock": 5,
            "valid_from": "2025-01-01", "valid_until": "2099-12-31"}
    for bad in ({**good, "price": -5}, {**good, "price": 1.5}, {**good, "price": 0}, {**good, "stock": -1},
                {**good, "valid_until": "2024-01-01"}, {**good, "name": ""}):
        assert post(head, url, bad).status_code == 400, bad
    assert post(head, url, {**good, "community": world.node("A/S1/C2").pk}).status_code == 404
    assert post(head, url, {**good, "community": world.node("B/S1/C1").pk}).status_code == 404
    assert post(holder, url, good).status_code == 404  # a holder sees rewards but offers none
    assert Reward.objects.count() == 1
    made = post(head, url, good)
    assert made.status_code == 201
    pk = made.json()["id"]
    changed = put(head, reverse("points-reward-detail", args=[pk]), {**good, "stock": 8, "price": 25})
    assert changed.status_code == 200 and (changed.json()["stock"], changed.json()["price"]) == (8, 25)
    assert put(head, reverse("points-reward-detail", args=[pk]), {**good, "stock": -8}).status_code == 400
    assert Reward.objects.get(pk=pk).stock == 8
    listed = {row["id"] for row in holder.get(url).json()["results"]}
    assert pk in listed and other.pk not in listed
    assert holder.get(reverse("points-reward-detail", args=[other.pk])).status_code == 404


def test_the_redemption_workflow_through_the_api(world, client_for):
    book = passbook(world)
    grant(world, book, 100, "seed")
    ledger.link_holder(account=book, user=world.user(WORKER))
    item = reward(world, price=30, stock=2, requires_approval=True)
    holder, desk = client_for(WORKER), client_for(HEAD)
    first = spending.redeem(actor=None, account=book, reward=item, key="a")
    second = spending.redeem(actor=None, account=book, reward=item, key="b")
    fulfil = reverse("points-redemption-fulfil", args=[first.pk])
    early = post(desk, fulfil)
    assert early.status_code == 409 and has_chinese(early.json()["detail"])  # waits for its approval
    assert post(holder, reverse("points-redemption-approve", args=[first.pk])).status_code == 403
    assert post(desk, reverse("points-redemption-approve", args=[first.pk])).json()["status"] == "approved"
    assert post(desk, reverse("points-redemption-approve", args=[first.pk])).status_code == 409  # twice
    assert post(desk, fulfil).json()["status"] == "fulfilled"
    assert post(desk, fulfil).status_code == 409
    cancel = reverse("points-redemption-cancel", args=[second.pk])
    assert post(holder, cancel, {}).status_code == 400  # a reason is needed
    assert post(desk, reverse("points-redemption-cancel", args=[first.pk]), {"reason": "x"}).status_code == 409
    book.refresh_from_db()
    assert book.balance == 40
    assert post(holder, cancel, {"reason": "不需要了"}).json()["status"] == "cancelled"
    book.refresh_from_db()
    item.refresh_from_db()
    assert (book.balance, item.stock) == (70, 1)
    assert post(holder, cancel, {"reason": "again"}).status_code == 409
    book.refresh_from_db()
    assert book.balance == 70 and differences() == []


def test_the_counter_confirms_by_the_qr_token(world, client_for):
    book = passbook(world)
    grant(world, book, 50, "seed")
    item = reward(world, price=20)
    redemption = spending.redeem(actor=None, account=book, reward=item, key="qr")
    token = spending.qr_token(redemption)
    desk = client_for(HEAD)
    url = reverse("points-redemption-qr", kwargs={"token": token})
    assert desk.get(url).json()["status"] == "requested"
    assert desk.get(reverse("points-redemption-qr", kwargs={"token": token[:-2] + "xx"})).status_code == 404
    assert client_for("A/S1/C2:grid_head").post(url).status_code == 404  # another community's desk
    assert desk.post(url).json()["status"] == "fulfilled"
    again = desk.post(url, **ZH)
    assert again.status_code == 409 and has_chinese(again.json()["detail"])
    assert Redemption.objects.get().fulfilled_by == world.user(HEAD)


def test_redeeming_beyond_the_balance_or_the_stock_changes_nothing(world, client_for):
    book = passbook(world)
    grant(world, book, 30, "seed")
    ledger.link_holder(account=book, user=world.user(WORKER))
    dear, scarce = reward(world, name="大米", price=50, stock=9), reward(world, name="挂面", price=5, stock=1)
    client = client_for(WORKER)
    url = reverse("points-account-redeem", args=[book.pk])
    poor = post(client, url, {"reward": dear.pk, "key": "d"})
    assert poor.status_code == 409 and "积分不足" in poor.json()["detail"]
    beyond = post(client, url, {"reward": scarce.pk, "key": "s", "quantity": 2})
    assert beyond.status_code == 409 and has_chinese(beyond.json()["detail"])
    foreign = reward(world, community="B/S1/C1", name="外区")
    assert post(client, url, {"reward": foreign.pk, "key": "f"}).status_code == 400
    book.refresh_from_db()
    assert book.balance == 30 and not Redemption.objects.exists() and differences() == []


def test_the_two_way_exchange_through_the_api(world, client_for):
    home = ledger.passbook_for_household(household=household(world))
    grant(world, home, 40, "seed")
    ledger.link_holder(account=home, user=world.user(WORKER))
    kind = service_type(world, code="escort", name="陪同就医", basis="per_occasion", points=25)
    client = client_for(WORKER)
    url = reverse("points-account-request-service", args=[home.pk])
    good = {"service_type": kind.pk, "description": "陪同老人复诊", "points": 25, "key": "req-1"}
    for bad in ({**good, "points": -5}, {**good, "points": 2.5}, {**good, "points": 0}, {**good, "key": ""},
                {**good, "description": ""}, {**good, "service_type": 999999}):
        assert post(client, url, bad).status_code == 400, bad
    over = post(client, url, {**good, "points": 41})
    assert over.status_code == 409 and has_chinese(over.json()["detail"])
    first, again = post(client, url, good), post(client, url, good)
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    assert post(client, url, {**good, "points": 10}).status_code == 409  # the same key, other contents
    home.refresh_from_db()
    assert home.balance == 15 and ServiceRequest.objects.count() == 1
    volunteer = passbook(world, name="志愿者")
    assert post(client_for(HEAD), reverse("points-account-request-service", args=[volunteer.pk]),
                {**good, "key": "v"}).status_code == 400  # a volunteer's passbook asks for nothing
    other = ledger.passbook_for_household(household=household(world, grid_path="A/S1/C2/G1", number="909"))
    assert post(client, reverse("points-account-request-service", args=[other.pk]), good).status_code == 404
    assert differences() == []


def test_the_evaluation_through_its_named_actions(world, client_for):
    head = client_for(HEAD)
    home, neighbour = household(world, number="101", head_name="王"), household(world, number="102", head_name="李")
    elsewhere = household(world, grid_path="A/S1/C2/G1", number="201", head_name="赵")
    committee = parties.set_up_committee(grid=world.node("A/S1/C1/G1"), name="宝文国际花园共治委员会")
    other_committee = parties.set_up_committee(grid=world.node("A/S1/C2/G1"), name="别处委员会")
    url = reverse("points-evaluation-list")
    good = {"community": world.node("A/S1/C1").pk, "year": 2025, "title": "2025年度文明户评选",
            "committee": committee.pk, "items": [{"name": "垃圾分类", "points": 5}, {"name": "毁绿种菜", "points": -10}],
            "nominees": 1}
    for bad in ({**good, "items": []}, {**good, "items": [{"name": "x", "points": 1.5}]},
                {**good, "items": [{"name": "x", "points": 0}]}, {**good, "year": 1900},
                {**good, "committee": other_committee.pk}, {**good, "notice_days": 0}):
        answer = post(head, url, bad)
        assert answer.status_code == 400, (bad, answer.content)
    assert post(head, url, {**good, "community": world.node("A/S1/C2").pk}).status_code == 404
    assert post(client_for(WORKER), url, good).status_code == 404  # a grid worker keeps no ledger
    assert not Evaluation.objects.exists()
    made = post(head, url, good)
    assert made.status_code == 201 and made.json()["status"] == "draft"
    pk = made.json()["id"]
    assert post(head, url, good).status_code == 409  # one a year

    def act(name, data=None):
        return post(head, reverse(f"points-evaluation-{name}", args=[pk]), data)

    early = act("score")
    assert early.status_code == 409 and has_chinese(early.json()["detail"])
    assert act("open").json()["status"] == "inspecting"
    items = {item["name"]: item["id"] for item in made.json()["items"]}
    inspect = {"household": home.pk, "item": items["垃圾分类"], "on_date": "2025-05-01"}
    assert act("inspections", {**inspect, "on_date": "2026-01-02"}).status_code == 400  # not in the year
    assert act("inspections", {**inspect, "household": elsewhere.pk}).status_code == 404
    assert act("inspections", {**inspect, "item": 99999999}).status_code == 400
    assert act("inspections", inspect).status_code == 201
    assert act("inspections", {**inspect, "household": neighbour.pk, "item": items["毁绿种菜"]}).status_code == 201
    assert Inspection.objects.count() == 2
    assert act("publish").status_code == 409  # not scored yet
    assert act("score").json()["status"] == "scored"
    ranking = head.get(reverse("points-evaluation-scores", args=[pk])).json()
    assert [(r["household"], r["total"], r["nominated"]) for r in ranking][:1] == [(home.pk, 5, True)]
    published = act("publish").json()
    assert published["status"] == "noticed"
    assert published["notice_ends_on"] == (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    steps = EvaluationLog.objects.filter(evaluation_id=pk).count()
    too_early = act("finalise")
    assert too_early.status_code == 409 and has_chinese(too_early.json()["detail"])
    assert Evaluation.objects.get(pk=pk).status == "noticed" and EvaluationLog.objects.filter(evaluation_id=pk).count() == steps
    assert act("objections", {"text": ""}).status_code == 400
    assert act("objections", {"text": "该户楼道堆物", "household": home.pk}).status_code == 201
    assert act("reopen", {"note": ""}).status_code == 400
    assert act("reopen", {"note": "异议成立，复查"}).json()["status"] == "inspecting"
    assert act("score").status_code == 200 and act("publish").status_code == 200
    Evaluation.objects.filter(pk=pk).update(notice_ends_on=timezone.localdate() - dt.timedelta(days=1))
    assert act("finalise").json()["status"] == "final"
    assert act("reopen", {"note": "x"}).status_code == 409 and Objection.objects.count() == 1
