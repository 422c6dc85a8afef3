"""The Django admin's own log (LogEntry) mirrored into the trail: what an administrator did in the admin leaves an
audit row too (the services an admin form calls leave theirs; this row says it came through the admin)."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services

_VERBS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit.admin_log_entry")
def admin_log_entry(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs) -> None:
    """One audit row per admin log row: the administrator, the object (type, id, text) and the change message."""
    if not created or raw:
        return
    content_type = instance.content_type
    label = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    user = instance.user
    services.record(
        f"admin.{_VERBS.get(instance.action_flag, 'log')}",
        None,
        actor=user,
        tenant_id=getattr(user, "tenant_id", None),
        target=(label, instance.object_id or "", instance.object_repr or ""),
        summary={"message": instance.get_change_message()[:1000], "admin_log": instance.pk},
        now=instance.action_time,
    )
