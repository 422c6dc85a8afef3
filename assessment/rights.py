"""The right the assessment declares (yaohai.core.rights): assessing grid workers and nodes."""

from django.utils.translation import gettext_lazy as _

from yaohai.core import rights

ASSESS = rights.register("assessment", "assess", _("Assess grid workers"))
