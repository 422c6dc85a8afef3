"""API shapes of the registry. Lists carry no personal data; a person's detail carries it masked; the full value
comes only from the `reveal` action."""

from rest_framework import serializers

from registry.choices import DocumentType, PersonalField, Registration, Relation, ResidentStatus, Sex
from registry.models import (
    AccessRecord,
    Building,
    CareList,
    CareListMember,
    Compound,
    House,
    Household,
    HouseholdChange,
    HouseholdMember,
    Organisation,
    Patrol,
    PatrolCheckIn,
    PatrolFinding,
    Resident,
    Thing,
    ThingType,
    Visit,
)

STAMPS = ["node", "community", "grid"]


class CompoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Compound
        fields = ["id", "name", "address", "no_property_company", "no_supervising_department", "no_security",
                  "lon", "lat", *STAMPS]
        read_only_fields = fields


class BuildingSerializer(serializers.ModelSerializer):
    compound_name = serializers.CharField(source="compound.name", default="", read_only=True)

    class Meta:
        model = Building
        fields = ["id", "compound", "compound_name", "number", "address", "floors", "units", "year_built",
                  "property_company", "lon", "lat", *STAMPS]
        read_only_fields = fields


class HouseSerializer(serializers.ModelSerializer):
    class Meta:
        model = House
        fields = ["id", "building", "unit", "floor", "number", "use", *STAMPS]
        read_only_fields = fields


class ResidentSerializer(serializers.ModelSerializer):
    """A list row: no identity number, no phone, not even masked."""

    class Meta:
        model = Resident
        fields = ["id", "name", "sex", "birth_date", "registration", "occupation", "status", "house", *STAMPS]
        read_only_fields = fields


class ResidentDetailSerializer(ResidentSerializer):
    class Meta(ResidentSerializer.Meta):
        fields = [*ResidentSerializer.Meta.fields, "id_type", "id_number_masked", "phone_masked"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="resident.name", read_only=True)

    class Meta:
        model = HouseholdMember
        fields = ["resident", "name", "relation", "joined_on", "left_on"]
        read_only_fields = fields


class ChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = HouseholdChange
        fields = ["kind", "on_date", "resident", "note", "created_at"]
        read_only_fields = fields


class HouseholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = ["id", "house", "number", "formed_on", "dissolved_on", *STAMPS]
        read_only_fields = fields


class HouseholdDetailSerializer(HouseholdSerializer):
    members = MemberSerializer(many=True, read_only=True)
    changes = ChangeSerializer(many=True, read_only=True)

    class Meta(HouseholdSerializer.Meta):
        fields = [*HouseholdSerializer.Meta.fields, "members", "changes"]
        read_only_fields = fields


class CareListSerializer(serializers.ModelSerializer):
    class Meta:
        model = CareList
        fields = ["id", "code", "name", "visit_every_days", "description", "is_active"]
        read_only_fields = fields


class CareMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="resident.name", read_only=True)

    class Meta:
        model = CareListMember
        fields = ["id", "care_list", "resident", "name", "since", "reason", "until", "end_reason", *STAMPS]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "credit_code", "address", "contact_name", "lon", "lat", "is_active", *STAMPS]
        read_only_fields = fields


class OrganisationDetailSerializer(OrganisationSerializer):
    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "contact_phone_masked"]
        read_only_fields = fields


class ThingTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ThingType
        fields = ["id", "code", "name", "is_active"]
        read_only_fields = fields


class ThingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Thing
        fields = ["id", "thing_type", "code", "description", "building", "status", "lon", "lat", *STAMPS]
        read_only_fields = fields


class AccessRecordSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.__str__", read_only=True)

    class Meta:
        model = AccessRecord
        fields = ["id", "actor", "actor_name", "resident", "organisation", "kind", "field", "reason", "created_at"]
        read_only_fields = fields


# ---- inputs ---------------------------------------------------------------------------------------------------


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[PersonalField.ID_NUMBER, PersonalField.PHONE])
    reason = serializers.CharField(min_length=2, max_length=200)


class ContactRevealSerializer(serializers.Serializer):
    reason = serializers.CharField(min_length=2, max_length=200)


class RevealedSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


class LookupSerializer(serializers.Serializer):
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)

    def validate(self, attrs):
        if not attrs.get("id_number") and not attrs.get("phone"):
            raise serializers.ValidationError("id_number or phone")
        return attrs


class RegisterSerializer(serializers.Serializer):
    node = serializers.IntegerField(help_text="The grid the person lives in (or give a house).", required=False)
    house = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=50)
    id_type = serializers.ChoiceField(choices=DocumentType.choices, default=DocumentType.RESIDENT_ID)
    id_number = serializers.CharField(max_length=40, allow_blank=True, default="")
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.DateField(required=False)
    phone = serializers.CharField(max_length=20, allow_blank=True, default="")
    registration = serializers.ChoiceField(choices=Registration.choices, default=Registration.REGISTERED)
    occupation = serializers.CharField(max_length=50, allow_blank=True, default="")


class FormHouseholdSerializer(serializers.Serializer):
    house = serializers.IntegerField()
    head = serializers.IntegerField()
    on_date = serializers.DateField()
    number = serializers.CharField(max_length=30, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class MoveInSerializer(serializers.Serializer):
    resident = serializers.IntegerField()
    relation = serializers.ChoiceField(choices=Relation.choices)
    on_date = serializers.DateField()
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class MoveOutSerializer(serializers.Serializer):
    resident = serializers.IntegerField()
    on_date = serializers.DateField()
    status = serializers.ChoiceField(
        choices=ResidentStatus.choices, default=ResidentStatus.MOVED_OUT, help_text="moved_out or deceased"
    )
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class AddCareSerializer(serializers.Serializer):
    care_list = serializers.IntegerField()
    resident = serializers.IntegerField()
    since = serializers.DateField()
    reason = serializers.CharField(max_length=200, allow_blank=True, default="")


class EndCareSerializer(serializers.Serializer):
    until = serializers.DateField()
    reason = serializers.CharField(max_length=200, allow_blank=True, default="")


# ---- patrols and visits ---------------------------------------------------------------------------------------


class PatrolSerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.__str__", read_only=True)

    class Meta:
        model = Patrol
        fields = ["id", "worker", "worker_name", "started_at", "ended_at", "summary", *STAMPS]
        read_only_fields = fields


class CheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatrolCheckIn
        fields = ["id", "building", "organisation", "at", "note", "by_qr"]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatrolFinding
        fields = ["id", "event", "building", "created_at"]
        read_only_fields = fields


class PatrolDetailSerializer(PatrolSerializer):
    track = serializers.SerializerMethodField()
    check_ins = CheckInSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    def get_track(self, patrol) -> list[list[float]]:
        return [[p.lon, p.lat] for p in patrol.points.order_by("seq")]

    class Meta(PatrolSerializer.Meta):
        fields = [*PatrolSerializer.Meta.fields, "track", "check_ins", "findings"]
        read_only_fields = fields


class StartPatrolSerializer(serializers.Serializer):
    grid = serializers.IntegerField()


class PositionSerializer(serializers.Serializer):
    seq = serializers.IntegerField(min_value=1)
    at = serializers.DateTimeField()
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    accuracy = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class PositionsSerializer(serializers.Serializer):
    points = PositionSerializer(many=True)


class CheckInInputSerializer(serializers.Serializer):
    building = serializers.IntegerField(required=False)
    organisation = serializers.IntegerField(required=False)
    note = serializers.CharField(max_length=200, allow_blank=True, default="")
    by_qr = serializers.BooleanField(default=False)


class FindingInputSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="")
    building = serializers.IntegerField(required=False)
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    idempotency_key = serializers.CharField(max_length=64, required=False)


class EndPatrolSerializer(serializers.Serializer):
    summary = serializers.CharField(allow_blank=True, default="", max_length=2000)


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = ["id", "household", "visitor", "visited_on", "purpose", "findings", *STAMPS]
        read_only_fields = fields


class RecordVisitSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    visited_on = serializers.DateField()
    purpose = serializers.CharField(max_length=100)
    findings = serializers.CharField(allow_blank=True, default="")


class CareDueSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="resident.name", read_only=True)
    care_list_name = serializers.CharField(source="care_list.name", read_only=True)
    last_visit = serializers.DateField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = CareListMember
        fields = ["id", "resident", "name", "care_list", "care_list_name", "since", "last_visit", "due_on", "state"]
        read_only_fields = fields
