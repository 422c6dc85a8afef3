"""The points API's serializers (read-only shapes; writes go through named actions and the services)."""

from rest_framework import serializers

from ..models import Account, Entry, ServiceRecord


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


class RedeemSerializer(serializers.Serializer):
    reward = serializers.IntegerField(min_value=1)
    key = serializers.CharField(max_length=100)
    quantity = serializers.IntegerField(min_value=1, max_value=20, default=1)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
