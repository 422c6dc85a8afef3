from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    """Residents take part: phone accounts signed in with a one-time code, their own reports and their follow-up."""

    name = "residents"
    verbose_name = _("Resident services")

    def ready(self):
        from . import rights, shell, signals  # noqa: F401  (rights declared, menu registered, receivers connected)

        shell.register()

        from yaohai.core.personal import fields

        from .choices import PHONE_PURPOSE

        fields.register("residents.ResidentAccount", "phone", PHONE_PURPOSE)  # re-sealed by rotate_personal_data_key

        from .selectors import register_slot

        # The slots of the resident's home this app fills itself from the domains to its left (tests/test_imports.py
        # TIERS: points and parties may not import residents, so residents reads their selectors).
        register_slot("passbook", _("My points"), "residents:passbook")
        register_slot("activities", _("Activities"), "residents:activities")
