"""Resident pages (/r/, their own phone shell) and the officers' confirmation queue (/residents/)."""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import duplicates
from events import services as event_services
from events.choices import Satisfaction
from grids.models import Tenant
from grids.selectors import boundaries_geojson
from parties import selectors as party_selectors
from parties import services as party_services
from parties.models import Activity, SignUp
from points import selectors as point_selectors
from points.services import spending
from yaohai.core.client_ip import client_ip
from yaohai.core.errors import DomainError

from . import reporting, satisfaction, selectors, services
from .forms import CodeForm, PhoneForm
from .middleware import SESSION_FLAG
from .models import ResidentAccount

PENDING = "resident_pending"  # the session remembers the district and number between the two sign-in steps
LARGE_TEXT_COOKIE = "large_text"


def resident_required(view):
    """A signed-in resident (her session flagged at sign-in) who is not blocked; others go to the sign-in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        account_id = request.session.get(SESSION_FLAG)
        account = (
            ResidentAccount.objects.select_related("user", "tenant", "community").filter(
                pk=account_id, user_id=request.user.pk
            ).first()
            if account_id and request.user.is_authenticated else None
        )
        if account is None or account.is_blocked:
            if account is not None:
                logout(request)
            return redirect("residents:signin")
        request.resident = account
        return view(request, *args, **kwargs)

    return wrapper


def _render(request, template, context=None, status=200):
    context = {"large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1", **(context or {})}
    return render(request, template, context, status=status)


def signin(request):
    """Step one: the district and the number; a code is sent (the same answer whether the number is known)."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tenant, phone = form.cleaned_data["tenant"], form.cleaned_data["phone"]
        try:
            services.request_code(tenant=tenant, phone=phone, address=client_ip(request) or "")
        except DomainError as error:
            form.add_error("phone", error.message)
        else:
            request.session[PENDING] = {"tenant": tenant.code, "phone": services.mobile(phone)}
            messages.info(request, _("If this number can receive messages, a code is on its way. It works for 5 minutes."))
            return redirect("residents:verify")
    return _render(request, "residents/signin.html", {"form": form}, status=400 if form.errors else 200)


def verify(request):
    """Step two: the code; a first sign-in creates the account."""
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("residents:signin")
    tenant = Tenant.objects.filter(code=pending.get("tenant")).first()
    if tenant is None:
        return redirect("residents:signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.sign_in(tenant=tenant, phone=pending["phone"], code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            login(request, account.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_FLAG] = account.pk
            return redirect("residents:home")
    masked = pending["phone"][:3] + "****" + pending["phone"][-4:]
    return _render(request, "residents/verify.html", {"form": form, "masked": masked},
                   status=400 if form.errors else 200)


@require_POST
def signout(request):
    logout(request)
    return redirect("residents:signin")


@require_POST
def large_text(request):
    """Large text on or off, one tap, kept in a cookie for a year (no account needed)."""
    response = redirect(request.POST.get("next") if str(request.POST.get("next", "")).startswith("/r/") else "residents:signin")
    on = request.COOKIES.get(LARGE_TEXT_COOKIE) != "1"
    response.set_cookie(LARGE_TEXT_COOKIE, "1" if on else "0", max_age=365 * 86400, samesite="Lax")
    return response


@resident_required
def home(request):
    """我的: what she can do, and the slots other domains fill (passbook, activities, notices) once they land."""
    return _render(request, "residents/home.html", {"account": request.resident, "slots": selectors.slots(request.resident)})


@resident_required
def passbook(request):
    """我的积分: her household's passbook — balance, its entries newest first (keyset), the rewards within reach."""
    account = request.resident
    if not account.is_confirmed:
        raise Http404
    book = point_selectors.household_passbook(household_id=account.household_id)
    rows, next_before = [], None
    if book is not None:
        try:
            before = int(request.GET.get("before") or 0) or None
        except ValueError:
            before = None
        rows = point_selectors.history(book, before=before)
        if len(rows) > point_selectors.PAGE:
            rows = rows[: point_selectors.PAGE]
            next_before = rows[-1].pk
    rewards = list(spending.within_reach(book)[:10]) if book is not None else []
    return _render(request, "residents/passbook.html",
                   {"account": account, "book": book, "rows": rows, "next_before": next_before, "rewards": rewards})


@resident_required
def activities(request):
    """活动报名: the coming activities of her community's centres, and signing up for one (places never overbook:
    parties.services.sign_up counts under the activity's row lock)."""
    account = request.resident
    if not account.is_confirmed:
        raise Http404
    now = timezone.now()
    if request.method == "POST":
        try:
            found = party_selectors.activity_in_community(
                tenant_id=account.tenant_id, community_id=account.community_id, pk=int(request.POST.get("activity"))
            )
        except (Activity.DoesNotExist, TypeError, ValueError):
            raise Http404 from None
        try:
            party_services.sign_up(activity=found, user=request.user, now=now)
        except DomainError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("You are signed up for “%(title)s”.") % {"title": found.title})
        return redirect("residents:activities")
    rows = party_selectors.coming_in_community(tenant_id=account.tenant_id, community_id=account.community_id, now=now)
    mine = set(SignUp.objects.filter(user=request.user, activity__in=rows).values_list("activity_id", flat=True))
    return _render(request, "residents/activities.html", {"rows": rows, "mine": mine})


@resident_required
def community(request):
    """Say which community she lives in (until the community confirms her)."""
    account = request.resident
    error = None
    if request.method == "POST":
        try:
            services.choose_community(account=account, community_id=request.POST.get("community"))
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Thank you. Your community will confirm your account."))
            return redirect("residents:home")
    return _render(request, "residents/community.html", {
        "account": account, "communities": services.communities(account.tenant), "error": error,
    }, status=400 if error else 200)


@login_required
def queue(request):
    """The officers' queue: resident accounts of their subtree, those waiting first."""
    rows = selectors.confirmation_queue(actor=request.user, status=request.GET.get("status", ""))
    if rows is None:
        raise Http404
    return render(request, "residents/queue.html", {"rows": rows, "status": request.GET.get("status", "")})


@login_required
def account_detail(request, pk):
    """One resident account: confirm her (with a household of her community), block or unblock her."""
    account = selectors.account_for_officer(actor=request.user, pk=pk)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.confirm_account(actor=request.user, account_id=pk, household_id=request.POST.get("household"))
            elif action == "block":
                services.block_account(actor=request.user, account_id=pk, reason=request.POST.get("reason", ""))
            elif action == "unblock":
                services.unblock_account(actor=request.user, account_id=pk)
            else:
                error = _("Unknown action.")
        except DomainError as refusal:
            error = refusal.message
        if error is None:
            messages.success(request, _("Saved."))
            return redirect("residents:account", pk=pk)
    return render(request, "residents/account.html", {
        "account": account, "households": selectors.households_of(actor=request.user, account=account),
        "error": error,
    }, status=400 if error else 200)


@resident_required
def report(request):
    """随手拍: what is wrong (a kind in plain words, a few words, a photo) and where; nearby open reports of the
    same kind are offered first (这里已有人上报), to join instead of filing again."""
    account = request.resident
    values = request.POST if request.method == "POST" else {}
    error, offered = None, []
    if request.method == "POST":
        try:
            lon, lat = reporting._coordinates(values.get("lon"), values.get("lat"))
            if lon is not None and values.get("category") and not values.get("file_anyway"):
                category = next((c for c in reporting.categories(account.tenant)
                                 if str(c.pk) == str(values.get("category"))), None)
                if category is not None:
                    offered = duplicates.candidates(tenant_id=account.tenant_id, category=category, lon=lon, lat=lat)
            if not offered:
                event = reporting.file_report(
                    account=account, category_id=values.get("category"), description=values.get("description", ""),
                    grid_id=values.get("grid"), lon=lon, lat=lat, uploads=request.FILES.getlist("photos"),
                    address=client_ip(request) or "", key=values.get("key"),
                )
                messages.success(request, _("Thank you. Your report %(ref)s is filed.") % {"ref": event.reference})
                return redirect("residents:my_report", pk=event.pk)
        except DomainError as refusal:
            error = refusal.message
    return _render(request, "residents/report.html", {
        "account": account, "categories": reporting.categories(account.tenant),
        "report_map": boundaries_geojson(reporting.map_grids(account)),
        "grids": reporting.grids_of(account.tenant).select_related("parent"), "values": values, "error": error,
        "offered": offered, "key": values.get("key") or uuid.uuid4().hex, "tab": "report",
    }, status=400 if error else 200)


@require_POST
@resident_required
def join(request, pk):
    """Join an open report nearby as a supporter and follow it."""
    try:
        reporting.join_event(account=request.resident, event_id=pk)
    except DomainError as refusal:
        raise Http404 from refusal
    messages.success(request, _("You follow this report now; you will hear of its progress."))
    return redirect("residents:my_report", pk=pk)


@resident_required
def my_reports(request):
    """我的上报: the reports she filed or joined, with their progress."""
    return _render(request, "residents/my_reports.html", {"links": reporting.my_reports(request.resident),
                                                         "tab": "mine"})


@resident_required
def my_report(request, pk):
    """One of her reports: its public steps only."""
    try:
        link = reporting.my_report(request.resident, pk)
    except DomainError:
        raise Http404 from None
    return _render(request, "residents/my_report.html", {
        "link": link, "event": link.event, "steps": reporting.public_timeline(link.event), "tab": "mine",
        **_rating_context(request, link),
    })


def _rating_context(request, link) -> dict:
    return {"may_rate": satisfaction.may_rate(link), "may_reopen": satisfaction.may_ask_reopen(link),
            "levels": Satisfaction.choices}


@require_POST
@resident_required
def rate(request, pk):
    """Her rating of her closed report; dissatisfied may then ask for it to be handled again."""
    try:
        link = reporting.my_report(request.resident, pk)
        if request.POST.get("reopen"):
            satisfaction.ask_reopen(link=link, reason=request.POST.get("reason", ""))
            messages.success(request, _("Your community will check and answer you."))
        else:
            satisfaction.rate_my_report(link=link, level=request.POST.get("level", ""),
                                        comment=request.POST.get("comment", ""))
            messages.success(request, _("Thank you for your rating."))
    except DomainError as refusal:
        if refusal.status == 404:
            raise Http404 from None
        messages.error(request, refusal.message)
    return redirect("residents:my_report", pk=pk)


def _staff_post(request, act, success: str) -> tuple[bool, str | None]:
    """A staff page's POST: run the service; (True, None) when it saved, (False, its reason) when it refused; a
    refusal as not found is the page's 404 (out of scope and missing answer the same)."""
    if request.method != "POST":
        return False, None
    try:
        act()
    except DomainError as refusal:
        if refusal.status == 404:
            raise Http404 from None
        return False, refusal.message
    messages.success(request, success)
    return True, None


@login_required
def reopens(request):
    """The community's check of residents' requests to reopen: reopen, or decline saying why."""
    if selectors.confirmation_queue(actor=request.user) is None:
        raise Http404
    done, error = _staff_post(request, lambda: satisfaction.decide_reopen(
        actor=request.user, request_id=request.POST.get("request"), reopen=request.POST.get("decision") == "reopen",
        answer=request.POST.get("answer", "")), _("Saved."))
    if done:
        return redirect("residents:reopens")
    return render(request, "residents/reopens.html", {"rows": satisfaction.pending_reopens(actor=request.user),
                                                      "error": error}, status=400 if error else 200)


@resident_required
def notices(request):
    """消息: what happened to the reports she follows; opening the page marks them read."""
    rows = list(request.resident.notices.select_related("event")[:100])
    request.resident.notices.filter(read_at__isnull=True).update(read_at=timezone.now())
    return _render(request, "residents/notices.html", {"rows": rows, "tab": "notices"})


@login_required
def callbacks(request):
    """回访: the grid worker lists the closed hotline and walk-in events of her grids and records each call's
    outcome (satisfied / basically satisfied / dissatisfied, with what the resident said)."""
    rows = satisfaction.callbacks(actor=request.user)
    if rows is None:
        raise Http404
    done, error = _staff_post(request, lambda: event_services.record_callback(
        actor=request.user, event=request.POST.get("event"), level=request.POST.get("level", ""),
        comment=request.POST.get("comment", "")), _("The call's outcome is recorded."))
    if done:
        return redirect("residents:callbacks")
    return render(request, "residents/callbacks.html", {
        "rows": [(event, event.resident_phone_masked) for event in rows],  # sealed at rest; revealed on the event page
        "done": satisfaction.callbacks(actor=request.user, done=True, limit=50),
        "levels": Satisfaction.choices, "error": error,
    }, status=400 if error else 200)
