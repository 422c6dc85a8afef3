from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    """Party building leads, co-governance at the core: party organisations on the grid, members, central
    households, volunteers, service centres and activities, co-governance committees and consultation."""

    name = "parties"
    verbose_name = _("Party building")

    def ready(self):
        from . import rights, workflows  # noqa: F401  (declares parties.manage; registers the topic's table)
