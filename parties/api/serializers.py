"""Serializers of the parties API: read shapes only (writes go through named actions and the services). Members
carry a person's name and no identity number or phone (the registry keeps those, masked)."""

from rest_framework import serializers

from ..models import Activity, Member, Notice, PartyOrg, Topic


class PartyOrgSerializer(serializers.ModelSerializer):
    led_grids = serializers.SerializerMethodField()

    class Meta:
        model = PartyOrg
        fields = ["id", "parent", "kind", "subkind", "name", "code", "node", "is_archived", "led_grids"]

    def get_led_grids(self, obj) -> list[int]:
        return [row.node_id for row in obj.led_grids.all()]


class PartyMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "name", "org", "org_name", "status", "joined_on", "formal_on", "in_service", "left_on"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "title", "description", "node", "committee", "source", "event", "status", "due_on",
                  "resolution", "resolved_on", "closed_on", "created_at"]


class ActivitySerializer(serializers.ModelSerializer):
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    places_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "centre", "centre_name", "section", "title", "starts_at", "ends_at", "place", "capacity",
                  "signed_up", "places_left", "summary"]


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = ["id", "topic", "title", "body", "published_at", "ends_on"]


class TopicNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class SignUpSerializer(serializers.Serializer):
    resident = serializers.IntegerField(required=False)
    user = serializers.IntegerField(required=False)
