"""Pages of mediation (thin): the mediator's 待办, the intake form, the case page with its timeline and steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import services as audit
from grids.models import GridNode
from yaohai.core.errors import DomainError, Invalid, render_refusal

from . import handling, pdf, selectors, services
from .choices import ACT_STATUSES, Act, Step
from .forms import ACT_FORMS, IntakeForm, StepForm
from .models import Agreement, Case, Evidence, Mediator, Session
from .rights import MEDIATE

STEP_SERVICES = {
    Step.ACCEPT: (services.accept, ()),
    Step.REFUSE: (services.refuse, ("reason",)),
    Step.ASSIGN: (services.assign, ("mediator", "chosen_by_parties")),
    Step.BEGIN: (services.begin, ()),
    Step.AGREE: (services.agree, ("terms", "perform_by", "form", "performance_method")),
    Step.TERMINATE: (services.terminate, ("reason",)),
    Step.REFER: (services.refer, ("to", "reason")),
    Step.CONFIRM: (services.confirm, ("note",)),
    Step.FOLLOW_UP: (services.follow_up, ("note", "performance")),
    Step.ARCHIVE: (services.archive, ()),
}


def _case_or_404(request, pk) -> Case:
    try:
        return selectors.case(actor=request.user, pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None


@login_required
def todo(request):
    """待办: the open cases the user may act on, the nearest time limit first (phone and desktop)."""
    rows = selectors.todo(actor=request.user)
    return render(request, "mediation/todo.html", {"rows": rows})


def _intake_form(request, data=None):
    return IntakeForm(
        data,
        nodes=GridNode.objects.visible_to(request.user, MEDIATE).filter(
            kind__in=("community", "grid"), is_archived=False
        ).order_by("code")[:200],
        types=selectors.dispute_types(actor=request.user),
        bodies=selectors.bodies(actor=request.user).filter(is_active=True),
    )


@login_required
def new(request):
    """登记: register a walk-in or phone dispute."""
    form = _intake_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.register_case(actor=request.user, **form.service_kwargs())
        except DomainError as exc:
            return render_refusal(request, exc, "mediation/new.html", {"form": form})
        messages.success(request, _("Registered: %(number)s.") % {"number": case.number})
        return redirect("mediation:detail", pk=case.pk)
    return render(request, "mediation/new.html", {"form": form}, status=400 if form.is_bound else 200)


def _acts(request, case) -> list[Act]:
    """The acts beside the table the user may take on the case now (its status allows them, they mediate it)."""
    acts = [act for act in Act if case.status in ACT_STATUSES[act]]
    return acts if acts and selectors.is_mediator(request.user, case) else []


def _detail_context(request, case, bound=None):
    acts = _acts(request, case)
    forms = {act.value: ACT_FORMS[act](prefix=act.value) for act in acts}
    if bound is not None:
        forms[bound.prefix] = bound
    return {
        "acts": [(act, forms[act.value]) for act in acts],
        "evidence": case.evidence.order_by("id"),
        "follow_ups": case.follow_ups.order_by("due_on", "id"),
        "case": case,
        "parties": case.parties.all(),
        "logs": case.logs.select_related("actor").order_by("id"),
        "transfers": case.transfers.select_related("from_body", "to_body").order_by("id"),
        "steps": [Step(s) for s in services.RUNNER.allowed(actor=request.user, obj=case)],
        "mediators": Mediator.objects.filter(body_id=case.body_id, is_active=True) if case.body_id else [],
        "form": StepForm(),
        "agreement": Agreement.objects.filter(case=case).first(),
        "sessions": case.sessions.order_by("held_at", "id"),
    }


@login_required
@require_POST
def act(request, pk, name):
    """An act beside the table, posted from the case page: a session, evidence, the extension, the application for
    judicial confirmation or its refusal (illegal in the case's status: 409; bad input: 400, nothing changed)."""
    if name not in handling.ACTS:
        raise Http404
    case = _case_or_404(request, pk)
    form = ACT_FORMS[name](request.POST, request.FILES, prefix=name)
    if not form.is_valid():
        return render(request, "mediation/detail.html", _detail_context(request, case, bound=form), status=400)
    kwargs = {key: value for key, value in form.cleaned_data.items() if key != "photo"}
    if "photo" in form.fields:
        kwargs["photo"] = form.cleaned_data.get("photo") or None
    try:
        handling.ACTS[name](actor=request.user, case=case.pk, **kwargs)
    except DomainError as exc:
        return render_refusal(request, exc, "mediation/detail.html", _detail_context(request, case, bound=form))
    messages.success(request, _("Done: %(step)s.") % {"step": Act(name).label})
    return redirect("mediation:detail", pk=case.pk)


@login_required
def photo(request, pk, kind, item):
    """A session's or an evidence photo, served only to those who may read the case (uploads are never a folder)."""
    case = _case_or_404(request, pk)
    model = {"session": Session, "evidence": Evidence}.get(kind)
    if model is None:
        raise Http404
    found = get_object_or_404(model.objects.exclude(photo=""), case=case, pk=item)
    response = FileResponse(found.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def detail(request, pk):
    """The case page: facts, parties (masked), its timeline and bodies, and the steps the user may take."""
    case = _case_or_404(request, pk)
    audit.record("mediation.read", case, kind=audit.Kind.READ, actor=request.user)
    return render(request, "mediation/detail.html", _detail_context(request, case))


@login_required
@require_POST
def step(request, pk, name):
    """One step of the case's table, posted from the case page."""
    if name not in STEP_SERVICES:
        raise Http404
    case = _case_or_404(request, pk)
    form = StepForm(request.POST)
    service, needs = STEP_SERVICES[name]
    if form.is_valid():
        kwargs = {key: form.cleaned_data[key] for key in needs if form.cleaned_data[key] not in ("", None)}
        if "note" in needs and name == Step.CONFIRM:
            kwargs = {"result": kwargs.pop("note")}
        try:
            service(actor=request.user, case=case.pk, **kwargs)
        except TypeError:  # a required input of the step is missing
            return render_refusal(request, Invalid(_("Fill in what this step needs.")), "mediation/detail.html",
                                  _detail_context(request, case))
        except DomainError as exc:
            return render_refusal(request, exc, "mediation/detail.html", _detail_context(request, case))
        messages.success(request, _("Done: %(step)s.") % {"step": Step(name).label})
        return redirect("mediation:detail", pk=case.pk)
    context = {**_detail_context(request, case), "form": form}
    return render(request, "mediation/detail.html", context, status=400)


def _read_agreement(request, pk) -> tuple[Case, Agreement]:
    """The case and its agreement (404 without one, or out of reach); the read is audited."""
    case = _case_or_404(request, pk)
    found = Agreement.objects.filter(case=case).first()
    if found is None:
        raise Http404
    audit.record("mediation.read_agreement", case, kind=audit.Kind.READ, actor=request.user)
    return case, found


@login_required
def agreement(request, pk):
    """The 人民调解协议书 as an A4 page that prints (parties, facts, terms, performance, signatures, the seal)."""
    case, found = _read_agreement(request, pk)
    return render(request, "mediation/agreement.html", {
        "case": case, "agreement": found, "parties": case.parties.all(),
    })


@login_required
def agreement_pdf(request, pk):
    """The 人民调解协议书 as an A4 PDF (parties masked), for saving or sending; reading it is audited."""
    case, found = _read_agreement(request, pk)
    response = HttpResponse(pdf.agreement_pdf(case, found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{case.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def case_file(request, pk):
    """一案一卷: the whole file of a case in order (intake, parties, sessions, evidence, agreement, follow-ups,
    the log), printable; reading it writes an audit access row."""
    case = _case_or_404(request, pk)
    audit.record("mediation.read_file", case, kind=audit.Kind.READ, actor=request.user)
    return render(request, "mediation/file.html", _detail_context(request, case))
