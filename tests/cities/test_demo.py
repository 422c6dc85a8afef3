"""The demo city: 合肥市 over the demo's two districts (the world's tenants carry their codes), its officer, loaded
once; the officer signs in with the demo password and lands on the city."""

from django.conf import settings
from django.urls import reverse

from audit.models import Entry
from cities.demo import OFFICER, load_city
from cities.models import City, CityAssignment


def test_the_demo_city(world, client):
    settings.DEMO_PASSWORD = getattr(settings, "DEMO_PASSWORD", "") or "Demo-pass-2026!"
    loaded = load_city(log=lambda message: None)
    city = City.objects.get(code="340100")
    assert sorted(city.districts.values_list("tenant__code", flat=True)) == ["340102", "340103"]
    assert loaded["officer"].tenant_id is None
    assert Entry.objects.filter(action__in=["cities.create", "cities.add_district", "cities.assign"]).count() == 4
    again = load_city(log=lambda message: None)
    assert not again["created"] and CityAssignment.objects.filter(user__username=OFFICER).count() == 1
    signed_in = client.post(reverse("login"), {"username": OFFICER, "password": settings.DEMO_PASSWORD})
    assert signed_in.status_code == 302
    page = client.get(reverse("cities:city", args=[city.pk]))
    assert page.status_code == 200 and "甲区" in page.content.decode()
