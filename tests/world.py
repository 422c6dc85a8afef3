"""The shared test world: 2 districts × 2 streets × 2 communities × 2 grids, and a user for each post.

Nodes are addressed by path ("A", "A/S1", "A/S1/C2", "A/S1/C2/G1"); users by path and post code
("A/S1/C2/G1:grid_worker", "A/S1:grid_head"); each tenant also has an admin ("A:admin").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from grids import services
from grids.catalogue import install_post_catalogue
from grids.models import GridNode, Tenant, User

TENANTS = {"A": ("甲区", "340102"), "B": ("乙区", "340103")}
PASSWORD = "Test-pass-2026!"


@dataclass
class World:
    tenants: dict[str, Tenant] = field(default_factory=dict)
    nodes: dict[str, GridNode] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    posts: dict[str, dict] = field(default_factory=dict)

    def node(self, path: str) -> GridNode:
        return GridNode.objects.get(pk=self.nodes[path].pk)

    def user(self, key: str) -> User:
        return User.objects.get(pk=self.users[key].pk)


def make_user(username: str, tenant: Tenant | None, **extra) -> User:
    user = User(username=username, tenant=tenant, display_name=extra.pop("display_name", username), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def build_world(start: dt.date | None = None) -> World:
    start = start or dt.date(2024, 1, 1)
    world = World()
    for key, (name, code) in TENANTS.items():
        tenant = services.create_tenant(name=name, code=code)
        world.tenants[key] = tenant
        posts = install_post_catalogue(tenant)
        world.posts[key] = posts
        root = GridNode.objects.get(tenant=tenant, parent__isnull=True)
        world.nodes[key] = root
        world.users[f"{key}:admin"] = make_user(f"{key.lower()}_admin", tenant, is_tenant_admin=True, is_staff=True)
        world.users[f"{key}:auditor"] = make_user(f"{key.lower()}_auditor", tenant, admin_role="audit")
        _staff(world, key, root, posts, start)
        for s in (1, 2):
            street = services.create_node(parent=root, subkind="subdistrict", name=f"{name}街道{s}")
            world.nodes[f"{key}/S{s}"] = street
            _staff(world, f"{key}/S{s}", street, posts, start)
            for c in (1, 2):
                community = services.create_node(parent=street, subkind="community", name=f"{street.name}社区{c}")
                world.nodes[f"{key}/S{s}/C{c}"] = community
                _staff(world, f"{key}/S{s}/C{c}", community, posts, start)
                for g in (1, 2):
                    grid = services.create_node(
                        parent=community, subkind="resident" if g == 1 else "exclusive", name=f"网格{g}"
                    )
                    path = f"{key}/S{s}/C{c}/G{g}"
                    world.nodes[path] = grid
                    _staff(world, path, grid, posts, start, codes=("grid_head", "grid_worker", "police"))
    return world


def _staff(world, path, node, posts, start, codes=("grid_head",)):
    for code in codes:
        username = (path.replace("/", "_") + "_" + code).lower()
        user = make_user(username, node.tenant)
        services.assign(user=user, post=posts[code], node=node, start_date=start)
        world.users[f"{path}:{code}"] = user
