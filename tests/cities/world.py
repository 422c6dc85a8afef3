"""The city level over the shared world (tests/world.py): 甲市 over district A with its officer, 乙市 over district
B with its own. Idempotent: the world's transaction is rolled back between modules, so it is made again when gone."""

from __future__ import annotations

import datetime as dt

from cities.models import City, CityAssignment, CityDistrict
from grids.models import GridNode, User
from tests.world import make_user

CITIES = {"X": ("甲市", "340100", "A"), "Y": ("乙市", "340200", "B")}


def city_world(w) -> dict[str, City]:
    """The two cities, each over one district of the world with one officer (`w.users["X:city_officer"]`)."""
    cities = {}
    for key, (name, code, tenant_key) in CITIES.items():
        city, _created = City.objects.get_or_create(code=code, defaults={"name": name})
        CityDistrict.objects.get_or_create(tenant=w.tenants[tenant_key], defaults={"city": city})
        username = f"city_officer_{key.lower()}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = make_user(username, None)
            CityAssignment.objects.create(city=city, user=user, title="城市网格化服务管理中心主任",
                                          start_date=dt.date(2024, 1, 1))
        w.users[f"{key}:city_officer"] = user
        cities[key] = city
    return cities


def roots(w) -> dict[str, GridNode]:
    return {key: w.node(key) for key in ("A", "B")}
