"""What the events app adds to the platform's shell (yaohai.core.shell): 事件 · 待办 · 上报 · 驾驶舱 · 考核 · 通知
in the menu (上报 and 待办 as a grid worker's phone tabs), and the workbench panels — 待办, the deadline and
today's figures, unread notifications, a grid worker's own recent events."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grids import selectors as grid_selectors
from yaohai.core.shell import EVERYONE, GRID_WORKER, NO_ROLE, OFFICERS, for_roles, home_panels, menu

from . import selectors

QUEUE_CEILING = 100


def _dashboard_href(user) -> str | None:
    """The dashboard of the user's first top node (the workbench lists each of them)."""
    ids = grid_selectors.home_node_ids(actor=user)
    return reverse("dashboards:node", args=[ids[0]]) if ids else None


def todo(actor) -> dict:
    """待办: how many wait (counted up to a ceiling) and the first of them, soonest deadline first."""
    rows = selectors.work_queue(actor=actor, limit=QUEUE_CEILING)
    return {"count": len(rows), "more": len(rows) >= QUEUE_CEILING, "rows": rows[:5]}


def figures(actor) -> dict:
    return {"counts": selectors.workbench_counts(actor=actor)}


def notifications(actor) -> dict:
    return {"unread": selectors.unread_count(actor=actor), "rows": selectors.unread_notifications(actor=actor)}


def my_events(actor) -> dict:
    return {"rows": selectors.my_recent_events(actor=actor)}


def register() -> None:
    officers = for_roles(*OFFICERS)
    menu.register("events", _("Events"), "events:list", order=20, visible=officers, icon="list",
                  active_on=["events:list", "events:detail"])
    menu.register("report", _("Report"), "events:report", order=25, visible=for_roles(GRID_WORKER),
                  phone_tab=True, icon="plus")
    menu.register("todo", _("To do"), "events:todo", order=30, phone_tab=True, icon="check")
    menu.register("dashboards", _("Dashboard"), href=_dashboard_href, order=40, visible=officers, icon="chart",
                  active_on=["dashboards:*"])
    menu.register("notifications", _("Notifications"), "events:notifications", order=70, icon="bell", side=True,
                  badge=lambda user: selectors.unread_count(actor=user))
    # A handling unit's member holds no post on the tree (role "none") but has a 待办 and notifications.
    home_panels.register("todo", "home/panels/todo.html", todo, roles=[*EVERYONE, NO_ROLE], order=10)
    home_panels.register("figures", "home/panels/figures.html", figures, roles=OFFICERS, order=20)
    home_panels.register("notifications", "home/panels/notifications.html", notifications,
                         roles=[*OFFICERS, NO_ROLE], order=30)
    home_panels.register("my-events", "home/panels/my_events.html", my_events, roles=[GRID_WORKER], order=20)
