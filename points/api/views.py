"""The points API: passbooks and their entries (keyset), redeeming and the two-way exchange, service records (登记)
and their approvals, the reward catalogue, redemptions (approve, hand over, cancel, confirm by the QR code's token)
and the civilised-household evaluation (文明户评选) — the same scope and the same services as the pages; every write
a named action, no PATCH of a status. A refusal answers {"detail": …} in the user's language (400/404/409)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from grids.models import GridNode
from grids.scope import scope_for
from parties.models import Committee
from registry.models import Organisation, Resident
from yaohai.core.errors import Invalid, NotFound
from yaohai.core.pagination import CursorPagination  # an unreadable ?cursor= is a 400 naming it

from .. import selectors
from ..models import Account, Evaluation, Redemption, Reward, ServiceRecord, ServiceType
from ..rights import MANAGE, REDEEM, REGISTER
from ..services import earning, spending
from ..services import evaluation as ev
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
        if reward is None:  # absent, or of another community: the same answer
            raise ValidationError({"reward": [_("Choose a reward offered in the passbook's community.")]})
        redemption = spending.redeem(actor=request.user, account=account, reward=reward,
                                     key=body.validated_data["key"], quantity=body.validated_data["quantity"])
        return Response({"id": redemption.pk, "status": redemption.status, "points": redemption.points,
                         "replayed": redemption.replayed}, status=200 if redemption.replayed else 201)


    @extend_schema(request=s.RequestServiceSerializer, responses=s.ServiceRequestSerializer)
    @action(detail=True, methods=["post"], url_path="request-service")
    def request_service(self, request, pk=None):
        """服务与积分双向兑换: the household's passbook pays points to ask the volunteers for a service (a retried
        `key` returns the first request, paid once)."""
        account = self.get_object()
        body = s.RequestServiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        kind = ServiceType.objects.filter(pk=data["service_type"], tenant_id=account.tenant_id, is_active=True).first()
        if kind is None:
            raise ValidationError({"service_type": [_("Choose one of the district's services.")]})
        found = spending.request_service(actor=request.user, account=account, service_type=kind,
                                         description=data["description"], points=data["points"], key=data["key"])
        return Response(s.ServiceRequestSerializer(found).data, status=200 if found.replayed else 201)


class ServiceRecordViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Service records in reach of a registrar or an approver; registering is a POST (登记员), approve and reject
    are named actions."""

    serializer_class = s.ServiceRecordSerializer
    pagination_class = IdCursor

    def get_queryset(self):
        return selectors.service_records(actor=self.request.user).order_by("id")

    def _record(self) -> ServiceRecord:
        return self.get_object()

    @extend_schema(request=s.RegisterServiceSerializer, responses={201: s.RegisteredServiceSerializer,
                                                                   200: s.RegisteredServiceSerializer})
    def create(self, request, *args, **kwargs):
        """登记: a registrar records one service of a volunteer in reach; it waits for both approvals. A retried `key`
        answers the first record with 200 (`replayed`); the same key with other contents is a 409."""
        body = s.RegisterServiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        person = Resident.objects.filter(pk=data["person"]).first()
        if person is None or not scope_for(request.user, REGISTER).covers(person):
            raise NotFound()  # before any other check: a person out of reach answers as one that does not exist
        kind = ServiceType.objects.filter(pk=data["service_type"], tenant_id=person.tenant_id).first()
        if kind is None:
            raise ValidationError({"service_type": [_("Choose one of the district's services.")]})
        record = earning.register_service(
            actor=request.user, person=person, service_type=kind, started_at=data["started_at"],
            key=data["key"], minutes=data["minutes"], occasions=data["occasions"], description=data["description"],
            photo=data.get("photo"),
        )
        return Response(s.RegisteredServiceSerializer(record).data, status=200 if record.replayed else 201)

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


class RewardViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The reward catalogue: the rewards of the communities in an officer's reach and of the caller's own passbooks'
    communities; those who keep the ledger (points.manage) offer one (POST) or change its terms (PUT)."""

    serializer_class = s.RewardSerializer
    pagination_class = IdCursor
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Reward.objects.none()
        user = self.request.user
        own = Account.objects.filter(holder=user).values("community_id")
        reach = scope_for(user, MANAGE).q() | scope_for(user, REDEEM).q()
        return Reward.objects.filter(reach | Q(community_id__in=own)).order_by("id")

    def _save(self, request, reward=None):
        body = s.SaveRewardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if reward is not None:
            node = reward.node
        else:
            if not data.get("community"):
                raise ValidationError({"community": [_("Choose a community.")]})
            node = GridNode.objects.filter(pk=data["community"], kind="community").first()
            if node is None:
                raise NotFound()
        sponsor = None
        if data.get("sponsor"):
            sponsor = Organisation.objects.filter(pk=data["sponsor"]).first()
            if sponsor is None:
                raise NotFound()
        saved = spending.save_reward(
            actor=request.user, node=node, name=data["name"], price=data["price"], stock=data["stock"],
            valid_from=data["valid_from"], valid_until=data["valid_until"], sponsor=sponsor,
            description=data["description"], per_account_limit=data["per_account_limit"],
            requires_approval=data["requires_approval"], reward=reward,
        )
        return Response(s.RewardSerializer(saved).data, status=200 if reward else 201)

    @extend_schema(request=s.SaveRewardSerializer, responses=s.RewardSerializer)
    def create(self, request, *args, **kwargs):
        return self._save(request)

    @extend_schema(request=s.SaveRewardSerializer, responses=s.RewardSerializer)
    def update(self, request, *args, **kwargs):
        return self._save(request, reward=self.get_object())


class RedemptionViewSet(viewsets.ReadOnlyModelViewSet):
    """Redemptions at the caller's desk (points.redeem in scope) or of the caller's own passbook; approve, fulfil
    (hand over) and cancel (a refund entry) are named actions; `qr/<token>/` is the partner's counter scanning the
    passbook's QR code (GET shows the redemption, POST hands it over)."""

    serializer_class = s.RedemptionSerializer
    pagination_class = IdCursor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Redemption.objects.none()
        return selectors.redemptions(actor=self.request.user).order_by("id")

    def _note(self, request) -> str:
        body = s.StepNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data["note"]

    @extend_schema(request=s.StepNoteSerializer, responses=s.RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        found = spending.approve(actor=request.user, redemption=self.get_object(), note=self._note(request))
        return Response(s.RedemptionSerializer(found).data)

    @extend_schema(request=s.StepNoteSerializer, responses=s.RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        found = spending.fulfil(actor=request.user, redemption=self.get_object(), note=self._note(request))
        return Response(s.RedemptionSerializer(found).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        found = spending.cancel(actor=request.user, redemption=self.get_object(), reason=body.validated_data["reason"])
        return Response(s.RedemptionSerializer(found).data)

    @extend_schema(request=None, responses=s.RedemptionSerializer)
    @action(detail=False, methods=["get", "post"], url_path=r"qr/(?P<token>[^/]+)")
    def qr(self, request, token=None):
        """The token of the passbook's QR code: a forged, altered or out-of-reach token is not found."""
        found = spending.redemption_from_token(token)
        if not self.get_queryset().filter(pk=found.pk).exists():
            raise NotFound()
        if request.method == "POST":
            found = spending.fulfil(actor=request.user, redemption=found)
        return Response(s.RedemptionSerializer(found).data)


class EvaluationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """文明户评选 of the communities in reach; creating one and every step of its workflow are for those who keep the
    community's points ledger (points.manage), through points.services.evaluation."""

    serializer_class = s.EvaluationSerializer
    pagination_class = IdCursor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evaluation.objects.none()
        return selectors.evaluations(actor=self.request.user).prefetch_related("items").order_by("id")

    @extend_schema(request=s.CreateEvaluationSerializer, responses=s.EvaluationSerializer)
    def create(self, request, *args, **kwargs):
        body = s.CreateEvaluationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        community = GridNode.objects.filter(pk=data["community"], kind="community").first()
        if community is None or not scope_for(request.user, MANAGE).covers(community):
            raise NotFound()
        committee = None
        if data.get("committee"):
            committee = Committee.objects.filter(pk=data["committee"], tenant_id=community.tenant_id,
                                                 community_id=community.pk).first()
            if committee is None:
                raise Invalid(_("Choose a co-governance committee of this community."))
        found = ev.create_evaluation(
            actor=request.user, community=community, year=data["year"], title=data["title"],
            items=[(item["name"], item["points"]) for item in data["items"]], committee=committee,
            participation_per=data["participation_per"], nominees=data["nominees"], notice_days=data["notice_days"],
        )
        return Response(s.EvaluationSerializer(found).data, status=201)

    def _step(self, request, fn, *, with_note: bool = True):
        """One workflow step through the service (with the body's `note` where the step takes one)."""
        extra = {}
        if with_note:
            body = s.StepNoteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            extra["note"] = body.validated_data["note"]
        found = fn(actor=request.user, evaluation=self.get_object(), **extra)
        found.refresh_from_db()
        return Response(s.EvaluationSerializer(found).data)

    @extend_schema(request=s.StepNoteSerializer, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open the inspections (from the draft)."""
        return self._step(request, ev.open_inspections)

    @extend_schema(request=s.StepNoteSerializer, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """Score and rank every household (again, while scored); the first `nominees` are nominated."""
        return self._step(request, ev.score)

    @extend_schema(request=None, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """公示: publish the nominees; the objection period runs from today."""
        return self._step(request, ev.publish, with_note=False)

    @extend_schema(request=s.StepNoteSerializer, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Back to the inspections, saying why (`note` is required)."""
        return self._step(request, ev.reopen)

    @extend_schema(request=None, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        """The final list, after the objection period."""
        return self._step(request, ev.finalise, with_note=False)

    def _household(self, evaluation, pk):
        found = selectors.community_household(evaluation, pk)
        if found is None:
            raise NotFound()
        return found

    @extend_schema(request=s.InspectionSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def inspections(self, request, pk=None):
        """Record an inspection's finding: a scoring item for a household of the community, on a day of the year."""
        evaluation = self.get_object()
        body = s.InspectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        item = evaluation.items.filter(pk=data["item"]).first()
        if item is None:
            raise ValidationError({"item": [_("Choose a scoring item of this evaluation.")]})
        row = ev.record_inspection(actor=request.user, evaluation=evaluation,
                                   household=self._household(evaluation, data["household"]), item=item,
                                   on_date=data["on_date"], note=data["note"])
        return Response({"id": row.pk, "household": row.household_id, "item": item.pk, "points": item.points,
                         "on_date": row.on_date}, status=201)

    @extend_schema(request=s.ObjectionSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        """Record an objection raised during the notice's objection period."""
        evaluation = self.get_object()
        body = s.ObjectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        household = self._household(evaluation, data["household"]) if data.get("household") else None
        row = ev.record_objection(actor=request.user, evaluation=evaluation, text=data["text"], household=household)
        return Response({"id": row.pk, "household": row.household_id, "text": row.text,
                         "recorded_at": row.recorded_at}, status=201)

    @extend_schema(responses=s.HouseholdScoreSerializer(many=True))
    @action(detail=True, methods=["get"])
    def scores(self, request, pk=None):
        """The ranking as last scored (500 at most)."""
        rows = selectors.evaluation_scores(self.get_object())[:500]
        return Response(s.HouseholdScoreSerializer(rows, many=True).data)
