from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Issues filed from the grids, their handling workflow, deadlines, escalation and assessment."""

    name = "events"
    verbose_name = _("Events")
