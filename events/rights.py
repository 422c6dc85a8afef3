"""The rights the events app declares (yaohai.core.rights): filing events and the workflow's roles."""

from django.utils.translation import gettext_lazy as _

from yaohai.core import rights

REPORT = rights.register("events", "report", _("File events"))
DISPATCH = rights.register("events", "dispatch", _("Accept and dispatch events"))
HANDLE = rights.register("events", "handle", _("Handle events"))
VERIFY = rights.register("events", "verify", _("Verify events"))
