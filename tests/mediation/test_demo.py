"""The demo: a year of cases across 长淮街道 and 铁路一村社区, loaded once, through the models the pages read."""

from django.core.management import call_command

from grids.demo import data as grid_data
from grids.models import GridNode
from mediation import demo
from mediation.models import Agreement, Body, Case, CaseLog, Mediator


def test_a_year_of_cases_loaded_once(world):
    GridNode.objects.filter(pk=world.nodes["A/S1"].pk).update(name=grid_data.CHANGHUAI)
    GridNode.objects.filter(pk=world.nodes["A/S2/C1"].pk).update(name=grid_data.TIELU_YICUN)
    GridNode.objects.filter(pk=world.nodes["A/S2/C1/G1"].pk).update(name=grid_data.LANGYA_FIRST_GRID)
    summary = demo.load(world.tenants["A"], count=120, log=lambda message: None)
    assert summary["cases"] == Case.objects.count() == 120
    assert Body.objects.filter(kind="sub_centre", name__contains="物业纠纷调解分中心").exists()
    assert set(Mediator.objects.filter(kind__in=("judge", "prosecutor", "police", "lawyer")).values_list(
        "kind", flat=True)) == {"judge", "prosecutor", "police", "lawyer"}
    assert Case.objects.filter(channel="police").exists() and Case.objects.filter(channel="court").exists()
    langya = Case.objects.filter(grid_id=world.nodes["A/S2/C1/G1"].pk, dispute_type__code="property")
    assert langya.exists() and set(langya.values_list("body__kind", flat=True)) == {"sub_centre"}
    assert Agreement.objects.exists()
    # every case's log starts at registration and ends at its status
    for case in Case.objects.all()[:40]:
        assert list(CaseLog.objects.filter(case=case).values_list("to_status", flat=True))[-1] == case.status
    assert demo.load(world.tenants["A"], log=lambda message: None) is None
    call_command("load_demo_mediation", "--tenant", "340102", stdout=open("/dev/null", "w"))
    assert Case.objects.count() == 120
