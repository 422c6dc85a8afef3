"""The case's workflow as a table of the kit (yaohai.core.workflow): 受理 → 分流 → 调解 → 协议 → 回访 → 归档."""

from django.utils.translation import gettext_lazy as _

from yaohai.core import workflow
from yaohai.core.workflow import Rule

from .choices import Status as S
from .choices import Step as T
from .choices import Who as W

TABLE = {
    (S.REGISTERED, T.ACCEPT): Rule(to=(S.ACCEPTED,), who=W.HEAD),
    (S.REGISTERED, T.REFUSE): Rule(to=(S.REFUSED,), who=W.HEAD),
    (S.ACCEPTED, T.ASSIGN): Rule(to=(S.ASSIGNED,), who=W.HEAD),
    (S.ASSIGNED, T.ASSIGN): Rule(to=(S.ASSIGNED,), who=W.HEAD),
    (S.ACCEPTED, T.REFER): Rule(to=(S.REFERRED,), who=W.HEAD),
    (S.ASSIGNED, T.REFER): Rule(to=(S.REFERRED,), who=W.HEAD),
    (S.ASSIGNED, T.BEGIN): Rule(to=(S.IN_MEDIATION,), who=W.MEDIATOR),
    (S.IN_MEDIATION, T.AGREE): Rule(to=(S.AGREEMENT,), who=W.MEDIATOR),
    (S.IN_MEDIATION, T.TERMINATE): Rule(to=(S.TERMINATED,), who=W.MEDIATOR),
    (S.IN_MEDIATION, T.REFER): Rule(to=(S.REFERRED,), who=W.HEAD),
    (S.AGREEMENT, T.CONFIRM): Rule(to=(S.CONFIRMED,), who=W.MEDIATOR),
    (S.AGREEMENT, T.FOLLOW_UP): Rule(to=(S.FOLLOWED_UP,), who=W.MEDIATOR),
    (S.CONFIRMED, T.FOLLOW_UP): Rule(to=(S.FOLLOWED_UP,), who=W.MEDIATOR),
    (S.FOLLOWED_UP, T.ARCHIVE): Rule(to=(S.ARCHIVED,), who=W.HEAD),
    (S.TERMINATED, T.ARCHIVE): Rule(to=(S.ARCHIVED,), who=W.HEAD),
    (S.REFERRED, T.ARCHIVE): Rule(to=(S.ARCHIVED,), who=W.HEAD),
    (S.REFUSED, T.ARCHIVE): Rule(to=(S.ARCHIVED,), who=W.HEAD),
}

CASE_WORKFLOW = workflow.register(
    workflow.Workflow(
        key="mediation.case",
        title="Mediation cases (mediation.Case)",
        statuses=S,
        steps=T,
        who=W,
        table=TABLE,
        entries=((S.REGISTERED, "register (登记: walk-in, phone, referral, or turned from an event)"),),
        final=(S.ARCHIVED,),
        illegal=_("A case that is “%(status)s” cannot be “%(step)s”."),
        not_allowed=_("You may not “%(step)s” this case: that is for %(who)s."),
    )
)
