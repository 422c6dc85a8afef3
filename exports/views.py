"""我的导出 (my exports): the user's own export jobs, their status, and the download of a finished file.

A job and its file belong to the person who asked for it: anyone else gets 404, whatever their jurisdiction.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from . import progress, responses
from .choices import ExportStatus
from .models import ExportJob

LIST_LIMIT = 100
PENDING = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def _mine(request):
    return ExportJob.objects.owned_by(request.user)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def job_list(request):
    """The user's exports, newest first; the table reloads itself while one is queued or being built."""
    jobs = list(_mine(request).defer("parameters")[:LIST_LIMIT])
    told = progress.percent_of(job.pk for job in jobs if job.status == ExportStatus.RUNNING)
    for job in jobs:
        job.percent = told.get(job.pk)
    context = {
        "jobs": jobs,
        "pending": any(job.status in PENDING for job in jobs),
        "keep_hours": settings.EXPORT_KEEP_HOURS,
        "now": timezone.now(),
    }
    return render(request, "exports/_jobs.html" if _is_htmx(request) else "exports/list.html", context)


@login_required
def job_detail(request, pk):
    """One of the user's exports; reloads itself until it is ready or has failed."""
    job = get_object_or_404(_mine(request), pk=pk)
    job.percent = progress.percent_of([job.pk]).get(job.pk) if job.status == ExportStatus.RUNNING else None
    context = {"job": job, "pending": job.status in PENDING, "now": timezone.now()}
    return render(request, "exports/_job.html" if _is_htmx(request) else "exports/detail.html", context)


@login_required
def download(request, pk):
    """The finished file, to its owner only, until it expires (404 before it is ready, as for anyone else's)."""
    return responses.job_file(_mine(request), pk)
