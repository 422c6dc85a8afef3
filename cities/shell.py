"""What the city level adds to the platform's shell (yaohai.core.shell): 城市驾驶舱 in the menu of city officers, and
their cities on their workbench (a city officer belongs to no district: their role is "none")."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yaohai.core.shell import NO_ROLE, home_panels, menu

from . import selectors


def holds_city_post(user) -> bool:
    return not selectors.city_scope(user).is_empty


def city_href(user) -> str:
    """An officer of one city goes straight to its roll-up; of several, to the list."""
    cities = selectors.officer_cities(user)
    return reverse("cities:city", args=[cities[0].pk]) if len(cities) == 1 else reverse("cities:index")


def my_cities(actor) -> dict | None:
    cities = selectors.officer_cities(actor)
    return {"count": len(cities), "cities": cities} if cities else None


def register() -> None:
    menu.register("cities", _("City dashboard"), href=city_href, order=45, visible=holds_city_post,
                  icon="chart", active_on=["cities:*"])
    home_panels.register("my-cities", "cities/panels/my_cities.html", my_cities, roles=[NO_ROLE], order=5)
