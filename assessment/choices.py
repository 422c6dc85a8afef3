"""Choice lists of the assessment: who is scored, the status of a month's run, the catalogue's keys."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    """What a score row scores: a grid worker on one grid, or a node of the tree."""

    WORKER = "worker", _("Grid worker")
    GRID = "grid", _("Grid")
    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


NODE_SUBJECTS = (SubjectKind.GRID, SubjectKind.COMMUNITY, SubjectKind.STREET, SubjectKind.DISTRICT)


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class IndicatorKey(models.TextChoices):
    """The catalogue's keys (assessment/indicators.py defines each); a tenant's scheme weights them."""

    REPORTING_VOLUME = "reporting_volume", _("Reporting volume")
    ON_TIME_ACCEPTANCE = "on_time_acceptance", _("On-time acceptance")
    ON_TIME_CLOSURE = "on_time_closure", _("On-time closure")
    REWORK = "rework", _("Rework")
    OVERDUE = "overdue", _("Overdue")
    SATISFACTION = "satisfaction", _("Resident satisfaction")
