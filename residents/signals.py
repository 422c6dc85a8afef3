"""Receivers of the residents app: every follower of an event hears of its acceptance, dispatch and closure."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from events.choices import LogAction, Status
from events.models import EventLog

from .choices import NoticeKind
from .models import ReportLink, ResidentNotice

NOTICE_OF = {
    LogAction.ACCEPT: NoticeKind.ACCEPTED,
    LogAction.DISPATCH: NoticeKind.DISPATCHED,
    LogAction.REJECT: NoticeKind.REJECTED,
    LogAction.REOPEN: NoticeKind.REOPENED,
}


def notice_kind(log: EventLog) -> str | None:
    if log.to_status == Status.CLOSED and log.from_status != Status.CLOSED:
        return NoticeKind.CLOSED
    return NOTICE_OF.get(log.action)


@receiver(post_save, sender=EventLog, dispatch_uid="residents.notify_followers")
def notify_followers(sender, instance: EventLog, created: bool, **kwargs) -> None:
    """In the step's own transaction: a rolled-back step leaves no notice behind."""
    if not created:
        return
    kind = notice_kind(instance)
    if kind is None:
        return
    accounts = list(ReportLink.objects.filter(event_id=instance.event_id).values_list("account_id", flat=True))
    if accounts:
        ResidentNotice.objects.bulk_create([
            ResidentNotice(account_id=pk, event_id=instance.event_id, kind=kind, created_at=instance.created_at)
            for pk in accounts
        ])
