"""The points pages (thin: selectors read, services write): the passbook on the phone with its QR codes, the
printable statement, the registrar's form, the approvers' queue, and the counter's confirmation by QR link."""

from __future__ import annotations

import datetime as dt
import uuid

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grids.models import GridNode
from grids.scope import scope_for
from parties.models import Committee
from registry.models import Household, Resident
from yaohai.core.errors import DomainError, Invalid, NotFound

from . import selectors
from .choices import EvaluationStatus, EvaluationStep, RedemptionStatus
from .forms import EvaluationForm, InspectionForm, ObjectionForm, ReasonForm, ServiceForm
from .models import Account, Evaluation, Reward, ServiceRecord
from .rights import MANAGE
from .services import earning, spending
from .services import evaluation as ev


def _account(request, pk) -> Account:
    try:
        return selectors.passbook(actor=request.user, pk=pk)
    except Account.DoesNotExist:
        raise Http404 from None


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _qr(request, redemption) -> str:
    url = request.build_absolute_uri(reverse("points:confirm", args=[spending.qr_token(redemption)]))
    return segno.make(url, error="m").svg_inline(scale=4)


def _passbook_page(request, account: Account):
    rows = selectors.history(account, before=_int(request.GET.get("before")))
    more = len(rows) > selectors.PAGE
    rows = rows[: selectors.PAGE]
    open_redemptions = [
        (r, _qr(request, r))
        for r in account.redemptions.filter(status__in=[RedemptionStatus.REQUESTED, RedemptionStatus.APPROVED])
        .select_related("reward")[:10]
    ]
    return render(request, "points/passbook.html", {
        "account": account, "rows": rows, "next_before": rows[-1].pk if more and rows else None,
        "rewards": spending.within_reach(account)[:20], "open_redemptions": open_redemptions,
        "is_holder": account.holder_id == request.user.pk, "redeem_key": uuid.uuid4().hex,
    })


@login_required
def mine(request):
    """我的存折: the signed-in volunteer's own passbook."""
    account = selectors.own_passbook(actor=request.user)
    if account is None:
        return render(request, "points/no_passbook.html")
    return _passbook_page(request, account)


@login_required
def account(request, pk: int):
    """A passbook as its holder or an officer in reach sees it."""
    return _passbook_page(request, _account(request, pk))


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        since = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        since = today.replace(month=1, day=1)
    try:
        until = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        until = today
    return since, max(until, since)


@login_required
def statement(request, pk: int):
    """The printable A4 statement of a period's entries (the browser prints it, or saves a PDF)."""
    account = _account(request, pk)
    since, until = _period(request)
    tz = timezone.get_current_timezone()
    rows = list(selectors.statement(
        account, since=dt.datetime.combine(since, dt.time.min, tz), until=dt.datetime.combine(
            until + dt.timedelta(days=1), dt.time.min, tz)
    ))
    opening = (rows[0].balance_after - rows[0].amount) if rows else None
    return render(request, "points/statement.html", {
        "account": account, "rows": rows, "since": since, "until": until, "opening": opening,
        "closing": rows[-1].balance_after if rows else None, "printed_at": timezone.localtime(),
    })


@login_required
@require_POST
def redeem(request, pk: int):
    """Redeem a reward on one's own passbook (the form carries a one-time key: a double submit pays once)."""
    account = _account(request, pk)
    try:
        reward = Reward.objects.get(pk=_int(request.POST.get("reward")) or 0, community_id=account.community_id)
    except Reward.DoesNotExist:  # absent, or of another community: the same answer
        raise Invalid(_("Choose a reward offered in the passbook's community.")) from None
    spending.redeem(actor=request.user, account=account, reward=reward, key=request.POST.get("key", ""),
                    quantity=request.POST.get("quantity", 1))
    return redirect("points:account", pk=account.pk)


@login_required
def register(request):
    """The registrar's phone page: a service in a few taps. The form's hidden key makes a double submit (a double
    tap, a resent page) answer the first record; the same key with other contents is refused on the page."""
    types = selectors.registrable(actor=request.user)
    form = ServiceForm(request.POST or None, request.FILES or None, service_types=types)
    done, error, status = None, "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                person = Resident.objects.get(pk=form.cleaned_data["person"])
            except Resident.DoesNotExist:
                raise NotFound() from None
            try:
                done = earning.register_service(
                    actor=request.user, person=person, service_type=form.cleaned_data["service_type"],
                    started_at=form.cleaned_data["started_at"], key=form.cleaned_data["idempotency_key"],
                    minutes=form.cleaned_data["minutes"] or 0, occasions=form.cleaned_data["occasions"] or 1,
                    description=form.cleaned_data["description"], photo=form.cleaned_data["photo"],
                )
            except NotFound:
                raise
            except DomainError as refused:
                error, status = refused.message, refused.status
            else:
                form = ServiceForm(service_types=types)
        else:
            status = 400
    return render(request, "points/register.html", {"form": form, "done": done, "error": error}, status=status)


@login_required
def queue(request):
    """审核待办: the service records waiting for this person's approval."""
    rows = earning.queue(request.user).select_related("person", "service_type", "registered_by")[:100]
    return render(request, "points/queue.html", {"rows": rows, "reason_form": ReasonForm()})


def _record(request, pk):
    try:
        return selectors.service_records(actor=request.user).get(pk=pk)
    except ServiceRecord.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def approve(request, pk: int):
    earning.approve(actor=request.user, record=_record(request, pk))
    return redirect("points:queue")


@login_required
@require_POST
def reject(request, pk: int):
    earning.reject(actor=request.user, record=_record(request, pk), reason=request.POST.get("reason", ""))
    return redirect("points:queue")


@login_required
def confirm(request, token: str):
    """The partner's counter opens the QR code's signed link: the redemption, and a button to hand it over."""
    redemption = spending.redemption_from_token(token)
    if not selectors.redemptions(actor=request.user).filter(pk=redemption.pk).exists():
        raise Http404
    if request.method == "POST":
        redemption = spending.fulfil(actor=request.user, redemption=redemption)
    steps = spending.REDEMPTIONS.allowed(actor=request.user, obj=redemption)
    return render(request, "points/confirm.html", {"redemption": redemption, "can_fulfil": "fulfil" in steps,
                                                   "message": _("Handed over.") if request.method == "POST" else ""})


@login_required
def evaluations(request):
    """文明户评选: the evaluations of the communities in reach, newest year first."""
    return render(request, "points/evaluations.html", {
        "rows": selectors.evaluations(actor=request.user)[:100],
        "may_create": _managed_communities(request.user).exists(),
    })


def _evaluation(request, pk):
    try:
        return selectors.evaluations(actor=request.user).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404 from None


def _evaluation_page(request, found, *, error: str = "", status: int = 200, inspection=None, objection=None):
    """One evaluation: its items, the ranking with the nominees, the notice and its objections, and — for those who
    keep the community's ledger — the forms of the steps its status allows."""
    steps = ev.EVALUATIONS.allowed(actor=request.user, obj=found)
    manages = scope_for(request.user, MANAGE).covers(found)
    households = []
    if manages and found.status == EvaluationStatus.INSPECTING:
        households = (Household.objects.filter(tenant_id=found.tenant_id, community_id=found.community_id,
                                               dissolved_on__isnull=True)
                      .select_related("house__building").order_by("house__building__number", "house_id")[:2000])
    return render(request, "points/evaluation.html", {
        "evaluation": found, "items": found.items.all(), "scores": selectors.evaluation_scores(found)[:500],
        "objections": found.objections.select_related("household")[:100], "steps": steps, "manages": manages,
        "step_labels": dict(EvaluationStep.choices), "households": households,
        "inspection_form": inspection or InspectionForm(initial={"on_date": dt.date(found.year, 12, 31)}),
        "objection_form": objection or ObjectionForm(),
        "inspections": found.inspections.select_related("item", "household__house")[:50] if manages else [],
        "error": error,
    }, status=status)


def _refused(request, pk, error: DomainError, **forms):
    return _evaluation_page(request, _evaluation(request, pk), error=error.message, status=error.status, **forms)


@login_required
def evaluation(request, pk: int):
    """One evaluation (read by anyone whose jurisdiction holds the community)."""
    return _evaluation_page(request, _evaluation(request, pk))


def _managed_communities(user):
    return GridNode.objects.filter(scope_for(user, MANAGE).q(), kind="community", is_archived=False).order_by("code")


@login_required
def evaluation_new(request):
    """A new evaluation with its scoring items (for those who keep a community's points ledger)."""
    communities = _managed_communities(request.user)
    committees = Committee.objects.filter(community__in=communities).order_by("community_id", "name")
    form = EvaluationForm(request.POST or None, communities=communities, committees=committees,
                          initial={"year": timezone.localdate().year})
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                found = ev.create_evaluation(
                    actor=request.user, community=data["community"], year=data["year"], title=data["title"],
                    items=data["items"], committee=data["committee"], participation_per=data["participation_per"],
                    nominees=data["nominees"], notice_days=data["notice_days"],
                )
            except DomainError as refused:
                error, status = refused.message, refused.status
            else:
                return redirect("points:evaluation", pk=found.pk)
        else:
            status = 400
    return render(request, "points/evaluation_new.html", {"form": form, "error": error,
                                                           "has_communities": communities.exists()}, status=status)


STEPS = {
    EvaluationStep.OPEN: lambda actor, found, note: ev.open_inspections(actor=actor, evaluation=found, note=note),
    EvaluationStep.SCORE: lambda actor, found, note: ev.score(actor=actor, evaluation=found, note=note),
    EvaluationStep.PUBLISH: lambda actor, found, note: ev.publish(actor=actor, evaluation=found),
    EvaluationStep.REOPEN: lambda actor, found, note: ev.reopen(actor=actor, evaluation=found, note=note),
    EvaluationStep.FINALISE: lambda actor, found, note: ev.finalise(actor=actor, evaluation=found),
}


@login_required
@require_POST
def evaluation_step(request, pk: int, step: str):
    """One step of the evaluation's workflow (open, score, publish, reopen, finalise); a refused step changes nothing
    and shows why on the evaluation's page."""
    found = _evaluation(request, pk)
    if step not in STEPS:
        raise Http404
    try:
        STEPS[step](request.user, found, request.POST.get("note", ""))
    except DomainError as refused:
        return _refused(request, pk, refused)
    return redirect("points:evaluation", pk=pk)


def _household(found, pk):
    household = selectors.community_household(found, pk)
    if household is None:
        raise Invalid(_("Choose a household of the community."))
    return household


@login_required
@require_POST
def evaluation_inspect(request, pk: int):
    """Record an inspection's finding (while the inspections are open)."""
    found = _evaluation(request, pk)
    form = InspectionForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(_("Check the inspection's household, item and date."))
        data = form.cleaned_data
        household = _household(found, data["household"])
        item = found.items.filter(pk=data["item"]).first()
        if item is None:
            raise Invalid(_("Choose a scoring item of this evaluation."))
        ev.record_inspection(actor=request.user, evaluation=found, household=household, item=item,
                             on_date=data["on_date"], note=data["note"])
    except DomainError as refused:
        return _refused(request, pk, refused, inspection=form)
    return redirect("points:evaluation", pk=pk)


@login_required
@require_POST
def evaluation_objection(request, pk: int):
    """Record an objection raised during the notice's objection period."""
    found = _evaluation(request, pk)
    form = ObjectionForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(_("Say what the objection is."))
        household = _household(found, form.cleaned_data["household"]) if form.cleaned_data["household"] else None
        ev.record_objection(actor=request.user, evaluation=found, text=form.cleaned_data["text"], household=household)
    except DomainError as refused:
        return _refused(request, pk, refused, objection=form)
    return redirect("points:evaluation", pk=pk)


@login_required
def certificate(request, pk: int, household: int):
    """The printable certificate (A4) of a household on the evaluation's final list."""
    found = _evaluation(request, pk)
    if found.status != EvaluationStatus.FINAL:
        raise Http404
    score = selectors.evaluation_scores(found, nominated_only=True).filter(household_id=household).first()
    if score is None:
        raise Http404
    return render(request, "points/certificate.html", {"evaluation": found, "score": score})
