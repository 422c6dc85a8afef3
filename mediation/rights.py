"""The rights the mediation app declares (yaohai.core.rights): mediating the disputes of a jurisdiction, and heading
its mediation bodies (assigning and moving cases).

`mediate` keeps the code it had while grids declared it (the default catalogue grants it to 社区民警 and the heads)."""

from django.utils.translation import gettext_lazy as _

from yaohai.core import rights

MEDIATE = rights.register("mediation", "mediate", _("Mediate disputes"))
ASSIGN = rights.register("mediation", "mediation.assign", _("Assign mediation cases"))
