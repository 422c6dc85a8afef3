from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    """The city level (市): a roll-up of districts for city officers, counts only (docs/cities.md)."""

    name = "cities"
    verbose_name = _("Cities")

    def ready(self):
        from .exports import register_kinds
        from .shell import register

        register()  # 市 in the menu and the city officer's home (yaohai.core.shell)
        register_kinds()  # the city's roll-up sheet (exports.registry)
