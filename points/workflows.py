"""The points app's workflow tables (yaohai.core.workflow): a service record needs both approvals, in either order."""

from django.utils.translation import gettext_lazy as _

from yaohai.core import workflow
from yaohai.core.workflow import Rule, Workflow

from .choices import ServiceStatus as S
from .choices import ServiceStep as T
from .choices import ServiceWho as W

SERVICE_TABLE = {
    (S.SUBMITTED, T.APPROVE_COMMUNITY): Rule(to=(S.COMMUNITY_APPROVED,), who=W.APPROVER),
    (S.SUBMITTED, T.APPROVE_REPRESENTATIVE): Rule(to=(S.REPRESENTATIVE_APPROVED,), who=W.REPRESENTATIVE),
    (S.REPRESENTATIVE_APPROVED, T.APPROVE_COMMUNITY): Rule(to=(S.CREDITED,), who=W.APPROVER),
    (S.COMMUNITY_APPROVED, T.APPROVE_REPRESENTATIVE): Rule(to=(S.CREDITED,), who=W.REPRESENTATIVE),
    (S.SUBMITTED, T.REJECT): Rule(to=(S.REJECTED,), who=W.EITHER),
    (S.COMMUNITY_APPROVED, T.REJECT): Rule(to=(S.REJECTED,), who=W.EITHER),
    (S.REPRESENTATIVE_APPROVED, T.REJECT): Rule(to=(S.REJECTED,), who=W.EITHER),
}

SERVICE_WORKFLOW = workflow.register(
    Workflow(
        key="points.service_record",
        title=_("Service records (志愿服务登记)"),
        statuses=S,
        steps=T,
        who=W,
        table=SERVICE_TABLE,
        entries=((S.SUBMITTED, "register (登记员登记)"), (S.CREDITED, "automatic credit (verified report, activity)")),
        final=(S.CREDITED, S.REJECTED),
        illegal=_("A service record that is “%(status)s” cannot be “%(step)s”."),
        not_allowed=_("You may not “%(step)s” this service record: that is for a %(who)s."),
    )
)

from .choices import RedemptionStatus as R  # noqa: E402
from .choices import RedemptionStep as RS  # noqa: E402
from .choices import RedemptionWho as RW  # noqa: E402

REDEMPTION_TABLE = {
    (R.REQUESTED, RS.APPROVE): Rule(to=(R.APPROVED,), who=RW.COUNTER, only_if="needs_approval"),
    (R.REQUESTED, RS.FULFIL): Rule(to=(R.FULFILLED,), who=RW.COUNTER, only_if="ready"),
    (R.APPROVED, RS.FULFIL): Rule(to=(R.FULFILLED,), who=RW.COUNTER),
    (R.REQUESTED, RS.CANCEL): Rule(to=(R.CANCELLED,), who=RW.HOLDER_OR_COUNTER),
    (R.APPROVED, RS.CANCEL): Rule(to=(R.CANCELLED,), who=RW.HOLDER_OR_COUNTER),
}

REDEMPTION_WORKFLOW = workflow.register(
    Workflow(
        key="points.redemption",
        title=_("Redemptions (积分兑换)"),
        statuses=R,
        steps=RS,
        who=RW,
        table=REDEMPTION_TABLE,
        entries=((R.REQUESTED, "redeem (points paid, stock taken)"),),
        final=(R.FULFILLED, R.CANCELLED),
        illegal=_("A redemption that is “%(status)s” cannot be “%(step)s”."),
        not_allowed=_("You may not “%(step)s” this redemption: that is for the %(who)s."),
        conditions={
            "needs_approval": _("This reward is handed over without an approval."),
            "ready": _("This redemption waits for its approval first."),
        },
    )
)

from .choices import EvaluationStatus as E  # noqa: E402
from .choices import EvaluationStep as ES  # noqa: E402

# 文明户评选: every step is for those who keep the points ledger of the community (points.manage).
EVALUATION_TABLE = {
    (E.DRAFT, ES.OPEN): Rule(to=(E.INSPECTING,), who="points.manage"),
    (E.INSPECTING, ES.SCORE): Rule(to=(E.SCORED,), who="points.manage"),
    (E.SCORED, ES.SCORE): Rule(to=(E.SCORED,), who="points.manage"),
    (E.SCORED, ES.REOPEN): Rule(to=(E.INSPECTING,), who="points.manage"),
    (E.SCORED, ES.PUBLISH): Rule(to=(E.NOTICED,), who="points.manage"),
    (E.NOTICED, ES.REOPEN): Rule(to=(E.INSPECTING,), who="points.manage"),
    (E.NOTICED, ES.FINALISE): Rule(to=(E.FINAL,), who="points.manage"),
}

EVALUATION_WORKFLOW = workflow.register(
    Workflow(
        key="points.evaluation",
        title=_("Civilised-household evaluation (文明户评选)"),
        statuses=E,
        steps=ES,
        table=EVALUATION_TABLE,
        entries=((E.DRAFT, "create (rules adopted by the co-governance committee)"),),
        final=(E.FINAL,),
        illegal=_("An evaluation that is “%(status)s” cannot be “%(step)s”."),
        not_allowed=_("You may not “%(step)s” this evaluation."),
    )
)
