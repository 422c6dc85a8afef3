"""Scope cases of the city routes (shape: tests/scope_cases.py). The viewer is 甲市's officer (tests/cities/world.py),
who reads 甲市 and its district A; 乙市 and district B are another city's: 404, as a missing id."""

from tests.cities.world import city_world

OFFICER = "X:city_officer"


def cities(w):
    made = city_world(w)
    return {"inside": made["X"], "sibling": None, "foreign": made["Y"]}


def district_nodes(w):
    city_world(w)
    return {"inside": w.node("A/S1"), "sibling": None, "foreign": w.node("B/S1")}


def city_marker(city):
    return f'data-testid="city-{city.pk}"'


SCOPE_CASES = {
    "cities:index": {"kind": "self", "viewer": OFFICER, "prepare": city_world},
    "cities:city": {"kind": "object", "objects": cities, "viewer": OFFICER},
    "cities:assessment": {"kind": "object", "objects": cities, "viewer": OFFICER, "query": {"month": "2024-06"}},
    "cities:export": {"kind": "object", "objects": cities, "viewer": OFFICER},
    "cities:node": {"kind": "object", "objects": district_nodes, "viewer": OFFICER},
}
