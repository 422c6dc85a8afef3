"""What the registry adds to the platform's shell (yaohai.core.shell): 人地事物 in the officers' menu, and on the
grid worker's 首页 a panel with her grid's registry, the patrol, and the care-list visits due or overdue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yaohai.core.shell import GRID_WORKER, OFFICERS, for_roles, home_panels, menu

VISITS_SHOWN = 5


def today_tasks(actor) -> dict:
    """今日任务: the care-list visits due or overdue in the worker's grids (most urgent first), and the patrol."""
    from .patrols import care_schedule
    from .sweeps import open_reminders

    urgent = [row for row in care_schedule(actor=actor) if row.state != "later"]
    return {
        "overdue": sum(1 for row in urgent if row.state == "overdue"),
        "due": sum(1 for row in urgent if row.state == "due"),
        "rows": urgent[:VISITS_SHOWN],
        "reminders": open_reminders(actor=actor),  # what the care-visit sweep told her and no visit has answered
    }


def register() -> None:
    menu.register(
        "registry", _("Registry"), "registry:residents", order=65, visible=for_roles(*OFFICERS), icon="list",
        active_on=["registry:*"],
    )
    home_panels.register("registry-tasks", "registry/panels/today.html", today_tasks, roles=[GRID_WORKER], order=15)
