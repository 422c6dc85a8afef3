"""The demo: the article's figures, loaded once, and a whole party tree."""

from grids.demo import data as grid_data
from grids.models import GridNode
from parties import demo
from parties.integrity import check_tree
from parties.models import CentralHousehold, Member, Notice, PartyOrg, Team, Topic
from registry import demo as registry_demo


def _rename(world, path, name):
    GridNode.objects.filter(pk=world.nodes[path].pk).update(name=name)


def test_the_demo_gives_the_articles_figures(world):
    for path, name in (("A/S1", grid_data.SANLIJIE), ("A/S1/C1", grid_data.TIELU_YICUN),
                       ("A/S1/C1/G1", registry_demo.LANGYA_GRIDS[0]), ("A/S1/C1/G2", registry_demo.LANGYA_GRIDS[1]),
                       ("A/S2", grid_data.CHANGHUAI), ("A/S2/C1", grid_data.HUOCHEZHAN),
                       ("A/S2/C2/G1", "宝文国际花园第一网格")):
        _rename(world, path, name)
    tenant = world.tenants["A"]
    registry_demo.load_langya(tenant, log=lambda message: None)
    summary = demo.load(tenant, log=lambda message: None)
    assert summary["langya_members"] == 89 and summary["langya_centrals"] == 5 and summary["baowen_topics"] == 3
    langya = PartyOrg.objects.filter(tenant=tenant, name__startswith="琅琊小区")
    assert langya.filter(kind="branch").count() == 2 and langya.filter(kind="group").count() == 5
    assert PartyOrg.objects.filter(tenant=tenant, kind="branch", parent__name="中共铁路一村社区委员会").count() == 15
    assert Member.objects.filter(tenant=tenant, left_on__isnull=True).count() == 89
    assert CentralHousehold.objects.filter(tenant=tenant).count() == 5
    stewards = Team.objects.get(tenant=tenant, kind="stewards")
    assert stewards.memberships.count() == 8 and stewards.leader_id is not None
    assert Topic.objects.filter(tenant=tenant, status="closed").count() == 3
    assert Notice.objects.filter(tenant=tenant).published().count() == 3
    assert check_tree(tenant) == []
    assert demo.load(tenant, log=lambda message: None) is None  # loaded once
