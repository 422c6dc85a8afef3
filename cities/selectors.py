"""The city's scope: which cities a user holds a post in, their districts, and the node a city officer may read.

This is the city level's own jurisdiction, beside grids.scope and never mixed into it: a city officer belongs to no
tenant, so grids.scope gives them nothing (every district page answers 404); what they read of a district is
computed for a `DistrictReader` — the district as a whole, for its counts only — by the pages of this app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from dashboards.nodes import ANCESTORS, WITHOUT_SHAPES
from grids.models import GridNode

from .models import City, CityAssignment, CityDistrict


@dataclass(frozen=True)
class CityScope:
    """The cities a user holds a current post in, and the city of each of their districts (tenant → city)."""

    cities: dict[int, City] = field(default_factory=dict)
    tenant_city: dict[int, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.cities


NO_CITY = CityScope()


def city_scope(actor) -> CityScope:
    """The actor's cities (two queries, once per user object; none for anyone who belongs to a district)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return NO_CITY
    if actor.tenant_id is not None or actor.is_superuser:
        return NO_CITY  # a district's account or a platform admin holds no city post (CityAssignment.clean)
    if "_city_scope" not in actor.__dict__:
        posts = CityAssignment.objects.current(timezone.localdate()).filter(user=actor).select_related("city")
        cities = {post.city_id: post.city for post in posts}
        tenant_city = dict(
            CityDistrict.objects.filter(city_id__in=list(cities)).values_list("tenant_id", "city_id")
        ) if cities else {}
        actor.__dict__["_city_scope"] = CityScope(cities=cities, tenant_city=tenant_city)
    return actor.__dict__["_city_scope"]


def officer_cities(actor) -> list[City]:
    return sorted(city_scope(actor).cities.values(), key=lambda c: c.code)


def city_for(*, actor, pk: int) -> City:
    """One of the actor's cities (City.DoesNotExist otherwise: a 404, as for a city nobody made)."""
    city = city_scope(actor).cities.get(pk)
    if city is None:
        raise City.DoesNotExist
    return city


def city_districts(city: City) -> list[GridNode]:
    """The root nodes of the city's districts, by code, with their shapes (for the map; one query)."""
    return list(
        GridNode.objects.filter(tenant__city_district__city=city, parent__isnull=True, is_archived=False)
        .only("id", "name", "code", "kind", "subkind", "boundary", "tenant_id")
        .order_by("code")
    )


def readable_node(*, actor, pk: int) -> tuple[City, GridNode]:
    """A live node of a district of one of the actor's cities, with its ancestors (GridNode.DoesNotExist
    otherwise: a 404)."""
    scope = city_scope(actor)
    if scope.is_empty:
        raise GridNode.DoesNotExist
    node = (
        GridNode.objects.filter(tenant_id__in=sorted(scope.tenant_city), is_archived=False)
        .select_related(ANCESTORS).defer(*WITHOUT_SHAPES).get(pk=pk)
    )
    return scope.cities[scope.tenant_city[node.tenant_id]], node


class DistrictReader:
    """Not an account: a whole district, read for its counts only. The city's pages build a district's dashboard
    for it (grids.scope gives it the tenant, as to a tenant admin) and show only the panels that hold counts
    (dashboards.registry.Panel.aggregate); it never reaches a list, a record, an export or the API."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = False
    is_tenant_admin = True
    is_staff = False
    pk = id = None

    def __init__(self, tenant_id: int):
        self.tenant_id = tenant_id

    def __repr__(self):
        return f"DistrictReader(tenant={self.tenant_id})"
