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

from registry.models import Resident
from yaohai.core.errors import Invalid, NotFound

from . import selectors
from .choices import EvaluationStatus, RedemptionStatus
from .forms import ReasonForm, ServiceForm
from .models import Account, Evaluation, Reward, ServiceRecord
from .services import earning, spending


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
    """The registrar's phone page: a service in a few taps."""
    types = selectors.registrable(actor=request.user)
    form = ServiceForm(request.POST or None, request.FILES or None, service_types=types)
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            person = Resident.objects.get(pk=form.cleaned_data["person"])
        except Resident.DoesNotExist:
            raise NotFound() from None
        done = earning.register_service(
            actor=request.user, person=person, service_type=form.cleaned_data["service_type"],
            started_at=form.cleaned_data["started_at"], minutes=form.cleaned_data["minutes"] or 0,
            occasions=form.cleaned_data["occasions"] or 1, description=form.cleaned_data["description"],
            photo=form.cleaned_data["photo"],
        )
        form = ServiceForm(service_types=types)
    return render(request, "points/register.html", {"form": form, "done": done})


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
    return render(request, "points/evaluations.html", {"rows": selectors.evaluations(actor=request.user)[:100]})


def _evaluation(request, pk):
    try:
        return selectors.evaluations(actor=request.user).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404 from None


@login_required
def evaluation(request, pk: int):
    """One evaluation: its items, the ranking with the nominees, the notice and its objections."""
    found = _evaluation(request, pk)
    return render(request, "points/evaluation.html", {
        "evaluation": found, "items": found.items.all(), "scores": selectors.evaluation_scores(found)[:500],
        "objections": found.objections.select_related("household")[:100],
    })


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
