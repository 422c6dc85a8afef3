"""The parties' pages (thin: the selectors read, the services write). Every page reads through `visible_to`: a
record out of the user's scope answers 404, like one that does not exist; every step is a POST through
parties.services, and a refused step shows its message on the page it came from and changes nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Category, Event
from grids.models import GridNode
from grids.scope import scope_for
from registry.models import Resident
from yaohai.core.errors import DomainError, Invalid, render_refusal
from yaohai.core.shell import GRID_WORKER, role_of

from . import selectors, services
from .choices import TopicSource, TopicStatus, TopicStep
from .models import Activity, ActivityPhoto, FollowUp, Meeting, Notice, SignUp, Topic
from .rights import MANAGE
from .services.consultation import TOPIC_LEVELS, TOPICS


@login_required
def home(request):
    """党建: an officer's organisations, coverage, topics, activities and notices in her subtree; a grid worker's
    phone page of her grid's branch, central households, committee and coming activities."""
    now = timezone.now()
    if role_of(request.user) == GRID_WORKER:
        return render(request, "parties/grid.html", {"grids": selectors.my_grid(actor=request.user, now=now),
                                                     **_nav(request)})
    return render(request, "parties/home.html", {**selectors.overview(actor=request.user, now=now), **_nav(request)})


def _nav(request) -> dict:
    """What the parties' tabs show: consultation only to those who keep it somewhere."""
    return {"keeps_consultation": not scope_for(request.user, MANAGE).is_empty}


# --- helpers -----------------------------------------------------------------------------------------------------


def _refusal_text(exc) -> str:
    """A service's ValidationError as one line for the page (the field messages, joined)."""
    if hasattr(exc, "message_dict"):
        return " ".join(message for messages_ in exc.message_dict.values() for message in messages_)
    return " ".join(exc.messages)


def _date(value, field: str, *, required: bool = True) -> dt.date | None:
    value = (value or "").strip()
    if not value and not required:
        return None
    try:
        found = parse_date(value) if value else None
    except ValueError:  # well formed, but no such day (02-30)
        found = None
    if found is None:
        raise ValidationError({field: [_("Enter a valid date.")]})
    return found


def _datetime(value, field: str) -> dt.datetime:
    try:
        found = parse_datetime((value or "").strip().replace("T", " ")) if value else None
    except ValueError:  # well formed, but no such time (25:00)
        found = None
    if found is None:
        raise ValidationError({field: [_("Enter a valid date and time.")]})
    return timezone.make_aware(found) if timezone.is_naive(found) else found


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Enter a whole number.")]}) from None


# --- consultation topics -----------------------------------------------------------------------------------------


def _topics(request):
    return Topic.objects.visible_to(request.user, MANAGE)


def _topic_or_404(request, pk) -> Topic:
    topic = _topics(request).select_related("node", "committee", "event", "raised_by_resident").filter(pk=pk).first()
    if topic is None:
        raise Http404
    return topic


@login_required
def topics(request):
    """协商议事: the topics of the officer's subtree, filtered by status, the nearest date to resolve by first."""
    status = request.GET.get("status", "")
    rows = _topics(request).select_related("node").order_by("due_on", "id")
    if status in TopicStatus.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    return render(request, "parties/topics.html", {
        **_nav(request), "rows": rows[:200], "status": status, "statuses": TopicStatus.choices,
    })


def _places(request):
    """The streets, communities and grids in service where the officer keeps consultation."""
    return (GridNode.objects.visible_to(request.user, MANAGE)
            .filter(kind__in=TOPIC_LEVELS, is_archived=False).order_by("code")[:300])


def _event_or_404(request, pk) -> Event:
    event = Event.objects.visible_to(request.user).select_related("node").filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


RAISERS = (TopicSource.RESIDENT, TopicSource.COMMITTEE_MEMBER, TopicSource.GRID_WORKER)
MAX_MATCHES = 20


def _resident_or_404(request, pk) -> Resident:
    """A resident the officer can see (out of her scope answers exactly like a missing one)."""
    if not str(pk).isdigit():
        raise Http404
    found = Resident.objects.visible_to(request.user).filter(pk=int(pk)).only("id", "name", "grid__name") \
        .select_related("grid").first()
    if found is None:
        raise Http404
    return found


def _resident_matches(request, q: str) -> list:
    """The residents of her scope whose name holds `q` (names and grids only: nothing else personal)."""
    if not q:
        return []
    return list(Resident.objects.visible_to(request.user).filter(name__contains=q).only("id", "name", "grid__name")
                .select_related("grid").order_by("name", "id")[:MAX_MATCHES])


@login_required
def topic_new(request):
    """提出议题: raise a topic at a street, community or grid; `?event=` turns an event the officer can see into one
    (its grid and title taken over, its source "from an event")."""
    event = None
    if request.GET.get("event") or request.POST.get("event"):
        pk = request.GET.get("event") or request.POST.get("event")
        if not str(pk).isdigit():
            raise Http404
        event = _event_or_404(request, int(pk))
    places = list(_places(request))
    if not places:
        raise Http404
    resident = None
    if request.POST.get("resident") or request.GET.get("resident"):
        resident = _resident_or_404(request, request.POST.get("resident") or request.GET.get("resident"))
    q = (request.GET.get("q") or request.POST.get("q") or "").strip()[:50]
    matches = _resident_matches(request, q)
    if resident is not None and resident.pk not in {m.pk for m in matches}:
        matches.insert(0, resident)
    today = timezone.localdate()
    context = {
        "keeps_consultation": True, "places": places, "event": event, "q": q, "matches": matches,
        "resident": resident,
        "sources": [c for c in TopicSource.choices if c[0] in RAISERS],
        "values": {
            "title": event.title if event else "", "description": event.description if event else "",
            "node": str(event.node_id) if event else "", "due_on": (today + dt.timedelta(days=30)).isoformat(),
            "source": TopicSource.EVENT if event else (TopicSource.RESIDENT if q or resident
                                                          else TopicSource.GRID_WORKER),
        },
    }
    if request.method != "POST":
        return render(request, "parties/topic_new.html", context)
    data = request.POST
    context["values"] = {key: data.get(key, "") for key in ("title", "description", "node", "due_on", "source")}
    try:
        node = next((p for p in places if str(p.pk) == data.get("node")), None)
        if node is None:
            raise ValidationError({"node": [_("Choose a street, community or grid in service.")]})
        source = TopicSource.EVENT if event else data.get("source", "")
        topic = services.raise_topic(
            actor=request.user, node=node, title=data.get("title", ""), description=data.get("description", ""),
            due_on=_date(data.get("due_on"), "due_on"), source=source, event=event,
            committee=_committee_of(node), resident=resident if source == TopicSource.RESIDENT else None,
        )
    except ValidationError as exc:
        return render(request, "parties/topic_new.html", {**context, "error": _refusal_text(exc)}, status=400)
    except DomainError as exc:
        return render_refusal(request, exc, "parties/topic_new.html", context)
    messages.success(request, _("The topic is raised."))
    return redirect("parties:topic", pk=topic.pk)


def _committee_of(node):
    """The co-governance committee of a grid (the grid's own, not a compound's), for a topic raised there."""
    from .models import Committee

    if node.kind != "grid":
        return None
    return Committee.objects.filter(node=node, compound__isnull=True).first()


def _open_meeting(topic):
    return topic.meetings.filter(held=False).order_by("-starts_at", "-id").first()


def _candidates(request, topic):
    """Who may be signed in at the topic's meeting: the committee's current seat holders, and the officer."""
    residents, users = {}, {request.user.pk: request.user}
    if topic.committee_id:
        for seat in topic.committee.seats.filter(term_end__isnull=True).select_related("resident", "user"):
            if seat.resident_id:
                residents[seat.resident_id] = seat.resident
            if seat.user_id:
                users[seat.user_id] = seat.user
    return residents, users


def _log_line(log) -> dict:
    """A log row with its step and statuses in the user's language."""
    labels = dict(TopicStatus.choices)
    step = dict(TopicStep.choices).get(log.action) or (_("raise") if log.action == "raise" else log.action)
    return {"action": log.action, "step": step, "before": labels.get(log.from_status, ""),
            "after": labels.get(log.to_status, ""), "actor": log.actor, "note": log.note, "at": log.at}


def _topic_context(request, topic, error=None):
    steps = [TopicStep(s) for s in TOPICS.allowed(actor=request.user, obj=topic)]
    residents, users = _candidates(request, topic)
    resolved = topic.status in (TopicStatus.RESOLVED, TopicStatus.IMPLEMENTED)
    return {
        "keeps_consultation": True,
        "topic": topic,
        "steps": steps,
        "logs": [_log_line(log) for log in topic.logs.select_related("actor").order_by("at", "id")],
        "meetings": topic.meetings.prefetch_related("attendees__resident", "attendees__user", "votes").order_by(
            "starts_at", "id"),
        "open_meeting": _open_meeting(topic),
        "follow_ups": topic.follow_ups.select_related("node", "event").order_by("id"),
        "notices": topic.notices.order_by("-id"),
        "may_follow_up": resolved,
        "may_notice": resolved or topic.status == TopicStatus.CLOSED,
        "grids": GridNode.objects.visible_to(request.user, MANAGE).filter(
            kind="grid", is_archived=False, **{f"{topic.node.kind}_id": topic.node_id} if topic.node.kind != "grid"
            else {"pk": topic.node_id}).order_by("code")[:200],
        "categories": Category.objects.filter(tenant_id=topic.tenant_id, parent__isnull=False, is_active=True)
        .select_related("parent").order_by("parent__sort_order", "sort_order", "id"),
        "resident_candidates": list(residents.values()),
        "user_candidates": list(users.values()),
        "today": timezone.localdate().isoformat(),
        "error": error,
    }


@login_required
def topic(request, pk):
    """The topic: its facts, log, meetings (attendees, minutes, votes), resolution, follow-up tasks and notices,
    and a form for each step the officer may take now."""
    found = _topic_or_404(request, pk)
    return render(request, "parties/topic.html", _topic_context(request, found))


def _chosen(request, topic):
    residents, users = _candidates(request, topic)
    picked_residents, picked_users = [], []
    for raw in request.POST.getlist("resident"):
        if _int(raw, "attendees") not in residents:
            raise ValidationError({"attendees": [_("Choose attendees from the list.")]})
        picked_residents.append(residents[int(raw)])
    for raw in request.POST.getlist("user"):
        if _int(raw, "attendees") not in users:
            raise ValidationError({"attendees": [_("Choose attendees from the list.")]})
        picked_users.append(users[int(raw)])
    return picked_residents, picked_users


def _votes(request):
    votes = []
    rows = zip(request.POST.getlist("motion"), request.POST.getlist("in_favour"), request.POST.getlist("against"),
               request.POST.getlist("abstaining"), strict=False)
    for motion, yes, no, abstain in rows:
        if not motion.strip():
            continue
        votes.append((motion, _int(yes or 0, "votes"), _int(no or 0, "votes"), _int(abstain or 0, "votes")))
    return votes


def _take_step(request, topic, step):
    data, actor = request.POST, request.user
    if step == TopicStep.ACCEPT:
        return services.accept_topic(actor=actor, topic=topic.pk, note=data.get("note", ""))
    if step == TopicStep.SCHEDULE:
        return services.schedule_meeting(actor=actor, topic=topic.pk, starts_at=_datetime(data.get("starts_at"),
                                         "starts_at"), place=data.get("place", ""), agenda=data.get("agenda", ""))
    if step == TopicStep.DISCUSS:
        meeting = _open_meeting(topic)
        if meeting is None:
            raise ValidationError({"meeting": [_("Schedule a meeting first.")]})
        residents, users = _chosen(request, topic)
        return services.record_meeting(actor=actor, meeting=meeting, minutes=data.get("minutes", ""),
                                       residents=residents, users=users, votes=_votes(request))
    if step == TopicStep.RESOLVE:
        return services.resolve_topic(actor=actor, topic=topic.pk, resolution=data.get("resolution", ""),
                                      on_date=_date(data.get("on_date"), "on_date"))
    if step == TopicStep.IMPLEMENT:
        return services.implement_topic(actor=actor, topic=topic.pk, note=data.get("note", ""))
    if step == TopicStep.CLOSE:
        return services.close_topic(actor=actor, topic=topic.pk, on_date=_date(data.get("on_date"), "on_date"),
                                    note=data.get("note", ""))
    return services.withdraw_topic(actor=actor, topic=topic.pk, note=data.get("note", ""))


@login_required
@require_POST
def topic_step(request, pk, step):
    """One step of the topic's table (accept, schedule, record the meeting, resolve, implement, close, withdraw),
    posted from the topic page: an illegal step answers 409 with its message, bad input 400, nothing changed."""
    if step not in TopicStep.values:
        raise Http404
    found = _topic_or_404(request, pk)
    try:
        _take_step(request, found, TopicStep(step))
    except ValidationError as exc:
        return render(request, "parties/topic.html", _topic_context(request, found, _refusal_text(exc)), status=400)
    except DomainError as exc:
        return render_refusal(request, exc, "parties/topic.html", _topic_context(request, found))
    messages.success(request, _("Done: %(step)s.") % {"step": TopicStep(step).label})
    return redirect("parties:topic", pk=found.pk)


def _follow_up_of(topic, request) -> FollowUp:
    task = topic.follow_ups.filter(pk=_int(request.POST.get("follow_up"), "follow_up")).first()
    if task is None:
        raise Invalid(_("Choose a follow-up task of this topic."))
    return task


def _notice_of(topic, request) -> Notice:
    notice = topic.notices.filter(pk=_int(request.POST.get("notice"), "notice")).first()
    if notice is None:
        raise Invalid(_("Choose a notice of this topic."))
    return notice


def _act_follow_up(request, topic):
    data = request.POST
    grid = None
    if data.get("grid"):
        grid = GridNode.objects.visible_to(request.user, MANAGE).filter(pk=_int(data["grid"], "grid")).first()
        if grid is None:
            raise ValidationError({"grid": [_("The grid is not within the topic's place.")]})
    services.add_follow_up(actor=request.user, topic=topic.pk, title=data.get("title", ""), grid=grid,
                           due_on=_date(data.get("due_on"), "due_on", required=False))
    return _("The follow-up task is added.")


def _act_file_event(request, topic):
    category = Category.objects.filter(tenant_id=topic.tenant_id, parent__isnull=False, is_active=True,
                                       pk=_int(request.POST.get("category"), "category")).first()
    if category is None:
        raise ValidationError({"category": [_("Choose an event category.")]})
    event = services.file_follow_up_as_event(actor=request.user, follow_up=_follow_up_of(topic, request),
                                             category=category, description=request.POST.get("description", ""))
    return _("Filed as event %(reference)s.") % {"reference": event.reference}


def _act_finish(request, topic):
    services.finish_follow_up(actor=request.user, follow_up=_follow_up_of(topic, request),
                              on_date=_date(request.POST.get("on_date"), "on_date"))
    return _("The follow-up task is done.")


def _act_notice(request, topic):
    data = request.POST
    services.draft_notice(actor=request.user, topic=topic.pk, title=data.get("title", ""), body=data.get("body", ""),
                          period_days=_int(data.get("period_days", 7), "period_days"))
    return _("The notice is drafted; publish it to show it.")


def _act_publish(request, topic):
    services.publish_notice(actor=request.user, notice=_notice_of(topic, request))
    return _("The notice is published.")


TOPIC_ACTS = {
    "follow_up": _act_follow_up,
    "file_event": _act_file_event,
    "finish_follow_up": _act_finish,
    "notice": _act_notice,
    "publish": _act_publish,
}


@login_required
@require_POST
def topic_act(request, pk, name):
    """An act beside the table: a follow-up task, filing one as an event, finishing one, drafting and publishing
    the public notice (公示)."""
    if name not in TOPIC_ACTS:
        raise Http404
    found = _topic_or_404(request, pk)
    try:
        message = TOPIC_ACTS[name](request, found)
    except ValidationError as exc:
        return render(request, "parties/topic.html", _topic_context(request, found, _refusal_text(exc)), status=400)
    except DomainError as exc:
        return render_refusal(request, exc, "parties/topic.html", _topic_context(request, found))
    messages.success(request, message)
    return redirect("parties:topic", pk=found.pk)


# --- activities --------------------------------------------------------------------------------------------------


def _activities(request):
    """The activities the user may see: those of her subtree, and those of the communities she works or lives in
    (announced to everyone there)."""
    from grids.selectors import home_nodes

    communities = {node.community_id or (node.pk if node.kind == "community" else None)
                   for node in home_nodes(actor=request.user)} - {None}
    mine = Activity.objects.filter(tenant_id=request.user.tenant_id, community_id__in=communities)
    return Activity.objects.filter(pk__in=Activity.objects.visible_to(request.user).values("pk")) | mine


def _activity_or_404(request, pk) -> Activity:
    found = _activities(request).select_related("centre", "organiser").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _may_check_in(user, activity) -> bool:
    return activity.organiser_id == user.pk or scope_for(user, MANAGE).covers(activity)


@login_required
def activities(request):
    """活动: the coming activities she may sign up for (on a phone too), with her own sign-ups marked."""
    now = timezone.now()
    rows = list(_activities(request).filter(ends_at__gt=now).select_related("centre").order_by("starts_at", "id")[:50])
    mine = set(SignUp.objects.filter(user=request.user, activity__in=[r.pk for r in rows])
               .values_list("activity_id", flat=True))
    return render(request, "parties/activities.html", {"rows": rows, "mine": mine, "now": now, **_nav(request)})


@login_required
def activity(request, pk):
    """An activity: when, where, places left; its sign-ups with a check-in button for the organiser or an
    officer keeping party building there."""
    found = _activity_or_404(request, pk)
    return render(request, "parties/activity.html", _activity_context(request, found))


def _activity_context(request, found, error=None):
    keeper = _may_check_in(request.user, found)
    return {
        **_nav(request), "activity": found, "keeper": keeper, "error": error,
        "sign_ups": found.sign_ups.select_related("resident", "user").order_by("signed_up_at", "id") if keeper else [],
        "signed_up": SignUp.objects.filter(activity=found, user=request.user).first(),
        "photos": list(found.photos.order_by("id")), "started": timezone.now() >= found.starts_at,
        "ended": timezone.now() >= found.ends_at,
    }


@login_required
@require_POST
def activity_sign_up(request, pk):
    """Sign herself up (places never overbook: parties.services.sign_up counts under the activity's row lock)."""
    found = _activity_or_404(request, pk)
    try:
        services.sign_up(activity=found.pk, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("parties:activity", pk=found.pk)
    messages.success(request, _("You are signed up for “%(title)s”.") % {"title": found.title})
    return redirect("parties:activity", pk=found.pk)


@login_required
@require_POST
def check_in(request, pk):
    """Check a sign-up in at the activity (the organiser, or an officer keeping party building there)."""
    row = SignUp.objects.filter(pk=pk, activity__in=_activities(request)).select_related("activity").first()
    if row is None or not _may_check_in(request.user, row.activity):
        raise Http404
    try:
        services.check_in(sign_up=row.pk, actor=request.user)
    except DomainError as exc:
        return render_refusal(request, exc, "parties/activity.html", _activity_context(request, row.activity))
    messages.success(request, _("Checked in: %(name)s.") % {"name": row.resident or row.user})
    return redirect("parties:activity", pk=row.activity_id)


@login_required
@require_POST
def activity_summary(request, pk):
    """The summary after the activity (the organiser, or an officer keeping party building there)."""
    found = _activity_or_404(request, pk)
    if not _may_check_in(request.user, found):
        raise Http404
    try:
        services.summarise_activity(activity=found.pk, summary=request.POST.get("summary", ""), actor=request.user)
    except ValidationError as exc:
        return render(request, "parties/activity.html", _activity_context(request, found, _refusal_text(exc)),
                      status=400)
    except DomainError as exc:
        return render_refusal(request, exc, "parties/activity.html", _activity_context(request, found))
    messages.success(request, _("The summary is saved."))
    return redirect("parties:activity", pk=found.pk)


@login_required
@require_POST
def activity_photos(request, pk):
    """Photos of the activity, once it has started (the organiser, or an officer keeping party building there):
    re-encoded by events.images, their EXIF (GPS, device) dropped."""
    found = _activity_or_404(request, pk)
    if not _may_check_in(request.user, found):
        raise Http404
    try:
        saved = services.add_activity_photos(activity=found.pk, photos=request.FILES.getlist("photos"),
                                             actor=request.user)
    except ValidationError as exc:
        return render(request, "parties/activity.html", _activity_context(request, found, _refusal_text(exc)),
                      status=400)
    except DomainError as exc:
        return render_refusal(request, exc, "parties/activity.html", _activity_context(request, found))
    messages.success(request, _("%(n)d photos added.") % {"n": len(saved)})
    return redirect("parties:activity", pk=found.pk)


@login_required
def activity_photo(request, pk):
    """An activity's photo, served only to those who may see the activity (uploads are never a public folder)."""
    from django.http import FileResponse

    picture = ActivityPhoto.objects.filter(pk=pk, activity__in=_activities(request)).first()
    if picture is None:
        raise Http404
    response = FileResponse(picture.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def mine(request):
    """我的: her membership, the activities she signed up for and attended, and her service hours (双报到)."""
    from django.db.models import Sum

    from .models import Member, ServiceHours

    member = Member.objects.filter(user=request.user, left_on__isnull=True).select_related("org").first()
    hours = ServiceHours.objects.filter(registration__member__user=request.user).order_by("-on_date", "-id")
    sign_ups = SignUp.objects.filter(user=request.user).select_related("activity", "activity__centre").order_by(
        "-activity__starts_at")
    attended = [row for row in sign_ups if row.checked_in_at]
    activity_hours = sum((row.activity.hours for row in attended), 0.0)
    return render(request, "parties/mine.html", {
        **_nav(request), "member": member, "hours": hours[:100], "sign_ups": sign_ups[:100],
        "service_hours": hours.aggregate(total=Sum("hours"))["total"] or 0,
        "attended": len(attended), "activity_hours": round(activity_hours, 1),
        "meetings": Meeting.objects.filter(attendees__user=request.user).select_related("topic").order_by(
            "-starts_at")[:50],
    })
