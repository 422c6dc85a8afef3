"""The one way an app's export button answers: the ledger at once when it is small, else a job and a redirect to
我的导出 (my exports); bad parameters get a 400 page saying what is wrong, and nothing is created."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yaohai.core.xlsx import xlsx_response

from . import services


def answer(request, *, kind: str, parameters: dict, back_url: str):
    """Answer an export button: the .xlsx when it is small, else queue a job and send the user to 我的导出;
    bad parameters get a 400 page saying what is wrong, and nothing is created."""
    try:
        result = services.request_export(
            actor=request.user, kind=kind, parameters=parameters, language=request.LANGUAGE_CODE
        )
    except ValidationError as exc:
        return render(request, "exports/invalid.html", {"errors": exc.messages, "back_url": back_url}, status=400)
    if result.ledger is not None:
        return xlsx_response(result.ledger.filename, result.ledger.content)
    messages.info(
        request,
        _("This export is large, so it is being built in the background. Download it here when it is ready."),
    )
    return redirect("exports:list")
