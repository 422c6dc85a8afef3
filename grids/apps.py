from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    """Tenants, the grid tree, posts and jurisdiction: the app every other app builds on."""

    name = "grids"
    verbose_name = _("Grids and jurisdiction")

    def ready(self):
        from . import rights  # noqa: F401  (declares view, manage_roster)

        # middleware connects the password-expiry check at sign-in; two_factors decides there whether a second
        # factor is owed; admin puts the second-factor devices in the admin.
        from .accounts import admin as accounts_admin  # noqa: F401
        from .accounts import middleware, two_factors  # noqa: F401
        from .shell import register

        register()  # the role resolver, 导出, the tree's workbench panels (yaohai.core.shell)
