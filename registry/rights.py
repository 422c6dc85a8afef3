"""The rights the registry declares (yaohai.core.rights): keep its records; see full identity numbers and phones,
each reveal recorded; read the record of those reveals and sheets."""

from django.utils.translation import gettext_lazy as _

from yaohai.core import rights

EDIT = rights.register("registry", "registry.edit", _("Keep the registry"))
REVEAL = rights.register("registry", "registry.reveal", _("Reveal personal data"))
AUDIT = rights.register("registry", "registry.audit", _("Audit access to personal data"))
