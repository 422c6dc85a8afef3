"""The one notification mechanism (the bell, 通知) for every app: events writes its own rows through
events.services.common._notify; an app right of events (mediation) calls `notify` here about a record of its own
(the notification's `subject`) and registers, once, how such a record is shown on the 通知 page: its link and its
title. ADR 0016 says why the model stays in events rather than moving to a tier of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from yaohai.core.workflow import after_commit

from .models import Notification
from .signals import notifications_created


@dataclass(frozen=True)
class Subject:
    """How a notification about a record of `model` is shown: the page it leads to and its title."""

    link: Callable[[models.Model], str]
    title: Callable[[models.Model], str]


SUBJECTS: dict[str, Subject] = {}


def register_subject(model: type[models.Model], *, link: Callable, title: Callable) -> None:
    """Called from an app's ready(): notifications about its `model` can be written and shown."""
    SUBJECTS[model._meta.label_lower] = Subject(link=link, title=title)


def _subject_of(notification: Notification) -> Subject | None:
    if notification.subject_type_id is None:
        return None
    return SUBJECTS.get(f"{notification.subject_type.app_label}.{notification.subject_type.model}")


def link_of(notification: Notification) -> str:
    """Where the notification leads: its event's page, or its subject's."""
    from django.urls import reverse

    if notification.event_id is not None:
        return reverse("events:detail", args=[notification.event_id])
    subject = _subject_of(notification)
    return subject.link(notification.subject) if subject and notification.subject is not None else ""


def title_of(notification: Notification) -> str:
    if notification.event_id is not None:
        return f"{notification.event.reference} {notification.event.title}"
    subject = _subject_of(notification)
    return subject.title(notification.subject) if subject and notification.subject is not None else ""


def notify(*, users: Iterable[int], subject: models.Model, kind: str, once: bool = False) -> int:
    """Write one notification per user about `subject` (in the caller's transaction; their ids are announced by
    events.signals.notifications_created once it commits). `once`: skip users already told this kind about it."""
    if subject._meta.label_lower not in SUBJECTS:
        raise LookupError(f"{subject._meta.label} is not a registered notification subject")
    content_type = ContentType.objects.get_for_model(subject)
    wanted = sorted({pk for pk in users if pk})
    if once and wanted:
        told = set(
            Notification.objects.filter(subject_type=content_type, subject_id=subject.pk, kind=kind,
                                        user_id__in=wanted).values_list("user_id", flat=True)
        )
        wanted = [pk for pk in wanted if pk not in told]
    if not wanted:
        return 0
    rows = Notification.objects.bulk_create(
        [Notification(user_id=pk, subject_type=content_type, subject_id=subject.pk, kind=kind) for pk in wanted]
    )
    after_commit(notifications_created.send, sender=Notification, ids=[row.pk for row in rows])
    return len(rows)


def withdraw(*, subject: models.Model, kinds: Iterable[str]) -> int:
    """Take back the notifications of these kinds about `subject` that are no longer true (a time limit extended)."""
    content_type = ContentType.objects.get_for_model(subject)
    deleted, _ = Notification.objects.filter(subject_type=content_type, subject_id=subject.pk,
                                             kind__in=list(kinds)).delete()
    return deleted


def about(subject: models.Model):
    """The notifications about one record of another app."""
    content_type = ContentType.objects.get_for_model(subject)
    return Notification.objects.filter(subject_type=content_type, subject_id=subject.pk)
