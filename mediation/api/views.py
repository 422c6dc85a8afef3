"""Mediation API: cases read through the mediation selectors (out of reach is 404), register and step as named
POSTs; no PATCH of a status."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from audit import services as audit
from yaohai.core.pagination import CursorPagination  # an unreadable ?cursor= is a 400 naming it

from .. import handling, selectors, services
from ..choices import Act, Step
from . import serializers as s


class IdCursor(CursorPagination):
    ordering = ("-id",)


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Mediation cases the caller may read: the body's, its mediators', the officers' with the right, or given."""

    pagination_class = IdCursor
    filterset_fields = ["status", "risk", "channel", "body", "dispute_type"]

    def get_queryset(self):
        return selectors.cases(actor=self.request.user).select_related("dispute_type").order_by("-id")

    def get_serializer_class(self):
        return s.CaseDetailSerializer if self.action == "retrieve" else s.CaseSerializer

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        audit.record("mediation.read", case, kind=audit.Kind.READ, actor=request.user)
        return Response(s.CaseDetailSerializer(case).data)

    @extend_schema(request=s.CaseRegisterSerializer, responses={201: s.CaseDetailSerializer})
    @action(detail=False, methods=["post"])
    def register(self, request):
        """Register a dispute (parties from the registry by id, or entered on the spot; their data sealed)."""
        data = s.CaseRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.register_case(actor=request.user, **data.validated_data)
        return Response(s.CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.StepSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        """One step of the case's table (409 when the table forbids it, 403 when it is not yours to take)."""
        case = self.get_object()
        data = s.StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        name = values.pop("step")
        kwargs = {
            Step.REFUSE: lambda: {"reason": values["reason"]},
            Step.TERMINATE: lambda: {"reason": values["reason"]},
            Step.REFER: lambda: {"reason": values["reason"], "to": values.get("to", "")},
            Step.ASSIGN: lambda: {"mediator": values.get("mediator"), "chosen_by_parties": values["chosen_by_parties"]},
            Step.AGREE: lambda: {k: values[k] for k in ("terms", "perform_by", "form", "performance_method")},
            Step.FOLLOW_UP: lambda: {"note": values["note"], "performance": values["performance"]},
            Step.CONFIRM: lambda: {"result": values["note"]},
        }.get(name, dict)()
        if name == Step.ASSIGN and kwargs["mediator"] is None:
            raise ValidationError({"mediator": [_("Choose a mediator.")]})
        updated = getattr(services, name)(actor=request.user, case=case.pk, **kwargs)
        return Response(s.CaseDetailSerializer(updated).data)

    def _act(self, request, act: str, serializer):
        case = self.get_object()
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        handling.ACTS[act](actor=request.user, case=case.pk, **data.validated_data)
        return Response(s.CaseDetailSerializer(selectors.case(actor=request.user, pk=case.pk)).data)

    @extend_schema(request={"multipart/form-data": s.SessionInput, "application/json": s.SessionInput},
                   responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def session(self, request, pk=None):
        """A mediation session (调解笔录 typed, or the photo of the signed sheet as multipart `photo`)."""
        return self._act(request, Act.SESSION, s.SessionInput)

    @extend_schema(request={"multipart/form-data": s.EvidenceInput, "application/json": s.EvidenceInput},
                   responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def evidence(self, request, pk=None):
        """Evidence attached to the case (a photo as multipart `photo`, checked and re-encoded)."""
        return self._act(request, Act.EVIDENCE, s.EvidenceInput)

    @extend_schema(request=s.ExtendInput, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Extend the time limit by 1–30 days, only with the parties' agreement (recorded)."""
        return self._act(request, Act.EXTEND, s.ExtendInput)

    @extend_schema(request=s.ApplyInput, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="apply-confirmation")
    def apply_confirmation(self, request, pk=None):
        """司法确认 applied for (within 30 days of the agreement)."""
        return self._act(request, Act.APPLY, s.ApplyInput)

    @extend_schema(request=s.NotConfirmedInput, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="not-confirmed")
    def not_confirmed(self, request, pk=None):
        """The court did not confirm the agreement: recorded; the case stays at its agreement."""
        return self._act(request, Act.NOT_CONFIRMED, s.NotConfirmedInput)

