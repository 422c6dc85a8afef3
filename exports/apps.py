from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Exports (台账) shared by every app: the kinds registry, the background jobs, their files, pages and API."""

    name = "exports"
    verbose_name = _("Exports")
