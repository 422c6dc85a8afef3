"""What every parties service shares: the actor's right over a record, and clean refusals."""

from __future__ import annotations

from django.utils.translation import gettext as _

from audit import services as audit_services
from dashboards import cache as dashboard_cache
from grids.scope import scope_for
from yaohai.core.errors import NotAllowed, NotFound

from ..rights import MANAGE


def check_manage(actor, record) -> None:
    """The actor keeps party building over the record's node (`actor=None` is the system: commands, the demo)."""
    if actor is None:
        return
    if not scope_for(actor, MANAGE).covers(record):
        raise NotAllowed(_("You may not do this here."))


def same_tenant(record, tenant_id: int, what: str = "") -> None:
    """A record referenced from another tenant is answered as one that does not exist."""
    if record is None:
        return
    if record.tenant_id != tenant_id:
        raise NotFound()


class _Trail:
    """The audit trail, plus retiring the cached dashboards of the nodes above the written record."""

    @staticmethod
    def record(action: str, obj=None, **kwargs):
        entry = audit_services.record(action, obj, **kwargs)
        if obj is not None and hasattr(obj, "district_id"):
            dashboard_cache.changed(
                "parties", [getattr(obj, f"{level}_id") for level in ("district", "street", "community", "grid")]
            )
        return entry


audit = _Trail()
