"""API shapes of events: read serializers, and one input serializer per workflow step."""

import copy

from django.urls import reverse
from rest_framework import serializers

from events.choices import STAFF_SOURCES, CloseReason, RejectReason, Source, TimeUnit, Urgency
from events.models import (
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Category,
    Event,
    EventLog,
    EventPhoto,
    HandlingUnit,
    Notification,
)

EVENT_FIELDS = [
    "id", "reference", "title", "status", "category", "category_name", "main_category_name", "urgency", "source",
    "node", "node_name", "lon", "lat", "handled_on_spot", "needs_recheck", "current_unit", "current_handler", "due_at",
    "is_near_deadline", "is_overdue", "paused_at", "escalation_level", "escalated_to", "created_at", "closed_at",
]


class FieldsBuiltOnce:
    """A ModelSerializer derives its fields from the model again for every instance it serialises (for the event
    detail, more time than the rest of the answer: docs/bench_filing.md). The shapes here are fixed, so derive
    them once per class and give each serializer its own copy, as DRF does with declared fields."""

    def get_fields(self):
        built = type(self).__dict__.get("_fields_built")
        if built is None:
            built = super().get_fields()
            type(self)._fields_built = built
        return copy.deepcopy(built)


class EventSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    main_category_name = serializers.CharField(source="category.parent.name", read_only=True, default="")
    node_name = serializers.CharField(source="node.name", read_only=True)

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        read_only_fields = EVENT_FIELDS


class EventPhotoSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    # The scoped view's address, never the storage path: uploads are not published as a folder.
    image = serializers.SerializerMethodField()

    def get_image(self, photo) -> str:
        url = reverse("events:photo", args=[photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    class Meta:
        model = EventPhoto
        fields = ["id", "kind", "image", "width", "height", "log"]


class EventLogSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.__str__", read_only=True, default=None)
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = EventLog
        fields = ["id", "action", "from_status", "to_status", "actor", "actor_name", "note", "created_at"]


class EventDetailSerializer(EventSerializer):
    logs = EventLogSerializer(many=True, read_only=True)
    photos = EventPhotoSerializer(many=True, read_only=True)
    resident_name = serializers.SerializerMethodField()
    resident_phone = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    reject_reason = serializers.CharField(read_only=True)
    close_reason = serializers.CharField(read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [
            *EVENT_FIELDS, "description", "accept_due", "handle_due", "verify_due", "handled_by", "reject_reason",
            "duplicate_of", "close_reason", "responsible_party", "resident_name", "resident_phone",
            "allowed_transitions", "logs", "photos",
        ]
        read_only_fields = fields

    def get_resident_name(self, obj) -> str:
        return obj.resident_name if self.context.get("show_contact") else ""

    def get_resident_phone(self, obj) -> str:
        return obj.resident_phone_masked if self.context.get("show_contact") else ""  # the mask; `reveal-phone` for more

    def get_allowed_transitions(self, obj) -> list[str]:
        return self.context.get("allowed", [])


class ReportSerializer(serializers.Serializer):
    """Filing an event; photos come as multipart files named `photos` (and `after_photos` for 自处置).

    The grid is the one covering lon/lat where boundaries exist, else `node`, else the reporter's only grid."""

    node = serializers.IntegerField(required=False, allow_null=True, default=None)
    category = serializers.IntegerField()
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=DESCRIPTION_MAX_LENGTH)
    lon = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-90, max_value=90)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    source = serializers.ChoiceField(choices=STAFF_SOURCES, default=Source.GRID_WORKER)
    resident_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    resident_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    handled_on_spot = serializers.BooleanField(default=False)
    idempotency_key = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)


class RevealPhoneSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class RevealedPhoneSerializer(serializers.Serializer):
    resident_phone = serializers.CharField()


class RejectSerializer(NoteSerializer):
    reason = serializers.ChoiceField(choices=RejectReason.choices)
    duplicate_of = serializers.IntegerField(required=False, allow_null=True, default=None)


class DispatchSerializer(NoteSerializer):
    unit = serializers.IntegerField(required=False, allow_null=True, default=None)
    handler = serializers.IntegerField(required=False, allow_null=True, default=None)


class VerifySerializer(NoteSerializer):
    passed = serializers.BooleanField()
    close_reason = serializers.ChoiceField(choices=CloseReason.choices, required=False, allow_blank=True, default="")
    responsible_party = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class ExtensionRequestSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1)
    time_unit = serializers.ChoiceField(choices=TimeUnit.choices)
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH)


class ExtensionDecisionSerializer(NoteSerializer):
    approve = serializers.BooleanField()


class PauseRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH)


class RecheckSerializer(NoteSerializer):
    passed = serializers.BooleanField()


class CategorySerializer(serializers.ModelSerializer):
    accept_time_unit = serializers.CharField(read_only=True, help_text="working_hours or working_days")
    handle_time_unit = serializers.CharField(read_only=True, help_text="working_hours or working_days")
    verify_time_unit = serializers.CharField(read_only=True, help_text="working_hours or working_days")

    class Meta:
        model = Category
        fields = [
            "id", "parent", "name", "sort_order", "is_active", "accept_limit", "accept_time_unit", "handle_limit",
            "handle_time_unit", "verify_limit", "verify_time_unit",
        ]


class HandlingUnitSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="department, property or grid_staff")

    class Meta:
        model = HandlingUnit
        fields = ["id", "name", "kind", "node", "phone", "is_active"]


class NotificationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="event.reference", read_only=True, default=None)
    title = serializers.CharField(read_only=True)
    link = serializers.CharField(read_only=True)
    subject_type = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "event", "subject_type", "subject_id", "reference", "title", "link", "created_at",
                  "read_at"]

    def get_subject_type(self, row) -> str | None:
        """The subject's model (e.g. "mediation.case") when the notification is not about an event."""
        return f"{row.subject_type.app_label}.{row.subject_type.model}" if row.subject_type_id else None
