"""The demo passbooks: a year of Langya's services through the services, the ledger whole, loaded once."""

from django.conf import settings

from grids.demo.data import TIELU_YICUN
from grids.models import GridNode
from points import demo
from points.integrity import differences
from points.models import Account, Redemption, ServiceRecord
from registry import demo as registry_demo


def test_the_demo_passbooks(world):
    settings.DEMO_PASSWORD = getattr(settings, "DEMO_PASSWORD", "") or "Demo-pass-2026!"
    for path, name in (("A/S1/C1/G1", registry_demo.LANGYA_GRIDS[0]), ("A/S1/C1/G2", registry_demo.LANGYA_GRIDS[1]),
                       ("A/S1/C1", TIELU_YICUN)):
        GridNode.objects.filter(pk=world.nodes[path].pk).update(name=name)
    tenant = world.tenants["A"]
    registry_demo.load_langya(tenant, log=lambda message: None)
    counts = demo.load_points(tenant, log=lambda message: None)
    assert counts["credited"] > 300 and counts["redemptions"] > 10
    stewards = Account.objects.filter(tenant=tenant, kind="volunteer")
    assert stewards.count() >= demo.STEWARDS + demo.VOLUNTEERS
    assert ServiceRecord.objects.filter(status="credited").exclude(officer=None).exclude(representative=None).exists()
    assert ServiceRecord.objects.filter(rule__version=2).exists()  # the spring's new patrol rule
    assert Redemption.objects.filter(status="cancelled").exclude(refund=None).exists()
    assert Account.objects.filter(holder__username="langya_steward").exists()
    assert differences() == []
    assert demo.load_points(tenant, log=lambda message: None) is None  # loaded once


def test_baowen_s_evaluation_is_loaded_with_its_notice_published(world):
    import datetime as dt

    from parties import services as parties
    from points.models import Evaluation, Inspection, Objection

    from .factories import household

    for path, name in (("A/S1/C2/G1", demo.BAOWEN_GRIDS[0]), ("A/S1/C2/G2", demo.BAOWEN_GRIDS[1])):
        GridNode.objects.filter(pk=world.nodes[path].pk).update(name=name)
    tenant = world.tenants["A"]
    assert demo.load_baowen_evaluation(tenant, log=lambda message: None) is None  # no committee yet
    parties.set_up_committee(grid=world.node("A/S1/C2/G1"), name="宝文国际花园共治委员会")
    homes = [household(world, grid_path="A/S1/C2/G1", number=f"{n}01", head_name=f"住户{n}") for n in range(1, 7)]
    counts = demo.load_baowen_evaluation(tenant, log=lambda message: None)
    evaluation = Evaluation.objects.get(tenant=tenant, year=2025)
    assert evaluation.community_id == world.nodes["A/S1/C2"].pk and evaluation.committee.name == "宝文国际花园共治委员会"
    assert evaluation.status == "noticed" and evaluation.notice_ends_on == dt.date(2026, 1, 19)
    assert sorted(i.name for i in evaluation.items.all()) == sorted(name for name, _p in demo.BAOWEN_ITEMS)
    assert counts["households"] == len(homes) and counts["inspections"] == Inspection.objects.count() > len(homes)
    ranked = list(evaluation.scores.order_by("rank", "household_id"))
    assert {s.household_id for s in ranked} == {h.pk for h in homes}
    assert [s.total for s in ranked] == sorted((s.total for s in ranked), reverse=True)
    assert evaluation.scores.filter(nominated=True).count() == counts["nominated"] == 3
    assert Objection.objects.filter(evaluation=evaluation).count() == 1
    assert differences() == []
    assert demo.load_baowen_evaluation(tenant, log=lambda message: None) is None  # loaded once
