"""The parties' models, by part: the organisation tree (orgs), members and central households (members)."""

from .centres import Activity, ActivityPhoto, CentreSection, ServiceCentre, SignUp
from .cogov import (
    Attendee,
    Committee,
    CommitteeSeat,
    FollowUp,
    Meeting,
    Notice,
    Topic,
    TopicLog,
    Vote,
)
from .members import (
    CentralHousehold,
    CentralHouseholdLink,
    Member,
    ServiceHours,
    ServiceRegistration,
    Transfer,
)
from .orgs import LedBuilding, LedGrid, Officer, PartyOrg, PartyOrgQuerySet
from .volunteers import PartnerOffer, PartnerUnit, Team, TeamMember

__all__ = [
    "Activity",
    "ActivityPhoto",
    "CentreSection",
    "ServiceCentre",
    "SignUp",
    "PartnerOffer",
    "PartnerUnit",
    "Team",
    "TeamMember",
    "Attendee",
    "Committee",
    "CommitteeSeat",
    "FollowUp",
    "Meeting",
    "Notice",
    "Topic",
    "TopicLog",
    "Vote",
    "CentralHousehold",
    "CentralHouseholdLink",
    "LedBuilding",
    "LedGrid",
    "Member",
    "Officer",
    "PartyOrg",
    "PartyOrgQuerySet",
    "ServiceHours",
    "ServiceRegistration",
    "Transfer",
]
