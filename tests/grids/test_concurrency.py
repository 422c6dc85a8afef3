"""Tree writes from several threads at once (PostgreSQL: SQLite serialises writers by itself).

Every thread writes through grids.services, which take the tree's advisory lock; afterwards the nested set must
still agree with the parent links and every node a thread created must be there.
"""

import pytest
from django.db import connection  # noqa: F401  (read by the skipif condition)

from grids import integrity, services
from grids.models import Assignment, GridNode, Tenant
from tests.threads import run_threads

pytestmark = [
    pytest.mark.postgres,
    # A string condition is evaluated when the test runs, against the configured database.
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 6


def creator(parent_pk, prefix, created):
    def job():
        for i in range(ROUNDS):
            parent = GridNode.objects.get(pk=parent_pk)  # may have been moved meanwhile: the service re-reads it
            node = services.create_node(parent=parent, subkind="resident", name=f"{prefix}{i}")
            created.append(node.pk)

    return job


def mover(node_pk, parents):
    def job():
        for i in range(ROUNDS):
            node = GridNode.objects.get(pk=node_pk)
            services.move_node(node=node, new_parent=GridNode.objects.get(pk=parents[i % 2]))

    return job


def test_concurrent_creates_and_moves_in_one_tree(world):
    tenant = world.tenants["A"]
    n = world.nodes
    created = []
    # A spare grid to shuttle between two communities, and a community shuttled between the two streets while
    # other threads add grids under it.
    spare = services.create_node(parent=world.node("A/S1/C1"), subkind="exclusive", name="流动网格")
    jobs = [
        creator(n["A/S1/C1"].pk, "甲一一新", created),
        creator(n["A/S2/C1"].pk, "甲二一新", created),
        creator(n["A/S2/C2"].pk, "甲二二新", created),
        creator(n["A/S1/C2"].pk, "移动社区新", created),
        mover(n["A/S1/C2"].pk, [n["A/S2"].pk, n["A/S1"].pk]),
        mover(spare.pk, [n["A/S2/C2"].pk, n["A/S1/C1"].pk]),
    ]
    run_threads(jobs)

    assert integrity.check_tree(tenant) == []
    assert integrity.check_tree(world.tenants["B"]) == []
    assert len(created) == 4 * ROUNDS
    nodes = GridNode.objects.in_bulk(created)
    assert len(nodes) == len(created)
    moved = world.node("A/S1/C2")
    assert moved.parent_id == n["A/S1"].pk  # an even number of moves brings it home
    assert all(node.code.startswith(node.parent.code) for node in nodes.values())
    under_moved = [node for node in nodes.values() if node.name.startswith("移动社区新")]
    assert {node.parent_id for node in under_moved} == {moved.pk}
    assert all(node.street_id == n["A/S1"].pk for node in under_moved)
    for assignment in Assignment.objects.filter(node__in=[moved, *under_moved]):
        assert assignment.street_id == n["A/S1"].pk
    assert GridNode.objects.filter(tenant=tenant).count() == 15 + 1 + 4 * ROUNDS


def test_two_tenants_written_at_once(world):
    created = {"A": [], "B": []}
    jobs = []
    for key in ("A", "B"):
        for s in (1, 2):
            for c in (1, 2):
                jobs.append(creator(world.nodes[f"{key}/S{s}/C{c}"].pk, f"{key}{s}{c}新", created[key]))
        spare = services.create_node(parent=world.node(f"{key}/S1/C1"), subkind="exclusive", name="流动网格")
        jobs.append(mover(spare.pk, [world.nodes[f"{key}/S2/C2"].pk, world.nodes[f"{key}/S1/C1"].pk]))
    run_threads(jobs)

    for key in ("A", "B"):
        tenant = world.tenants[key]
        assert integrity.check_tree(tenant) == []
        assert len(created[key]) == 4 * ROUNDS
        assert GridNode.objects.filter(pk__in=created[key], tenant=tenant).count() == 4 * ROUNDS
        assert len({GridNode.objects.get(pk=pk).tree_id for pk in created[key]}) == 1
    assert world.node("A").tree_id != world.node("B").tree_id


def test_a_new_tenant_while_a_tree_is_written(world):
    created = []

    def open_districts():
        for i in range(ROUNDS * 2):
            services.create_tenant(name=f"新区{i}", code=f"3400{i:02d}")  # sorts before the world's districts

    jobs = [creator(world.nodes[f"A/S{s}/C{c}"].pk, f"A{s}{c}新", created) for s in (1, 2) for c in (1, 2)]
    run_threads([*jobs, open_districts])
    for tenant in Tenant.objects.all():
        assert integrity.check_tree(tenant) == []
    assert GridNode.objects.filter(pk__in=created, tenant=world.tenants["A"]).count() == 4 * ROUNDS
