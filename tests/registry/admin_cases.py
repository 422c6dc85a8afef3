"""Admin walk cases of the registry (shape: tests/grids/test_admin_walk.py): one object of each registered model of
a tenant, made through registry.services as the system (or as the tenant's grid worker where the record has one)."""

from __future__ import annotations

import datetime as dt

from registry import patrols, services
from registry.catalogue import install_registry_catalogue
from registry.models import AccessRecord, CareList, ThingType
from tests.grids.admin_cases import grid_of, tenant_of, user_of
from tests.registry import factories

ON = dt.date(2026, 3, 2)  # a fixed day in the past: visits may not lie in the future


def _compound(world, key):
    return services.save_compound(actor=None, node=grid_of(world, key), name=f"{key}区幸福小区")


def _organisation(world, key):
    return services.save_organisation(
        actor=None, node=grid_of(world, key), name=f"{key}区物业公司", kind="enterprise", contact_name="王经理",
        contact_phone="13905518231",
    )


def _building(world, key):
    return factories.building(grid_of(world, key), number=f"{key}栋", compound=_compound(world, key))


def _house(world, key):
    return factories.house(grid_of(world, key), number=f"{key}01")


def _resident(world, key):
    return factories.resident(grid_of(world, key), name=f"{key}区居民")


def _household(world, key):
    head = _resident(world, key)
    return services.form_household(actor=None, house=_house(world, key), head=head, on_date=ON, number=f"{key}户")


def _care_list(world, key):
    tenant = tenant_of(world, key)
    install_registry_catalogue(tenant)
    return CareList.objects.filter(tenant=tenant).order_by("pk").first()


def _care_list_member(world, key):
    return services.add_to_care_list(
        actor=None, care_list=_care_list(world, key), resident=_resident(world, key), since=ON
    )


def _thing_type(world, key):
    tenant = tenant_of(world, key)
    install_registry_catalogue(tenant)
    return ThingType.objects.filter(tenant=tenant).order_by("pk").first()


def _thing(world, key):
    return services.save_thing(
        actor=None, node=grid_of(world, key), thing_type=_thing_type(world, key), lon=117.3, lat=31.9,
        code=f"{key}-0001",
    )


def _access_record(world, key):
    resident = _resident(world, key)
    services.record_access(
        actor=user_of(world, key), residents=[resident], kind="lookup", fields=["phone"], reason="核对来电"
    )
    return AccessRecord.objects.get(resident=resident)


def _patrol(world, key):
    return patrols.start_patrol(
        actor=user_of(world, key), grid=grid_of(world, key), now=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    )


def _visit(world, key):
    return patrols.record_visit(
        actor=user_of(world, key), household=_household(world, key), visited_on=ON, purpose="走访独居老人"
    )


SCOPED = {
    "AccessRecord": _access_record,
    "Building": _building,
    "CareList": _care_list,
    "CareListMember": _care_list_member,
    "Compound": _compound,
    "House": _house,
    "Household": _household,
    "Organisation": _organisation,
    "Patrol": _patrol,
    "Resident": _resident,
    "Thing": _thing,
    "ThingType": _thing_type,
    "Visit": _visit,
}
PLATFORM_ONLY = {}
SHARED = {}
