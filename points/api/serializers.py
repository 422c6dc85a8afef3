"""The points API's serializers (read-only shapes; writes go through named actions and the services)."""

from rest_framework import serializers

from ..models import (
    Account,
    Entry,
    Evaluation,
    EvaluationItem,
    HouseholdScore,
    Redemption,
    Reward,
    ServiceRecord,
    ServiceRequest,
)


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ["id", "number", "kind", "name", "balance", "is_frozen", "flagged_at", "community"]


class EntrySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="movement.kind")
    memo = serializers.CharField(source="movement.memo")
    rule_version = serializers.IntegerField(source="movement.rule_version_id", allow_null=True)

    class Meta:
        model = Entry
        fields = ["id", "amount", "balance_after", "occurred_at", "kind", "memo", "rule_version"]


class ServiceRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceRecord
        fields = ["id", "person", "account", "service_type", "rule", "served_on", "started_at", "minutes",
                  "occasions", "description", "status", "registered_by", "officer", "officer_at", "representative",
                  "representative_at", "points", "cap_note"]


class RegisteredServiceSerializer(ServiceRecordSerializer):
    """The answer to 登记: the record, its key, and whether a retried key answered the first record (`replayed`)."""

    replayed = serializers.BooleanField(read_only=True)

    class Meta(ServiceRecordSerializer.Meta):
        fields = [*ServiceRecordSerializer.Meta.fields, "key", "replayed"]


class RedeemSerializer(serializers.Serializer):
    reward = serializers.IntegerField(min_value=1)
    key = serializers.CharField(max_length=100)
    quantity = serializers.IntegerField(min_value=1, max_value=20, default=1)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class RegisterServiceSerializer(serializers.Serializer):
    """A registrar's record of one service (登记): who (a registry person), which service, when, how long, and the
    submission's idempotency key (a retry with the same key answers the first record)."""

    key = serializers.CharField(max_length=100)
    person = serializers.IntegerField(min_value=1)
    service_type = serializers.IntegerField(min_value=1)
    started_at = serializers.DateTimeField()
    minutes = serializers.IntegerField(min_value=0, max_value=24 * 60, default=0)
    occasions = serializers.IntegerField(min_value=1, max_value=20, default=1)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    photo = serializers.ImageField(required=False, allow_null=True)


class RewardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reward
        fields = ["id", "community", "name", "description", "sponsor", "price", "stock", "per_account_limit",
                  "valid_from", "valid_until", "requires_approval", "is_active"]


class SaveRewardSerializer(serializers.Serializer):
    """A reward offered in a community (new), or its new terms (PUT): whole points, stock, a limit, a validity."""

    community = serializers.IntegerField(min_value=1, required=False)
    sponsor = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    price = serializers.IntegerField(min_value=1, max_value=10**6)
    stock = serializers.IntegerField(min_value=0, max_value=10**6)
    per_account_limit = serializers.IntegerField(min_value=0, max_value=10**6, default=0)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    requires_approval = serializers.BooleanField(default=False)


class RedemptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Redemption
        fields = ["id", "reward", "account", "quantity", "points", "status", "needs_approval", "created_at",
                  "fulfilled_at", "cancel_reason"]


class StepNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RequestServiceSerializer(serializers.Serializer):
    """服务与积分双向兑换: a household's points offered for a volunteer's service, with a one-time key."""

    service_type = serializers.IntegerField(min_value=1)
    description = serializers.CharField(max_length=300)
    points = serializers.IntegerField(min_value=1, max_value=10**6)
    key = serializers.CharField(max_length=100)


class ServiceRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceRequest
        fields = ["id", "household", "account", "service_type", "description", "points", "is_done", "created_at"]


# --- 文明户评选 ----------------------------------------------------------------------------------------------------


class EvaluationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationItem
        fields = ["id", "name", "points"]


class EvaluationSerializer(serializers.ModelSerializer):
    items = EvaluationItemSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "community", "year", "title", "committee", "participation_per", "nominees", "status",
                  "notice_days", "published_at", "notice_ends_on", "finalised_at", "items"]


class NewItemSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    points = serializers.IntegerField(min_value=-100, max_value=100)


class CreateEvaluationSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=100)
    committee = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    items = NewItemSerializer(many=True, allow_empty=False)
    participation_per = serializers.IntegerField(min_value=0, max_value=1000, default=10)
    nominees = serializers.IntegerField(min_value=1, max_value=500, default=10)
    notice_days = serializers.IntegerField(min_value=1, max_value=30, default=7)


class InspectionSerializer(serializers.Serializer):
    household = serializers.IntegerField(min_value=1)
    item = serializers.IntegerField(min_value=1)
    on_date = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ObjectionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    household = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class HouseholdScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = HouseholdScore
        fields = ["household", "item_points", "participation", "total", "rank", "nominated"]
