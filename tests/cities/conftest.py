"""Fixtures of the city level: the dashboards' events (`board`) and 合肥 over both districts of the world."""

from __future__ import annotations

import datetime as dt

import pytest

from cities.models import City, CityAssignment, CityDistrict
from tests.dashboards.conftest import board  # noqa: F401  (the dashboards' events, filed through the services)
from tests.world import make_user


@pytest.fixture
def hefei(world):
    """合肥 over both districts of the world, with one officer."""
    city = City.objects.create(name="合肥", code="340100")
    for key in ("A", "B"):
        CityDistrict.objects.create(city=city, tenant=world.tenants[key])
    officer = make_user("hefei_officer", None)
    CityAssignment.objects.create(city=city, user=officer, title="主任", start_date=dt.date(2024, 1, 1))
    world.users["hefei:officer"] = officer
    return city
