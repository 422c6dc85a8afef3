"""The demo of party building and co-governance, with the article's figures (shared/seed/FACTS.md): Langya's 89
members, 2 grid branches, 5 building groups, 5 central households, 8 alley stewards and its 左邻右舍 station;
铁路一村's 15 grid party branches; 长淮街道's four-level tree and a co-governance committee in each of its grids;
the 家门口服务站 of 火车站社区 with its sections; 宝文国际花园's committee with its topics taken through to
resolutions and a published notice. Written through the services (as the system, `actor=None`), with the
registry's demo people where they exist (registry/demo.py); a fixed clock, so every run gives the same data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import cycle

from django.db import transaction

from grids.demo import data as grid_data
from grids.models import GridNode, Tenant, User
from registry.models import Building, Household, HouseholdMember, Organisation, Resident

from . import services
from .models import PartyOrg

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 1, 9, 0, tzinfo=TZ)  # the registry demo's "today"
LANGYA_MEMBERS, LANGYA_GROUPS, LANGYA_CENTRALS, STEWARDS = 89, 5, 5, 8
TIELU_BRANCHES = 15
BAOWEN_TOPICS = (
    ("小区缺少居民活动场地", "居民反映小区没有活动场地，老人和孩子只能在车行道上活动。",
     "将 3 号楼东侧闲置自行车棚改造为居民活动室，物业提供场地，共建单位出资添置桌椅。"),
    ("毁绿种菜整治", "部分居民在小区绿地上开荒种菜，破坏绿化，引发邻里矛盾。",
     "限期一个月由居民自行清理，逾期由物业统一恢复绿化；纳入文明户评议，设“共享菜园”认领点。"),
    ("平安小区创建", "小区技防设施老化，夜间照明不足，外来人员进出无登记。",
     "增设 12 个监控探头和 20 盏路灯，单元门禁升级；楼栋长轮流值守，参与平安巡逻积分。"),
)


def _grid(tenant, name) -> GridNode | None:
    return GridNode.objects.filter(tenant=tenant, kind="grid", name=name).first()


def _node(tenant, kind, name) -> GridNode | None:
    return GridNode.objects.filter(tenant=tenant, kind=kind, name=name).first()


def _adults(grid_ids, count, exclude=()) -> list[Resident]:
    born_before = dt.date(2004, 1, 1)
    return list(
        Resident.objects.filter(grid_id__in=grid_ids, status="living", birth_date__lt=born_before)
        .exclude(pk__in=list(exclude)).order_by("id")[:count]
    )


def load(tenant: Tenant, *, log: Callable[[str], None] = print) -> dict | None:
    """Load the demo into the district; None when it is there already (or the demo tree is missing)."""
    if PartyOrg.objects.filter(tenant=tenant).exists():
        return None
    sanlijie = _node(tenant, "street", grid_data.SANLIJIE)
    changhuai = _node(tenant, "street", grid_data.CHANGHUAI)
    if sanlijie is None or changhuai is None:
        return None
    with transaction.atomic():
        summary = {}
        root = services.create_root(tenant=tenant, name=f"中共{tenant.name}委员会")
        summary.update(_tielu(tenant, root, sanlijie, log))
        summary.update(_changhuai(tenant, root, changhuai, log))
    return summary


def _tielu(tenant, root, street, log) -> dict:
    """三里街街道 → 铁路一村社区党委 → 15 grid branches (2 of them Langya's, with 5 building groups); Langya's members,
    central households, alley stewards, partner units and the 左邻右舍 station."""
    working = services.create_org(parent=root, subkind="working_committee", name=f"中共{street.name}工作委员会",
                                  node=street)
    community = _node(tenant, "community", grid_data.TIELU_YICUN)
    committee = services.create_org(parent=working, subkind="party_committee", name="中共铁路一村社区委员会",
                                    node=community)
    grids = list(GridNode.objects.filter(parent=community, kind="grid").order_by("code"))
    langya = [g for g in grids if g.name.startswith("琅琊小区")]
    branches = []
    for n, grid in enumerate(langya, start=1):
        branch = services.create_org(parent=committee, subkind="grid_branch", name=f"琅琊小区第{'一二'[n - 1]}网格党支部")
        services.set_led_grids(org=branch, grids=[grid])
        branches.append(branch)
    others = [g for g in grids if g not in langya] or grids
    for n, grid in zip(range(len(branches) + 1, TIELU_BRANCHES + 1), cycle(others), strict=False):
        branch = services.create_org(parent=committee, subkind="grid_branch", name=f"铁路一村第{n}网格党支部")
        services.set_led_grids(org=branch, grids=[grid])
    log(f"铁路一村社区：{TIELU_BRANCHES} 个网格党支部")
    # Langya's building groups, each over a few of its buildings.
    buildings = list(Building.objects.filter(grid_id__in=[g.pk for g in langya]).order_by("grid_id", "number"))
    groups = []
    for n in range(LANGYA_GROUPS):
        branch = branches[n % len(branches)] if branches else committee
        group = services.create_org(parent=branch, subkind="building_group", name=f"琅琊小区第{n + 1}楼栋党小组")
        mine = [b for b in buildings[n::LANGYA_GROUPS] if b.grid_id in {g.pk for g in branch.led_grids.all()}] \
            if branches else []
        if mine:
            services.set_led_buildings(org=group, buildings=mine)
        groups.append(group)
    people = _adults([g.pk for g in langya], LANGYA_MEMBERS)
    branch_of_grid = {grid.pk: branch for grid, branch in zip(langya, branches, strict=False)}
    groups_of = {}
    for group in groups:
        groups_of.setdefault(group.parent_id, []).append(group)
    members = []
    for n, person in enumerate(people):
        home = branch_of_grid.get(person.grid_id, committee)
        mine = groups_of.get(home.pk)
        org = mine[n % len(mine)] if mine and n % 3 == 0 else home
        members.append(services.admit_member(
            org=org, resident=person, joined_on=dt.date(1975 + n % 45, 7, 1),
            status="probationary" if n % 30 == 29 else "formal", in_service=n % 10 == 0,
            work_unit="瑶海区机关事务中心" if n % 10 == 0 else "",
        ))
    log(f"琅琊小区：{len(members)} 名党员，{len(branches)} 个网格党支部，{len(groups)} 个楼栋党小组")
    centrals = 0
    if members:
        heads = dict(HouseholdMember.objects.filter(resident_id__in=[m.resident_id for m in members],
                                                    left_on__isnull=True, relation="head")
                     .values_list("resident_id", "household_id"))
        chosen = [m for m in members if m.resident_id in heads][:LANGYA_CENTRALS]
        taken = set(heads.values())
        for member in chosen:
            central = services.name_central_household(
                member=member, since=dt.date(2023, 3, 1), household=Household.objects.get(pk=heads[member.resident_id])
            )
            near = list(Household.objects.filter(grid_id=central.grid_id, dissolved_on__isnull=True)
                        .exclude(pk__in=taken).order_by("id")[:10])
            for household in near:
                services.look_after(central=central, household=household, since=dt.date(2023, 3, 1))
                taken.add(household.pk)
            centrals += 1
        for member in [m for m in members if m.in_service][:3]:
            registration = services.register_at_home(member=member, community=community, on_date=dt.date(2024, 3, 5))
            services.log_service_hours(registration=registration, on_date=dt.date(2026, 10, 12), hours="3",
                                       what="琅琊小区环境整治")
    log(f"琅琊小区：{centrals} 户党员中心户")
    if langya:
        stewards = services.form_team(node=community, name="琅琊小巷管家服务队", kind="stewards", brand="zuolin")
        crew = _adults([g.pk for g in langya], STEWARDS, exclude=[m.resident_id for m in members])
        if crew:
            services.join_team(team=stewards, residents=crew, on_date=dt.date(2022, 5, 1))
            services.set_leader(team=stewards, leader=crew[0])
        services.form_team(node=community, name="星火公益志愿服务队", kind="volunteers", brand="xinghuo")
        for organisation in Organisation.objects.filter(grid_id__in=[g.pk for g in langya]).order_by("id")[:4]:
            services.enlist_partner(node=community, organisation=organisation, since=dt.date(2023, 1, 1),
                                    offers=[("rewards", "积分兑换商品"), ("services", "上门便民服务")])
        station = services.open_centre(
            node=langya[0], level="station", name="琅琊小区左邻右舍党群服务站", place="琅琊小区 1 栋一楼",
            hours="每天 8:30-20:00", sections=[("party", "党员活动室"), ("convenience", "便民服务"),
                                              ("charity", "左邻右舍志愿服务")],
        )
        organiser = User.objects.filter(tenant=tenant).order_by("id").first()
        if organiser:
            start = NOW + dt.timedelta(days=10)
            services.plan_activity(centre=station, section="charity", title="小巷管家清洁家园", starts_at=start,
                                   ends_at=start + dt.timedelta(hours=2), place="琅琊小区中心广场", capacity=30,
                                   organiser=organiser)
        log(f"琅琊小区：{STEWARDS} 名小巷管家，左邻右舍服务站")
    return {"tielu_branches": TIELU_BRANCHES, "langya_members": len(members), "langya_centrals": centrals}


def _changhuai(tenant, root, street, log) -> dict:
    """长淮街道: working committee → community committees → a grid branch per grid → a building group in the
    resident grids; a co-governance committee per grid; three levels of centres; 宝文国际花园's topics."""
    working = services.create_org(parent=root, subkind="working_committee", name=f"中共{street.name}工作委员会",
                                  node=street)
    branches = groups = committees = 0
    for community in GridNode.objects.filter(parent=street, kind="community").order_by("code"):
        committee = services.create_org(parent=working, subkind="party_committee",
                                        name=f"中共{community.name}委员会", node=community)
        for grid in GridNode.objects.filter(parent=community, kind="grid", is_archived=False).order_by("code"):
            branch = services.create_org(parent=committee, subkind="grid_branch", name=f"{grid.name}党支部")
            services.set_led_grids(org=branch, grids=[grid])
            branches += 1
            if grid.subkind == "resident":
                services.create_org(parent=branch, subkind="building_group", name=f"{grid.name}楼栋党小组")
                groups += 1
            services.set_up_committee(grid=grid, name=f"{grid.name}共治委员会")
            committees += 1
    log(f"长淮街道：四级党组织（{branches} 个网格党支部、{groups} 个楼栋党小组），{committees} 个网格共治委员会")
    organiser = User.objects.filter(tenant=tenant).order_by("id").first()
    services.open_centre(node=street, level="street", name="长淮街道党群服务中心", place="长淮街道办事处一楼",
                         hours="周一至周五 8:30-17:30", sections=[("party", ""), ("consult", ""), ("convenience", "")])
    huochezhan = _node(tenant, "community", grid_data.HUOCHEZHAN)
    if huochezhan is not None:
        services.open_centre(node=huochezhan, level="community", name="火车站社区党群服务中心", place="火车站社区居委会",
                             hours="周一至周六 8:30-17:30", sections=[("party", ""), ("consult", "")])
        station = services.open_centre(
            node=huochezhan, level="station", name="火车站社区家门口服务站", place="火车站社区站前小区",
            hours="每天 8:00-20:00",
            sections=[("party", "基层党建"), ("consult", "协商自治"), ("culture", "文体活动"),
                      ("convenience", "便民服务"), ("charity", "公益兴趣")],
        )
        if organiser:
            for days, section, title in ((5, "culture", "广场舞教学"), (7, "convenience", "义诊与理发"),
                                         (12, "party", "主题党日")):
                start = NOW + dt.timedelta(days=days)
                services.plan_activity(centre=station, section=section, title=title, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=2), place="家门口服务站", capacity=40,
                                       organiser=organiser)
    topics = _baowen(tenant, organiser)
    log(f"宝文国际花园：{topics} 个议题办结并公示")
    return {"changhuai_branches": branches, "changhuai_committees": committees, "baowen_topics": topics}


def _baowen(tenant, organiser) -> int:
    grid = _grid(tenant, "宝文国际花园第一网格")
    if grid is None:
        return 0
    from .models import Committee

    committee = Committee.objects.filter(node=grid, compound__isnull=True).first()
    committee.name = "宝文国际花园共治委员会"
    committee.save(update_fields=["name"])
    if organiser:
        for seat in ("grid_worker", "owners_committee", "property"):
            services.seat_member(committee=committee, seat=seat, user=organiser, term_start=dt.date(2024, 1, 1))
    services.form_team(node=grid, name="宝文国际花园太极队", kind="interest")
    done = 0
    for n, (title, description, resolution) in enumerate(BAOWEN_TOPICS):
        raised = NOW - dt.timedelta(days=60 - 10 * n)
        topic = services.raise_topic(actor=None, node=grid, title=title, description=description, source="committee",
                                     committee=committee, due_on=(raised + dt.timedelta(days=30)).date(), now=raised)
        services.accept_topic(actor=None, topic=topic)
        meeting = services.schedule_meeting(actor=None, topic=topic, starts_at=raised + dt.timedelta(days=7),
                                            place="宝文国际花园议事厅", agenda=description)
        services.record_meeting(actor=None, meeting=meeting, minutes=f"议事会讨论“{title}”，形成决议：{resolution}",
                                users=[organiser] if organiser else [],
                                votes=[(resolution[:60], 15 + n, 2, 1)])
        services.resolve_topic(actor=None, topic=topic, resolution=resolution,
                               on_date=(raised + dt.timedelta(days=8)).date())
        task = services.add_follow_up(actor=None, topic=topic, title=f"落实：{title}"[:100],
                                      due_on=(raised + dt.timedelta(days=25)).date())
        services.finish_follow_up(actor=None, follow_up=task, on_date=(raised + dt.timedelta(days=20)).date())
        services.implement_topic(actor=None, topic=topic)
        notice = services.draft_notice(actor=None, topic=topic, title=f"关于“{title}”议事结果的公示",
                                       body=resolution, period_days=7)
        services.publish_notice(actor=None, notice=notice, now=raised + dt.timedelta(days=9))
        services.close_topic(actor=None, topic=topic, on_date=(raised + dt.timedelta(days=21)).date())
        done += 1
    rule = services.raise_topic(actor=None, node=grid, title="文明户评议积分办法", source="committee", committee=committee,
                                description="制定文明户评议和积分兑换办法。", due_on=(NOW + dt.timedelta(days=20)).date(),
                                now=NOW - dt.timedelta(days=5))
    services.accept_topic(actor=None, topic=rule)
    return done
