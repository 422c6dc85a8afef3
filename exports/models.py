"""The background export jobs every app's sheets (台账) share."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.models import Tenant, User

from .choices import ExportStatus
from .querysets import ExportJobQuerySet


def export_file_path(job: ExportJob, filename: str) -> str:
    """Where a finished export lies under MEDIA_ROOT: an unguessable name (the download view names it)."""
    return f"exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """A sheet (台账) too large to build inside a request: built by a Celery task for its owner, kept privately
    under MEDIA_ROOT until it expires and served only to the owner (exports)."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("owner"))
    tenant = models.ForeignKey(
        Tenant, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant")
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    file = models.FileField(_("file"), upload_to=export_file_path, max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        db_table = "grids_exportjob"  # the table it was created with, when the jobs lived in the grids app
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values), name="export_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.DONE) | ~Q(file=""), name="export_done_has_file"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="export_owner_recent"),
            models.Index(fields=["expires_at"], name="export_expires"),
            models.Index(fields=["status", "created_at"], name="export_status"),
        ]

    def __str__(self):
        return self.title
