"""The parties' choices: the levels and kinds of the party organisation tree, officers, members, transfers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def check(field: str, choices) -> dict:
    """The keyword arguments of a CheckConstraint that keeps `field` within `choices`."""
    return {"condition": models.Q(**{f"{field}__in": choices.values}), "name": f"%(app_label)s_%(class)s_{field}_valid"}


class OrgLevel(models.TextChoices):
    """The levels of the party organisation tree, root first (one root per tenant: the district committee)."""

    DISTRICT_COMMITTEE = "district_committee", _("district party committee")
    WORKING_COMMITTEE = "working_committee", _("working committee")
    COMMITTEE = "committee", _("community party organisation")
    BRANCH = "branch", _("party branch")
    GROUP = "group", _("party group")


class OrgKind(models.TextChoices):
    """What an organisation is called at its level (a community's organisation is a 党委 or a 党总支 by its size)."""

    DISTRICT_COMMITTEE = "district_committee", _("district committee (区委)")
    WORKING_COMMITTEE = "working_committee", _("street party working committee (党工委)")
    PARTY_COMMITTEE = "party_committee", _("community party committee (党委)")
    GENERAL_BRANCH = "general_branch", _("general party branch (党总支)")
    GRID_BRANCH = "grid_branch", _("grid party branch (网格党支部)")
    BRANCH = "branch", _("party branch (党支部)")
    BUILDING_GROUP = "building_group", _("building party group (楼栋党小组)")
    GROUP = "group", _("party group (党小组)")


LEVELS = tuple(OrgLevel.values)
PARENT_KIND = {
    OrgLevel.DISTRICT_COMMITTEE: None,
    OrgLevel.WORKING_COMMITTEE: OrgLevel.DISTRICT_COMMITTEE,
    OrgLevel.COMMITTEE: OrgLevel.WORKING_COMMITTEE,
    OrgLevel.BRANCH: OrgLevel.COMMITTEE,
    OrgLevel.GROUP: OrgLevel.BRANCH,
}
SUBKINDS = {
    OrgLevel.DISTRICT_COMMITTEE: (OrgKind.DISTRICT_COMMITTEE,),
    OrgLevel.WORKING_COMMITTEE: (OrgKind.WORKING_COMMITTEE,),
    OrgLevel.COMMITTEE: (OrgKind.PARTY_COMMITTEE, OrgKind.GENERAL_BRANCH),
    OrgLevel.BRANCH: (OrgKind.GRID_BRANCH, OrgKind.BRANCH),
    OrgLevel.GROUP: (OrgKind.BUILDING_GROUP, OrgKind.GROUP),
}
# The grid node an organisation is anchored at (and stamped from): its level's kind of grid node.
ANCHOR_KIND = {
    OrgLevel.DISTRICT_COMMITTEE: "district",
    OrgLevel.WORKING_COMMITTEE: "street",
    OrgLevel.COMMITTEE: "community",
    OrgLevel.BRANCH: "community",
    OrgLevel.GROUP: "community",
}


class OfficerRole(models.TextChoices):
    SECRETARY = "secretary", _("secretary")
    DEPUTY_SECRETARY = "deputy", _("deputy secretary")
    COMMITTEE_MEMBER = "member", _("committee member")


class MemberStatus(models.TextChoices):
    FORMAL = "formal", _("formal member")
    PROBATIONARY = "probationary", _("probationary member")


class TransferKind(models.TextChoices):
    JOINED = "joined", _("joined")
    TRANSFER_IN = "in", _("transferred in")
    TRANSFER_OUT = "out", _("transferred out")
    MOVED = "moved", _("moved within the district")
    BECAME_FORMAL = "formal", _("became a formal member")


class Seat(models.TextChoices):
    """The seats of a co-governance committee (网格共治委员会)."""

    GRID_WORKER = "grid_worker", _("grid worker")
    OWNERS_COMMITTEE = "owners_committee", _("owners' committee")
    PROPERTY_COMPANY = "property", _("property company")
    OWNER = "owner", _("owner")
    BUILDING_HEAD = "building_head", _("building head")
    RESIDENT_UNIT = "unit", _("resident unit")
    SOCIAL_ORGANISATION = "social_org", _("social organisation")
    PARTY_BRANCH = "party", _("party branch")


class TopicSource(models.TextChoices):
    RESIDENT = "resident", _("raised by a resident")
    COMMITTEE_MEMBER = "committee", _("raised by a committee member")
    GRID_WORKER = "grid_worker", _("raised by a grid worker")
    EVENT = "event", _("from an event")


class TopicStatus(models.TextChoices):
    RAISED = "raised", _("raised")
    ACCEPTED = "accepted", _("accepted")
    SCHEDULED = "scheduled", _("scheduled")
    DISCUSSED = "discussed", _("discussed")
    RESOLVED = "resolved", _("resolved")
    IMPLEMENTED = "implemented", _("implemented")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class TopicStep(models.TextChoices):
    ACCEPT = "accept", _("accept")
    SCHEDULE = "schedule", _("schedule a meeting")
    DISCUSS = "discuss", _("record the meeting")
    RESOLVE = "resolve", _("resolve")
    IMPLEMENT = "implement", _("mark implemented")
    CLOSE = "close", _("close")
    WITHDRAW = "withdraw", _("withdraw")


class TopicWho(models.TextChoices):
    OFFICER = "officer", _("officer keeping party building and co-governance (parties.manage)")


OPEN_TOPIC_STATUSES = (
    TopicStatus.RAISED, TopicStatus.ACCEPTED, TopicStatus.SCHEDULED, TopicStatus.DISCUSSED,
)


class TeamKind(models.TextChoices):
    ALLEY_STEWARDS = "stewards", _("alley stewards (小巷管家)")
    VOLUNTEERS = "volunteers", _("volunteer team")
    INTEREST_GROUP = "interest", _("interest group")


class TeamBrand(models.TextChoices):
    NONE = "", _("no brand")
    ZUOLIN_YOUSHE = "zuolin", _("左邻右舍")
    XINGHUO = "xinghuo", _("星火公益")


class OfferKind(models.TextChoices):
    REWARDS = "rewards", _("rewards")
    SERVICES = "services", _("services")
    SPACE = "space", _("space")
    MONEY = "money", _("money")


class CentreLevel(models.TextChoices):
    """The three levels of party–mass service centres."""

    STREET = "street", _("street centre")
    COMMUNITY = "community", _("community centre")
    STATION = "station", _("compound station (家门口服务站)")


class Section(models.TextChoices):
    PARTY_BUILDING = "party", _("基层党建")
    CONSULTATION = "consult", _("协商自治")
    CULTURE_SPORTS = "culture", _("文体活动")
    CONVENIENCE = "convenience", _("便民服务")
    CHARITY_INTEREST = "charity", _("公益兴趣")
