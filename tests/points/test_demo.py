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
