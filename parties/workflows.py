"""The consultation topic's workflow (协商议事) as a table of the workflow kit (yaohai.core.workflow)."""

from django.utils.translation import gettext_lazy as _

from yaohai.core import workflow
from yaohai.core.workflow import Rule, Workflow

from .choices import TopicStatus as S
from .choices import TopicStep as T
from .choices import TopicWho as W

OFFICER = W.OFFICER

TOPIC_TABLE = {
    (S.RAISED, T.ACCEPT): Rule(to=(S.ACCEPTED,), who=OFFICER),
    (S.ACCEPTED, T.SCHEDULE): Rule(to=(S.SCHEDULED,), who=OFFICER),
    (S.SCHEDULED, T.DISCUSS): Rule(to=(S.DISCUSSED,), who=OFFICER),
    (S.DISCUSSED, T.SCHEDULE): Rule(to=(S.SCHEDULED,), who=OFFICER),  # no decision yet: another meeting
    (S.DISCUSSED, T.RESOLVE): Rule(to=(S.RESOLVED,), who=OFFICER),
    (S.RESOLVED, T.IMPLEMENT): Rule(to=(S.IMPLEMENTED,), who=OFFICER),
    (S.IMPLEMENTED, T.CLOSE): Rule(to=(S.CLOSED,), who=OFFICER),
    (S.RAISED, T.WITHDRAW): Rule(to=(S.WITHDRAWN,), who=OFFICER),
    (S.ACCEPTED, T.WITHDRAW): Rule(to=(S.WITHDRAWN,), who=OFFICER),
    (S.SCHEDULED, T.WITHDRAW): Rule(to=(S.WITHDRAWN,), who=OFFICER),
    (S.DISCUSSED, T.WITHDRAW): Rule(to=(S.WITHDRAWN,), who=OFFICER),
}

TOPIC_WORKFLOW = workflow.register(
    Workflow(
        key="parties.topic",
        title=_("Consultation topics (协商议事)"),
        statuses=S,
        steps=T,
        who=W,
        table=TOPIC_TABLE,
        entries=((S.RAISED, "raise (提出议题: resident, committee member, grid worker, or from an event)"),),
        final=(S.CLOSED, S.WITHDRAWN),
        illegal=_("A topic that is “%(status)s” cannot be “%(step)s”."),
    )
)
