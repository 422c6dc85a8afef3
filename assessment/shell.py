"""What the assessment adds to the platform's shell (yaohai.core.shell): 考核 in the menu of officers holding the
assess right."""

from django.utils.translation import gettext_lazy as _

from grids.scope import scope_for
from yaohai.core.shell import OFFICERS, for_roles, menu

from .rights import ASSESS


def _may_assess(user) -> bool:
    return for_roles(*OFFICERS)(user) and not scope_for(user, ASSESS).is_empty


def register() -> None:
    menu.register("assessment", _("Assessment"), "assessment:index", order=50, visible=_may_assess,
                  icon="award", active_on=["assessment:*"])
