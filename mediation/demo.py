"""The demo of mediation: a year of cases across 长淮街道 and 铁路一村社区 (bulk-written, seconds), the bodies, the
三官一律 roster with its community visits, Langya's property disputes at the sub-centre, referrals from the police
station (信警联治) and the court, and a few cases turned from 矛盾纠纷 events."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from events.models import Event
from grids.demo import data as grid_data
from grids.models import Assignment, GridNode

from .catalogue import install_dispute_types
from .choices import Status
from .models import Agreement, Body, Case, CaseLog, CaseParty, FollowUp, Mediator
from .services import due_date

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "秀英", "志强", "桂兰", "海燕", "德胜", "玉梅", "春生", "丽华", "宏伟", "凤英", "永康"]
FACTS = {
    "neighbours": ["楼上卫生间漏水至楼下，双方就维修费用协商未果", "邻居在楼道堆放杂物，影响通行引发争吵",
                   "装修噪音扰民，双方多次发生口角"],
    "family": ["夫妻因子女抚养问题发生矛盾", "兄弟姐妹因赡养老人费用分担产生纠纷"],
    "property": ["小区无物业管理，居民因公共维修费用分摊发生纠纷", "下水道堵塞反复，住户与原产权单位就维修责任争执",
                 "停车位占用引发住户之间纠纷"],
    "labour": ["小区周边商户拖欠务工人员工资"],
    "land": ["违章搭建影响相邻采光通风"],
    "debt": ["熟人之间借款到期未还"],
    "damages": ["电动车剐蹭致人受伤，双方就赔偿金额有争议", "宠物狗咬伤邻居"],
    "other": ["广场舞音响扰民引发纠纷"],
}
TRIADS = [("王法官", "judge", "婚姻家庭、民间借贷", "每月第一个周二到各社区"),
          ("陈检察官", "prosecutor", "未成年人保护、涉法信访", "每月第二个周三到各社区"),
          ("刘警官", "police", "治安纠纷、邻里纠纷", "每周五到辖区社区"),
          ("赵律师", "lawyer", "劳动争议、合同纠纷、物业纠纷", "每月第三个周四到各社区")]


def _name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _body(node, kind, name, head):
    body = Body(kind=kind, name=name, head=head, node=node)
    body.stamp_from(node)
    return body


def _head_of(node, today):
    found = Assignment.objects.current(today).filter(node=node, post__code="grid_head").first()
    return found.user if found else None


@transaction.atomic
def load(tenant, *, seed: int = 2026, count: int = 240, log=print) -> dict | None:
    """Load the demo once (None when it is there already, or when the demo tree is missing)."""
    if Body.objects.filter(tenant=tenant).exists():
        return None
    street = GridNode.objects.filter(tenant=tenant, kind="street", name=grid_data.CHANGHUAI).first()
    tielu = GridNode.objects.filter(tenant=tenant, kind="community", name=grid_data.TIELU_YICUN).first()
    if street is None or tielu is None:
        return None
    rng = random.Random(seed)
    today = timezone.localdate()
    types = install_dispute_types(tenant)
    communities = list(GridNode.objects.filter(parent=street, is_archived=False).order_by("code"))
    bodies = Body.objects.bulk_create(
        [_body(street, "street", "长淮街道人民调解委员会", _head_of(street, today)),
         _body(tielu, "community", "铁路一村社区人民调解委员会", _head_of(tielu, today)),
         _body(tielu, "sub_centre", "琅琊小区物业纠纷调解分中心", _head_of(tielu, today)),
         _body(street.parent, "judicial", "瑶海区人民法院诉前调解（驻长淮街道）", None)]
        + [_body(c, "community", f"{c.name}人民调解委员会", _head_of(c, today)) for c in communities]
    )
    street_body, tielu_body, sub_centre, court = bodies[:4]
    by_community = {b.node_id: b for b in bodies[4:]} | {tielu.pk: tielu_body}
    mediators = Mediator.objects.bulk_create(
        [Mediator(body=street_body, name=n, kind=k, fields=f, visits=v) for n, k, f, v in TRIADS]
        + [Mediator(body=b, name=_name(rng), kind="peoples", fields="邻里、婚姻家庭") for b in bodies if b is not court]
        + [Mediator(body=sub_centre, name=_name(rng), kind="invited", fields="物业纠纷")]
    )
    roster = {}
    for m in mediators:
        roster.setdefault(m.body_id, []).append(m)
    langya = list(GridNode.objects.filter(tenant=tenant, kind="grid", name__in=(
        grid_data.LANGYA_FIRST_GRID, "琅琊小区第二网格")))
    grids = list(GridNode.objects.filter(tenant=tenant, kind="grid", street=street, is_archived=False)) + list(
        GridNode.objects.filter(tenant=tenant, kind="grid", community=tielu, is_archived=False))
    registrar = _head_of(tielu, today) or _head_of(street, today)
    events = list(Event.objects.filter(tenant=tenant, main_category__name="矛盾纠纷", grid__in=grids)
                  .order_by("-id")[:6])
    cases, plans = [], []
    for i in range(count):
        on_event = events[i] if i < len(events) else None
        grid = on_event.grid if on_event else rng.choice(grids)
        langya_case = grid in langya and rng.random() < 0.7
        code = "property" if langya_case else rng.choice(list(FACTS))
        channel = "event" if on_event else rng.choices(
            ["walk_in", "phone", "police", "court", "petition"], [50, 20, 15, 8, 7])[0]
        langya_case = langya_case or (grid in langya and code == "property")
        body = sub_centre if langya_case else court if channel == "court" and rng.random() < 0.5 else (
            by_community.get(grid.community_id) or street_body)
        registered = today - dt.timedelta(days=rng.randint(0, 364))
        case = Case(number=f"TJ{registered:%Y}D{i + 1:05d}", channel=channel, dispute_type=types[code],
                    facts=rng.choice(FACTS[code]), amount=rng.choice([None, 500, 1200, 3000, 8000]),
                    risk=rng.choices(["low", "medium", "high"], [70, 24, 6])[0], body=body, event=on_event,
                    registered_by=registrar, node=grid)
        case.stamp_from(grid)
        cases.append(case)
        plans.append((case, registered))
    Case.objects.bulk_create(cases)
    parties, logs, agreements, follow_ups = [], [], [], []
    created = {}
    for case, registered in plans:
        created[case.pk] = timezone.make_aware(dt.datetime.combine(registered, dt.time(9)))
        parties += [CaseParty(case=case, role="applicant", kind="person", name=_name(rng)),
                    CaseParty(case=case, role="respondent", kind="person", name=_name(rng))]
        age = (today - registered).days
        status = Status.REGISTERED
        path = [("register", "", Status.REGISTERED)]
        if age > 2:
            status = Status.ACCEPTED if rng.random() > 0.03 else Status.REFUSED
            path.append(("accept" if status == Status.ACCEPTED else "refuse", Status.REGISTERED, status))
        if status == Status.ACCEPTED:
            case.accepted_on = registered + dt.timedelta(days=1)
            case.due_on = due_date(case.accepted_on)
            if age > 4:
                case.mediator = rng.choice(roster.get(case.body_id) or roster[street_body.pk])
                path += [("assign", Status.ACCEPTED, Status.ASSIGNED), ("begin", Status.ASSIGNED, Status.IN_MEDIATION)]
                status = Status.IN_MEDIATION
            if age > 20:
                outcome = rng.choices(["agree", "terminate", "refer"], [86, 9, 5])[0]
                status = {"agree": Status.AGREEMENT, "terminate": Status.TERMINATED, "refer": Status.REFERRED}[outcome]
                path.append((outcome, Status.IN_MEDIATION, status))
                signed = registered + dt.timedelta(days=rng.randint(3, 34))
                if outcome == "agree":
                    perform_by = signed + dt.timedelta(days=rng.randint(5, 30))
                    performance = rng.choices(["full", "partial", "none"], [88, 9, 3])[0] if age > 75 else ""
                    agreements.append(Agreement(case=case, terms="双方自愿达成协议：" + case.facts[:20] + "，由被申请人承担相应责任",
                                                performance_method="一次性支付" if rng.random() < 0.6 else "分期履行",
                                                perform_by=perform_by, signed_on=signed, performance=performance,
                                                form="written" if rng.random() < 0.85 else "oral"))
                    follow_ups.append(FollowUp(case=case, due_on=perform_by + dt.timedelta(days=7),
                                               visited_on=perform_by + dt.timedelta(days=8) if performance else None,
                                               performance=performance, note="当事人反映已履行" if performance else ""))
                    if performance:
                        path.append(("follow_up", Status.AGREEMENT, Status.FOLLOWED_UP))
                        status = Status.FOLLOWED_UP
                else:
                    case.reason = "一方不同意继续调解，告知可向人民法院起诉" if outcome == "terminate" else "涉及诉讼，移送人民法院"
                    case.referred_to = "litigation" if outcome == "refer" else ""
                if age > 120 and status in (Status.FOLLOWED_UP, Status.TERMINATED, Status.REFERRED):
                    path.append(("archive", status, Status.ARCHIVED))
                    status = Status.ARCHIVED
        case.status = status
        logs += [CaseLog(case=case, actor=registrar, action=a, from_status=f, to_status=t) for a, f, t in path]
    Case.objects.bulk_update(cases, ["status", "accepted_on", "due_on", "mediator", "reason", "referred_to"])
    for pk, at in created.items():
        Case.objects.filter(pk=pk).update(created_at=at)
    CaseParty.objects.bulk_create(parties)
    CaseLog.objects.bulk_create(logs)
    Agreement.objects.bulk_create(agreements)
    FollowUp.objects.bulk_create(follow_ups)
    summary = {"bodies": len(bodies), "mediators": len(mediators), "cases": len(cases),
               "agreements": len(agreements), "from_events": len(events)}
    log(f"{tenant}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    return summary
