"""The rights the grids app declares (yaohai.core.rights): reading records in a jurisdiction and keeping its roster.

`mediate` is declared here until the mediation app exists: the default catalogue grants it to 社区民警 (police)
already; that app will declare it itself (same code) and this line goes.
"""

from django.utils.translation import gettext_lazy as _

from yaohai.core import rights

VIEW = rights.register("grids", "view", _("View records"))
MANAGE_ROSTER = rights.register("grids", "manage_roster", _("Manage the roster"))
MEDIATE = rights.register("grids", "mediate", _("Mediate disputes"))
