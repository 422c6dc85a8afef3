"""Exports (台账) for every app: a small one is answered inside the request, a large one becomes an ExportJob
built by a Celery task for its owner and downloaded from 我的导出 (my exports) until it expires.

The decision is a capped COUNT: fewer than EXPORT_SYNC_MAX_ROWS rows are built at once; up to EXPORT_MAX_ROWS the
export is queued; beyond that the user is asked to narrow the filters. The task re-reads the owner and builds
through the same registered kind under the owner's scope of that moment, so a job never exports more than its
owner may see when it runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import Kind
from grids.models import User
from yaohai.core.replica import replica_reads

from . import progress
from .choices import EXPORT_WORKFLOW, ExportStatus, ExportStep
from .models import ExportJob
from .registry import ExportRefused, Sheet, kind_of

logger = logging.getLogger(__name__)

# A job still "being built" this long after it started was cut off (worker lost, hard time limit): the sweep
# marks it failed. Longer than the task's hard limit (grids.tasks.run_export).
STUCK_AFTER = dt.timedelta(minutes=30)
# A job still queued this long after it was asked for missed its message (broker outage): the sweep queues it again.
REQUEUE_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class ExportAnswer:
    """What a request for an export gets: the sheet itself, or the job that will build it."""

    sheet: Sheet | None = None
    job: ExportJob | None = None


def request_export(
    *, actor: User, kind: str, parameters: dict, language: str | None = None, now: dt.datetime | None = None
) -> ExportAnswer:
    """Check the parameters (ValidationError or ExportRefused, nothing created), then build a small export at once or queue a job."""
    spec = kind_of(kind)
    threshold = settings.EXPORT_SYNC_MAX_ROWS
    with replica_reads():  # the sheet's reads may come from the read replica (yaohai.core.replica)
        cleaned = spec.clean(actor=actor, parameters=parameters)
        small = spec.count(actor=actor, parameters=cleaned, limit=threshold) < threshold
        sheet = spec.build(actor=actor, parameters=cleaned) if small else None
    if sheet is not None:
        # A sheet handed out at once is a read of what it holds: one access row (kind, filters, rows).
        audit.record("exports.sheet", None, kind=Kind.READ, actor=actor, tenant_id=actor.tenant_id,
                     summary={"kind": kind, "parameters": cleaned, "rows": sheet.rows})
        return ExportAnswer(sheet=sheet)
    most = settings.EXPORT_MAX_ROWS
    if spec.count(actor=actor, parameters=cleaned, limit=most + 1) > most:
        raise ExportRefused(
            _("This export would hold more than %(most)s rows. Please narrow the filters.") % {"most": f"{most:,}"}
        )
    return ExportAnswer(job=queue_job(actor=actor, kind=kind, parameters=cleaned, language=language, now=now))


@transaction.atomic
def queue_job(
    *, actor: User, kind: str, parameters: dict, language: str | None = None, now: dt.datetime | None = None
) -> ExportJob:
    """Record a job for the actor and hand it to a worker once the row is committed."""
    spec = kind_of(kind)
    now = now or timezone.now()
    job = ExportJob.objects.create(
        owner=actor,
        tenant_id=actor.tenant_id,
        kind=kind,
        title=spec.title(actor=actor, parameters=parameters)[:200],
        parameters=parameters,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        status=ExportStatus.QUEUED,
        created_at=now,
        expires_at=now + dt.timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    audit.record("exports.request", job, actor=actor, after={"kind": kind, "parameters": parameters})
    transaction.on_commit(partial(enqueue, job.pk))
    return job


def enqueue(job_id: int) -> None:
    """Send the job to a worker (eagerly, in this process, without Redis). A broker that cannot be reached loses
    nothing: the job stays queued and the sweep sends it again."""
    from .tasks import run_export

    try:
        run_export.apply_async(args=[job_id], queue=settings.EXPORT_QUEUE or None)
    except Exception:
        logger.exception("export job %s could not be queued; the sweep will queue it again", job_id)


def run_job(*, job_id: int, now: dt.datetime | None = None) -> str:
    """Build a queued job's file for its owner; idempotent: a job that is not queued any more is left alone."""
    now = now or timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status__in=EXPORT_WORKFLOW.sources(ExportStep.CLAIM)).update(
        status=EXPORT_WORKFLOW.target(ExportStep.CLAIM), started_at=now
    )
    if not claimed:
        return ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or "missing"
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    with translation.override(job.language):
        try:
            # the job's own row was written here, the sheet's data was not (replica); the kind's build may tell how
            # far it has got (exports.progress)
            with replica_reads(), progress.running(job.pk):
                sheet = _build(job)
        except (ValidationError, ExportRefused) as exc:
            return _fail(job, " ".join(exc.messages))
        except SoftTimeLimitExceeded:
            return _fail(job, _("The export took too long. Please narrow the filters and try again."))
        except Exception:
            logger.exception("export job %s failed", job.pk)
            return _fail(job, _("The export failed. Please try again; if it fails again, tell your administrator."))
    job.file.save(f"{job.pk}.xlsx", ContentFile(sheet.content), save=False)
    job.filename = sheet.filename[:200]
    job.size = len(sheet.content)
    job.row_count = sheet.rows
    EXPORT_WORKFLOW.move(job, ExportStep.FINISH)
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "filename", "size", "row_count", "status", "finished_at"])
    return job.status


def _build(job: ExportJob) -> Sheet:
    owner = User.objects.get(pk=job.owner_id)  # fresh: the scope is the owner's as it is now
    if not owner.is_active:
        raise ValidationError(_("The account that asked for this export is no longer active."))
    spec = kind_of(job.kind)
    parameters = spec.clean(actor=owner, parameters=job.parameters)
    return spec.build(actor=owner, parameters=parameters)


def _fail(job: ExportJob, message: str) -> str:
    EXPORT_WORKFLOW.move(job, ExportStep.FAIL)
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job.status


def downloadable(jobs, *, now: dt.datetime | None = None):
    """The jobs among `jobs` whose file may be downloaded now: finished and not expired."""
    return jobs.filter(status=ExportStatus.DONE, expires_at__gt=now or timezone.now())


def is_downloadable(job: ExportJob, *, now: dt.datetime | None = None) -> bool:
    """The same test as `downloadable`, on a job already read."""
    return job.status == ExportStatus.DONE and job.expires_at > (now or timezone.now())


def delete_jobs(jobs) -> int:
    """Delete the jobs and their stored files (the sweep's expired jobs, the admin's deletions); the number of jobs
    deleted. The files go first: a file left without its row would never be found again."""
    doomed = list(jobs.select_related(None).order_by().only("id", "file"))
    for job in doomed:
        if job.file:
            job.file.delete(save=False)
    if not doomed:
        return 0
    return ExportJob.objects.filter(pk__in=[job.pk for job in doomed]).delete()[1].get(ExportJob._meta.label, 0)


@dataclass(frozen=True)
class SweepResult:
    deleted: int
    interrupted: int
    requeued: int


def sweep_exports(*, now: dt.datetime | None = None) -> SweepResult:
    """The periodic clean-up: delete expired jobs and their files; fail jobs cut off while being built; queue again
    the jobs whose message was lost. A database sweep: running it late or twice does no harm."""
    now = now or timezone.now()
    deleted = delete_jobs(ExportJob.objects.filter(expires_at__lte=now))
    interrupted = 0
    stuck = ExportJob.objects.filter(
        status__in=EXPORT_WORKFLOW.sources(ExportStep.INTERRUPT), started_at__lte=now - STUCK_AFTER
    )
    for job in stuck.only("id", "language"):
        with translation.override(job.language):
            message = _("The export was interrupted. Please ask for it again.")
        interrupted += ExportJob.objects.filter(
            pk=job.pk, status__in=EXPORT_WORKFLOW.sources(ExportStep.INTERRUPT)
        ).update(status=EXPORT_WORKFLOW.target(ExportStep.INTERRUPT), error=message, finished_at=now)
    waiting = list(
        ExportJob.objects.filter(status=ExportStatus.QUEUED, created_at__lte=now - REQUEUE_AFTER)
        .values_list("pk", flat=True)
    )
    for pk in waiting:
        enqueue(pk)
    return SweepResult(deleted=deleted, interrupted=interrupted, requeued=len(waiting))
