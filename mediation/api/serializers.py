"""Mediation API serializers: cases with their parties masked, and the inputs of the named actions."""

from rest_framework import serializers

from ..choices import AgreementForm, Channel, PartyKind, PartyRole, Performance, ReferralTarget, Risk, Step
from ..models import Case, CaseParty


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


class CaseDetailSerializer(CaseSerializer):
    parties = PartySerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "facts", "amount", "reason", "referred_to", "parties"]


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
