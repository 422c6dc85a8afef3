"""The case's table: every allowed step works and logs; every other is refused (409) and changes nothing."""

import datetime as dt

import pytest

from mediation import services
from mediation.choices import Status, Step
from mediation.models import Case, CaseLog
from mediation.workflow import CASE_WORKFLOW
from tests.workflows import allowed_cases, case_id, check_allowed, check_refused, refused_cases

from .conftest import HEAD, NOW

# How each status is reached from registration (the shortest path through the services).
PATHS = {
    Status.REGISTERED: [],
    Status.ACCEPTED: [Step.ACCEPT],
    Status.REFUSED: [Step.REFUSE],
    Status.ASSIGNED: [Step.ACCEPT, Step.ASSIGN],
    Status.IN_MEDIATION: [Step.ACCEPT, Step.ASSIGN, Step.BEGIN],
    Status.AGREEMENT: [Step.ACCEPT, Step.ASSIGN, Step.BEGIN, Step.AGREE],
    Status.TERMINATED: [Step.ACCEPT, Step.ASSIGN, Step.BEGIN, Step.TERMINATE],
    Status.REFERRED: [Step.ACCEPT, Step.REFER],
    Status.CONFIRMED: [Step.ACCEPT, Step.ASSIGN, Step.BEGIN, Step.AGREE, Step.CONFIRM],
    Status.FOLLOWED_UP: [Step.ACCEPT, Step.ASSIGN, Step.BEGIN, Step.AGREE, Step.FOLLOW_UP],
    Status.ARCHIVED: [Step.REFUSE, Step.ARCHIVE],
}


def take_step(med, case, step, actor=HEAD):
    user = med.user(actor)
    extra = {
        Step.REFUSE: {"reason": "不属于人民调解范围"},
        Step.ASSIGN: {"mediator": med.inside},
        Step.TERMINATE: {"reason": "一方拒绝继续调解，可向法院起诉"},
        Step.REFER: {"to": "litigation", "reason": "涉及刑事"},
        Step.AGREE: {"terms": "赔偿1200元", "perform_by": NOW.date() + dt.timedelta(days=10)},
    }.get(step, {})
    return getattr(services, str(step))(actor=user, case=case.pk, now=NOW, **extra)


def callables(med):
    def make(status, step):
        case = med.register()
        for s in PATHS[status]:
            take_step(med, case, s)
        return case

    def take(case, step, to, refused):
        take_step(med, case, step)

    def state(case):
        return Case.objects.filter(pk=case.pk).values().get()

    def logs(case):
        return list(CaseLog.objects.filter(case=case).order_by("id").values_list("from_status", "to_status", "actor_id"))

    return {"make": make, "take": take, "state": state, "logs": logs}


def test_paths_reach_every_status(med):
    assert set(PATHS) == set(Status.values)
    for status in Status.values:
        assert callables(med)["make"](status, None).__class__.objects.latest("id").status == status


@pytest.mark.parametrize("case", allowed_cases(CASE_WORKFLOW), ids=case_id)
def test_allowed_step_works_and_logs(med, case):
    check_allowed(CASE_WORKFLOW, *case, **callables(med))


@pytest.mark.parametrize("status", sorted({s for s, _ in refused_cases(CASE_WORKFLOW)}))
def test_every_other_step_is_refused_and_changes_nothing(med, status):
    steps = [step for s, step in refused_cases(CASE_WORKFLOW) if s == status]
    check_refused(CASE_WORKFLOW, status, steps, **callables(med))


def test_out_of_scope_is_not_found(med):
    from yaohai.core.errors import NotFound

    case = med.register()
    for key in ("A/S1/C2:grid_head", "B/S1/C1:grid_head", "A/S1/C2/G1:police"):
        with pytest.raises(NotFound):
            services.accept(actor=med.user(key), case=case.pk, now=NOW)
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED


def test_a_mediator_may_not_accept(med):
    from yaohai.core.errors import NotAllowed

    case = med.register()
    with pytest.raises(NotAllowed):
        services.accept(actor=med.inside_user, case=case.pk, now=NOW)
