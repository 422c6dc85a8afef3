"""The rights the residents app declares (yaohai.core.rights): confirm resident accounts and block them."""

from django.utils.translation import gettext_lazy as _

from yaohai.core import rights

CONFIRM = rights.register("residents", "residents.confirm", _("Confirm and block resident accounts"))
