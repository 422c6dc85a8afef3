"""What mediation adds to the shell (yaohai.core.shell): 调解 in the menu, and a workbench panel of the mediator's
待办 (open cases, the nearest time limit first, and the follow-up visits due)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yaohai.core.shell import NO_ROLE, OFFICERS, for_roles, home_panels, menu

from . import selectors


def _reaches(user) -> bool:
    # grid workers hold no mediation right (their phone menu stays as it is); an outside mediator has no post
    return for_roles(*OFFICERS, NO_ROLE)(user) and selectors.has_reach(actor=user)


def todo(actor) -> dict | None:
    """None (no panel) for someone mediation does not reach; else the first open cases and the counts."""
    if not selectors.has_reach(actor=actor):
        return None
    rows = selectors.todo(actor=actor, limit=20)
    return {"count": len(rows), "rows": rows[:5], "follow_ups": selectors.follow_ups_due(actor=actor).count()}


def register() -> None:
    menu.register("mediation-cases", _("Mediation"), "mediation:todo", order=62, visible=_reaches, icon="scale")
    home_panels.register("mediation-todo", "mediation/panels/todo.html", todo, roles=[*OFFICERS, NO_ROLE],
                         order=40)
