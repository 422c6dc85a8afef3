"""What the parties app adds to the platform's shell (yaohai.core.shell): 党建 in the menu, and a grid worker's
workbench panel of her grid's branch, central households, committee and coming activities."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaohai.core.shell import EVERYONE, GRID_WORKER, for_roles, home_panels, menu

from . import selectors


def my_party_grid(actor) -> dict | None:
    grids = selectors.my_grid(actor=actor, now=timezone.now())
    return {"grids": grids} if grids else None


def register() -> None:
    menu.register("parties", _("Party building"), "parties:home", order=65, visible=for_roles(*EVERYONE),
                  icon="award", active_on=["parties:*"])
    home_panels.register("party-grid", "parties/home_panel.html", my_party_grid, roles=[GRID_WORKER], order=30)
