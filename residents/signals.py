"""Receivers of the residents app: every follower of an event hears of its acceptance, dispatch and closure."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from events.choices import LogAction, Status
from events.models import Event, EventLog

from .choices import LinkRole, NoticeKind
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


def _follow_merged(accounts: list[int], target: int, log: EventLog) -> None:
    """Merged by the dispatcher (rejected as a duplicate of `target`): every follower now follows the original."""
    have = set(ReportLink.objects.filter(event_id=target, account_id__in=accounts).values_list("account_id", flat=True))
    ReportLink.objects.bulk_create([
        ReportLink(account_id=pk, event_id=target, role=LinkRole.SUPPORTER, created_at=log.created_at)
        for pk in accounts if pk not in have
    ])


@receiver(post_save, sender=EventLog, dispatch_uid="residents.notify_followers")
def notify_followers(sender, instance: EventLog, created: bool, **kwargs) -> None:
    """In the step's own transaction: a rolled-back step leaves no notice behind."""
    if not created:
        return
    kind = notice_kind(instance)
    if kind is None:
        return
    accounts = list(ReportLink.objects.filter(event_id=instance.event_id).values_list("account_id", flat=True))
    if kind == NoticeKind.REJECTED and accounts:
        target = Event.objects.filter(pk=instance.event_id).values_list("duplicate_of_id", flat=True).first()
        if target:
            _follow_merged(accounts, target, instance)
            kind = NoticeKind.MERGED
    if accounts:
        ResidentNotice.objects.bulk_create([
            ResidentNotice(account_id=pk, event_id=instance.event_id, kind=kind, created_at=instance.created_at)
            for pk in accounts
        ])
