"""The demo registry: Langya as the article gives it, valid made-up identity numbers, loaded once."""

from django.db.models import Count

from grids.models import GridNode
from registry import demo, services
from registry.models import Building, CareListMember, Household, HouseholdMember, Resident
from yaohai.core.personal.identity import parse_resident_id


def test_langya_as_the_article_gives_it(world):
    for path, name in (("A/S1/C1/G1", demo.LANGYA_GRIDS[0]), ("A/S1/C1/G2", demo.LANGYA_GRIDS[1])):
        GridNode.objects.filter(pk=world.nodes[path].pk).update(name=name)
    tenant = world.tenants["A"]
    summary = demo.load_langya(tenant, log=lambda message: None)
    assert (summary["buildings"], summary["households"], summary["residents"]) == (18, 920, 3089)
    langya = Resident.objects.filter(house__building__compound__name=demo.LANGYA, status="living")
    assert langya.count() == 3089
    assert Household.objects.filter(house__building__compound__name=demo.LANGYA).count() == 920
    assert set(Building.objects.filter(compound__name=demo.LANGYA).values_list("grid__name", flat=True)) == set(
        demo.LANGYA_GRIDS
    )
    # One head per household; the moved-out keep their ended memberships.
    heads = HouseholdMember.objects.filter(relation="head", left_on__isnull=True).values("household")
    assert not heads.annotate(n=Count("id")).filter(n__gt=1).exists()
    assert HouseholdMember.objects.filter(left_on__isnull=False).count() == summary["moved_out"]
    assert CareListMember.objects.filter(care_list__code="elderly_alone").exists()
    for person in langya.filter(id_type="resident_id")[:50]:
        parse_resident_id(services.personal.read_field(person, "id_number", services.ID_PURPOSE))
    assert summary["patrols"] > 0 and summary["visits"] > 0
    assert demo.load_langya(tenant, log=lambda message: None) is None  # loaded once
