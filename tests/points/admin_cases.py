"""Admin walk cases of the points app (tests/grids/test_admin_walk.py collects them)."""


def _points(world, key):
    """A passbook, a service record and a redemption in the tenant's first grid (tests/points/scope_cases.py)."""
    from tests.points.scope_cases import points_world

    which = {"A": "inside", "B": "foreign"}[key]
    found = points_world(world)
    return {kind: rows[which] for kind, rows in found.items()}


SCOPED = {
    "Account": lambda world, key: _points(world, key)["account"],
    "Entry": lambda world, key: _points(world, key)["account"].entries.first(),
    "ServiceRecord": lambda world, key: _points(world, key)["record"],
    "Reward": lambda world, key: _points(world, key)["redemption"].reward,
    "Redemption": lambda world, key: _points(world, key)["redemption"],
}
PLATFORM_ONLY = {}
SHARED = {}
