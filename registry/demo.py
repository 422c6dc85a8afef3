"""The demo registry: Langya compound (琅琊小区) as the article gives it — 18 buildings, 920 households, 3,089
residents in the two Langya grids of 铁路一村社区 — with care lists, organisations and things; and a thinner
registry in the rest of the district. Synthetic names; made-up identity numbers with valid check digits.

Written with bulk_create (the demo must start quickly), through the same encryption as the services; the
stamps are copied from the nodes as the services do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction

from grids.demo import data as grid_data
from grids.models import GridNode, Tenant
from yaohai.core.personal import fields as personal
from yaohai.core.personal.identity import check_digit, mask_id

from .catalogue import install_registry_catalogue
from .choices import DocumentType, HouseholdChangeKind, HouseUse, Registration, Relation, ResidentStatus, Sex
from .models import (
    Building,
    CareList,
    CareListMember,
    Compound,
    House,
    Household,
    HouseholdChange,
    HouseholdMember,
    Organisation,
    Patrol,
    PatrolCheckIn,
    PatrolPoint,
    Resident,
    Thing,
    ThingType,
    Visit,
)
from .services import CONTACT_PURPOSE, ID_PURPOSE, PHONE_PURPOSE

LANGYA = "琅琊小区"
LANGYA_GRIDS = (grid_data.LANGYA_FIRST_GRID, "琅琊小区第二网格")
BUILDINGS, HOUSEHOLDS, RESIDENTS = 18, 920, 3089
TODAY = dt.date(2026, 11, 1)  # the demo's "now": fixed, so the data are the same on every machine

ORGANISATIONS = [
    ("琅琊便民超市", "shop", "张立新"),
    ("铁路一村幼儿园", "school", "刘春梅"),
    ("左邻右舍志愿服务社", "social", "王秀英"),
    ("星火公益服务中心", "social", "赵明"),
    ("三里街琅琊菜市", "shop", "孙国庆"),
    ("合肥琅琊家政服务有限公司", "enterprise", "钱建平"),
]
CARE_SHARE = {"disabled": 45, "subsistence": 28, "left_behind_children": 12, "community_correction": 2,
              "special_hardship": 6, "mental_illness": 5}


class People:
    """Synthetic people: names, unique check-digit-valid identity numbers, phones."""

    def __init__(self, rng: random.Random, region: str):
        self.rng, self.region = rng, region
        self.ids: set[str] = set()

    def name(self) -> str:
        given = "".join(self.rng.choice(grid_data.GIVEN_NAME_CHARS) for _ in range(self.rng.choice((1, 2, 2, 2))))
        return self.rng.choice(grid_data.SURNAMES) + given

    def id_number(self, born: dt.date, sex: str) -> str:
        while True:
            order = self.rng.randrange(500) * 2 + (1 if sex == Sex.MALE else 0)
            body = f"{self.region}{born:%Y%m%d}{order:03d}"
            number = body + check_digit(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        return self.rng.choice(("139", "138", "137", "158", "189", "151")) + f"{self.rng.randrange(10**8):08d}"

    def born(self, low: int, high: int) -> dt.date:
        return TODAY - dt.timedelta(days=self.rng.randrange(low * 365, high * 365))


def _stamped(record, node: GridNode):
    record.node = node
    record.stamp_from(node)
    return record


def _point(rng: random.Random, grid: GridNode) -> tuple[float, float]:
    if grid.min_lon is None:
        return 117.3105 + rng.uniform(-0.002, 0.002), 31.8712 + rng.uniform(-0.002, 0.002)
    return (round(rng.uniform(grid.min_lon, grid.max_lon), 6), round(rng.uniform(grid.min_lat, grid.max_lat), 6))


def _sizes(rng: random.Random, households: int, people: int) -> list[int]:
    """Household sizes (1–6) adding up to `people` exactly."""
    sizes = [rng.choices((1, 2, 3, 4, 5, 6), weights=(12, 24, 30, 22, 9, 3))[0] for _ in range(households)]
    while sum(sizes) != people:
        i = rng.randrange(households)
        if sum(sizes) < people and sizes[i] < 6:
            sizes[i] += 1
        elif sum(sizes) > people and sizes[i] > 1:
            sizes[i] -= 1
    return sizes


def _resident(people: People, rng: random.Random, house: House, age: tuple[int, int], sex: str | None = None):
    sex = sex or rng.choice((Sex.MALE, Sex.FEMALE))
    born = people.born(*age)
    registration = rng.choices(
        (Registration.REGISTERED, Registration.FLOATING, Registration.OVERSEAS), weights=(85, 14, 1)
    )[0]
    resident = _stamped(Resident(name=people.name(), sex=sex, birth_date=born, registration=registration,
                                 house=house, status=ResidentStatus.LIVING), house.node)
    if registration == Registration.OVERSEAS:
        number = f"E{rng.randrange(10**8):08d}"
        resident.id_type = DocumentType.PASSPORT
        personal.set_field(resident, "id_number", ID_PURPOSE, number, masked=mask_id(number))
    else:
        resident.id_type = DocumentType.RESIDENT_ID
        personal.set_field(resident, "id_number", ID_PURPOSE, people.id_number(born, sex))
    if age[0] >= 16 and rng.random() < 0.8:
        personal.set_field(resident, "phone", PHONE_PURPOSE, people.phone())
    resident.occupation = rng.choice(("退休", "退休", "个体经营", "企业职工", "灵活就业", "待业", "教师", "司机")) \
        if age[0] >= 18 else ("学生" if age[0] >= 6 else "")
    return resident


FAMILY = {  # household size → (relation, age range) of the members after the head
    1: [],
    2: [(Relation.SPOUSE, (55, 85))],
    3: [(Relation.SPOUSE, (35, 60)), (Relation.CHILD, (6, 25))],
    4: [(Relation.SPOUSE, (35, 60)), (Relation.CHILD, (6, 25)), (Relation.PARENT, (65, 90))],
    5: [(Relation.SPOUSE, (35, 60)), (Relation.CHILD, (20, 35)), (Relation.PARENT, (65, 90)),
        (Relation.GRANDCHILD, (1, 10))],
    6: [(Relation.SPOUSE, (35, 60)), (Relation.CHILD, (20, 35)), (Relation.PARENT, (65, 90)),
        (Relation.PARENT, (65, 90)), (Relation.GRANDCHILD, (1, 10))],
}


def _households(rng, people, houses, sizes, log_rows) -> tuple[list, list, list, list]:
    """Households in the given houses with their members; returns (households, members, residents, heads)."""
    households, plan = [], []
    for house, size in zip(houses, sizes, strict=False):
        formed = TODAY - dt.timedelta(days=rng.randrange(200, 9000))
        households.append(_stamped(Household(house=house, formed_on=formed, number=f"{house.pk:07d}"), house.node))
        head_age = (65, 92) if size == 1 else (30, 70)
        family = [_resident(people, rng, house, head_age)]
        family += [_resident(people, rng, house, age) for _rel, age in FAMILY[size]]
        plan.append((family, [Relation.HEAD] + [rel for rel, _age in FAMILY[size]], formed))
    Household.objects.bulk_create(households, batch_size=500)
    residents = [r for family, _rels, _f in plan for r in family]
    Resident.objects.bulk_create(residents, batch_size=500)
    members, heads = [], []
    for household, (family, relations, formed) in zip(households, plan, strict=True):
        log_rows.append(HouseholdChange(household=household, kind=HouseholdChangeKind.FORMED, on_date=formed))
        for resident, relation in zip(family, relations, strict=True):
            members.append(HouseholdMember(household=household, resident=resident, relation=relation, joined_on=formed))
            log_rows.append(HouseholdChange(household=household, resident=resident, kind=HouseholdChangeKind.MOVED_IN,
                                            on_date=formed))
        heads.append((family[0], len(family)))
    HouseholdMember.objects.bulk_create(members, batch_size=1000)
    return households, members, residents, heads


def _moved_out_history(rng, people, households, log_rows, count: int) -> list[Resident]:
    """Former members who moved away: their memberships ended, their records kept (history, not deletion)."""
    movers = []
    for household in rng.sample(households, min(count, len(households))):
        person = _resident(people, rng, household.house, (18, 40))
        person.status, person.house = ResidentStatus.MOVED_OUT, None
        movers.append((household, person))
    Resident.objects.bulk_create([p for _h, p in movers])
    rows = []
    for household, person in movers:
        left = TODAY - dt.timedelta(days=rng.randrange(30, 700))
        joined = min(household.formed_on, left)
        rows.append(HouseholdMember(household=household, resident=person, relation=Relation.CHILD, joined_on=joined,
                                    left_on=left))
        log_rows.append(HouseholdChange(household=household, resident=person, kind=HouseholdChangeKind.MOVED_IN,
                                        on_date=joined))
        log_rows.append(HouseholdChange(household=household, resident=person, kind=HouseholdChangeKind.MOVED_OUT,
                                        on_date=left, note="外出务工，户口迁出"))
    HouseholdMember.objects.bulk_create(rows)
    return [p for _h, p in movers]


def _care(rng, tenant, heads, residents) -> int:
    lists = {c.code: c for c in CareList.objects.filter(tenant=tenant)}
    rows = []
    alone = [head for head, size in heads if size == 1 and head.birth_date <= TODAY - dt.timedelta(days=65 * 365)]
    for head in alone:
        rows.append(("elderly_alone", head, "独居，子女不在本市"))
    pool = [r for r in residents if r.status == ResidentStatus.LIVING]
    children = [r for r in pool if r.birth_date and r.birth_date > TODAY - dt.timedelta(days=16 * 365)]
    for code, count in CARE_SHARE.items():
        source = children if code == "left_behind_children" else pool
        reason = {"disabled": "持残疾人证", "subsistence": "家庭人均收入低于低保标准", "left_behind_children": "父母均在外务工",
                  "community_correction": "社区矫正期内", "special_hardship": "无劳动能力、无生活来源",
                  "mental_illness": "在册患者，定期随访"}[code]
        for person in rng.sample(source, min(count, len(source))):
            rows.append((code, person, reason))
    members = []
    seen = set()
    for code, person, reason in rows:
        if code not in lists or (code, person.pk) in seen:
            continue
        seen.add((code, person.pk))
        since = TODAY - dt.timedelta(days=rng.randrange(30, 1500))
        members.append(_stamped(CareListMember(care_list=lists[code], resident=person, since=since, reason=reason),
                                person.node))
    CareListMember.objects.bulk_create(members, batch_size=1000)
    return len(members)


def _things(rng, tenant, grid, count, building_pool) -> None:
    types = list(ThingType.objects.filter(tenant=tenant).order_by("code"))
    rows = []
    for i in range(count):
        kind = types[i % len(types)]
        lon, lat = _point(rng, grid)
        building = rng.choice(building_pool) if building_pool and rng.random() < 0.5 else None
        rows.append(_stamped(Thing(thing_type=kind, code=f"{kind.code.upper()[:3]}-{grid.code[-6:]}-{i + 1:03d}",
                                   lon=lon, lat=lat, building=building,
                                   status="damaged" if rng.random() < 0.08 else "in_service"), grid))
    Thing.objects.bulk_create(rows, batch_size=500)


def _houses_of(building: Building, per_floor: int = 2) -> list[House]:
    rows = []
    for unit in range(1, building.units + 1):
        for floor in range(1, building.floors + 1):
            for door in range(1, per_floor + 1):
                rows.append(_stamped(House(building=building, unit=str(unit), floor=floor,
                                           number=f"{floor}0{door}"), building.node))
    return rows


@transaction.atomic
def load_langya(tenant: Tenant, *, seed: int = 2026, log: Callable[[str], None] = print) -> dict | None:
    """Langya and the thinner rest of the district; None when the tenant has Langya already (or lacks its grids)."""
    if Compound.objects.filter(tenant=tenant, name=LANGYA).exists():
        return None
    grids = list(GridNode.objects.filter(tenant=tenant, kind="grid", name__in=LANGYA_GRIDS).order_by("code"))
    if len(grids) != 2:
        return None
    rng = random.Random(seed)
    install_registry_catalogue(tenant)
    people = People(rng, tenant.code)
    community = GridNode.objects.get(pk=grids[0].community_id)
    langya = _stamped(Compound(name=LANGYA, address="合肥市瑶海区三里街街道琅琊路", no_property_company=True,
                               no_supervising_department=True, no_security=True,
                               lon=_point(rng, grids[0])[0], lat=_point(rng, grids[0])[1]), community)
    langya.save()

    orgs = []
    for i, (name, kind, contact) in enumerate(ORGANISATIONS):
        grid = grids[i % 2]
        lon, lat = _point(rng, grid)
        org = _stamped(Organisation(name=name, kind=kind, contact_name=contact, address=f"琅琊路{10 + i}号",
                                    lon=lon, lat=lat), grid)
        personal.set_field(org, "contact_phone", CONTACT_PURPOSE, people.phone())
        orgs.append(org)
    Organisation.objects.bulk_create(orgs)

    buildings = []
    for n in range(1, BUILDINGS + 1):
        grid = grids[0] if n <= BUILDINGS // 2 else grids[1]
        lon, lat = _point(rng, grid)
        buildings.append(_stamped(Building(compound=langya, number=f"{n}栋", address=f"琅琊小区{n}栋",
                                           floors=6 if n <= 9 else 7, units=4, year_built=rng.choice((1991, 1993, 1995)),
                                           lon=lon, lat=lat), grid))
    Building.objects.bulk_create(buildings)
    houses = [h for b in buildings for h in _houses_of(b)]
    House.objects.bulk_create(houses, batch_size=1000)
    rng.shuffle(houses)
    occupied, vacant = houses[:HOUSEHOLDS], houses[HOUSEHOLDS:]
    for house in occupied:
        house.use = rng.choices((HouseUse.OWNER_OCCUPIED, HouseUse.RENTED), weights=(78, 22))[0]
    for house in vacant:
        house.use = HouseUse.VACANT
    House.objects.bulk_update(houses, ["use"], batch_size=1000)

    log_rows: list[HouseholdChange] = []
    households, _members, residents, heads = _households(
        rng, people, occupied, _sizes(rng, HOUSEHOLDS, RESIDENTS), log_rows
    )
    movers = _moved_out_history(rng, people, households, log_rows, 40)
    care = _care(rng, tenant, heads, residents)
    for grid in grids:
        _things(rng, tenant, grid, 24, [b for b in buildings if b.node_id == grid.pk])

    # The rest of the district: one building with a few households in every other resident grid.
    others = GridNode.objects.filter(tenant=tenant, kind="grid", subkind="resident", is_archived=False).exclude(
        pk__in=[g.pk for g in grids]
    ).order_by("code")
    thin_buildings = []
    for grid in others:
        lon, lat = _point(rng, grid)
        thin_buildings.append(_stamped(Building(number="1栋", address=f"{grid.name}1栋", floors=2, units=1,
                                                lon=lon, lat=lat), grid))
    Building.objects.bulk_create(thin_buildings, batch_size=500)
    thin_houses = [h for b in thin_buildings for h in _houses_of(b)]
    House.objects.bulk_create(thin_houses, batch_size=1000)
    thin_households, _m, thin_residents, thin_heads = _households(
        rng, people, thin_houses, [rng.choice((1, 2, 3, 3, 4)) for _ in thin_houses], log_rows
    )
    care += _care(random.Random(seed + 1), tenant, thin_heads, [])
    HouseholdChange.objects.bulk_create(log_rows, batch_size=2000)
    patrols, visits = _week_of_rounds(rng, grids, buildings, households)
    from .sweeps import refresh  # the care schedule the bulk rows skipped: due days, and the overdue reminded

    refresh(CareListMember.objects.filter(tenant=tenant))
    summary = {
        "buildings": len(buildings), "houses": len(houses), "households": len(households),
        "residents": len(residents), "moved_out": len(movers), "care": care, "organisations": len(orgs),
        "other_grids": len(thin_buildings), "other_residents": len(thin_residents), "patrols": patrols,
        "visits": visits,
    }
    log(f"{tenant}：琅琊小区 {summary['buildings']} 栋、{summary['households']} 户、{summary['residents']} 人"
        f"（另有迁出 {summary['moved_out']} 人的历史）；关爱对象 {summary['care']}；驻格单位 {summary['organisations']}；"
        f"其他 {summary['other_grids']} 个网格 {summary['other_residents']} 人；"
        f"近一周巡查 {summary['patrols']} 次、入户走访 {summary['visits']} 次。")
    return summary


def _week_of_rounds(rng, grids, buildings, households) -> tuple[int, int]:
    """The past week (from the day the demo is loaded) of the Langya grid workers: a morning patrol each working
    day with its track and check-ins, and visits to care-list households."""
    from django.utils import timezone

    from grids.models import Assignment

    workers = {
        a.node_id: a.user
        for a in Assignment.objects.filter(node__in=grids, post__code="grid_worker").select_related("user")
    }
    today = timezone.localdate()
    patrols, points, check_ins = [], [], []
    for grid in grids:
        worker = workers.get(grid.pk)
        if worker is None:
            continue
        mine = [b for b in buildings if b.node_id == grid.pk]
        for back in range(7, 0, -1):
            day = today - dt.timedelta(days=back)
            if day.weekday() >= 5:
                continue
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30 + rng.randrange(20))))
            patrol = _stamped(Patrol(worker=worker, started_at=start, ended_at=start + dt.timedelta(minutes=80)), grid)
            patrol.summary = "楼道堆物已提醒清理，井盖、路灯完好。"
            patrols.append((patrol, rng.sample(mine, min(6, len(mine)))))
    Patrol.objects.bulk_create([p for p, _b in patrols])
    for patrol, stops in patrols:
        seq = 0
        for i, stop in enumerate(stops):
            for _step in range(4):
                seq += 1
                points.append(PatrolPoint(patrol=patrol, seq=seq,
                                          recorded_at=patrol.started_at + dt.timedelta(minutes=3 * seq),
                                          lon=stop.lon + rng.uniform(-0.0003, 0.0003),
                                          lat=stop.lat + rng.uniform(-0.0003, 0.0003), accuracy_m=10))
            check_ins.append(PatrolCheckIn(patrol=patrol, building=stop, by_qr=i % 2 == 0,
                                           at=patrol.started_at + dt.timedelta(minutes=3 * seq)))
    PatrolPoint.objects.bulk_create(points, batch_size=2000)
    PatrolCheckIn.objects.bulk_create(check_ins)
    cared = set(
        CareListMember.objects.filter(resident__house__building__in=buildings, until__isnull=True)
        .values_list("resident__memberships__household_id", flat=True)
    )
    visits = []
    for household in households:
        if household.pk in cared and rng.random() < 0.6:
            worker = workers.get(household.node_id)
            if worker is not None:
                visits.append(_stamped(Visit(household=household, visitor=worker,
                                             visited_on=today - dt.timedelta(days=rng.randrange(1, 8)),
                                             purpose=rng.choice(("例行走访", "送温暖", "政策宣传", "安全检查")),
                                             findings=rng.choice(("身体状况良好", "需协助申请临时救助", "")),),
                                       household.node))
    Visit.objects.bulk_create(visits)
    return len(patrols), len(visits)
