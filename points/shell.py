"""What the points app adds to the shell (yaohai.core.shell): 积分 in the menu for whoever holds a passbook or a
points right, and a workbench panel — the holder's balance, and the services waiting for an approver."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grids.scope import scope_for
from yaohai.core.shell import EVERYONE, NO_ROLE, home_panels, menu

from . import representatives
from .rights import APPROVE, MANAGE, REDEEM, REGISTER, REPRESENT

RIGHTS = (MANAGE, REGISTER, APPROVE, REPRESENT, REDEEM)


def _holds_any(user) -> bool:
    return any(not scope_for(user, right).is_empty for right in RIGHTS) or representatives.holds_passbook_or_seat(user)


def _href(user) -> str:
    if not scope_for(user, APPROVE).is_empty or representatives.is_representative(user):
        return reverse("points:queue")
    if not scope_for(user, REGISTER).is_empty:
        return reverse("points:register")
    return reverse("points:mine")


def panel(actor) -> dict | None:
    """积分: the passbook's balance for its holder; the count waiting for an approver."""
    from .selectors import own_passbook
    from .services.earning import queue

    account = own_passbook(actor=actor)
    waiting = None
    if not scope_for(actor, APPROVE).is_empty or representatives.is_representative(actor):
        waiting = queue(actor).count()
    if account is None and not waiting:
        return None  # nothing to show: the workbench stays as it was
    return {"account": account, "waiting": waiting}


def register() -> None:
    menu.register("points", _("Points"), href=_href, order=60, visible=_holds_any, icon="award",
                  active_on=["points:*"])
    home_panels.register("points", "home/panels/points.html", panel, roles=[*EVERYONE, NO_ROLE], order=60)
