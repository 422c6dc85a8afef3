"""The rights the grids app declares (yaohai.core.rights): reading records in a jurisdiction and keeping its roster.

(`mediate` moved to mediation/rights.py with the same code.)
"""

from django.utils.translation import gettext_lazy as _

from yaohai.core import rights

VIEW = rights.register("grids", "view", _("View records"))
MANAGE_ROSTER = rights.register("grids", "manage_roster", _("Manage the roster"))
