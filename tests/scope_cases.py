"""The scope cases of the grids routes, in the shape every app's `tests/<app>/scope_cases.py` uses.

SCOPE_CASES maps a URL name to a case:
- {"kind": "public"}: needs no jurisdiction (sign-in, language, schema, health).
- {"kind": "self"}: shows only the signed-in user's own things; must answer 200 to the viewer.
- {"kind": "object", "objects": fn(world) -> {"inside", "sibling", "foreign"}, "kwargs": fn(obj) -> dict,
   "method": "get" | "post", "data": dict}: a record in the viewer's subtree answers (not 404); the same
   kind of record in a sibling community or in another tenant answers 404.
- {"kind": "list", "objects": ..., "kwargs": fn(world) -> dict (optional), "marker": fn(obj) -> str,
   "query": dict (optional)}: the response carries the inside record's marker and neither of the others'.
The viewer is the head of community A/S1/C1 (see tests/world.py), unless a case names another world user as its
"viewer" (e.g. "A:auditor" for the pages of a role that no post grants; a city officer, whom the case's "objects"
or "prepare" (fn(world)) makes, for the city's pages).
"""

from grids.models import Assignment, Post


def nodes(level):
    suffix = {"community": "", "grid": "/G1"}[level]
    return lambda w: {
        "inside": w.node(f"A/S1/C1{suffix}"),
        "sibling": w.node(f"A/S1/C2{suffix}"),
        "foreign": w.node(f"B/S1/C1{suffix}"),
    }


def assignments(w):
    def on(path):
        return Assignment.objects.filter(node_id=w.nodes[path].pk).first()

    return {"inside": on("A/S1/C1/G1"), "sibling": on("A/S1/C2/G1"), "foreign": on("B/S1/C1/G1")}


def posts(w):
    # Posts are a tenant's catalogue: visible across the tenant, never across tenants.
    mine = Post.objects.get(tenant=w.tenants["A"], code="police")
    other = Post.objects.get(tenant=w.tenants["B"], code="police")
    return {"inside": mine, "sibling": None, "foreign": other}


def by_id(obj):
    """A JSON list's rows by their own "id" (tests/test_scope.py reads the top-level rows, so a nested object —
    an evaluation's item, a committee's seat — with the same number does not count)."""
    return obj.pk


by_id.top_level_id = True


def listed(marker, response):
    """What a list answered, for `marker(obj) in listed(...)`: the ids of a JSON list's own rows for `by_id`
    (none when it answered no list), else the body as text."""
    if getattr(marker, "top_level_id", False):
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("application/json"):
            return set()
        data = response.json()
        rows = data["results"] if isinstance(data, dict) else data
        return {row["id"] for row in rows}
    return response.content.decode()


SCOPE_CASES = {
    "home": {"kind": "self"},
    "login": {"kind": "public"},
    "logout": {"kind": "public"},
    "set_language": {"kind": "public"},
    "healthz": {"kind": "public"},
    "api-token": {"kind": "public"},
    "api-schema": {"kind": "public"},
    "api-docs": {"kind": "public"},
    "api-root": {"kind": "public"},
    "grids:node-detail": {"kind": "object", "objects": nodes("grid")},
    "grids:roster-export": {"kind": "object", "objects": nodes("community")},
    "node-list": {"kind": "list", "objects": nodes("grid"), "marker": by_id},
    "node-detail": {"kind": "object", "objects": nodes("grid")},
    "node-roster": {"kind": "object", "objects": nodes("community")},
    "node-locate": {"kind": "self"},  # proven by tests/grids/test_api.py::test_locate_only_finds_visible_grids
    "post-list": {"kind": "list", "objects": posts, "marker": by_id},
    "post-detail": {"kind": "object", "objects": posts},
    "assignment-list": {"kind": "list", "objects": assignments, "marker": by_id},
    "assignment-detail": {"kind": "object", "objects": assignments},
}
