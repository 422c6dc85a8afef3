"""Models of the assessment: a tenant's scheme (indicators, weights, targets), the month runs and their scores.

Written only by assessment.services (and the admin, for the scheme's weights and targets). The tables keep the
names they were created with when the assessment lived inside the events app (events_*).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.models import ScopedModel, Tenant
from grids.querysets import ScopedQuerySet, TenantQuerySet
from yaohai.core.indicators import key_choices

from .choices import RunStatus, SubjectKind
from .indicators import item_fields


def _in(field: str, choices) -> Q:
    return Q(**{f"{field}__in": list(choices.values)})


class AssessmentScheme(models.Model):
    """A tenant's monthly assessment: which indicators of the catalogue count, with what weight and target."""

    tenant = models.OneToOneField(
        Tenant, on_delete=models.PROTECT, related_name="assessment_scheme", verbose_name=_("tenant")
    )
    name = models.CharField(_("name"), max_length=100, default="网格化服务管理月度考核")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        db_table = "events_assessmentscheme"
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["tenant"]

    def __str__(self):
        return self.name


class SchemeIndicator(models.Model):
    """One indicator of a scheme: a registered key (yaohai.core.indicators), its weight and target."""

    scheme = models.ForeignKey(
        AssessmentScheme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("scheme")
    )
    key = models.CharField(_("indicator"), max_length=24, choices=key_choices)  # any registered indicator
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=0, help_text=_("Points out of 100 this indicator weighs; the weights add up to 100.")
    )
    target = models.PositiveIntegerField(
        _("monthly target"),
        null=True,
        blank=True,
        help_text=_("Reporting volume only: events each grid worker should report in a month."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        db_table = "events_schemeindicator"
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "key"], name="scheme_indicator_unique"),
            models.CheckConstraint(condition=Q(weight__lte=100), name="scheme_indicator_weight_max"),
        ]

    def __str__(self):
        return f"{self.get_key_display()} ({self.weight})"


class AssessmentRun(models.Model):
    """One version of a tenant's month: draft until published, then frozen; a later version needs a reason."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"))
    month = models.DateField(_("month"), help_text=_("The first day of the month (Asia/Shanghai)."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    reason = models.TextField(_("reason"), blank=True)
    scheme = models.JSONField(_("scheme used"), default=list, editable=False)
    as_of = models.DateTimeField(_("events read as of"))
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("computed by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("published by"),
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        db_table = "events_assessmentrun"
        verbose_name = _("assessment month")
        verbose_name_plural = _("assessment months")
        ordering = ["tenant", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "month", "version"], name="assessment_run_version_unique"),
            models.UniqueConstraint(
                fields=["tenant", "month"], condition=Q(status=RunStatus.DRAFT), name="assessment_run_one_draft"
            ),
            models.CheckConstraint(condition=_in("status", RunStatus), name="assessment_run_status_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessment_run_version_positive"),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="assessment_run_new_version_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status=RunStatus.DRAFT, published_at__isnull=True)
                | Q(status=RunStatus.PUBLISHED, published_at__isnull=False),
                name="assessment_run_published_at",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="assessment_run_month_first_day"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == RunStatus.PUBLISHED


def _stamp():
    # A copy of the node's own stamp, written with it (scoring.py reads both from the same live node rows): no
    # database constraint of its own, which spares ~1,300 × 4 foreign-key checks per month (docs/assessment.md).
    return models.ForeignKey(
        "grids.GridNode", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False,
        db_index=False, db_constraint=False,
    )


class Score(ScopedModel):
    """One subject's score in a run: each indicator's counts and points, the total out of 100, and its ranks.

    Stamped like every scoped record (`node` is the worker's grid, or the scored node itself), so `visible_to`
    gives an officer their subtree."""

    # The inherited stamps and foreign keys without their single-column indexes: every read of scores starts from
    # the run, which the composite indexes below lead with; a month writes ~1,300 rows at once, and eight
    # single-column indexes per row would double its cost (docs/assessment.md, bench). Only `run` keeps a database
    # constraint: the node, its stamps, the tenant and the worker are copied from the live nodes and assignments
    # read in the same transaction, and each constraint cost ~1,300 checks at COMMIT (~4–5 ms a month); deleting
    # a node or a user is still refused (on_delete=PROTECT is Django's collector, not the database's).
    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"), db_index=False,
        db_constraint=False,
    )
    district = _stamp()
    street = _stamp()
    community = _stamp()
    grid = _stamp()
    node = models.ForeignKey(
        "grids.GridNode", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid node"), db_index=False,
        db_constraint=False,
    )
    run = models.ForeignKey(
        AssessmentRun, on_delete=models.CASCADE, related_name="scores", verbose_name=_("run"), db_index=False
    )
    subject_kind = models.CharField(_("subject"), max_length=10, choices=SubjectKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("grid worker"), db_index=False, db_constraint=False,
    )
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    indicators = models.JSONField(_("breakdown"), default=dict)
    rank_in_community = models.PositiveIntegerField(_("rank in community"), null=True, blank=True)
    rank_in_street = models.PositiveIntegerField(_("rank in street"), null=True, blank=True)
    rank_in_district = models.PositiveIntegerField(_("rank in district"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    restamp_on_move = False  # a published score keeps the jurisdiction it was scored in (ADR 0005)

    class Meta:
        db_table = "events_score"
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["run", "subject_kind", "-total", "node", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "run", "node", "user"], condition=Q(user__isnull=False), name="score_worker_unique"
            ),
            models.UniqueConstraint(fields=["tenant", "run", "node"], condition=Q(user__isnull=True), name="score_node_unique"),
            models.CheckConstraint(condition=_in("subject_kind", SubjectKind), name="score_subject_kind_valid"),
            models.CheckConstraint(
                condition=Q(subject_kind=SubjectKind.WORKER, user__isnull=False)
                | (~Q(subject_kind=SubjectKind.WORKER) & Q(user__isnull=True)),
                name="score_worker_has_user",
            ),
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="score_total_range"),
        ]
        indexes = [
            models.Index(fields=["run", "subject_kind", "community"], name="score_run_community"),
            models.Index(fields=["run", "subject_kind", "street"], name="score_run_street"),
            models.Index(fields=["user", "run"], name="score_user_run"),
        ]

    def __str__(self):
        return f"{self.run} {self.subject_kind} {self.node_id}/{self.user_id}: {self.total}"

    def breakdown(self) -> dict[str, dict]:
        """{indicator key: {numerator, denominator, points, weight}} from the compactly stored `indicators`."""
        return {key: item_fields(value) for key, value in self.indicators.items()}
