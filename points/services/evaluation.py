"""文明户评选: the civilised-household evaluation's writes — rules (items), inspections, scoring and ranking, the
public notice with its objection period, the final list (points/evaluation_models.py; the table in
points/workflows.py, drawn in docs/workflows.md). Every step is for points.manage over the community."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from grids.choices import NodeKind
from grids.scope import scope_for
from registry.models import Household
from yaohai.core.errors import Conflict, Invalid, NotFound
from yaohai.core.workflow import Runner

from ..choices import AccountKind, EvaluationStatus, EvaluationStep, MovementKind
from ..models import Entry, Evaluation, EvaluationItem, EvaluationLog, HouseholdScore, Inspection, Objection
from ..rights import MANAGE
from ..workflows import EVALUATION_WORKFLOW

MAX_ITEMS = 30


def _rows(actor):
    return Evaluation.objects.all() if actor is None else Evaluation.objects.filter(scope_for(actor, MANAGE).q())


def _may(actor, obj, rule, now) -> bool:
    return actor is None or scope_for(actor, MANAGE).covers(obj)


def _on_step(obj, *, actor, action, before, after, note):
    audit.record(f"points.evaluation.{action}", obj, before={"status": before}, after={"status": after, "note": note},
                 actor=actor)


EVALUATIONS = Runner(EVALUATION_WORKFLOW, rows=_rows, may=_may, log_model=EvaluationLog, log_subject="evaluation",
                     not_found=True, on_step=_on_step)


def _whole(value, label: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise Invalid(_("%(field)s must be a whole number.") % {"field": label})
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise Invalid(_("%(field)s must be a whole number.") % {"field": label}) from None
    if not low <= number <= high:
        raise Invalid(_("%(field)s must lie between %(low)d and %(high)d.") % {"field": label, "low": low, "high": high})
    return number


@transaction.atomic
def create_evaluation(
    *, actor, community, year, title: str, items, committee=None, participation_per=10, nominees=10,
    notice_days=7,
) -> Evaluation:
    """A community's evaluation of a year with its scoring items [(name, points up or down)], as adopted by its
    co-governance committee (one of the community's grids)."""
    if community.kind != NodeKind.COMMUNITY:
        raise Invalid(_("An evaluation belongs to a community."))
    if actor is not None and not scope_for(actor, MANAGE).covers(community):
        raise NotFound()
    year = _whole(year, _("Year"), 2000, 2100)
    title = (title or "").strip()
    if not title:
        raise Invalid(_("Give the evaluation a title."))
    if committee is not None and (committee.tenant_id != community.tenant_id or committee.community_id != community.pk):
        raise Invalid(_("Choose a co-governance committee of this community."))
    items = [((name or "").strip(), _whole(points, _("Points"), -100, 100)) for name, points in items]
    if not items or len(items) > MAX_ITEMS or any(not name or points == 0 for name, points in items):
        raise Invalid(_("Give between 1 and %(max)d scoring items, each with a name and points up or down.")
                      % {"max": MAX_ITEMS})
    if len({name for name, _p in items}) != len(items):
        raise Invalid(_("Each scoring item has its own name."))
    if Evaluation.objects.filter(node=community, year=year).exists():
        raise Conflict(_("This community has an evaluation of %(year)d already.") % {"year": year})
    evaluation = Evaluation(
        node=community, year=year, title=title[:100], committee=committee,
        participation_per=_whole(participation_per, _("Passbook points per score point"), 0, 1000),
        nominees=_whole(nominees, _("Households nominated"), 1, 500),
        notice_days=_whole(notice_days, _("Objection period (days)"), 1, 30),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    evaluation.stamp_from(community)
    evaluation.save()
    EvaluationItem.objects.bulk_create([EvaluationItem(evaluation=evaluation, name=n[:60], points=p) for n, p in items])
    EvaluationLog.objects.create(evaluation=evaluation, actor=evaluation.created_by, action="create",
                                 to_status=evaluation.status)
    audit.record("points.evaluation.create", evaluation, after={"year": year, "items": len(items)}, actor=actor)
    return evaluation


@transaction.atomic
def open_inspections(*, actor, evaluation, note: str = "") -> Evaluation:
    step = EVALUATIONS.begin(actor=actor, obj=evaluation, step=EvaluationStep.OPEN)
    step.finish(EvaluationStatus.INSPECTING, note=note[:300])
    return step.obj


@transaction.atomic
def record_inspection(*, actor, evaluation, household, item, on_date: dt.date, note: str = "") -> Inspection:
    """An inspection's finding for a household of the community, in the evaluation's year, while inspecting."""
    locked = EVALUATIONS.lock(actor, evaluation)
    if locked.status != EvaluationStatus.INSPECTING:
        raise Conflict(_("Inspections are recorded while the evaluation's inspections are open."))
    if household.tenant_id != locked.tenant_id or household.community_id != locked.community_id:
        raise NotFound()
    if getattr(item, "evaluation_id", None) != locked.pk:
        raise Invalid(_("Choose a scoring item of this evaluation."))
    if not isinstance(on_date, dt.date) or on_date.year != locked.year:
        raise Invalid(_("The inspection lies in the evaluation's year."))
    row = Inspection.objects.create(evaluation=locked, household=household, item=item, on_date=on_date,
                                    note=(note or "")[:200], inspector=actor if getattr(actor, "pk", None) else None)
    audit.record("points.evaluation.inspect", locked, after={"household": household.pk, "item": item.name,
                                                            "points": item.points, "on": on_date}, actor=actor)
    return row


def household_scores(evaluation: Evaluation) -> list[tuple[int, int, int, int]]:
    """(household id, items' points, participation, total) of every household in being in the community during
    the year: two SQL aggregates (the inspections, and the household passbooks' grants in the year)."""
    start = dt.datetime(evaluation.year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = dt.datetime(evaluation.year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    households = Household.objects.filter(
        tenant_id=evaluation.tenant_id, community_id=evaluation.community_id,
        formed_on__lt=dt.date(evaluation.year + 1, 1, 1),
    ).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=dt.date(evaluation.year, 1, 1)))
    ids = list(households.values_list("pk", flat=True))
    items = dict(
        Inspection.objects.filter(evaluation=evaluation).values("household_id").annotate(s=Sum("item__points"))
        .values_list("household_id", "s")
    )
    earned = {}
    if evaluation.participation_per:
        earned = dict(
            Entry.objects.filter(
                account__kind=AccountKind.HOUSEHOLD, account__household_id__in=ids, amount__gt=0,
                movement__kind=MovementKind.GRANT, occurred_at__gte=start, occurred_at__lt=end,
            ).values("account__household_id").annotate(s=Sum("amount")).values_list("account__household_id", "s")
        )
    found = []
    for pk in ids:
        part = earned.get(pk, 0) // evaluation.participation_per if evaluation.participation_per else 0
        found.append((pk, items.get(pk, 0), part, items.get(pk, 0) + part))
    return found


@transaction.atomic
def score(*, actor, evaluation, note: str = "") -> Evaluation:
    """Score every household and rank them (equal scores share a rank); the first `nominees` with a score above
    zero are nominated. Scoring again replaces the earlier scores."""
    step = EVALUATIONS.begin(actor=actor, obj=evaluation, step=EvaluationStep.SCORE)
    found = sorted(household_scores(step.obj), key=lambda row: (-row[3], row[0]))
    rows, rank, previous = [], 0, None
    for position, (pk, items, part, total) in enumerate(found, start=1):
        if total != previous:
            rank, previous = position, total
        rows.append(HouseholdScore(evaluation=step.obj, household_id=pk, item_points=items, participation=part,
                                   total=total, rank=rank, nominated=rank <= step.obj.nominees and total > 0))
    HouseholdScore.objects.filter(evaluation=step.obj).delete()
    HouseholdScore.objects.bulk_create(rows)
    step.finish(EvaluationStatus.SCORED, note=(note or f"{len(rows)} households")[:300])
    return step.obj


@transaction.atomic
def publish(*, actor, evaluation, now: dt.datetime | None = None) -> Evaluation:
    """公示: the nominees are shown for the objection period, from today."""
    step = EVALUATIONS.begin(actor=actor, obj=evaluation, step=EvaluationStep.PUBLISH, now=now)
    if not HouseholdScore.objects.filter(evaluation=step.obj, nominated=True).exists():
        raise Conflict(_("No household is nominated: nothing to publish."))
    step.obj.published_at = step.now
    step.obj.notice_ends_on = timezone.localdate(step.now) + dt.timedelta(days=step.obj.notice_days)
    step.finish(EvaluationStatus.NOTICED)
    return step.obj


@transaction.atomic
def record_objection(*, actor, evaluation, text: str, household=None, now: dt.datetime | None = None) -> Objection:
    """An objection raised during the objection period (an officer records it; reopening is a separate step)."""
    now = now or timezone.now()
    locked = EVALUATIONS.lock(actor, evaluation)
    if locked.status != EvaluationStatus.NOTICED or timezone.localdate(now) > locked.notice_ends_on:
        raise Conflict(_("Objections are taken during the notice's objection period."))
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Say what the objection is."))
    if household is not None and (household.tenant_id != locked.tenant_id
                                  or household.community_id != locked.community_id):
        raise NotFound()
    row = Objection.objects.create(evaluation=locked, household=household, text=text[:300], recorded_at=now,
                                   recorded_by=actor if getattr(actor, "pk", None) else None)
    audit.record("points.evaluation.objection", locked, after={"household": getattr(household, "pk", None)},
                 actor=actor)
    return row


@transaction.atomic
def reopen(*, actor, evaluation, note: str) -> Evaluation:
    """Back to the inspections (an objection upheld, a finding to correct), saying why."""
    note = (note or "").strip()
    if not note:
        raise Invalid(_("Say why the inspections are reopened."))
    step = EVALUATIONS.begin(actor=actor, obj=evaluation, step=EvaluationStep.REOPEN)
    step.obj.published_at, step.obj.notice_ends_on = None, None
    step.finish(EvaluationStatus.INSPECTING, note=note[:300])
    return step.obj


@transaction.atomic
def finalise(*, actor, evaluation, now: dt.datetime | None = None) -> Evaluation:
    """The final list, once the objection period is over: the nominees become the year's civilised households."""
    step = EVALUATIONS.begin(actor=actor, obj=evaluation, step=EvaluationStep.FINALISE, now=now)
    if timezone.localdate(step.now) <= step.obj.notice_ends_on:
        raise Conflict(_("The list is made final after the objection period, which ends on %(day)s.")
                       % {"day": step.obj.notice_ends_on})
    step.obj.finalised_at = step.now
    step.finish(EvaluationStatus.FINAL)
    return step.obj
