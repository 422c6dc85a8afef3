"""The one way an app's export button answers: the sheet at once when it is small, else a job and a redirect to
我的导出 (my exports); bad parameters get a 400 page saying what is wrong, and nothing is created. Also the one way
a finished job's file is served (the 我的导出 page and the API both call `job_file`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import Kind
from yaohai.core.errors import DomainError
from yaohai.core.xlsx import XLSX_TYPE, xlsx_response

from . import services


def answer(request, *, kind: str, parameters: dict, back_url: str):
    """Answer an export button: the .xlsx when it is small, else queue a job and send the user to 我的导出;
    bad parameters get a 400 page saying what is wrong, and nothing is created."""
    try:
        result = services.request_export(
            actor=request.user, kind=kind, parameters=parameters, language=request.LANGUAGE_CODE
        )
    except (ValidationError, DomainError) as exc:
        return render(request, "exports/invalid.html", {"errors": exc.messages, "back_url": back_url}, status=400)
    if result.sheet is not None:
        return xlsx_response(result.sheet.filename, result.sheet.content)
    messages.info(
        request,
        _("This export is large, so it is being built in the background. Download it here when it is ready."),
    )
    return redirect("exports:list")


def job_file(jobs, pk) -> FileResponse:
    """The file of job `pk` among `jobs` (the caller's own: `ExportJob.objects.owned_by(user)`), while it is
    finished and not expired. Http404 otherwise — someone else's job, one still queued or being built, a failed or
    expired one, or a file gone from the storage — so nothing tells a job that exists from one that does not."""
    if not str(pk).isdigit():
        raise Http404  # /exports/abc/download/ (the API's route takes any text)
    job = get_object_or_404(services.downloadable(jobs), pk=pk)
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    # A sheet may carry personal data: handing it out is a read on the audit trail (who, which job, its kind).
    audit.record("exports.download", job, kind=Kind.READ, summary={"kind": job.kind, "rows": job.row_count})
    response = FileResponse(handle, as_attachment=True, filename=job.filename or f"{job.pk}.xlsx",
                            content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
