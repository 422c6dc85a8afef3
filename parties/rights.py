"""The rights the parties app declares (yaohai.core.rights): keep the party organisations, members, committees,
consultation, volunteers and activities of a subtree. Reading them needs the grids' `view`."""

from django.utils.translation import gettext_lazy as _

from yaohai.core import rights

MANAGE = rights.register("parties", "parties.manage", _("Keep party building and co-governance"))
