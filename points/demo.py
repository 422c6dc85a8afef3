"""The demo passbooks: Langya's 8 alley stewards (小巷管家) and a dozen other volunteers with a year of services
registered, approved by the community (铁路一村社区's grid head) and a resident representative, credited under the
published rules; partner units (好帮手单位, the registry's Langya organisations) with rewards; redemptions, some
handed over, one cancelled with its refund; and a household's request for a volunteer's help (the two-way exchange).
Everything goes through the services, so the ledger is whole and `check_ledger` passes."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grids import services as grids
from grids.catalogue import install_post_catalogue
from grids.demo.data import TIELU_YICUN
from grids.models import GridNode, Post, Tenant, User
from registry.demo import LANGYA_GRIDS
from registry.models import Household, Organisation, Resident

from .catalogue import install_points_posts
from .models import Account, ServiceType
from .services import earning, ledger, spending

YEAR_START = dt.date(2025, 11, 1)  # a year up to the demo's "now" (registry.demo.TODAY, 2026-11-01)
STEWARDS = 8
VOLUNTEERS = 12
SERVICE_TYPES = [  # code, name, basis, points, daily cap, monthly cap
    ("alley_patrol", "楼道巡查", "per_hour", 10, 40, 300),
    ("elderly_help", "助老服务", "per_hour", 15, 45, 300),
    ("clean_up", "环境整治", "per_occasion", 20, 40, 200),
    ("mediation_help", "邻里调解协助", "per_occasion", 30, 60, 240),
    ("escort", "陪同就医", "per_occasion", 25, 50, 200),
    ("report", "随手拍上报", "per_occasion", 5, 20, 100),
]
REWARDS = [  # sponsor (registry organisation, or None for the community), name, price, stock, limit
    ("琅琊便民超市", "洗衣液一瓶", 80, 60, 4),
    ("琅琊便民超市", "食用油一桶", 200, 30, 2),
    ("三里街琅琊菜市", "新鲜蔬菜礼包", 60, 80, 6),
    ("合肥琅琊家政服务有限公司", "两小时家政服务", 300, 20, 1),
    (None, "社区理发券", 50, 100, 6),
    (None, "e网清 文明户 纪念帆布袋", 120, 40, 1),
]


def _user(tenant, username, name, post_code, node) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, tenant=tenant, display_name=name)
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        grids.assign(user=user, post=Post.objects.get(tenant=tenant, code=post_code), node=node,
                     start_date=YEAR_START - dt.timedelta(days=30))
    return user


def load_points(tenant: Tenant, *, seed: int = 2026, log: Callable[[str], None] = print) -> dict | None:
    """Load the demo passbooks into the tenant; None when loaded already or the Langya registry is missing."""
    if ServiceType.objects.filter(tenant=tenant).exists():
        return None
    grid_nodes = list(GridNode.objects.filter(tenant=tenant, kind="grid", name__in=LANGYA_GRIDS).order_by("code"))
    community = GridNode.objects.filter(tenant=tenant, kind="community", name=TIELU_YICUN).first()
    if not grid_nodes or community is None:
        return None
    people = list(Resident.objects.filter(grid__in=grid_nodes, status="living", birth_date__isnull=False)
                  .order_by("id")[:400])
    if len(people) < STEWARDS + VOLUNTEERS:
        return None
    rng = random.Random(seed)
    install_post_catalogue(tenant)  # the heads' posts gain the points rights
    install_points_posts(tenant)
    officer = User.objects.filter(username="tielu_officer").first() or _user(
        tenant, "tielu_points_officer", "铁路一村社区积分审核", "grid_head", community)
    registrar = _user(tenant, "langya_registrar", "琅琊小区登记员 周丽", "registrar", community)
    representative = _user(tenant, "langya_representative", "居民代表 何德胜", "resident_representative", community)
    steward_user = User.objects.filter(username="langya_steward").first()
    if steward_user is None:
        steward_user = User(username="langya_steward", tenant=tenant, display_name="小巷管家 张玉梅")
        steward_user.set_password(settings.DEMO_PASSWORD)
        steward_user.save()

    with transaction.atomic():
        kinds = {}
        for code, name, basis, points, daily, monthly in SERVICE_TYPES:
            kind = earning.save_service_type(actor=None, tenant=tenant, code=code, name=name)
            earning.publish_rule(actor=None, service_type=kind, basis=basis, points=points, daily_cap=daily,
                                 monthly_cap=monthly, registration="automatic" if code == "report" else "registrar",
                                 effective_from=YEAR_START - dt.timedelta(days=60))
            kinds[code] = kind
        # The rule for patrols was raised in the spring: a second version, in force from 1 April.
        earning.publish_rule(actor=None, service_type=kinds["alley_patrol"], basis="per_hour", points=12,
                             daily_cap=48, monthly_cap=320, effective_from=dt.date(2026, 4, 1))

    rng.shuffle(people)
    stewards, volunteers = people[:STEWARDS], people[STEWARDS:STEWARDS + VOLUNTEERS]
    counts = {"services": 0, "credited": 0, "rejected": 0, "redemptions": 0}
    served = [(p, 48, ["alley_patrol", "alley_patrol", "elderly_help", "clean_up", "mediation_help"])
              for p in stewards]
    served += [(p, 12, ["elderly_help", "clean_up", "escort"]) for p in volunteers]
    now = timezone.make_aware(dt.datetime(2026, 10, 31, 18))
    for person, times, menu in served:
        for n in range(times):
            day = YEAR_START + dt.timedelta(days=int(n * 365 / times) + rng.randrange(0, 5))
            started = timezone.make_aware(dt.datetime.combine(day, dt.time(8 + rng.randrange(0, 9), 0)))
            if started >= now:
                continue
            code = rng.choice(menu)
            with transaction.atomic():
                record = earning.register_service(
                    actor=registrar, person=person, service_type=kinds[code], started_at=started,
                    key=f"demo:service:{person.pk}:{n}", minutes=rng.choice([60, 90, 120, 180]), occasions=1, description=kinds[code].name,
                )
                counts["services"] += 1
                if rng.random() < 0.03:
                    earning.reject(actor=representative, record=record, reason="照片与登记内容不符")
                    counts["rejected"] += 1
                    continue
                first, second = (officer, representative) if rng.random() < 0.5 else (representative, officer)
                earning.approve(actor=first, record=record)
                if day < dt.date(2026, 10, 25):  # the last week's services still wait in the queues
                    earning.approve(actor=second, record=record)
                    counts["credited"] += 1
    # The first steward signs in as langya_steward and sees her passbook.
    ledger.link_holder(account=ledger.passbook_for_person(person=stewards[0]), user=steward_user)

    rewards = []
    for sponsor_name, name, price, stock, limit in REWARDS:
        sponsor = Organisation.objects.filter(tenant=tenant, name=sponsor_name).first() if sponsor_name else None
        if sponsor is not None and sponsor.community_id != community.pk:
            sponsor = None
        rewards.append(spending.save_reward(
            actor=None, node=community, name=name, price=price, stock=stock, sponsor=sponsor,
            per_account_limit=limit, valid_from=YEAR_START, valid_until=dt.date(2027, 12, 31),
            description=f"{sponsor_name or '铁路一村社区'}提供",
        ))
    books = list(Account.objects.filter(person__in=stewards + volunteers).order_by("id"))
    for i, book in enumerate(books):
        for j in range(rng.randrange(1, 4)):
            book.refresh_from_db()
            affordable = [r for r in rewards if r.price <= book.balance]
            if not affordable:
                break
            reward = rng.choice(affordable)
            try:
                with transaction.atomic():
                    redemption = spending.redeem(actor=None, account=book, reward=reward, key=f"demo:{book.pk}:{j}")
                    if (i + j) % 7 == 0:
                        spending.cancel(actor=None, redemption=redemption, reason="居民临时外出，未能领取")
                    elif (i + j) % 3:
                        spending.fulfil(actor=officer, redemption=redemption)
                counts["redemptions"] += 1
            except Exception as refused:  # the limit per passbook: the demo simply skips it
                if not hasattr(refused, "status"):
                    raise
    household = Household.objects.filter(node__in=grid_nodes).order_by("id").first()
    if household is not None:
        home = ledger.passbook_for_household(household=household)
        ledger.move(debit=ledger.issuing_account(node=community), credit=home, amount=60, key="demo:household-seed",
                    kind="grant", memo="文明户奖励积分")
        request = spending.request_service(actor=None, account=home, service_type=kinds["escort"],
                                           description="陪同独居老人到市二院复诊", points=25, key="demo:escort")
        record = earning.register_service(actor=registrar, person=volunteers[0], service_type=kinds["escort"],
                                          started_at=now - dt.timedelta(days=3), occasions=1, request=request,
                                          key="demo:escort-service",
                                          description=request.description)
        earning.approve(actor=officer, record=record)
        earning.approve(actor=representative, record=record)
    log(f"{tenant}：积分存折 {len(books)} 本，服务记录 {counts['services']} 条（入账 {counts['credited']}，"
        f"驳回 {counts['rejected']}），兑换 {counts['redemptions']} 次")
    return counts


# 宝文国际花园's 2025 文明户评选: the rules its co-governance committee adopted (parties.demo raised the topic
# “文明户评议积分办法”; FACTS.md: the committee adopted civilised-household evaluation with points), a year of
# inspections, the households' passbook participation, the ranking, and the public notice with its objection period.
BAOWEN_GRIDS = ("宝文国际花园第一网格", "宝文国际花园第二网格")
BAOWEN_YEAR = 2025
BAOWEN_ITEMS = [  # the scoring items: points up or down per inspection
    ("垃圾分类达标", 5),
    ("无违章搭建", 5),
    ("参加志愿服务", 3),
    ("邻里和睦", 3),
    ("参与平安巡逻", 3),
    ("毁绿种菜", -10),
]
BAOWEN_PUBLISHED = dt.datetime(2026, 1, 12, 9)  # the notice went up in January, objections for 7 days


def load_baowen_evaluation(tenant: Tenant, *, seed: int = 2025, log: Callable[[str], None] = print) -> dict | None:
    """宝文国际花园's 2025 civilised-household evaluation, through points.services.evaluation, left with its notice
    published (公示); None when loaded already or when the grids, the committee or the households are missing."""
    from parties.models import Committee

    from .models import Evaluation
    from .services import evaluation as ev

    grids = list(GridNode.objects.filter(tenant=tenant, kind="grid", name__in=BAOWEN_GRIDS).order_by("code"))
    if not grids:
        return None
    community = GridNode.objects.get(pk=grids[0].community_id)
    if Evaluation.objects.filter(tenant=tenant, node=community, year=BAOWEN_YEAR).exists():
        return None
    committee = Committee.objects.filter(node=grids[0], compound__isnull=True).first()
    households = list(Household.objects.filter(node__in=grids, formed_on__lt=dt.date(BAOWEN_YEAR, 12, 1),
                                               dissolved_on__isnull=True).order_by("id"))
    if committee is None or not households:
        return None
    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        evaluation = ev.create_evaluation(
            actor=None, community=community, year=BAOWEN_YEAR, title=f"宝文国际花园{BAOWEN_YEAR}年度文明户评选",
            items=BAOWEN_ITEMS, committee=committee, participation_per=10, nominees=max(1, len(households) // 2),
            notice_days=7,
        )
        ev.open_inspections(actor=None, evaluation=evaluation, note="共治委员会通过《文明户评议积分办法》")
        items = {item.name: item for item in evaluation.items.all()}
        inspections = 0
        for quarter, month in enumerate((3, 6, 9, 12)):
            for household in households:
                on_date = dt.date(BAOWEN_YEAR, month, 10 + rng.randrange(0, 15))
                if on_date < household.formed_on:  # moved in later in the year
                    continue
                found = ["垃圾分类达标"] if rng.random() < 0.8 else []
                if rng.random() < 0.7:
                    found.append("无违章搭建")
                if rng.random() < 0.4:
                    found.append(rng.choice(["参加志愿服务", "邻里和睦", "参与平安巡逻"]))
                if quarter == 0 and rng.random() < 0.15:  # the green-space vegetable plots, cleared in the spring
                    found.append("毁绿种菜")
                for name in found:
                    ev.record_inspection(actor=None, evaluation=evaluation, household=household, item=items[name],
                                         on_date=on_date, note="季度入户检查")
                    inspections += 1
        issuing = ledger.issuing_account(node=community)
        for n, household in enumerate(households):  # the household passbooks' service points of the year
            if rng.random() < 0.6:
                home = ledger.passbook_for_household(household=household)
                ledger.move(debit=issuing, credit=home, amount=rng.choice([20, 30, 40, 60]),
                            key=f"demo:baowen:{household.pk}", kind="grant", memo="参加小区志愿服务",
                            occurred_at=dt.datetime(BAOWEN_YEAR, 5 + n % 6, 15, 10, tzinfo=tz))
        ev.score(actor=None, evaluation=evaluation)
        published = BAOWEN_PUBLISHED.replace(tzinfo=tz)
        ev.publish(actor=None, evaluation=evaluation, now=published)
        ev.record_objection(actor=None, evaluation=evaluation, text="建议核实部分住户楼道堆物情况后再确定名单。",
                            now=published + dt.timedelta(days=2))
    nominated = evaluation.scores.filter(nominated=True).count()
    log(f"{evaluation.title}：{len(households)} 户参评，检查记录 {inspections} 条，提名 {nominated} 户，公示至 "
        f"{Evaluation.objects.get(pk=evaluation.pk).notice_ends_on:%Y-%m-%d}")
    return {"households": len(households), "inspections": inspections, "nominated": nominated}
