"""Parties API: read-only viewsets over `visible_to` plus named actions through parties.services (the same scope
and the same services as the pages). Every id in a path or a body is read through the caller's scope before any
other field is looked at: an id from elsewhere answers 404 exactly like a missing one. An illegal step is 409,
bad input 400 in the caller's language."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from events.models import Category, Event
from grids.api.base import ScopedReadOnlyViewSet, as_drf_error
from grids.models import GridNode, User
from registry.models import Resident
from yaohai.core.pagination import CursorPagination  # an unreadable ?cursor= is a 400 naming it
from yaohai.core.workflow import IllegalStep

from .. import services
from ..choices import TopicStep
from ..models import (
    Activity,
    CentralHousehold,
    CentralHouseholdLink,
    Committee,
    CommitteeSeat,
    Member,
    Notice,
    PartnerUnit,
    PartyOrg,
    ServiceCentre,
    Team,
    TeamMember,
    Topic,
)
from ..workflows import TOPIC_WORKFLOW
from . import serializers as s

MAX_ID = 2**63 - 1


class IdCursor(CursorPagination):
    ordering = ("id",)


def _call(service, **kwargs):
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise as_drf_error(exc) from exc


def _id(raw, field: str) -> int:
    """A body's id as a whole number (400 if it is none); a number beyond any id is simply not there (404)."""
    text = str(raw).strip() if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
    if not (text.isascii() and text.isdigit()):
        raise ValidationError({field: [_("Enter a whole number.")]})
    value = int(text)
    if value > MAX_ID:
        raise NotFound()
    return value


def _scoped(data, field: str, rows, *, required: bool = False):
    """The record a body names by id, read through `rows` (the caller's scope): absent or out of scope is 404."""
    raw = data.get(field) if hasattr(data, "get") else None
    if raw in (None, ""):
        if required:
            raise ValidationError({field: [_("This field is required.")]})
        return None
    found = rows.filter(pk=_id(raw, field)).first()
    if found is None:
        raise NotFound()
    return found


def _ids(data, field: str) -> list[int]:
    raw = data.getlist(field) if hasattr(data, "getlist") else (data.get(field) if hasattr(data, "get") else None)
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raw = [raw]
    return [_id(value, field) for value in raw]


def _body(serializer_class, request, **context):
    body = serializer_class(data=request.data, context={"request": request, **context})
    body.is_valid(raise_exception=True)
    return body.validated_data


class PartiesViewSet(ScopedReadOnlyViewSet):
    pagination_class = IdCursor
    related = ()
    prefetch = ()

    def get_queryset(self):
        return super().get_queryset().select_related(*self.related).prefetch_related(*self.prefetch).order_by("id")


class PartyOrgViewSet(PartiesViewSet):
    """The party organisations of the caller's subtree."""

    model = PartyOrg
    serializer_class = s.PartyOrgSerializer
    prefetch = ("led_grids",)


class MemberViewSet(PartiesViewSet):
    """Current and former party members of the caller's subtree (names only; no personal numbers)."""

    model = Member
    serializer_class = s.PartyMemberSerializer
    related = ("org", "resident", "user")


class TopicViewSet(mixins.CreateModelMixin, PartiesViewSet):
    """Consultation topics: raised by POST, carried through their steps as named actions (no PATCH of the status).
    Each action is the page's step through the same parties.services function."""

    model = Topic
    serializer_class = s.TopicSerializer
    related = ("raised_by_resident",)

    # --- raise ---------------------------------------------------------------------------------------------------

    @extend_schema(request=s.TopicRaiseSerializer, responses={201: s.TopicSerializer})
    def create(self, request, *args, **kwargs):
        """Raise a topic at a street, community or grid the caller keeps; a resident's topic names the resident
        (a person of the caller's scope), a topic from an event names an event she can see."""
        user, data = request.user, request.data
        node = _scoped(data, "node", GridNode.objects.visible_to(user), required=True)
        event = _scoped(data, "event", Event.objects.visible_to(user))
        resident = _scoped(data, "resident", Resident.objects.visible_to(user))
        body = _body(s.TopicRaiseSerializer, request)
        topic = _call(
            services.raise_topic, actor=user, node=node, title=body["title"], description=body["description"],
            due_on=body["due_on"], source=body["source"], event=event, resident=resident,
            committee=_committee_of(node),
        )
        return Response(s.TopicSerializer(topic).data, status=status.HTTP_201_CREATED)

    # --- the steps of the table ----------------------------------------------------------------------------------

    def _answer(self, topic):
        return Response(s.TopicSerializer(Topic.objects.select_related("raised_by_resident").get(pk=topic.pk)).data)

    def _take(self, request, service, body_class, *fields):
        """The topic through the scope, then the body checked, then the service called with the body's fields."""
        topic = self.get_object()
        body = _body(body_class, request)
        return _call(service, actor=request.user, topic=topic, **{f: body[f] for f in fields})

    def _step(self, request, service, body_class, *fields):
        """A step of the table, answered with the topic."""
        return self._answer(self._take(request, service, body_class, *fields))

    @extend_schema(request=s.TopicNoteSerializer, responses=s.TopicSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(request, services.accept_topic, s.TopicNoteSerializer, "note")

    @extend_schema(request=s.ScheduleSerializer, responses={201: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        """Call a meeting on the topic (time, place, agenda)."""
        meeting = self._take(request, services.schedule_meeting, s.ScheduleSerializer, "starts_at", "place", "agenda")
        return Response(s.MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RecordMeetingSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="record-meeting")
    def record_meeting(self, request, pk=None):
        """Record the topic's open meeting: attendees (the committee's current seat holders and the caller), its
        minutes and votes. An attendee out of the caller's sight is 404; one not on the list, 400."""
        topic = self.get_object()
        residents, users = _attendees(request, topic)
        body = _body(s.RecordMeetingSerializer, request)
        meeting = topic.meetings.filter(held=False).order_by("-starts_at", "-id").first()
        if meeting is None:  # no meeting is open: the table does not allow discussing from here (409)
            raise IllegalStep(TOPIC_WORKFLOW.illegal_message(topic.status, TopicStep.DISCUSS))
        votes = [(v["motion"], v["in_favour"], v["against"], v["abstaining"]) for v in body["votes"]]
        meeting = _call(services.record_meeting, actor=request.user, meeting=meeting, minutes=body["minutes"],
                        residents=residents, users=users, votes=votes)
        return Response(s.MeetingSerializer(meeting).data)

    @extend_schema(request=s.ResolveSerializer, responses=s.TopicSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._step(request, services.resolve_topic, s.ResolveSerializer, "resolution", "on_date")

    @extend_schema(request=s.TopicNoteSerializer, responses=s.TopicSerializer)
    @action(detail=True, methods=["post"])
    def implement(self, request, pk=None):
        """Mark the resolution carried out (refused while a follow-up task is open)."""
        return self._step(request, services.implement_topic, s.TopicNoteSerializer, "note")

    @extend_schema(request=s.CloseSerializer, responses=s.TopicSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(request, services.close_topic, s.CloseSerializer, "on_date", "note")

    @extend_schema(request=s.WithdrawSerializer, responses=s.TopicSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(request, services.withdraw_topic, s.WithdrawSerializer, "note")

    # --- beside the table: follow-up tasks and the public notice -------------------------------------------------

    @extend_schema(request=s.FollowUpAddSerializer, responses={201: s.TopicFollowUpSerializer})
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def add_follow_up(self, request, pk=None):
        """A follow-up task carrying out the resolution, in a grid of the topic's place (by default its own)."""
        topic = self.get_object()
        grid = _scoped(request.data, "grid", GridNode.objects.visible_to(request.user))
        body = _body(s.FollowUpAddSerializer, request)
        task = _call(services.add_follow_up, actor=request.user, topic=topic, title=body["title"], grid=grid,
                     due_on=body["due_on"])
        return Response(s.TopicFollowUpSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.FileEventSerializer, responses=s.TopicFollowUpSerializer)
    @action(detail=True, methods=["post"], url_path="file-event")
    def file_event(self, request, pk=None):
        """File a follow-up task as an event (once; the task keeps the link)."""
        topic = self.get_object()
        task = _scoped(request.data, "follow_up", topic.follow_ups.all(), required=True)
        category = _scoped(request.data, "category", Category.objects.filter(
            tenant_id=topic.tenant_id, parent__isnull=False, is_active=True), required=True)
        body = _body(s.FileEventSerializer, request)
        _call(services.file_follow_up_as_event, actor=request.user, follow_up=task, category=category,
              description=body["description"])
        task.refresh_from_db()
        return Response(s.TopicFollowUpSerializer(task).data)

    @extend_schema(request=s.FinishSerializer, responses=s.TopicFollowUpSerializer)
    @action(detail=True, methods=["post"], url_path="finish-follow-up")
    def finish_follow_up(self, request, pk=None):
        topic = self.get_object()
        task = _scoped(request.data, "follow_up", topic.follow_ups.all(), required=True)
        body = _body(s.FinishSerializer, request)
        task = _call(services.finish_follow_up, actor=request.user, follow_up=task, on_date=body["on_date"])
        return Response(s.TopicFollowUpSerializer(task).data)

    @extend_schema(request=s.NoticeDraftSerializer, responses={201: s.NoticeKeptSerializer})
    @action(detail=True, methods=["post"])
    def notices(self, request, pk=None):
        """Draft the public notice (公示) of the resolution; nobody but its keepers sees a draft."""
        notice = self._take(request, services.draft_notice, s.NoticeDraftSerializer, "title", "body", "period_days")
        return Response(s.NoticeKeptSerializer(notice).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NoticeRefSerializer, responses=s.NoticeKeptSerializer)
    @action(detail=True, methods=["post"], url_path="publish-notice")
    def publish_notice(self, request, pk=None):
        topic = self.get_object()
        notice = _scoped(request.data, "notice", topic.notices.all(), required=True)
        notice = _call(services.publish_notice, actor=request.user, notice=notice)
        return Response(s.NoticeKeptSerializer(notice).data)


def _committee_of(node):
    """The co-governance committee of a grid (its own, not a compound's), for a topic raised there."""
    if node.kind != "grid":
        return None
    return Committee.objects.filter(node=node, compound__isnull=True).first()


def _attendees(request, topic):
    """The attendees a body names: each read through the caller's sight first (404), then checked against the
    committee's current seat holders and the caller (400)."""
    resident_ids, user_ids = _ids(request.data, "residents"), _ids(request.data, "users")
    seen = {p.pk: p for p in Resident.objects.visible_to(request.user).filter(pk__in=resident_ids)}
    staff = {u.pk: u for u in User.objects.filter(tenant_id=topic.tenant_id, pk__in=user_ids)}
    if set(resident_ids) - set(seen) or set(user_ids) - set(staff):
        raise NotFound()
    seats = CommitteeSeat.objects.filter(committee_id=topic.committee_id, term_end__isnull=True) \
        if topic.committee_id else CommitteeSeat.objects.none()
    may_residents = set(seats.exclude(resident__isnull=True).values_list("resident_id", flat=True))
    may_users = set(seats.exclude(user__isnull=True).values_list("user_id", flat=True)) | {request.user.pk}
    if set(resident_ids) - may_residents or set(user_ids) - may_users:
        raise ValidationError({"attendees": [_("Choose attendees from the list.")]})
    return list(seen.values()), list(staff.values())


class ActivityViewSet(PartiesViewSet):
    """Activities of the service centres in the caller's subtree: sign-up, check-in, summary and photos."""

    model = Activity
    serializer_class = s.ActivitySerializer
    related = ("centre",)

    def scoped_queryset(self):
        """Those of her subtree, and those she organises (she checks in, sums up and adds photos there)."""
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # the schema's generation: no one signed in
            return Activity.objects.none()
        return Activity.objects.visible_to(user) | Activity.objects.filter(organiser_id=user.pk,
                                                                          tenant_id=user.tenant_id)

    @extend_schema(request=s.SignUpSerializer, responses=s.ActivitySerializer)
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        """Sign a resident of the caller's scope, or a staff user of her tenant, up (never beyond the places)."""
        activity = self.get_object()
        resident = _scoped(request.data, "resident", Resident.objects.visible_to(request.user))
        user = _scoped(request.data, "user", User.objects.filter(tenant_id=activity.tenant_id))
        _call(services.sign_up, activity=activity, resident=resident, user=user, actor=request.user)
        activity.refresh_from_db()
        return Response(s.ActivitySerializer(activity).data)

    @extend_schema(request=s.ActivityCheckInSerializer, responses=s.SignUpReadSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """Check a sign-up of this activity in (its organiser, or an officer keeping party building there)."""
        activity = self.get_object()
        row = _scoped(request.data, "sign_up", activity.sign_ups.all(), required=True)
        row = _call(services.check_in, sign_up=row, actor=request.user)
        return Response(s.SignUpReadSerializer(row).data)

    @extend_schema(request=s.SummarySerializer, responses=s.ActivitySerializer)
    @action(detail=True, methods=["post"])
    def summary(self, request, pk=None):
        """The summary written after the activity (its organiser, or an officer keeping party building there)."""
        activity = self.get_object()
        body = _body(s.SummarySerializer, request)
        _call(services.summarise_activity, activity=activity, summary=body["summary"], actor=request.user)
        activity.refresh_from_db()
        return Response(s.ActivitySerializer(activity).data)

    @extend_schema(request={"multipart/form-data": s.PhotosSerializer},
                   responses={201: s.ActivityPhotoSerializer(many=True)})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def photos(self, request, pk=None):
        """Photos of the activity, from its start on (re-encoded: no EXIF, no GPS); served by the scoped
        `image` address only."""
        activity = self.get_object()
        files = request.FILES.getlist("photos")
        if not files:
            raise ValidationError({"photos": [_("Add at least one photo.")]})
        saved = _call(services.add_activity_photos, activity=activity, photos=files, actor=request.user)
        return Response(s.ActivityPhotoSerializer(saved, many=True, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class NoticeViewSet(PartiesViewSet):
    """Published public notices (公示) of the caller's subtree; drafts are never served here."""

    model = Notice
    serializer_class = s.NoticeSerializer

    def scoped_queryset(self):
        return super().scoped_queryset().published()


# --- read-only parts ------------------------------------------------------------------------------------------


class CommitteeViewSet(PartiesViewSet):
    """Co-governance committees of the caller's subtree with their seats (holders by name only)."""

    model = Committee
    serializer_class = s.CommitteeSerializer
    prefetch = (Prefetch("seats", queryset=CommitteeSeat.objects.select_related("resident", "user", "organisation")
                         .order_by("seat", "term_start", "id")),)


class TeamViewSet(PartiesViewSet):
    """Volunteer teams and interest groups of the caller's subtree with their members (names only)."""

    model = Team
    serializer_class = s.TeamSerializer
    related = ("leader",)
    prefetch = (Prefetch("memberships", queryset=TeamMember.objects.select_related("resident")
                         .order_by("joined_on", "id")),)


class PartnerViewSet(PartiesViewSet):
    """Partner units (好帮手单位) of the caller's subtree and what they offer."""

    model = PartnerUnit
    serializer_class = s.PartnerSerializer
    related = ("organisation",)
    prefetch = ("offers",)


class CentreViewSet(PartiesViewSet):
    """Party–mass service centres of the caller's subtree with their sections."""

    model = ServiceCentre
    serializer_class = s.CentreSerializer
    prefetch = ("sections",)


class CentralHouseholdViewSet(PartiesViewSet):
    """Central households (党员中心户) of the caller's subtree, their member by name and the households they look
    after that she may see (addresses only: no identity numbers, no phones)."""

    model = CentralHousehold
    serializer_class = s.CentralHouseholdSerializer
    related = ("member__resident", "member__user", "household__house__building")

    def get_queryset(self):
        links = CentralHouseholdLink.objects.visible_to(self.request.user).select_related(
            "household__house__building").order_by("since", "id")
        return super().get_queryset().prefetch_related(Prefetch("links", queryset=links, to_attr="visible_links"))

