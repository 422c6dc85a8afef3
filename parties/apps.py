from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    """Party building leads, co-governance at the core: party organisations on the grid, members, central
    households, volunteers, service centres and activities, co-governance committees and consultation."""

    name = "parties"
    verbose_name = _("Party building")

    def ready(self):
        from . import rights, timeline, workflows  # noqa: F401  (parties.manage; the topic's table; the event page)
        from .indicators import register_indicators
        from .panels import register_panels
        from .shell import register

        register_panels()  # party building and co-governance on every node's page
        register_indicators()  # consultation topics resolved on time, for the monthly assessment
        register()  # 党建 in the menu, a grid worker's workbench panel
