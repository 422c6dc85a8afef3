"""The fixed vocabularies of mediation: channels, parties, risk, bodies, mediators and the case's workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    POLICE = "police", _("Police station referral")
    COURT = "court", _("Court pre-litigation referral")
    PETITION = "petition", _("Petition office referral")
    EVENT = "event", _("From an event")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


class PartyKind(models.TextChoices):
    RESIDENT = "resident", _("Person of the registry")
    PERSON = "person", _("Person entered on the spot")
    ORGANISATION = "organisation", _("Organisation")


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High (may turn violent or into a group incident)")


class BodyKind(models.TextChoices):
    COMMUNITY_COMMITTEE = "community", _("Community people's mediation committee")
    STREET_COMMITTEE = "street", _("Street people's mediation committee")
    SUB_CENTRE = "sub_centre", _("Property-dispute mediation sub-centre")
    ADMINISTRATIVE = "administrative", _("Administrative mediation (department)")
    JUDICIAL = "judicial", _("Court pre-litigation mediation")


class MediatorKind(models.TextChoices):
    PEOPLES = "peoples", _("People's mediator")
    INVITED = "invited", _("Specially invited mediator")
    JUDGE = "judge", _("Judge")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    POLICE = "police", _("Police officer")
    LAWYER = "lawyer", _("Lawyer")


class ReferralTarget(models.TextChoices):
    LITIGATION = "litigation", _("Litigation")
    ARBITRATION = "arbitration", _("Arbitration")
    PETITION = "petition", _("Petition")
    COURT = "court", _("Court pre-litigation mediation")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    ASSIGNED = "assigned", _("Assigned")
    IN_MEDIATION = "in_mediation", _("In mediation")
    AGREEMENT = "agreement", _("Agreement reached")
    TERMINATED = "terminated", _("Terminated")
    REFERRED = "referred", _("Referred")
    CONFIRMED = "confirmed", _("Judicially confirmed")
    FOLLOWED_UP = "followed_up", _("Followed up")
    ARCHIVED = "archived", _("Archived")


class Step(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REFUSE = "refuse", _("Refuse")
    ASSIGN = "assign", _("Assign")
    BEGIN = "begin", _("Begin mediation")
    AGREE = "agree", _("Record the agreement")
    TERMINATE = "terminate", _("Terminate")
    REFER = "refer", _("Refer")
    CONFIRM = "confirm", _("Record the judicial confirmation")
    FOLLOW_UP = "follow_up", _("Record the follow-up")
    ARCHIVE = "archive", _("Archive")


class Act(models.TextChoices):
    """The acts beside the table while a case is handled (mediation.handling): they change no status, but each is
    allowed only in some statuses (ACT_STATUSES) and refused with 409 in the others."""

    SESSION = "session", _("Record a mediation session")
    EVIDENCE = "evidence", _("Add evidence")
    EXTEND = "extend", _("Extend the time limit")
    APPLY = "apply", _("Apply for judicial confirmation")
    NOT_CONFIRMED = "not_confirmed", _("Record that the court did not confirm")


class Who(models.TextChoices):
    HEAD = "head", _("the mediation body's head")
    MEDIATOR = "mediator", _("mediator")


OPEN_STATUSES = (Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_MEDIATION)
# The statuses in which the time limit of people's mediation runs.
RUNNING_STATUSES = (Status.ACCEPTED, Status.ASSIGNED, Status.IN_MEDIATION)
SUCCESS_STATUSES = (Status.AGREEMENT, Status.CONFIRMED, Status.FOLLOWED_UP)


class AgreementForm(models.TextChoices):
    WRITTEN = "written", _("Written agreement (人民调解协议书)")
    ORAL = "oral", _("Oral agreement")


class Performance(models.TextChoices):
    FULL = "full", _("Performed in full")
    PARTIAL = "partial", _("Performed in part")
    NONE = "none", _("Not performed")


class Confirmation(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed valid")
    REFUSED = "refused", _("Not confirmed")

ACT_STATUSES = {
    Act.SESSION: (Status.ASSIGNED, Status.IN_MEDIATION),
    Act.EVIDENCE: (Status.ACCEPTED, Status.ASSIGNED, Status.IN_MEDIATION),
    Act.EXTEND: RUNNING_STATUSES,
    Act.APPLY: (Status.AGREEMENT,),
    Act.NOT_CONFIRMED: (Status.AGREEMENT,),
}
