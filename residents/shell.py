"""What the residents app adds to the staff shell: 居民账号 (the confirmation queue) for those who confirm."""

from django.utils.translation import gettext_lazy as _

from events.rights import VERIFY
from grids.scope import scope_for
from yaohai.core.shell import EVERYONE, OFFICERS, for_roles, menu

from .rights import CONFIRM


def _may_confirm(user) -> bool:
    return for_roles(*OFFICERS)(user) and not scope_for(user, CONFIRM).is_empty


def _may_call_back(user) -> bool:
    return for_roles(*EVERYONE)(user) and not scope_for(user, VERIFY).is_empty


def register() -> None:
    menu.register("residents", _("Resident accounts"), "residents:queue", order=65, visible=_may_confirm,
                  icon="people", active_on=["residents:queue", "residents:account", "residents:reopens"])
    menu.register("callbacks", _("Follow-up calls"), "residents:callbacks", order=66, visible=_may_call_back,
                  icon="user", active_on=["residents:callbacks"])
