"""Mediation API serializers: cases with their parties masked, and the inputs of the named actions."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import AgreementForm, Channel, PartyKind, PartyRole, Performance, ReferralTarget, Risk, Step
from ..models import Agreement, Case, CaseParty, Evidence, FollowUp, Session


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseParty
        fields = ["id", "role", "kind", "resident", "organisation", "name", "id_number_masked", "phone_masked"]


class CaseSerializer(serializers.ModelSerializer):
    dispute_type_name = serializers.CharField(source="dispute_type.name", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "channel", "dispute_type", "dispute_type_name", "risk", "status", "body",
                  "mediator", "event", "node", "accepted_on", "due_on", "created_at"]


class _PhotoLink(serializers.ModelSerializer):
    photo = serializers.SerializerMethodField()

    def get_photo(self, row) -> str | None:
        """The photo's address (served only to those who may read the case), or null."""
        if not row.photo:
            return None
        kind = "session" if isinstance(row, Session) else "evidence"
        return reverse("mediation:photo", args=[row.case_id, kind, row.pk])


class SessionSerializer(_PhotoLink):
    class Meta:
        model = Session
        fields = ["id", "held_at", "place", "participants", "record", "photo", "created_at"]


class EvidenceSerializer(_PhotoLink):
    class Meta:
        model = Evidence
        fields = ["id", "description", "photo", "created_at"]


class AgreementSerializer(serializers.ModelSerializer):
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["form", "terms", "performance_method", "perform_by", "signed_on", "confirmation_applied_on",
                  "confirmation", "performance", "pdf"]

    def get_pdf(self, row) -> str:
        return reverse("mediation:agreement-pdf", args=[row.case_id])


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "due_on", "visited_on", "performance", "note"]


class CaseDetailSerializer(CaseSerializer):
    parties = PartySerializer(many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    agreement = serializers.SerializerMethodField()
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "facts", "amount", "reason", "referred_to", "extended_days",
                  "chosen_by_parties", "parties", "sessions", "evidence", "agreement", "follow_ups"]

    @extend_schema_field(AgreementSerializer(allow_null=True))
    def get_agreement(self, case):
        found = Agreement.objects.filter(case=case).first()
        return AgreementSerializer(found).data if found else None


class PartyInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    resident = serializers.IntegerField(required=False)
    organisation = serializers.IntegerField(required=False)
    name = serializers.CharField(required=False, max_length=100, allow_blank=True)
    id_number = serializers.CharField(required=False, max_length=30, allow_blank=True)
    phone = serializers.CharField(required=False, max_length=20, allow_blank=True)


class CaseRegisterSerializer(serializers.Serializer):
    node = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    dispute_type = serializers.IntegerField()
    body = serializers.IntegerField(required=False, allow_null=True)
    risk = serializers.ChoiceField(choices=Risk.choices, default=Risk.LOW)
    facts = serializers.CharField(max_length=4000)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0)
    parties = PartyInput(many=True)


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=Step.choices)
    reason = serializers.CharField(required=False, max_length=2000, allow_blank=True, default="")
    note = serializers.CharField(required=False, max_length=2000, allow_blank=True, default="")
    mediator = serializers.IntegerField(required=False)
    to = serializers.ChoiceField(choices=ReferralTarget.choices, required=False)
    form = serializers.ChoiceField(choices=AgreementForm.choices, default=AgreementForm.WRITTEN)
    terms = serializers.CharField(required=False, max_length=8000, allow_blank=True, default="")
    performance_method = serializers.CharField(required=False, max_length=500, allow_blank=True, default="")
    perform_by = serializers.DateField(required=False, allow_null=True, default=None)
    performance = serializers.ChoiceField(choices=Performance.choices, default=Performance.FULL)
    chosen_by_parties = serializers.BooleanField(default=False)


class SessionInput(serializers.Serializer):
    """A session; its record typed, or the photo of the signed sheet as a multipart file `photo` (or both)."""

    held_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    participants = serializers.CharField(max_length=500)
    record = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False, allow_null=True, default=None)


class EvidenceInput(serializers.Serializer):
    description = serializers.CharField(max_length=500)
    photo = serializers.FileField(required=False, allow_null=True, default=None)


class ExtendInput(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=30)
    parties_agreed = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ApplyInput(serializers.Serializer):
    applied_on = serializers.DateField()


class NotConfirmedInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
