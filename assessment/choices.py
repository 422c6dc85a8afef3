"""Choice lists of the assessment: who is scored, the status of a month's run (the indicators' keys are
registered: yaohai.core.indicators.key_choices)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yaohai.core import workflow
from yaohai.core.workflow import Rule


class SubjectKind(models.TextChoices):
    """What a score row scores: a grid worker on one grid, or a node of the tree."""

    WORKER = "worker", _("Grid worker")
    GRID = "grid", _("Grid")
    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


NODE_SUBJECTS = (SubjectKind.GRID, SubjectKind.COMMUNITY, SubjectKind.STREET, SubjectKind.DISTRICT)


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class RunStep(models.TextChoices):
    """What is done to a month's run (a version)."""

    COMPUTE = "compute", _("Compute")
    PUBLISH = "publish", _("Publish")


class RunWho(models.TextChoices):
    """Who may take a step on a run: the `assess` right, held high enough (services.may_compute, may_publish)."""

    ASSESS_STREET = "assess_street", _("holder of assess on a street or the district")
    ASSESS_DISTRICT = "assess_district", _("holder of assess on the district")


# A published run is frozen: a later change is a new version (a new run, with a reason), never an edit.
RUN_WORKFLOW = workflow.register(
    workflow.Workflow(
        key="assessment.run",
        title="Assessment runs (考核月度版本)",
        statuses=RunStatus,
        steps=RunStep,
        who=RunWho,
        table={
            (RunStatus.DRAFT, RunStep.COMPUTE): Rule((RunStatus.DRAFT,), RunWho.ASSESS_STREET),
            (RunStatus.DRAFT, RunStep.PUBLISH): Rule((RunStatus.PUBLISHED,), RunWho.ASSESS_DISTRICT),
        },
        entries=((RunStatus.DRAFT, "compute (计算), version 1 or n + 1 of a published month with a reason"),),
        final=(RunStatus.PUBLISHED,),
    )
)
