"""Choice lists of the assessment: who is scored, the status of a month's run (the indicators' keys are
registered: yaohai.core.indicators.key_choices)."""

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

