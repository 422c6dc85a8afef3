from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    """Tenants, the grid tree, posts and jurisdiction: the app every other app builds on."""

    name = "grids"
    verbose_name = _("Grids and jurisdiction")

    def ready(self):
        from . import rights  # noqa: F401  (declares view, manage_roster)
        from .accounts import middleware  # noqa: F401  (connects the password-expiry check at sign-in)
        from .shell import register

        register()  # the role resolver, 导出, the tree's workbench panels (yaohai.core.shell)
