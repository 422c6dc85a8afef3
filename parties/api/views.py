"""Parties API: read-only viewsets over `visible_to` plus named actions through parties.services (the same scope
and the same services as the pages). A secondary id in a body is read through the caller's scope."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from grids.api.base import ScopedReadOnlyViewSet, as_drf_error
from grids.models import User
from registry.models import Resident
from yaohai.core.pagination import CursorPagination  # an unreadable ?cursor= is a 400 naming it

from .. import services
from ..models import Activity, Member, Notice, PartyOrg, Topic
from . import serializers as s


class IdCursor(CursorPagination):
    ordering = ("id",)


def _call(service, **kwargs):
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise as_drf_error(exc) from exc


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


class TopicViewSet(PartiesViewSet):
    """Consultation topics; their steps are named actions (no PATCH of the status)."""

    model = Topic
    serializer_class = s.TopicSerializer

    @extend_schema(request=s.TopicNoteSerializer, responses=s.TopicSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        topic = self.get_object()
        body = s.TopicNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        topic = _call(services.accept_topic, actor=request.user, topic=topic, note=body.validated_data["note"])
        return Response(s.TopicSerializer(topic).data)

    @extend_schema(request=s.TopicNoteSerializer, responses=s.TopicSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        topic = self.get_object()
        body = s.TopicNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        topic = _call(services.withdraw_topic, actor=request.user, topic=topic, note=body.validated_data["note"])
        return Response(s.TopicSerializer(topic).data)


class ActivityViewSet(PartiesViewSet):
    """Activities of the service centres in the caller's subtree; `sign_up` takes a place."""

    model = Activity
    serializer_class = s.ActivitySerializer
    related = ("centre",)

    @extend_schema(request=s.SignUpSerializer, responses=s.ActivitySerializer)
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        activity = self.get_object()
        body = s.SignUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        resident = user = None
        if "resident" in body.validated_data:
            resident = Resident.objects.visible_to(request.user).filter(pk=body.validated_data["resident"]).first()
            if resident is None:
                raise ValidationError({"resident": ["Unknown id."]})
        elif "user" in body.validated_data:
            user = User.objects.filter(pk=body.validated_data["user"], tenant_id=activity.tenant_id).first()
            if user is None:
                raise ValidationError({"user": ["Unknown id."]})
        _call(services.sign_up, activity=activity, resident=resident, user=user, actor=request.user)
        activity.refresh_from_db()
        return Response(s.ActivitySerializer(activity).data)


class NoticeViewSet(PartiesViewSet):
    """Published public notices (公示) of the caller's subtree; drafts are never served here."""

    model = Notice
    serializer_class = s.NoticeSerializer

    def scoped_queryset(self):
        return super().scoped_queryset().published()
