"""The choices of the exports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yaohai.core import workflow
from yaohai.core.workflow import Rule


class ExportStatus(models.TextChoices):
    """Where a background export (exports.ExportJob) stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportStep(models.TextChoices):
    """What happens to a background export; every step is the system's (the task, the sweep)."""

    CLAIM = "claim", _("Start building")
    FINISH = "finish", _("Finish")
    FAIL = "fail", _("Fail")
    INTERRUPT = "interrupt", _("Mark interrupted")


class ExportWho(models.TextChoices):
    SYSTEM = "system", _("the export task or its sweep")


# Steps are conditional updates (UPDATE … WHERE status IN the step's sources), so a retried task never builds twice.
EXPORT_WORKFLOW = workflow.register(
    workflow.Workflow(
        key="exports.job",
        title="Background exports (导出任务)",
        statuses=ExportStatus,
        steps=ExportStep,
        who=ExportWho,
        table={
            (ExportStatus.QUEUED, ExportStep.CLAIM): Rule((ExportStatus.RUNNING,), ExportWho.SYSTEM),
            (ExportStatus.RUNNING, ExportStep.FINISH): Rule((ExportStatus.DONE,), ExportWho.SYSTEM),
            (ExportStatus.RUNNING, ExportStep.FAIL): Rule((ExportStatus.FAILED,), ExportWho.SYSTEM),
            (ExportStatus.RUNNING, ExportStep.INTERRUPT): Rule((ExportStatus.FAILED,), ExportWho.SYSTEM),
        },
        entries=((ExportStatus.QUEUED, "request (导出), too large to build at once"),),
        final=(ExportStatus.DONE, ExportStatus.FAILED),
    )
)
