"""Scope cases of the points routes (shape: tests/scope_cases.py). The viewer is the head of A/S1/C1."""

import datetime as dt

from django.utils import timezone

from points.services import earning, ledger, spending
from tests.scope_cases import by_id

PATHS = {"inside": "A/S1/C1/G1", "sibling": "A/S1/C2/G1", "foreign": "B/S1/C1/G1"}


def points_world(w):
    """For each of the three grids: a passbook with points, a submitted service record, a redemption."""
    from tests.registry.factories import resident

    found = {"account": {}, "record": {}, "redemption": {}}
    for which, path in PATHS.items():
        grid = w.node(path)
        community = w.node(path.rsplit("/", 1)[0])
        kind = earning.save_service_type(actor=None, tenant=grid.tenant, code="patrol", name="巡查")
        if not kind.versions.exists():
            earning.publish_rule(actor=None, service_type=kind, basis="per_hour", points=10,
                                 effective_from=dt.date(2024, 1, 1))
        person = resident(grid, name=f"志愿者{which}", phone=None)
        account = ledger.passbook_for_person(person=person)
        ledger.move(debit=ledger.issuing_account(node=community), credit=account, amount=100,
                    key=f"seed:{account.pk}", kind="grant")
        record = earning.register_service(actor=None, person=person, service_type=kind,
                                          started_at=timezone.now() - dt.timedelta(hours=3), minutes=60,
                                          key=f"scope:{account.pk}")
        reward = spending.save_reward(actor=None, node=community, name=f"奖品{which}", price=10, stock=5,
                                      valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2099, 12, 31))
        redemption = spending.redeem(actor=None, account=account, reward=reward, key=f"scope:{account.pk}")
        found["account"][which], found["record"][which], found["redemption"][which] = account, record, redemption
    return found


def evaluations(w):
    """For each of the three communities: a final 文明户评选 of 2025 with one nominated household."""
    from points.services import evaluation as ev
    from tests.points.factories import household

    found = {}
    published = timezone.make_aware(dt.datetime(2026, 1, 10, 9))
    for which, path in PATHS.items():
        home = household(w, grid_path=path, number=f"9{len(found)}1", head_name=f"户主{which}")
        community = w.node(path.rsplit("/", 1)[0])
        evaluation = ev.create_evaluation(actor=None, community=community, year=2025, title=f"文明户评选{which}",
                                          items=[("垃圾分类", 5)])
        ev.open_inspections(actor=None, evaluation=evaluation)
        ev.record_inspection(actor=None, evaluation=evaluation, household=home, item=evaluation.items.get(),
                             on_date=dt.date(2025, 5, 1))
        ev.score(actor=None, evaluation=evaluation)
        ev.publish(actor=None, evaluation=evaluation, now=published)
        ev.finalise(actor=None, evaluation=evaluation, now=published + dt.timedelta(days=30))
        evaluation.home = home
        found[which] = evaluation
    return found


def inspecting(w):
    """For each of the three communities: a 2025 evaluation with its inspections open and one household."""
    from points.services import evaluation as ev
    from tests.points.factories import household

    found = {}
    for n, (which, path) in enumerate(PATHS.items()):
        home = household(w, grid_path=path, number=f"8{n}1", head_name=f"户{which}")
        community = w.node(path.rsplit("/", 1)[0])
        evaluation = ev.create_evaluation(actor=None, community=community, year=2025, title=f"评选{which}",
                                          items=[("垃圾分类", 5)])
        ev.open_inspections(actor=None, evaluation=evaluation)
        evaluation.home = home
        found[which] = evaluation
    return found


def of(kind):
    return lambda w: points_world(w)[kind]


SCOPE_CASES = {
    "points-account-list": {"kind": "list", "objects": of("account"), "marker": by_id},
    "points-account-detail": {"kind": "object", "objects": of("account")},
    "points-account-entries": {"kind": "object", "objects": of("account")},
    "points-account-redeem": {"kind": "object", "objects": of("account"), "method": "post",
                              "data": {"reward": 1, "key": "k"}},
    "points-service-record-list": {"kind": "list", "objects": of("record"), "marker": by_id},
    "points-service-record-detail": {"kind": "object", "objects": of("record")},
    "points-service-record-approve": {"kind": "object", "objects": of("record"), "method": "post"},
    "points-service-record-reject": {"kind": "object", "objects": of("record"), "method": "post",
                                     "data": {"reason": "不符"}},
    "points-account-request-service": {"kind": "object", "objects": of("account"), "method": "post",
                                       "data": {"service_type": 1, "description": "陪同就医", "points": 5, "key": "k"}},
    "points-reward-list": {"kind": "list", "objects": lambda w: {k: r.reward for k, r in of("redemption")(w).items()},
                           "marker": by_id},
    "points-reward-detail": {"kind": "object", "objects": lambda w: {k: r.reward for k, r in
                                                                     of("redemption")(w).items()}},
    "points-redemption-list": {"kind": "list", "objects": of("redemption"), "marker": by_id},
    "points-redemption-detail": {"kind": "object", "objects": of("redemption")},
    "points-redemption-approve": {"kind": "object", "objects": of("redemption"), "method": "post"},
    "points-redemption-fulfil": {"kind": "object", "objects": of("redemption"), "method": "post"},
    "points-redemption-cancel": {"kind": "object", "objects": of("redemption"), "method": "post",
                                 "data": {"reason": "未到场"}},
    "points-redemption-qr": {"kind": "object", "objects": of("redemption"),
                             "kwargs": lambda r: {"token": spending.qr_token(r)}},
    "points-evaluation-list": {"kind": "list", "objects": evaluations, "marker": by_id},
    "points-evaluation-detail": {"kind": "object", "objects": evaluations},
    "points-evaluation-scores": {"kind": "object", "objects": evaluations},
    "points-evaluation-open": {"kind": "object", "objects": evaluations, "method": "post"},
    "points-evaluation-score": {"kind": "object", "objects": inspecting, "method": "post"},
    "points-evaluation-publish": {"kind": "object", "objects": evaluations, "method": "post"},
    "points-evaluation-reopen": {"kind": "object", "objects": evaluations, "method": "post", "data": {"note": "复核"}},
    "points-evaluation-finalise": {"kind": "object", "objects": evaluations, "method": "post"},
    "points-evaluation-inspections": {"kind": "object", "objects": inspecting, "method": "post",
                                      "data": {"household": 1, "item": 1, "on_date": "2025-05-01"}},
    "points-evaluation-objections": {"kind": "object", "objects": evaluations, "method": "post",
                                     "data": {"text": "有异议"}},
    "points:mine": {"kind": "self"},
    "points:register": {"kind": "self"},
    "points:account": {"kind": "object", "objects": of("account")},
    "points:statement": {"kind": "object", "objects": of("account")},
    "points:redeem": {"kind": "object", "objects": of("account"), "method": "post", "data": {"reward": 0, "key": "k"}},
    "points:queue": {"kind": "list", "objects": of("record"), "marker": lambda r: f'id="service-{r.pk}"'},
    "points:approve": {"kind": "object", "objects": of("record"), "method": "post"},
    "points:reject": {"kind": "object", "objects": of("record"), "method": "post", "data": {"reason": "不符"}},
    "points:evaluations": {"kind": "list", "objects": evaluations, "marker": lambda e: f'id="evaluation-{e.pk}"'},
    "points:evaluation": {"kind": "object", "objects": evaluations},
    "points:evaluation_new": {"kind": "self"},
    "points:evaluation_step": {"kind": "object", "objects": evaluations, "method": "post",
                               "kwargs": lambda e: {"pk": e.pk, "step": "score"}},
    "points:evaluation_inspect": {"kind": "object", "objects": inspecting, "method": "post",
                                  "data": {"household": 1, "item": 1, "on_date": "2025-05-01"}},
    "points:evaluation_objection": {"kind": "object", "objects": evaluations, "method": "post",
                                    "data": {"text": "有异议"}},
    "points:certificate": {"kind": "object", "objects": evaluations,
                           "kwargs": lambda e: {"pk": e.pk, "household": e.home.pk}},
    "points:confirm": {"kind": "object", "objects": of("redemption"),
                       "kwargs": lambda r: {"token": spending.qr_token(r)}},
}
