"""What the audit app adds to the shell (yaohai.core.shell): 审计日志 in the menu for the audit administrator, who
holds no post and otherwise landed on a page saying only that she has none."""

from django.utils.translation import gettext_lazy as _

from yaohai.core.shell import menu

from .selectors import may_read


def register() -> None:
    menu.register("audit", _("Audit trail"), "audit:list", order=92, visible=may_read, icon="list",
                  active_on=["audit:*"])
