"""A small party tree over the shared world: district committee → working committee of S1 → committees of
A/S1/C1 and A/S1/C2 → a grid branch in C1 → a building group."""

from __future__ import annotations

from dataclasses import dataclass

from parties import services
from parties.models import PartyOrg


@dataclass
class PartyTree:
    root: PartyOrg
    working: PartyOrg
    c1: PartyOrg
    c2: PartyOrg
    branch: PartyOrg
    group: PartyOrg


def party_tree(world, key: str = "A") -> PartyTree:
    tenant = world.tenants[key]
    root = services.create_root(tenant=tenant, name=f"{tenant.name}委")
    working = services.create_org(parent=root, subkind="working_committee", name="街道1党工委",
                                  node=world.node(f"{key}/S1"))
    c1 = services.create_org(parent=working, subkind="party_committee", name="社区1党委", node=world.node(f"{key}/S1/C1"))
    c2 = services.create_org(parent=working, subkind="general_branch", name="社区2党总支", node=world.node(f"{key}/S1/C2"))
    branch = services.create_org(parent=c1, subkind="grid_branch", name="网格1党支部")
    services.set_led_grids(org=branch, grids=[world.node(f"{key}/S1/C1/G1")])
    group = services.create_org(parent=branch, subkind="building_group", name="1栋党小组")
    return PartyTree(root, working, c1, c2, branch, group)
