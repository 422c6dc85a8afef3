"""Signals the events app sends, for concerns that are truly decoupled from it.

`notifications_created(sender=Notification, ids=[...])` is sent after the transaction that wrote those in-app
notifications commits (never for a rolled-back step). Connect a receiver to push them elsewhere (SMS, WeCom, an
app push): it gets ids only and should enqueue a Celery task with them rather than call out inline. Sent from
events.services.common._notify.
"""

from django.dispatch import Signal

notifications_created = Signal()

# `report_verified(sender=Event, event_id=…, reporter_id=…, tenant_id=…, close_reason=…, closed_at=…)` is sent after
# the transaction in which a verifier passed an event (核查通过, events.services.transitions.verify) commits: the
# report proved valid. The points app credits the reporter's passbook from it (ids only; the receiver runs its own
# transaction and must be idempotent, since a reopened event can be verified again).
report_verified = Signal()
