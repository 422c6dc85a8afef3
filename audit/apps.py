from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail (等保 2.0): writes and personal-data reads, append-only and chained by hash."""

    name = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401  (the admin's log → the trail)
        from .shell import register

        register()  # 审计日志 in the menu of the audit administrator (yaohai.core.shell)
