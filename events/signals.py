"""Signals the events app sends, for concerns that are truly decoupled from it.

`notifications_created(sender=Notification, ids=[...])` is sent after the transaction that wrote those in-app
notifications commits (never for a rolled-back step). Connect a receiver to push them elsewhere (SMS, WeCom, an
app push): it gets ids only and should enqueue a Celery task with them rather than call out inline. Sent from
events.services.common._notify.
"""

from django.dispatch import Signal

notifications_created = Signal()
