"""HTML pages of events: report (上报), work queue (待办), the officers' list and export, detail with its steps.

Thin: every read goes through selectors (which start from `Event.objects.visible_to`), every write through one
service. Out of scope is 404; a step the table refuses is 409, one the user may not take is 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from exports.responses import answer as export_answer
from grids.selectors import boundaries_geojson
from yaohai.core.errors import DomainError, render_refusal
from yaohai.core.query import CursorField, strict_query

from . import duplicates, exports, selectors, services, timeline
from .choices import HANDLING_STATUSES, Status, Transition, Who
from .forms import (
    TRANSITION_FORMS,
    EventFilterForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    PauseRequestForm,
    ReportForm,
    ResumeForm,
)
from .models import Event, EventPhoto


@login_required
def report(request):
    """上报: file an event from the phone."""
    form = ReportForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grid = selectors.report_grid(
            actor=request.user, node_id=data["grid"].pk, lon=data.get("lon"), lat=data.get("lat")
        )
        try:
            event = services.report_event(
                actor=request.user,
                node=grid,
                category=data["category"],
                title=data["title"],
                description=data["description"],
                lon=data.get("lon"),
                lat=data.get("lat"),
                urgency=data["urgency"],
                source=data["source"],
                resident_name=data["resident_name"],
                resident_phone=data["resident_phone"],
                handled_on_spot=data["handled_on_spot"],
                photos=form.photo_list(),
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Event %(ref)s filed.") % {"ref": event.reference})
            return redirect(reverse("events:detail", args=[event.pk]) + "?filed=1")
    status = 400 if form.is_bound else 200
    context = {"form": form, "report_map": _report_map(form)}
    return render(request, "events/report.html", context, status=status)


def _report_map(form: ReportForm) -> dict | None:
    """The 上报 map's data: a GeoJSON FeatureCollection of the boundaries of the grids the reporter may report in
    (the form's own choices), keyed by id; None when none of them has a boundary, and then no map is drawn."""
    return boundaries_geojson(form.fields["grid"].queryset)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
@strict_query(after=CursorField(selectors.parse_queue_cursor))
def todo(request):
    """待办: what waits for the user, soonest deadline first."""
    rows, next_after = selectors.queue_page(actor=request.user, after=request.GET.get("after"))
    return render(
        request,
        "events/todo.html",
        {
            "events": rows,
            "next_url": f"?{urlencode({'after': next_after})}" if next_after else None,
            "now": timezone.now(),
        },
    )


@login_required
@strict_query(after=CursorField(selectors.parse_cursor))
def event_list(request):
    """The officers' list: filters, keyset pagination, export of the same filter."""
    form = EventFilterForm(request.GET or None, actor=request.user)
    page, next_after = selectors.event_page(actor=request.user, filters=form.filters(), after=request.GET.get("after"))
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "events/list.html",
        {
            "form": form,
            "events": page,
            "next_url": f"?{urlencode({**query.dict(), 'after': next_after})}" if next_after else None,
            "export_query": query.urlencode(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,  # the form shows which filter and why
    )


@login_required
def export(request):
    """The filtered list as an .xlsx sheet: at once when small, else built in the background and downloaded from
    我的导出 (exports; the builder is events.exports)."""
    query = request.GET.copy()
    query.pop("after", None)
    back_url = f"{reverse('events:list')}?{query.urlencode()}"
    return export_answer(request, kind=exports.EVENT_LIST, parameters=query.dict(), back_url=back_url)


def _event_or_404(request, pk) -> Event:
    try:
        return selectors.event_detail(actor=request.user, pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404(_("No such event.")) from exc


# How the event page shows each step: the step that moves the event forward first and in the primary colour, a
# step back or aside after it and visibly secondary, a refusal last and in the colour of a destructive step.
STEP_EMPHASIS = {
    Transition.ACCEPT: "primary",
    Transition.DISPATCH: "primary",
    Transition.SIGN: "primary",
    Transition.HANDLE: "primary",
    Transition.VERIFY: "primary",
    Transition.RECHECK: "primary",
    Transition.RETURN: "secondary",
    Transition.REOPEN: "secondary",
    Transition.REJECT: "danger",
}
_RANK = {"primary": 0, "secondary": 1, "danger": 2}


def _step_rank(action: str) -> tuple[int, int]:
    order = list(Transition.values)
    return _RANK[STEP_EMPHASIS.get(action, "secondary")], order.index(action)


def _detail_context(request, event, forms=None, error=None):
    allowed = services.allowed_transitions(actor=request.user, event=event)
    forms = forms or {}
    pending = services.pending_extension(event)
    may_ask = (
        pending is None
        and event.status in HANDLING_STATUSES
        and services.actor_may(request.user, event, Who.HANDLER)
    )
    may_decide = pending is not None and services.actor_may(request.user, event, Who.DISPATCHER)
    pause = services.pending_pause(event)
    is_handler = services.actor_may(request.user, event, Who.HANDLER)
    is_dispatcher = services.actor_may(request.user, event, Who.DISPATCHER)
    may_ask_pause = pause is None and event.paused_at is None and event.status in HANDLING_STATUSES and is_handler
    may_decide_pause = pause is not None and is_dispatcher
    may_resume = event.paused_at is not None and (is_handler or is_dispatcher)
    step_forms = [
        (action, Transition(action).label,
         forms.get(action) or TRANSITION_FORMS[action](event=event, actor=request.user, prefix=action),
         STEP_EMPHASIS.get(action, "secondary"))
        for action in sorted(allowed, key=_step_rank)
    ]
    return {
        "event": event,
        "logs": event.logs.all(),
        "step_forms": step_forms,
        "show_contact": services.can_see_contact(actor=request.user, event=event),
        "pending_extension": pending,
        "extension_request_form": (forms.get("ext-request") or ExtensionRequestForm(prefix="ext")) if may_ask else None,
        "extension_decision_form": (forms.get("ext-decide") or ExtensionDecisionForm(prefix="ext")) if may_decide else None,
        "pending_pause": pause,
        "pause_request_form": (forms.get("pause-request") or PauseRequestForm(prefix="pause")) if may_ask_pause else None,
        "pause_decision_form": (forms.get("pause-decide") or ExtensionDecisionForm(prefix="pause")) if may_decide_pause else None,
        "resume_form": (forms.get("resume") or ResumeForm(prefix="resume")) if may_resume else None,
        "linked": timeline.entries(event, request.user),  # other apps' entries (events/timeline.py)
        "offers": timeline.offers(event, request.user),  # other apps' links to act on it (events/timeline.py)
        "error": error,
        # 这里已有人上报: earlier open events like this one nearby, which the dispatcher can merge it into.
        "duplicate_candidates": (
            duplicates.for_event(event, actor=request.user)
            if event.status == Status.REPORTED and is_dispatcher else []
        ),
    }


@login_required
def detail(request, pk):
    """An event: its facts, its timeline with photos, and a form for each step the user may take."""
    event = _event_or_404(request, pk)
    return render(request, "events/detail.html", _detail_context(request, event))


@login_required
@require_POST
@sensitive_post_parameters("reason")
def reveal_phone(request, pk):
    """The caller's phone in full, once, on this page (never in a URL): a reason, an audit row."""
    event = _event_or_404(request, pk)
    try:
        phone = services.reveal_resident_phone(actor=request.user, event=event, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return render_refusal(request, exc, "events/detail.html", _detail_context(request, event))
    response = render(request, "events/detail.html", {**_detail_context(request, event), "revealed_phone": phone})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def photo(request, pk):
    """An event photo, served only to those who may see its event: uploads are never published as a folder."""
    visible = EventPhoto.objects.filter(event__in=Event.objects.visible_to(request.user))
    picture = get_object_or_404(visible, pk=pk)
    response = FileResponse(picture.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def transition(request, pk, action):
    """One workflow step, posted from the detail page's form for it."""
    if action not in Transition.values:
        raise Http404
    event = _event_or_404(request, pk)
    form = TRANSITION_FORMS[action](request.POST, request.FILES, event=event, actor=request.user, prefix=action)
    if form.is_valid():
        try:
            services.TRANSITION_SERVICES[action](actor=request.user, event=event.pk, **form.kwargs())
        except Event.DoesNotExist as exc:
            raise Http404 from exc
        except DomainError as exc:
            return render_refusal(request, exc, "events/detail.html", _detail_context(request, _event_or_404(request, pk)))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": Transition(action).label})
            return redirect("events:detail", pk=event.pk)
    context = _detail_context(request, event, forms={action: form}, error=_("Please correct the errors below."))
    return render(request, "events/detail.html", context, status=400)


def _side_step(request, pk, form_class, key, call, prefix="ext"):
    """A step beside the table (more time, pause, resume), posted from its form on the detail page."""
    event = _event_or_404(request, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call(event, form.cleaned_data)
        except Event.DoesNotExist as exc:
            raise Http404 from exc
        except DomainError as exc:
            return render_refusal(request, exc, "events/detail.html", _detail_context(request, _event_or_404(request, pk)))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect("events:detail", pk=event.pk)
    context = _detail_context(request, event, forms={key: form}, error=_("Please correct the errors below."))
    return render(request, "events/detail.html", context, status=400)


@login_required
@require_POST
def extension_request(request, pk):
    """The handler asks for more time."""
    return _side_step(
        request, pk, ExtensionRequestForm, "ext-request",
        lambda event, data: services.request_extension(actor=request.user, event=event.pk, **data),
    )


@login_required
@require_POST
def extension_decide(request, pk):
    """A dispatcher approves or denies the pending request for more time."""
    return _side_step(
        request, pk, ExtensionDecisionForm, "ext-decide",
        lambda event, data: services.decide_extension(actor=request.user, event=event.pk, **data),
    )


@login_required
@require_POST
def pause_request(request, pk):
    """The handler asks to pause the clock."""
    return _side_step(
        request, pk, PauseRequestForm, "pause-request",
        lambda event, data: services.request_pause(actor=request.user, event=event.pk, **data), prefix="pause",
    )


@login_required
@require_POST
def pause_decide(request, pk):
    """A dispatcher approves or denies the pending request to pause."""
    return _side_step(
        request, pk, ExtensionDecisionForm, "pause-decide",
        lambda event, data: services.decide_pause(actor=request.user, event=event.pk, **data), prefix="pause",
    )


@login_required
@require_POST
def resume(request, pk):
    """The handler or a dispatcher restarts the clock."""
    return _side_step(
        request, pk, ResumeForm, "resume",
        lambda event, data: services.resume(actor=request.user, event=event.pk, **data), prefix="resume",
    )


@login_required
def notifications(request):
    """The user's own notifications (the bell)."""
    rows = selectors.notifications(actor=request.user)
    return render(
        request,
        "events/notifications.html",
        {"notifications": rows, "unread": any(n.read_at is None for n in rows)},
    )


@login_required
@require_POST
def notifications_read(request):
    services.mark_notifications_read(actor=request.user)
    return redirect("events:notifications")
