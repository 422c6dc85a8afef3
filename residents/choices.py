"""The states of a resident account and of a one-time code's purpose."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the community")
    CONFIRMED = "confirmed", _("Confirmed")
    BLOCKED = "blocked", _("Blocked")


CODE_LENGTH = 6
CODE_TTL_SECONDS = 300
CODE_MAX_ATTEMPTS = 5
PHONE_PURPOSE = "resident_account.phone"  # bound into the encryption and the blind index (yaohai.core.personal.crypto)


class LinkRole(models.TextChoices):
    REPORTER = "reporter", _("Reported it")
    SUPPORTER = "supporter", _("Joined it")


class NoticeKind(models.TextChoices):
    ACCEPTED = "accepted", _("Your report was accepted")
    DISPATCHED = "dispatched", _("Your report was sent to those who fix it")
    CLOSED = "closed", _("Your report was closed: please rate it")
    REJECTED = "rejected", _("Your report was not taken up")
    REOPENED = "reopened", _("Your report was reopened")
    MERGED = "merged", _("Your report joined an earlier one of the same problem: you follow that one now")


INTAKE_POST = "resident_intake"  # the post of the per-district account that files residents' reports


class ReopenStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the community's check")
    REOPENED = "reopened", _("Reopened")
    DECLINED = "declined", _("Declined after the check")
