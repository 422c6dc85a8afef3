"""The points app's closed lists: each is also a CHECK constraint on its column."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def check(field: str, choices) -> dict:
    """The keyword arguments of a CheckConstraint that keeps `field` inside `choices`."""
    return {"condition": models.Q(**{f"{field}__in": choices.values}), "name": f"points_%(class)s_{field}_valid"}


class AccountKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer passbook")
    HOUSEHOLD = "household", _("Household passbook")
    ISSUING = "issuing", _("Issuing account")
    PARTNER = "partner", _("Partner unit account")
    POOL = "pool", _("Reward pool")


# Passbooks hold points and may never go below zero; an issuing account grants points and runs negative by design
# (its balance is minus what it has issued); partner and pool accounts receive spent points.
PASSBOOK_KINDS = (AccountKind.VOLUNTEER, AccountKind.HOUSEHOLD)
NEVER_NEGATIVE = (AccountKind.VOLUNTEER, AccountKind.HOUSEHOLD, AccountKind.PARTNER, AccountKind.POOL)


class MovementKind(models.TextChoices):
    GRANT = "grant", _("Points granted")
    SPEND = "spend", _("Points spent")
    REFUND = "refund", _("Refund")
    REVERSAL = "reversal", _("Reversal")
    EXPIRY = "expiry", _("Expiry")
    ADJUSTMENT = "adjustment", _("Adjustment")


class Basis(models.TextChoices):
    PER_HOUR = "per_hour", _("Per hour")
    PER_OCCASION = "per_occasion", _("Per occasion")


class Registration(models.TextChoices):
    """Who may register a service of this type."""

    REGISTRAR = "registrar", _("A registrar")
    AUTOMATIC = "automatic", _("Automatically, from another record")


class ServiceStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting both approvals")
    COMMUNITY_APPROVED = "community_approved", _("Approved by the community")
    REPRESENTATIVE_APPROVED = "representative_approved", _("Approved by the resident representative")
    CREDITED = "credited", _("Credited")
    REJECTED = "rejected", _("Rejected")


class ServiceStep(models.TextChoices):
    APPROVE_COMMUNITY = "approve_community", _("Approve for the community")
    APPROVE_REPRESENTATIVE = "approve_representative", _("Approve as resident representative")
    REJECT = "reject", _("Reject")


class ServiceWho(models.TextChoices):
    APPROVER = "points.approve", _("Community officer")
    REPRESENTATIVE = "points.represent", _("Resident representative")
    EITHER = "either", _("Community officer or resident representative")


class RedemptionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    FULFILLED = "fulfilled", _("Handed over")
    CANCELLED = "cancelled", _("Cancelled")


class RedemptionStep(models.TextChoices):
    APPROVE = "approve", _("Approve")
    FULFIL = "fulfil", _("Hand over")
    CANCEL = "cancel", _("Cancel")


class RedemptionWho(models.TextChoices):
    COUNTER = "points.redeem", _("Redemption desk")
    HOLDER_OR_COUNTER = "holder_or_counter", _("Passbook holder or redemption desk")


class EvaluationStatus(models.TextChoices):
    """文明户评选: the yearly evaluation's life (points/evaluation.py)."""

    DRAFT = "draft", _("Draft")
    INSPECTING = "inspecting", _("Inspections under way")
    SCORED = "scored", _("Scored")
    NOTICED = "noticed", _("Public notice")
    FINAL = "final", _("Final list")


class EvaluationStep(models.TextChoices):
    OPEN = "open", _("Open the inspections")
    SCORE = "score", _("Score and rank")
    PUBLISH = "publish", _("Publish the nominees")
    REOPEN = "reopen", _("Reopen the inspections")
    FINALISE = "finalise", _("Make the list final")
