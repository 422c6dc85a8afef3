"""Builds the demo districts of `grids.demo.data`: the tree through `grids.services`, the rosters in bulk.

The whole load is one transaction, so a failed run leaves nothing behind, and a district whose tenant already
exists is skipped, so a second run changes nothing. All randomness comes from one seeded generator per district:
every run on every machine builds the same names, shapes, people and rosters.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from grids import services
from grids.accounts.two_factor_services import enrol_with_key
from grids.catalogue import install_post_catalogue
from grids.models import Assignment, GridNode, Post, Tenant, User

from . import data
from .data import Box, DemoAccount, DistrictSpec

Log = Callable[[str], None]
ORDINALS = "一二三四五六七八九十"
BATCH = 500


# ---------------------------------------------------------------------------------------------------------
# Shapes: rectangles cut in columns and rows, so every child tiles its parent exactly
# ---------------------------------------------------------------------------------------------------------


def _cuts(start: float, end: float, weights: list[float]) -> list[float]:
    """Cut [start, end] in parts proportional to weights; inner cuts rounded, ends kept exact."""
    total = sum(weights)
    points, acc = [start], 0.0
    for w in weights[:-1]:
        acc += w
        points.append(round(start + (end - start) * acc / total, 6))
    points.append(end)
    return points


def tile(box: Box, weights: list[float]) -> list[Box]:
    """Tile a rectangle with len(weights) rectangles of proportional areas: columns west to east, each cut
    into rows north to south. Neighbours share their edges exactly."""
    n = len(weights)
    min_lon, min_lat, max_lon, max_lat = box
    width = (max_lon - min_lon) * math.cos(math.radians((min_lat + max_lat) / 2))  # in latitude degrees
    height = max_lat - min_lat
    columns = max(1, min(n, round(math.sqrt(n * width / height))))
    base, extra = divmod(n, columns)
    groups, i = [], 0
    for c in range(columns):
        size = base + (1 if c < extra else 0)
        groups.append(weights[i : i + size])
        i += size
    xs = _cuts(min_lon, max_lon, [sum(g) for g in groups])
    boxes = []
    for c, group in enumerate(groups):
        ys = _cuts(max_lat, min_lat, group)  # north to south
        for r in range(len(group)):
            boxes.append((xs[c], ys[r + 1], xs[c + 1], ys[r]))
    return boxes


def polygon(box: Box) -> dict:
    """A GeoJSON Polygon for a rectangle (exterior ring counter-clockwise, closed)."""
    x0, y0, x1, y1 = box
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


# ---------------------------------------------------------------------------------------------------------
# The plan: names, codes and shapes of every node, before anything is written
# ---------------------------------------------------------------------------------------------------------


@dataclass
class PlannedNode:
    name: str
    subkind: str
    code: str
    box: Box | None = None
    children: list[PlannedNode] = field(default_factory=list)

    @property
    def weight(self) -> float:
        if not self.children:
            return 0.6 if self.subkind == "exclusive" else 1.0
        return sum(child.weight for child in self.children)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _compound_names(rng: random.Random) -> list[str]:
    """Every compound name the generator may use, in a seeded order, old works compounds first."""
    modern = [p + s for p in data.COMPOUND_PREFIXES for s in data.COMPOUND_SUFFIXES]
    old = list(data.OLD_COMPOUNDS)
    rng.shuffle(modern)
    rng.shuffle(old)
    # Interleave: about one compound in ten is an old works compound of the industrial district.
    names, o = [], 0
    for i, name in enumerate(modern):
        if i % 9 == 0 and o < len(old):
            names.append(old[o])
            o += 1
        names.append(name)
    return names


def _resident_names(
    spec: data.CommunitySpec, rng: random.Random, compounds: list[str], used: set[str]
) -> list[str]:
    names = list(spec.pinned_resident)
    while len(names) < spec.resident:
        compound = compounds.pop()
        if compound in used:
            continue
        used.add(compound)
        size = min(spec.resident - len(names), rng.choice((1, 1, 1, 2, 2, 3)))
        if size == 1:
            names.append(f"{compound}网格")
        else:
            names.extend(f"{compound}第{ORDINALS[i]}网格" for i in range(size))
    return names


def plan_district(spec: DistrictSpec, rng: random.Random) -> PlannedNode:
    """Names, codes and nested rectangular boundaries of one district's whole tree."""
    compounds = _compound_names(rng)
    compounds.reverse()  # pop() from the front of the seeded order
    for street in spec.streets:
        for community in street.communities:
            for name in community.pinned_resident:
                compounds = [c for c in compounds if not name.startswith(c)]
    pool = list(spec.exclusive_pool)
    rng.shuffle(pool)
    used: set[str] = set()

    root = PlannedNode(spec.name, "district", spec.code, spec.box)
    for s, street_spec in enumerate(spec.streets, start=1):
        street = PlannedNode(street_spec.name, street_spec.subkind, f"{root.code}{s:03d}")
        root.children.append(street)
        numbers = {"community": 0, "village": 200}  # village committees are numbered from 201
        for community_spec in street_spec.communities:
            numbers[community_spec.subkind] += 1
            community = PlannedNode(
                community_spec.name,
                community_spec.subkind,
                f"{street.code}{numbers[community_spec.subkind]:03d}",
            )
            street.children.append(community)
            grids = [("resident", n) for n in _resident_names(community_spec, rng, compounds, used)]
            exclusive = list(community_spec.pinned_exclusive)
            while len(exclusive) < community_spec.exclusive:
                exclusive.append(f"{pool.pop()}专属网格")
            grids += [("exclusive", n) for n in exclusive]
            for g, (subkind, name) in enumerate(grids, start=1):
                community.children.append(PlannedNode(name, subkind, f"{community.code}{g:03d}"))
    _place(root)
    return root


def _place(node: PlannedNode) -> None:
    if not node.children:
        return
    for child, box in zip(node.children, tile(node.box, [c.weight for c in node.children]), strict=True):
        child.box = box
        _place(child)


# ---------------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------------


class People:
    """Makes unsaved roster users of one tenant: Chinese names, unique phones, no usable password."""

    PHONE_PREFIXES = ("139", "139", "139", "138", "137", "158", "189")

    def __init__(self, tenant: Tenant, prefix: str, rng: random.Random):
        self.tenant, self.prefix, self.rng = tenant, prefix, rng
        self.made: list[User] = []
        self._phones: set[str] = set()

    def name(self) -> str:
        given = "".join(self.rng.choice(data.GIVEN_NAME_CHARS) for _ in range(self.rng.choice((1, 2, 2, 2))))
        return self.rng.choice(data.SURNAMES) + given

    def phone(self) -> str:
        while True:
            number = self.rng.choice(self.PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def new(self) -> User:
        user = User(
            username=f"{self.prefix}{len(self.made) + 1:05d}",
            tenant=self.tenant,
            display_name=self.name(),
            phone=self.phone(),
        )
        user.set_unusable_password()
        self.made.append(user)
        return user


# ---------------------------------------------------------------------------------------------------------
# One district
# ---------------------------------------------------------------------------------------------------------


@dataclass
class DistrictReport:
    name: str
    code: str
    created: bool
    nodes: dict[str, int] = field(default_factory=dict)
    users: int = 0
    assignments: int = 0
    gaps: list[str] = field(default_factory=list)


def _create_tree(plan: PlannedNode, log: Log) -> tuple[Tenant, dict[tuple[str, ...], GridNode]]:
    """Create the tenant and every node through the services (validation, codes, locks, history)."""
    tenant = services.create_tenant(name=plan.name, code=plan.code, boundary=polygon(plan.box))
    root = GridNode.objects.get(tenant=tenant, parent__isnull=True)
    nodes: dict[tuple[str, ...], GridNode] = {(): root}

    def create(parent_path: tuple[str, ...], planned: PlannedNode) -> None:
        node = services.create_node(
            parent=nodes[parent_path],
            subkind=planned.subkind,
            name=planned.name,
            code=planned.code,
            boundary=polygon(planned.box),
        )
        path = (*parent_path, planned.name)
        nodes[path] = node
        for child in planned.children:
            create(path, child)

    for street in plan.children:
        create((), street)
        log(
            f"  {street.name}：{len(street.children)} 个社区（村），"
            f"{sum(len(c.children) for c in street.children)} 个网格"
        )
    return tenant, nodes


def _dates(rng: random.Random) -> Callable[[], dt.date]:
    first, last = (dt.date.fromisoformat(d) for d in data.START_DATES)
    span = (last - first).days
    return lambda: first + dt.timedelta(days=rng.randrange(span + 1))


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _demo_user(account: DemoAccount, tenant: Tenant | None, password: str) -> User:
    user = User(
        username=account.username,
        tenant=tenant,
        display_name=account.display_name,
        is_superuser=account.superuser,
        is_staff=account.superuser or account.tenant_admin,
        is_tenant_admin=account.tenant_admin,
        admin_role=account.admin_role,
    )
    user.set_password(password)
    user.save()
    if account.needs_two_factors:
        enrol_with_key(user=user, key=demo_totp_key())
    return user


def demo_totp_key() -> str:
    """The demo administrators' authenticator secret as django-otp stores it (hex)."""
    return base64.b32decode(data.DEMO_TOTP_SECRET).hex()


def build_district(spec: DistrictSpec, *, password: str, log: Log) -> DistrictReport:
    """Create one district's tenant, tree, post catalogue, demo accounts and rosters; skip it if it exists."""
    report = DistrictReport(spec.name, spec.code, created=False)
    if Tenant.objects.filter(code=spec.code).exists():
        return report
    report.created = True
    accounts = [a for a in data.DEMO_ACCOUNTS if a.district == spec.code]
    taken = list(
        User.objects.filter(username__in=[a.username for a in accounts]).values_list("username", flat=True)
    )
    if taken:
        raise ValidationError(
            "演示账号已被占用：%(names)s；请先改名或删除这些用户。", params={"names": "、".join(taken)}
        )

    rng = random.Random(f"{data.SEED}-{spec.code}")
    plan = plan_district(spec, rng)
    log(f"{spec.name}（{spec.code}）：建立网格树……")
    tenant, nodes = _create_tree(plan, log)
    posts: dict[str, Post] = install_post_catalogue(tenant)

    # Demo accounts take the place of a generated person on their node.
    placed: dict[tuple[tuple[str, ...], str], User] = {}
    for account in accounts:
        user = _demo_user(account, tenant, password)
        if account.post:
            placed[(account.node, account.post)] = user

    people = People(tenant, spec.username_prefix, rng)
    start = _dates(rng)
    rows: list[tuple[User, str, tuple[str, ...]]] = []  # (person, post code, node path)

    def person(path: tuple[str, ...], post: str) -> User:
        return placed.pop((path, post), None) or people.new()

    paths = sorted(nodes, key=lambda p: nodes[p].code)
    communities = [p for p in paths if len(p) == 2]
    grids = [p for p in paths if len(p) == 3]
    demo_paths = {path for path, _ in placed}
    headless = set(rng.sample([p for p in communities if p not in demo_paths], spec.headless_communities))
    without_police = set(rng.sample(grids, spec.police_gaps))
    report.gaps = [f"{'/'.join(p)}：缺网格长" for p in sorted(headless)]
    report.gaps += [f"{'/'.join(p)}：缺社区民警" for p in sorted(without_police)]

    # 1: a grid head on every node of every level.
    for path in paths:
        if path not in headless:
            rows.append((person(path, "grid_head"), "grid_head", path))
    # 4: a full-time grid worker on every grid (三定: one per grid).
    for path in grids:
        rows.append((person(path, "grid_worker"), "grid_worker", path))
    for community in communities:
        own = [g for g in grids if g[:2] == community]
        # The community police officer covers a few neighbouring grids.
        for chunk in _chunks([g for g in own if g not in without_police], data.GRIDS_PER_POLICE_OFFICER):
            officer = people.new()
            rows += [(officer, "police", g) for g in chunk]
    for street_path in (p for p in paths if len(p) == 1):
        own = [g for g in grids if g[0] == street_path[0]]
        one_four_x = street_path[0] in spec.one_four_x_streets
        # Enforcement team members cover several grids of the street (all of them under 1+4+X).
        enforced = own if one_four_x else [g for g in own if rng.random() < data.LAW_ENFORCEMENT_SHARE]
        for chunk in _chunks(enforced, data.GRIDS_PER_ENFORCER):
            member = people.new()
            rows += [(member, "law_enforcement", g) for g in chunk]
        for g in own:
            # Property staff where a compound has a property company; old compounds often have none.
            if nodes[g].subkind == "resident" and rng.random() < data.PROPERTY_SHARE:
                rows.append((people.new(), "property", g))
            informants = rng.choice((2, 3)) if one_four_x else int(rng.random() < data.INFORMANT_SHARE)
            rows += [(people.new(), "informant", g) for _ in range(informants)]
        if one_four_x:
            # 1+4+X: a grid instructor per community, market supervisors shared across the street.
            for community in (c for c in communities if c[0] == street_path[0]):
                instructor = people.new()
                rows += [(instructor, "instructor", g) for g in own if g[:2] == community]
            for chunk in _chunks(own, math.ceil(len(own) / 3)):
                supervisor = people.new()
                rows += [(supervisor, "market_supervisor", g) for g in chunk]
    if placed:
        raise ValidationError("演示账号所在的网格节点不存在：%(keys)s", params={"keys": placed})

    User.objects.bulk_create(people.made, batch_size=BATCH)
    report.users = len(people.made) + len(accounts)
    report.assignments = len(_bulk_assign(rows, posts, nodes, start))
    report.nodes = {
        kind: sum(1 for n in nodes.values() if n.kind == kind)
        for kind in ("district", "street", "community", "grid")
    }
    report.nodes["resident"] = sum(1 for n in nodes.values() if n.subkind == "resident")
    report.nodes["exclusive"] = sum(1 for n in nodes.values() if n.subkind == "exclusive")
    return report


def _bulk_assign(rows, posts, nodes, start) -> list[Assignment]:
    """The assignments of `services.assign`, in bulk: same tenant, live node, no overlapping duplicate."""
    seen, assignments = set(), []
    for user, code, path in rows:
        node, post = nodes[path], posts[code]
        key = (user.username, code, node.pk)
        if key in seen:
            raise ValidationError("重复的三定分配：%(key)s", params={"key": key})
        seen.add(key)
        if not (user.tenant_id == post.tenant_id == node.tenant_id) or node.is_archived:
            raise ValidationError("三定分配须同属一个区且网格在用：%(key)s", params={"key": key})
        template = data.DUTIES.get(code)
        assignment = Assignment(
            user=user,
            post=post,
            start_date=start(),
            duties=template.format(node=node.name) if template else "",
        )
        assignment.stamp_from(node)
        assignment.node = node
        assignments.append(assignment)
    return bulk_create_with_history(assignments, Assignment, batch_size=BATCH)


# ---------------------------------------------------------------------------------------------------------
# The whole demo
# ---------------------------------------------------------------------------------------------------------


@dataclass
class AccountLine:
    username: str
    role: str
    password: str
    created: bool
    exists: bool = True


@dataclass
class DemoReport:
    districts: list[DistrictReport]
    accounts: list[AccountLine]


def _ensure_superuser(account: DemoAccount, password: str) -> bool:
    if User.objects.filter(username=account.username).exists():
        return False
    _demo_user(account, None, password)
    return True


def load_demo(*, log: Log | None = None) -> DemoReport:
    """Load every demo district that is not there yet, and the superuser; report the demo accounts."""
    log = log or (lambda message: None)
    password = settings.DEMO_PASSWORD
    with transaction.atomic():
        superuser = next(a for a in data.DEMO_ACCOUNTS if a.superuser)
        new_superuser = _ensure_superuser(superuser, password)
        districts = [build_district(spec, password=password, log=log) for spec in data.DISTRICTS]
    created_in = {d.code for d in districts if d.created}
    existing = set(
        User.objects.filter(username__in=[a.username for a in data.DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    accounts = [
        AccountLine(
            username=a.username,
            role=a.role,
            password=password,
            created=(new_superuser if a.superuser else a.district in created_in),
            exists=a.username in existing,
        )
        for a in data.DEMO_ACCOUNTS
    ]
    return DemoReport(districts=districts, accounts=accounts)
