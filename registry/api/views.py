"""Registry API: read-only viewsets over `visible_to`, plus named write actions through registry.services.

Every id in a body (a house, a head, a resident, a care list) is looked up through the same scope, so an id from
elsewhere answers exactly like an id that does not exist. Personal data: lists never carry it, details carry it
masked, `reveal` answers the full value to holders of `registry.reveal` and records the access; exact search by
identity number or phone is a POST (`lookup`), so no number reaches a URL or an access log.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from grids.api.base import ScopedReadOnlyViewSet, as_drf_error
from grids.models import GridNode
from registry import patrols, services
from registry import rights as registry_rights
from registry.models import (
    AccessRecord,
    Building,
    CareList,
    CareListMember,
    Compound,
    House,
    Household,
    Organisation,
    Patrol,
    Resident,
    Thing,
    ThingType,
    Visit,
)
from yaohai.core.pagination import CursorPagination  # an unreadable ?cursor= is a 400 naming it

from . import serializers as s


class IdCursor(CursorPagination):
    ordering = ("id",)


def _scoped(model, user, pk, field):
    """A secondary id from a body, read through the caller's scope: elsewhere reads as unknown."""
    try:
        return model.objects.visible_to(user).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise ValidationError({field: ["Unknown id."]}) from None


def _call(service, **kwargs):
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise as_drf_error(exc) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc


class RegistryViewSet(ScopedReadOnlyViewSet):
    pagination_class = IdCursor
    list_serializer = detail_serializer = None
    related = ()

    def get_queryset(self):
        return super().get_queryset().select_related(*self.related).order_by("id")

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer:
            return self.detail_serializer
        return self.list_serializer


class CompoundViewSet(RegistryViewSet):
    """Compounds (小区 / 院落) with the three-no flags."""

    model, list_serializer = Compound, s.CompoundSerializer


class BuildingViewSet(RegistryViewSet):
    """Buildings in the caller's jurisdiction."""

    model, list_serializer, related = Building, s.BuildingSerializer, ("compound",)
    filterset_fields = ["compound", "grid"]


class HouseViewSet(RegistryViewSet):
    model, list_serializer = House, s.HouseSerializer
    filterset_fields = ["building", "use"]


@method_decorator(sensitive_post_parameters("id_number", "phone", "reason"), name="dispatch")
class ResidentViewSet(RegistryViewSet):
    """People (实有人口): lists without personal data, details masked; reveal and exact look-up as named POSTs."""

    model, list_serializer, detail_serializer = Resident, s.ResidentSerializer, s.ResidentDetailSerializer
    filterset_fields = ["status", "registration", "house", "grid", "community"]

    def get_queryset(self):
        rows = super().get_queryset()
        name = self.request.query_params.get("name")
        return rows.filter(name__contains=name.strip()[:50]) if name else rows

    @extend_schema(request=s.RegisterSerializer, responses={201: s.ResidentDetailSerializer})
    @action(detail=False, methods=["post"])
    def register(self, request):
        """Add a person (validated identity number, encrypted at rest); an identity number once per district."""
        data = s.RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        house = values.pop("house", None)
        node = values.pop("node", None)
        if house is not None:
            values["house"] = _scoped(House, request.user, house, "house")
            node = values["house"].node
        elif node is not None:
            node = _scoped(GridNode, request.user, node, "node")
        else:
            raise ValidationError({"node": ["Give a grid or a house."]})
        person = _call(services.register_resident, actor=request.user, node=node, **values)
        return Response(s.ResidentDetailSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RevealSerializer, responses=s.RevealedSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The full identity number or phone, for holders of the reveal right; the access is recorded."""
        person = self.get_object()
        data = s.RevealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value = _call(services.reveal_resident_field, actor=request.user, resident=person, **data.validated_data)
        response = Response({"field": data.validated_data["field"], "value": value})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=s.LookupSerializer, responses=s.ResidentSerializer(many=True))
    @action(detail=False, methods=["post"])
    def lookup(self, request):
        """Exact search by identity number or phone (blind index), within the caller's jurisdiction."""
        data = s.LookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = _call(services.look_up_residents, actor=request.user, **data.validated_data)
        return Response(s.ResidentSerializer(found, many=True).data)


class HouseholdViewSet(RegistryViewSet):
    """Households; members and changes are history. Forming, moving in and out are named actions."""

    model, list_serializer, detail_serializer = Household, s.HouseholdSerializer, s.HouseholdDetailSerializer
    filterset_fields = ["house"]

    def get_queryset(self):
        rows = super().get_queryset()
        if self.action == "retrieve":
            rows = rows.prefetch_related("members__resident", "changes")
        return rows

    def _detail(self, household):
        return Response(s.HouseholdDetailSerializer(self.get_queryset().get(pk=household.pk)).data)

    @extend_schema(request=s.FormHouseholdSerializer, responses={201: s.HouseholdDetailSerializer})
    @action(detail=False, methods=["post"])
    def form(self, request):
        """A new household in a house, with its head (who leaves an earlier household as history)."""
        data = s.FormHouseholdSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        household = _call(
            services.form_household, actor=request.user, house=_scoped(House, request.user, v["house"], "house"),
            head=_scoped(Resident, request.user, v["head"], "head"), on_date=v["on_date"], number=v["number"],
            note=v["note"],
        )
        self.action = "retrieve"
        response = self._detail(household)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=s.MoveInSerializer, responses=s.HouseholdDetailSerializer)
    @action(detail=True, methods=["post"], url_path="move-in", url_name="move-in")
    def move_in(self, request, pk=None):
        household = self.get_object()
        data = s.MoveInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        _call(services.move_in, actor=request.user, household=household,
              resident=_scoped(Resident, request.user, v["resident"], "resident"), relation=v["relation"],
              on_date=v["on_date"], note=v["note"])
        return self._detail(household)

    @extend_schema(request=s.MoveOutSerializer, responses=s.HouseholdDetailSerializer)
    @action(detail=True, methods=["post"], url_path="move-out", url_name="move-out")
    def move_out(self, request, pk=None):
        household = self.get_object()
        data = s.MoveOutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        _call(services.move_out, actor=request.user, household=household,
              resident=_scoped(Resident, request.user, v["resident"], "resident"), on_date=v["on_date"],
              status=v["status"], note=v["note"])
        return self._detail(household)


class PatrolViewSet(RegistryViewSet):
    """Patrols (巡查): start one, send its positions (resent batches add nothing twice), check in, file a finding
    as an event, end it with a summary. Officers read the tracks of their subtree."""

    model, list_serializer, detail_serializer = Patrol, s.PatrolSerializer, s.PatrolDetailSerializer
    related = ("worker",)
    filterset_fields = ["grid", "worker"]

    def _detail(self, patrol, code=status.HTTP_200_OK):
        patrol = Patrol.objects.prefetch_related("check_ins", "findings").select_related("worker").get(pk=patrol.pk)
        return Response(s.PatrolDetailSerializer(patrol).data, status=code)

    @extend_schema(request=s.StartPatrolSerializer, responses={201: s.PatrolDetailSerializer})
    @action(detail=False, methods=["post"])
    def start(self, request):
        data = s.StartPatrolSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grid = _scoped(GridNode, request.user, data.validated_data["grid"], "grid")
        return self._detail(_call(patrols.start_patrol, actor=request.user, grid=grid), status.HTTP_201_CREATED)

    @extend_schema(request=s.PositionsSerializer, responses=s.PatrolDetailSerializer)
    @action(detail=True, methods=["post"])
    def positions(self, request, pk=None):
        patrol = self.get_object()
        data = s.PositionsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(patrols.record_positions, actor=request.user, patrol=patrol, points=data.validated_data["points"])
        return self._detail(patrol)

    @extend_schema(request=s.CheckInInputSerializer, responses=s.PatrolDetailSerializer)
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request, pk=None):
        patrol = self.get_object()
        data = s.CheckInInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        building = _scoped(Building, request.user, v["building"], "building") if v.get("building") else None
        organisation = (
            _scoped(Organisation, request.user, v["organisation"], "organisation") if v.get("organisation") else None
        )
        _call(patrols.check_in, actor=request.user, patrol=patrol, building=building, organisation=organisation,
              note=v["note"], by_qr=v["by_qr"])
        return self._detail(patrol)

    @extend_schema(request=s.FindingInputSerializer, responses={201: s.PatrolDetailSerializer})
    @action(detail=True, methods=["post"])
    def finding(self, request, pk=None):
        from events.models import Category

        patrol = self.get_object()
        data = s.FindingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        building = _scoped(Building, request.user, v.pop("building"), "building") if v.get("building") else None
        category = Category.objects.filter(pk=v.pop("category"), tenant_id=patrol.tenant_id, is_active=True).first()
        if category is None:
            raise ValidationError({"category": ["Unknown id."]})
        _call(patrols.report_finding, actor=request.user, patrol=patrol, category=category, building=building, **v)
        return self._detail(patrol, status.HTTP_201_CREATED)

    @extend_schema(request=s.EndPatrolSerializer, responses=s.PatrolDetailSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        patrol = self.get_object()
        data = s.EndPatrolSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(_call(patrols.end_patrol, actor=request.user, patrol=patrol, **data.validated_data))


class VisitViewSet(RegistryViewSet):
    """Household visits (入户走访)."""

    model, list_serializer = Visit, s.VisitSerializer
    filterset_fields = ["household", "visitor"]

    @extend_schema(request=s.RecordVisitSerializer, responses={201: s.VisitSerializer})
    @action(detail=False, methods=["post"])
    def record(self, request):
        data = s.RecordVisitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["household"] = _scoped(Household, request.user, v["household"], "household")
        visit = _call(patrols.record_visit, actor=request.user, **v)
        return Response(s.VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class CareListViewSet(RegistryViewSet):
    """The tenant's care-list catalogue."""

    model, list_serializer = CareList, s.CareListSerializer


class CareMemberViewSet(RegistryViewSet):
    """Who is on which care list, since when and why (ended memberships included)."""

    model, list_serializer, related = CareListMember, s.CareMemberSerializer, ("resident",)
    filterset_fields = ["care_list", "resident"]

    @extend_schema(responses=s.CareDueSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def due(self, request):
        """The visiting schedule: each current member with their last visit, next due date and state."""
        return Response(s.CareDueSerializer(patrols.care_schedule(actor=request.user), many=True).data)

    @extend_schema(request=s.AddCareSerializer, responses={201: s.CareMemberSerializer})
    @action(detail=False, methods=["post"])
    def add(self, request):
        data = s.AddCareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        member = _call(
            services.add_to_care_list, actor=request.user,
            care_list=_scoped(CareList, request.user, v["care_list"], "care_list"),
            resident=_scoped(Resident, request.user, v["resident"], "resident"), since=v["since"], reason=v["reason"],
        )
        return Response(s.CareMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EndCareSerializer, responses=s.CareMemberSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        member = self.get_object()
        data = s.EndCareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = _call(services.end_care, actor=request.user, member=member, **data.validated_data)
        return Response(s.CareMemberSerializer(member).data)


@method_decorator(sensitive_post_parameters("reason"), name="dispatch")
class OrganisationViewSet(RegistryViewSet):
    """Organisations in the grids (驻格单位); partner units point at these."""

    model, list_serializer, detail_serializer = Organisation, s.OrganisationSerializer, s.OrganisationDetailSerializer
    filterset_fields = ["kind", "grid"]

    @extend_schema(request=s.ContactRevealSerializer, responses=s.RevealedSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        organisation = self.get_object()
        data = s.ContactRevealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value = _call(services.reveal_contact_phone, actor=request.user, organisation=organisation,
                      reason=data.validated_data["reason"])
        response = Response({"field": "contact_phone", "value": value})
        response["Cache-Control"] = "no-store"
        return response


class ThingTypeViewSet(RegistryViewSet):
    model, list_serializer = ThingType, s.ThingTypeSerializer


class ThingViewSet(RegistryViewSet):
    """Things (部件) at points of the grids."""

    model, list_serializer = Thing, s.ThingSerializer
    filterset_fields = ["thing_type", "grid", "status"]


class AccessRecordViewSet(RegistryViewSet):
    """The personal-data access log, for holders of `registry.audit` over the people concerned."""

    model, list_serializer = AccessRecord, s.AccessRecordSerializer
    scope_action = registry_rights.AUDIT
    related = ("actor",)
