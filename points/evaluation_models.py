"""文明户评选 (civilised-household evaluation): a community's yearly, points-based evaluation of its households.

Scoring items are adopted by the community's co-governance committee (parties), each worth points up or down;
inspections across the year record an item for a household; the score of a household is its items' points plus
its passbook participation (the points its household passbook earned in the year, one score point per
`participation_per` points). Scoring ranks the households and nominates the first `nominees`; the nominees are
published as a public notice with an objection period; after it the list is made final and each household on it
may print its certificate. Imported by points/models.py (the app's models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.models import ScopedModel

from .choices import EvaluationStatus, check


class Evaluation(ScopedModel):
    """One community's evaluation of one year (stamped at the community), carried through points.workflows."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    committee = models.ForeignKey(
        "parties.Committee", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("adopted by the committee"),
    )
    participation_per = models.PositiveSmallIntegerField(
        _("passbook points per score point"), default=10,
        help_text=_("The household passbook's points earned in the year count one score point per this many (0: not counted)."),
    )
    nominees = models.PositiveSmallIntegerField(_("households nominated"), default=10)
    status = models.CharField(_("status"), max_length=12, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.DRAFT)
    notice_days = models.PositiveSmallIntegerField(_("objection period (days)"), default=7)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    notice_ends_on = models.DateField(_("objections until"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("made final at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("civilised-household evaluation")
        verbose_name_plural = _("civilised-household evaluations")
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(**check("status", EvaluationStatus)),
            models.UniqueConstraint(fields=["tenant", "node", "year"], name="points_evaluation_once_a_year"),
            models.CheckConstraint(condition=Q(notice_days__gte=1, notice_days__lte=30),
                                   name="points_evaluation_notice_days"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="points_evaluation_year"),
        ]

    def __str__(self):
        return self.title


class EvaluationItem(models.Model):
    """A scoring item of the rules (垃圾分类, 无违建, 志愿服务, 邻里和睦 …): points up (or down) per inspection."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="items")
    name = models.CharField(_("item"), max_length=60)
    points = models.SmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0) & Q(points__gte=-100, points__lte=100),
                                   name="points_item_points_range"),
            models.UniqueConstraint(fields=["evaluation", "name"], name="points_item_name_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.points:+d})"


class Inspection(models.Model):
    """An inspection's finding: one item for one household on one day, by whom."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="inspections")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(EvaluationItem, on_delete=models.PROTECT, related_name="+")
    on_date = models.DateField(_("inspected on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["on_date", "id"]
        indexes = [models.Index(fields=["evaluation", "household"], name="points_inspection_household")]

    def __str__(self):
        return f"{self.household_id} {self.item_id} {self.on_date}"


class HouseholdScore(models.Model):
    """A household's score of the evaluation as last scored: items, participation, total, rank, nomination."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="scores")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    item_points = models.IntegerField(_("items"))
    participation = models.IntegerField(_("passbook participation"))
    total = models.IntegerField(_("score"))
    rank = models.PositiveIntegerField(_("rank"))
    nominated = models.BooleanField(_("nominated"), default=False)

    class Meta:
        verbose_name = _("household score")
        verbose_name_plural = _("household scores")
        ordering = ["rank", "household_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "household"], name="points_score_once_per_household")
        ]

    def __str__(self):
        return f"{self.household_id}: {self.total} (#{self.rank})"


class Objection(models.Model):
    """An objection raised during the notice's objection period (recorded by an officer)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="objections")
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    text = models.CharField(_("objection"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["recorded_at", "id"]

    def __str__(self):
        return self.text[:50]


class EvaluationLog(models.Model):
    """One step of an evaluation's workflow: who, from which status to which, when, with a note."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.evaluation_id}: {self.action}"
