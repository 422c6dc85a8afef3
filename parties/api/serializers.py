"""Serializers of the parties API: read shapes only (writes go through named actions and the services). Members
carry a person's name and no identity number or phone (the registry keeps those, masked)."""

from django.urls import reverse
from rest_framework import serializers

from ..models import (
    Activity,
    ActivityPhoto,
    Attendee,
    CentralHousehold,
    CentralHouseholdLink,
    CentreSection,
    Committee,
    CommitteeSeat,
    FollowUp,
    Meeting,
    Member,
    Notice,
    PartnerOffer,
    PartnerUnit,
    PartyOrg,
    ServiceCentre,
    SignUp,
    Team,
    TeamMember,
    Topic,
    Vote,
)


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
    raised_by_name = serializers.SerializerMethodField(help_text="The resident who raised it (a name only).")

    def get_raised_by_name(self, obj) -> str:
        return str(obj.raised_by_resident) if obj.raised_by_resident_id else ""

    class Meta:
        model = Topic
        fields = ["id", "title", "description", "node", "committee", "source", "event", "raised_by_name", "status",
                  "due_on", "resolution", "resolved_on", "closed_on", "created_at"]


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


# --- the steps of a topic (bodies) and what they answer ----------------------------------------------------------


class TopicRaiseSerializer(serializers.Serializer):
    """Raise a topic: `node`, `event` and `resident` are ids read through the caller's scope before anything else
    (an id from elsewhere answers 404, like a missing one)."""

    node = serializers.IntegerField()
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    due_on = serializers.DateField()
    source = serializers.CharField(max_length=12, help_text="resident, committee_member, grid_worker or event "
                                   "(parties.choices.TopicSource; the service refuses any other value)")
    event = serializers.IntegerField(required=False)
    resident = serializers.IntegerField(required=False)


class ScheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=100)
    agenda = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class VoteSerializer(serializers.Serializer):
    motion = serializers.CharField(max_length=200)
    in_favour = serializers.IntegerField(min_value=0, max_value=10000)
    against = serializers.IntegerField(min_value=0, max_value=10000)
    abstaining = serializers.IntegerField(min_value=0, max_value=10000, default=0)


class RecordMeetingSerializer(serializers.Serializer):
    """The open meeting's record: attendees among the committee's current seat holders and the caller."""

    minutes = serializers.CharField(max_length=20000)
    residents = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=500)
    users = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=500)
    votes = VoteSerializer(many=True, required=False, default=list, max_length=50)


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=4000)
    on_date = serializers.DateField()


class CloseSerializer(serializers.Serializer):
    on_date = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class WithdrawSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500)


class FollowUpAddSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    grid = serializers.IntegerField(required=False)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class FollowUpRefSerializer(serializers.Serializer):
    follow_up = serializers.IntegerField()


class FileEventSerializer(FollowUpRefSerializer):
    category = serializers.IntegerField()
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class FinishSerializer(FollowUpRefSerializer):
    on_date = serializers.DateField()


class NoticeDraftSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=10000)
    period_days = serializers.IntegerField(min_value=1, max_value=90, default=7)


class NoticeRefSerializer(serializers.Serializer):
    notice = serializers.IntegerField()


class PersonNamed(serializers.ModelSerializer):
    """A row of a registry person or a staff user, shown by name only."""

    name = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        return str(obj.resident or obj.user)


class AttendeeSerializer(PersonNamed):
    class Meta:
        model = Attendee
        fields = ["id", "resident", "user", "seat", "name"]


class VoteReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vote
        fields = ["id", "motion", "in_favour", "against", "abstaining", "carried"]


class MeetingSerializer(serializers.ModelSerializer):
    attendees = AttendeeSerializer(many=True, read_only=True)
    votes = VoteReadSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "topic", "starts_at", "place", "agenda", "minutes", "held", "attendees", "votes"]


class TopicFollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "topic", "title", "node", "due_on", "done_on", "event"]


class NoticeKeptSerializer(serializers.ModelSerializer):
    """A notice as its keeper sees it after drafting or publishing (a draft has no `published_at`)."""

    class Meta:
        model = Notice
        fields = ["id", "topic", "title", "body", "period_days", "published_at", "ends_on"]


# --- activities ------------------------------------------------------------------------------------------------


class ActivityCheckInSerializer(serializers.Serializer):
    sign_up = serializers.IntegerField()


class SignUpReadSerializer(PersonNamed):
    class Meta:
        model = SignUp
        fields = ["id", "activity", "name", "signed_up_at", "checked_in_at"]


class SummarySerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=10000)


class PhotosSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.ImageField(), min_length=1, max_length=6)


class ActivityPhotoSerializer(serializers.ModelSerializer):
    # the scoped view's address, never the storage path: uploads are not published as a folder
    image = serializers.SerializerMethodField()

    class Meta:
        model = ActivityPhoto
        fields = ["id", "activity", "image", "width", "height", "created_at"]

    def get_image(self, photo) -> str:
        url = reverse("parties:activity-photo", args=[photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


# --- read-only parts: committees, teams, partners, centres, central households (names only) ---------------------


def _name(person) -> str:
    return str(person) if person is not None else ""


class SeatSerializer(PersonNamed):
    organisation_name = serializers.SerializerMethodField()

    class Meta:
        model = CommitteeSeat
        fields = ["id", "seat", "name", "organisation", "organisation_name", "term_start", "term_end"]

    def get_organisation_name(self, obj) -> str:
        return _name(obj.organisation)


class CommitteeSerializer(serializers.ModelSerializer):
    seats = SeatSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "name", "node", "compound", "seats"]


class TeamMemberSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = TeamMember
        fields = ["id", "name", "joined_on", "left_on"]

    def get_name(self, obj) -> str:
        return _name(obj.resident)


class TeamSerializer(serializers.ModelSerializer):
    leader_name = serializers.SerializerMethodField()
    members = TeamMemberSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "brand", "node", "compound", "is_active", "leader_name", "members"]

    def get_leader_name(self, obj) -> str:
        return _name(obj.leader)


class PartnerOfferSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerOffer
        fields = ["id", "kind", "description"]


class PartnerSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    offers = PartnerOfferSerializer(many=True, read_only=True)

    class Meta:
        model = PartnerUnit
        fields = ["id", "node", "organisation", "organisation_name", "since", "until", "offers"]


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CentreSection
        fields = ["id", "section", "description"]


class CentreSerializer(serializers.ModelSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceCentre
        fields = ["id", "name", "level", "node", "compound", "place", "hours", "sections"]


class LinkSerializer(serializers.ModelSerializer):
    household_name = serializers.SerializerMethodField()

    class Meta:
        model = CentralHouseholdLink
        fields = ["id", "household", "household_name", "since", "until"]

    def get_household_name(self, obj) -> str:
        return _name(obj.household)


class CentralHouseholdSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    household_name = serializers.SerializerMethodField()
    links = LinkSerializer(source="visible_links", many=True, read_only=True)

    class Meta:
        model = CentralHousehold
        fields = ["id", "member", "member_name", "household", "household_name", "since", "until", "links"]

    def get_household_name(self, obj) -> str:
        return _name(obj.household)
