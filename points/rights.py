"""The rights the points app declares (yaohai.core.rights): keep the ledger and its accounts; register services
(登记员); approve them for the community or as a resident representative (居民代表); manage rewards and redemptions."""

from django.utils.translation import gettext_lazy as _

from yaohai.core import rights

MANAGE = rights.register("points", "points.manage", _("Keep the points ledger"))
REGISTER = rights.register("points", "points.register", _("Register volunteer services"))
APPROVE = rights.register("points", "points.approve", _("Approve services for the community"))
REPRESENT = rights.register("points", "points.represent", _("Approve services as a resident representative"))
REDEEM = rights.register("points", "points.redeem", _("Handle reward redemptions"))
