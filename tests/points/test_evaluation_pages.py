"""文明户评选 pages: an officer who keeps the community's ledger creates the evaluation with its items, opens and records
inspections, scores, publishes the notice, records an objection, reopens and makes the list final — each a POST
through the services; an illegal step shows a clear zh-hans error and changes nothing."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from parties import services as parties
from points.models import Evaluation, EvaluationLog, Inspection, Objection

from .factories import household, staff

pytestmark = pytest.mark.django_db
HEAD = "A/S1/C1:grid_head"
WORKER = "A/S1/C1/G1:grid_worker"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _state(pk):
    return (Evaluation.objects.filter(pk=pk).values("status", "notice_ends_on").get(),
            EvaluationLog.objects.filter(evaluation_id=pk).count(), Inspection.objects.count(), Objection.objects.count())


def test_an_officer_carries_the_evaluation_through_its_pages(world, client_for):
    client = client_for(HEAD)
    home = household(world, number="101", head_name="王")
    elsewhere = household(world, grid_path="A/S1/C2/G1", number="201", head_name="赵")
    committee = parties.set_up_committee(grid=world.node("A/S1/C1/G1"), name="宝文国际花园共治委员会")
    new = reverse("points:evaluation_new")
    assert "evaluation-form" in client.get(new, **ZH).content.decode()
    form = {"community": world.node("A/S1/C1").pk, "committee": committee.pk, "year": 2025, "title": "2025年度文明户评选",
            "items": "垃圾分类 5\n毁绿种菜 -10", "participation_per": 10, "nominees": 3, "notice_days": 7}
    bad = client.post(new, {**form, "items": "垃圾分类 五"}, **ZH)
    assert bad.status_code == 400 and "整数" in bad.content.decode()
    zero = client.post(new, {**form, "items": "垃圾分类 0"}, **ZH)
    assert zero.status_code == 400 and 'role="alert"' in zero.content.decode()
    assert client.post(new, {**form, "community": world.node("A/S1/C2").pk}, **ZH).status_code == 400  # not a choice
    assert not Evaluation.objects.exists()
    made = client.post(new, form, **ZH)
    evaluation = Evaluation.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("points:evaluation", args=[evaluation.pk])
    assert [(i.name, i.points) for i in evaluation.items.all()] == [("垃圾分类", 5), ("毁绿种菜", -10)]
    again = client.post(new, form, **ZH)
    assert again.status_code == 409 and "已有" in again.content.decode()

    def step(name, **data):
        return client.post(reverse("points:evaluation_step", args=[evaluation.pk, name]), data, **ZH)

    before = _state(evaluation.pk)
    refused = step("publish")
    assert refused.status_code == 409 and 'id="evaluation-error"' in refused.content.decode()
    assert "草稿" in refused.content.decode() and _state(evaluation.pk) == before
    assert step("nonsense").status_code == 404
    assert step("open").status_code == 302
    page = client.get(reverse("points:evaluation", args=[evaluation.pk]), **ZH).content.decode()
    assert 'id="inspection-form"' in page
    households = re.search(r'<select name="household".*?</select>', page, re.S).group(0)  # not the items' select
    assert f'value="{home.pk}"' in households and f'value="{elsewhere.pk}"' not in households
    item = evaluation.items.get(name="垃圾分类")
    inspect = reverse("points:evaluation_inspect", args=[evaluation.pk])
    for wrong in ({"household": home.pk, "item": item.pk, "on_date": "2026-02-01"},
                  {"household": elsewhere.pk, "item": item.pk, "on_date": "2025-05-01"},
                  {"household": home.pk, "item": 99999999, "on_date": "2025-05-01"},
                  {"household": home.pk, "item": item.pk, "on_date": "not a date"}):
        answer = client.post(inspect, wrong, **ZH)
        assert answer.status_code == 400 and 'id="evaluation-error"' in answer.content.decode(), wrong
    assert not Inspection.objects.exists()
    assert client.post(inspect, {"household": home.pk, "item": item.pk, "on_date": "2025-05-01"}).status_code == 302
    assert step("score").status_code == 302
    assert step("publish").status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == "noticed" and evaluation.notice_ends_on == timezone.localdate() + dt.timedelta(days=7)
    before = _state(evaluation.pk)
    early = step("finalise")
    assert early.status_code == 409 and "异议期" in early.content.decode() and _state(evaluation.pk) == before
    objection = reverse("points:evaluation_objection", args=[evaluation.pk])
    assert client.post(objection, {"text": ""}, **ZH).status_code == 400
    assert client.post(objection, {"text": "楼道堆物", "household": elsewhere.pk}, **ZH).status_code == 400
    assert client.post(objection, {"text": "楼道堆物", "household": home.pk}, **ZH).status_code == 302
    assert step("reopen", note="").status_code == 400 and _state(evaluation.pk)[0]["status"] == "noticed"
    assert step("reopen", note="异议成立，复查").status_code == 302
    assert step("score").status_code == 302 and step("publish").status_code == 302
    Evaluation.objects.filter(pk=evaluation.pk).update(notice_ends_on=timezone.localdate() - dt.timedelta(days=1))
    assert step("finalise").status_code == 302
    page = client.get(reverse("points:evaluation", args=[evaluation.pk]), **ZH).content.decode()
    certificate = reverse("points:certificate", args=[evaluation.pk, home.pk])
    assert certificate in page and client.get(certificate).status_code == 200
    # Households are named by building and room, which repeat from grid to grid: the row says the grid too.
    row = page.split(f'id="score-{home.pk}"', 1)[1].split("</tr>", 1)[0]
    assert home.grid.name in row
    assert Objection.objects.count() == 1


def test_a_reader_without_the_ledger_sees_no_forms_and_takes_no_step(world, client_for):
    from points.services import evaluation as ev

    evaluation = ev.create_evaluation(actor=None, community=world.node("A/S1/C1"), year=2025, title="评选",
                                      items=[("垃圾分类", 5)])
    worker = client_for(WORKER)
    worker.force_login(staff(world, "property", path="A/S1/C1"))  # reads the community, keeps no ledger
    page = worker.get(reverse("points:evaluation", args=[evaluation.pk]), **ZH)
    assert page.status_code == 200 and 'id="evaluation-steps"' not in page.content.decode()
    assert 'id="evaluation-steps"' in client_for(HEAD).get(reverse("points:evaluation", args=[evaluation.pk])).content.decode()
    assert "evaluation-form" not in worker.get(reverse("points:evaluation_new"), **ZH).content.decode()
    assert worker.post(reverse("points:evaluation_step", args=[evaluation.pk, "open"]), **ZH).status_code == 404
    assert Evaluation.objects.get().status == "draft"
    assert worker.post(reverse("points:evaluation_new"), {
        "community": world.node("A/S1/C1").pk, "year": 2025, "title": "x", "items": "a 1", "participation_per": 10,
        "nominees": 1, "notice_days": 7}, **ZH).status_code == 400
    assert Evaluation.objects.count() == 1
