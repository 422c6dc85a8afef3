"""The points API: passbooks and their entries (keyset), redeeming, service records and their approvals — the same
scope and the same services as the pages; no PATCH of a status."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from yaohai.core.pagination import CursorPagination  # an unreadable ?cursor= is a 400 naming it

from .. import selectors
from ..models import Account, Reward, ServiceRecord
from ..services import earning, spending
from . import serializers as s


class IdCursor(CursorPagination):
    ordering = ("id",)


class AccountViewSet(viewsets.ReadOnlyModelViewSet):
    """Passbooks and accounts in the caller's reach (or the caller's own passbook)."""

    serializer_class = s.AccountSerializer
    pagination_class = IdCursor

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # the schema generator's view has no signed-in user
            return Account.objects.none()
        return (selectors.accounts(actor=user) | Account.objects.filter(holder=user)).distinct().order_by("id")

    @extend_schema(responses=s.EntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        """The passbook's entries, newest first, 50 a page; `?before=<id>` for the next page."""
        account = self.get_object()
        before = request.query_params.get("before")
        if before is not None and not before.isdigit():
            raise ValidationError({"before": ["A whole number."]})
        rows = selectors.history(account, before=int(before) if before else None)
        more = len(rows) > selectors.PAGE
        rows = rows[: selectors.PAGE]
        return Response({"results": s.EntrySerializer(rows, many=True).data,
                         "next_before": rows[-1].pk if more and rows else None})

    @extend_schema(request=s.RedeemSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def redeem(self, request, pk=None):
        """Redeem a reward of the passbook's community (a retried `key` returns the first redemption)."""
        account = self.get_object()
        body = s.RedeemSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reward = Reward.objects.filter(pk=body.validated_data["reward"], community_id=account.community_id).first()
        if reward is None:
            raise ValidationError({"reward": ["Unknown id."]})
        redemption = spending.redeem(actor=request.user, account=account, reward=reward,
                                     key=body.validated_data["key"], quantity=body.validated_data["quantity"])
        return Response({"id": redemption.pk, "status": redemption.status, "points": redemption.points,
                         "replayed": redemption.replayed}, status=200 if redemption.replayed else 201)


class ServiceRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Service records in reach of a registrar or an approver; approve and reject are named actions."""

    serializer_class = s.ServiceRecordSerializer
    pagination_class = IdCursor

    def get_queryset(self):
        return selectors.service_records(actor=self.request.user).order_by("id")

    def _record(self) -> ServiceRecord:
        return self.get_object()

    @extend_schema(request=None, responses=s.ServiceRecordSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """One approval (the community's or the resident representative's, whichever the caller gives)."""
        return Response(s.ServiceRecordSerializer(earning.approve(actor=request.user, record=self._record())).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.ServiceRecordSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = earning.reject(actor=request.user, record=self._record(), reason=body.validated_data["reason"])
        return Response(s.ServiceRecordSerializer(record).data)
