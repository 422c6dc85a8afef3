"""Events API: read-only viewsets plus one named POST action per workflow step, through the same services.

An illegal step answers 409 with the translated message, a step the caller may not take 403, an event outside
the caller's scope 404 — exactly like the pages (the refusals are yaohai.core.errors classes, answered by its
API exception handler).
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from events import selectors, services
from events.choices import Transition
from events.images import check_pixel_budget, clean_images
from events.models import Category, Event, HandlingUnit, Notification
from grids.api.base import ScopedReadOnlyViewSet, as_drf_error
from grids.models import GridNode
from yaohai.core.filters import StrictFilterSet
from yaohai.core.pagination import CursorPagination

from .serializers import (
    CategorySerializer,
    DispatchSerializer,
    EventDetailSerializer,
    EventSerializer,
    ExtensionDecisionSerializer,
    ExtensionRequestSerializer,
    HandlingUnitSerializer,
    NoteSerializer,
    NotificationSerializer,
    PauseRequestSerializer,
    RecheckSerializer,
    RejectSerializer,
    ReportSerializer,
    RevealedPhoneSerializer,
    RevealPhoneSerializer,
    VerifySerializer,
)


class NewestFirst(CursorPagination):
    ordering = ("-id",)


class EventKeyset(BasePagination):
    """Events newest first (by filing time, the id breaking ties), 50 a page. `next` continues after the last
    event shown (`?after=`, the list page's cursor); each page is read by events.selectors.event_page in one
    query at any depth. There is no `previous`: a client scrolls forward, or starts again from the top."""

    page_size = 50
    cursor_query_param = "after"

    def next_link(self, request, after: str | None) -> str | None:
        return replace_query_param(request.build_absolute_uri(), self.cursor_query_param, after) if after else None

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Continue after this cursor (from `next`).",
                "schema": {"type": "string"},
            }
        ]


def filter_q(filterset) -> Q:
    """A valid FilterSet's values as one Q on the event's own columns (every filter here is a plain lookup)."""
    q = Q()
    for name, value in filterset.form.cleaned_data.items():
        if value is None or value == "":
            continue
        spec = filterset.filters[name]
        q &= Q(**{f"{spec.field_name}__{spec.lookup_expr}": value})
    return q


class IdCursor(CursorPagination):
    ordering = ("id",)


def _visible_nodes(request):
    return GridNode.objects.visible_to(request.user) if request else GridNode.objects.none()


def _visible_categories(request):
    return Category.objects.visible_to(request.user) if request else Category.objects.none()


class EventFilter(StrictFilterSet):
    # Secondary ids are looked up through the caller's scope too: another district's node is "not a valid choice".
    node = django_filters.ModelChoiceFilter(queryset=_visible_nodes)
    category = django_filters.ModelChoiceFilter(queryset=_visible_categories)

    class Meta:
        model = Event
        fields = {"status": ["exact"], "category": ["exact"], "node": ["exact"], "is_overdue": ["exact"],
                  "created_at": ["gte", "lt"]}


class EventViewSet(ScopedReadOnlyViewSet):
    """Events within the caller's jurisdiction (plus those they report or handle); POST files one."""

    model = Event
    pagination_class = EventKeyset
    filterset_class = EventFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # A workflow step refused for the caller (403) or for the event's state (409): TransitionError's status.
    schema_errors = dict.fromkeys(
        ["accept", "reject", "dispatch_event", "sign", "return_event", "handle", "verify", "reopen",
         "request_extension", "decide_extension", "request_pause", "decide_pause", "resume", "recheck"],
        (403, 409),
    )
    schema_errors["reveal_phone"] = (403,)  # not a step: nothing to conflict with

    def get_queryset(self):
        return self.scoped_queryset().select_related(*selectors.LIST_RELATED)

    def list(self, request, *args, **kwargs):
        """Newest first, read like the list page: each branch of the caller's visibility from its own index, at
        any depth (selectors.event_rows), not the visibility's OR (which reads the whole table for a district)."""
        filters = EventFilter(request.query_params, queryset=Event.objects.none(), request=request)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        after = request.query_params.get(self.paginator.cursor_query_param)
        if after and selectors.parse_cursor(after) is None:
            raise ValidationError({"after": [_("This is not a page cursor: follow the page's own “next” link.")]})
        page, after = selectors.event_page(
            actor=request.user,
            where=filter_q(filters),
            after=request.query_params.get(self.paginator.cursor_query_param),
            size=self.paginator.page_size,
            read=lambda rows, limit: list(rows.select_related("category__parent", "node")[:limit]),
        )
        results = EventSerializer(page, many=True, context=self.get_serializer_context()).data
        return Response({"next": self.paginator.next_link(request, after), "previous": None, "results": results})

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer

    def _detail(self, pk, status_code=status.HTTP_200_OK):
        try:
            event = selectors.event_detail(actor=self.request.user, pk=pk)
        except Event.DoesNotExist as exc:
            raise NotFound from exc
        return self._respond(event, status_code)

    def _respond(self, event, status_code):
        context = {
            "request": self.request,
            "show_contact": services.can_see_contact(actor=self.request.user, event=event),
            "allowed": services.allowed_transitions(actor=self.request.user, event=event),
        }
        return Response(EventDetailSerializer(event, context=context).data, status=status_code)

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object().pk)

    @extend_schema(request=ReportSerializer, responses={201: EventDetailSerializer})
    def create(self, request):
        """File an event (multipart for photos); the same idempotency_key returns the first event."""
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        # A point places the event where grid boundaries exist, and a filing that names no grid goes to the
        # reporter's own (selectors.report_grid). A grid named without a point is read by report_event itself,
        # through the caller's `report` scope as report_grid would read it, in one plain query.
        if not values["node"] or (values["lon"] is not None and values["lat"] is not None):
            values["node"] = selectors.report_grid(
                actor=request.user, node_id=values["node"], lon=values["lon"], lat=values["lat"]
            )
            if values["node"] is None:
                raise ValidationError({"node": [_("Choose the grid to file in.")]})
        try:
            check_pixel_budget([*request.FILES.getlist("photos"), *request.FILES.getlist("after_photos")])
            photos = [("before" if values["handled_on_spot"] else "report", p)
                      for p in clean_images(request.FILES.getlist("photos"))]
            photos += [("after", p) for p in clean_images(request.FILES.getlist("after_photos"))]
            event = services.report_event(actor=request.user, photos=photos, **values)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        # The service's own instance: re-reading it through event_detail would cost half of a filing's time
        # (docs/bench_filing.md); test_api proves the two bodies equal.
        return self._respond(event, status.HTTP_201_CREATED)

    def _step(self, request, step, serializer_class, **extra):
        event = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        service = step if callable(step) else services.TRANSITION_SERVICES[step]
        try:
            if step == Transition.HANDLE:
                extra["photos"] = clean_images(request.FILES.getlist("photos"))
            service(actor=request.user, event=event.pk, **data.validated_data, **extra)
        except Event.DoesNotExist as exc:
            raise NotFound from exc
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return self._detail(event.pk)  # a refusal (DomainError) is answered by yaohai.core.errors

    @extend_schema(request=RevealPhoneSerializer, responses=RevealedPhoneSerializer)
    @action(detail=True, methods=["post"], url_path="reveal-phone", url_name="reveal-phone")
    def reveal_phone(self, request, pk=None):
        """The caller's phone in full, for those who may call back (reporter, dispatchers, handlers); the reveal
        is recorded with its reason in the audit trail."""
        event = self.get_object()
        data = RevealPhoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        phone = services.reveal_resident_phone(actor=request.user, event=event, **data.validated_data)
        response = Response({"resident_phone": phone})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=NoteSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """受理."""
        return self._step(request, Transition.ACCEPT, NoteSerializer)

    @extend_schema(request=RejectSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """不予受理: duplicate (name the other event), out of scope, invalid."""
        return self._step(request, Transition.REJECT, RejectSerializer)

    @extend_schema(request=DispatchSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_event(self, request, pk=None):
        """派遣 to a handling unit and/or a person of the same tenant (`dispatch` itself is APIView's entry point)."""
        return self._step(request, Transition.DISPATCH, DispatchSerializer)

    @extend_schema(request=NoteSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """签收."""
        return self._step(request, Transition.SIGN, NoteSerializer)

    @extend_schema(request=NoteSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_event(self, request, pk=None):
        """退回 a misdispatched event to the dispatcher (note required)."""
        return self._step(request, Transition.RETURN, NoteSerializer)

    @extend_schema(request=NoteSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def handle(self, request, pk=None):
        """处置: notes and evidence photos (multipart files named `photos`)."""
        return self._step(request, Transition.HANDLE, NoteSerializer)

    @extend_schema(request=VerifySerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """核查: passed closes with a typed reason; failed sends it back to rework."""
        return self._step(request, Transition.VERIFY, VerifySerializer)

    @extend_schema(request=NoteSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """The reporter reopens a closed event within the allowed days."""
        return self._step(request, Transition.REOPEN, NoteSerializer)

    @extend_schema(request=ExtensionRequestSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-extension", url_name="request-extension")
    def request_extension(self, request, pk=None):
        """申请延期: the handler asks for more working time (one pending request at a time)."""
        return self._step(request, services.request_extension, ExtensionRequestSerializer)

    @extend_schema(request=ExtensionDecisionSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"], url_path="decide-extension", url_name="decide-extension")
    def decide_extension(self, request, pk=None):
        """审批延期: a dispatcher approves or denies the pending request."""
        return self._step(request, services.decide_extension, ExtensionDecisionSerializer)

    @extend_schema(request=PauseRequestSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-pause", url_name="request-pause")
    def request_pause(self, request, pk=None):
        """申请暂停: the handler asks to stop the clock while the event waits on others."""
        return self._step(request, services.request_pause, PauseRequestSerializer)

    @extend_schema(request=ExtensionDecisionSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"], url_path="decide-pause", url_name="decide-pause")
    def decide_pause(self, request, pk=None):
        """审批暂停: a dispatcher approves (the working time left is kept) or denies."""
        return self._step(request, services.decide_pause, ExtensionDecisionSerializer)

    @extend_schema(request=NoteSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """恢复计时: the handler or a dispatcher restarts the clock."""
        return self._step(request, services.resume, NoteSerializer)

    @extend_schema(request=RecheckSerializer, responses=EventDetailSerializer)
    @action(detail=True, methods=["post"])
    def recheck(self, request, pk=None):
        """抽查 of a sampled 自处置 event by someone other than the reporter."""
        return self._step(request, Transition.RECHECK, RecheckSerializer)


class CategoryViewSet(ScopedReadOnlyViewSet):
    """The event categories (大类/小类, with time limits) of the caller's tenant."""

    model = Category
    serializer_class = CategorySerializer
    pagination_class = IdCursor


class HandlingUnitViewSet(ScopedReadOnlyViewSet):
    """The handling units of the caller's tenant."""

    model = HandlingUnit
    serializer_class = HandlingUnitSerializer
    pagination_class = IdCursor


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications, newest first."""

    serializer_class = NotificationSerializer
    pagination_class = NewestFirst
    queryset = Notification.objects.none()  # for the schema; requests use get_queryset()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return (
            Notification.objects.filter(user=self.request.user)
            .select_related("event", "subject_type")
            .prefetch_related("subject")
        )

    @extend_schema(request=None, responses={200: None})
    @action(detail=False, methods=["post"], url_path="read", url_name="read-all")
    def read_all(self, request):
        """Mark all the caller's notifications read."""
        return Response({"marked": services.mark_notifications_read(actor=request.user)})
