"""Rows the trail takes from Django's own signals: the admin's log (LogEntry) mirrored — what an administrator did in
the admin leaves an audit row too (the services an admin form calls leave theirs; this row says it came through the
admin) — and sign-in, sign-out and failed sign-ins (kind "account")."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import context, services
from .models import Kind

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


@receiver(user_logged_in, dispatch_uid="audit.signed_in")
def signed_in(sender, request, user, **kwargs) -> None:
    """A sign-in (the pages and the admin): an account row by the user, from the client's address."""
    services.record("accounts.sign_in", user, kind=Kind.ACCOUNT, actor=user, tenant_id=getattr(user, "tenant_id", None),
                    address=context.client_address(request) if request is not None else None)


@receiver(user_logged_out, dispatch_uid="audit.signed_out")
def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None and user.is_authenticated:
        services.record("accounts.sign_out", user, kind=Kind.ACCOUNT, actor=user,
                        tenant_id=getattr(user, "tenant_id", None),
                        address=context.client_address(request) if request is not None else None)


@receiver(user_login_failed, dispatch_uid="audit.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """A failed sign-in: the name tried (never the password) and the address; in the account's tenant's chain when
    the name is an account's, else in the platform's."""
    from django.contrib.auth import get_user_model

    name = str(credentials.get("username") or "")[:150]
    tenant_id = get_user_model().objects.filter(username=name).values_list("tenant_id", flat=True).first()
    services.record("accounts.sign_in_failed", None, kind=Kind.ACCOUNT, tenant_id=tenant_id,
                    address=context.client_address(request) if request is not None else None,
                    summary={"username": name})
