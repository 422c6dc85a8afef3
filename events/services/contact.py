"""The hotline or walk-in caller's phone in full: shown masked everywhere, revealed on request with a reason to
those who may call the resident back (events.services.can_see_contact), each reveal an audit row of kind "read"."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import Kind as AuditKind
from grids.models import User
from yaohai.core.errors import Invalid, NotAllowed
from yaohai.core.personal import fields as personal

from ..choices import RESIDENT_PHONE_PURPOSE
from ..models import Event
from .common import can_see_contact


@transaction.atomic
def reveal_resident_phone(*, actor: User, event: Event, reason: str) -> str:
    """The caller's phone in plain, for the reporter, the dispatchers and the current handlers; logged with why."""
    if not can_see_contact(actor=actor, event=event):
        raise NotAllowed(_("You may not see personal data here."))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise Invalid(_("Say why you need to see it."))
    if not event.resident_phone_encrypted:
        raise Invalid(_("No phone was given for this event."))
    value = personal.read_field(event, "resident_phone", RESIDENT_PHONE_PURPOSE)
    audit.record("events.reveal_phone", event, kind=AuditKind.READ, actor=actor,
                 summary={"field": "resident_phone", "reason": reason[:200]})
    return value
