"""The catalogue of assessment indicators, fixed in code: each with its written definition and its points rule.

A tenant's scheme (models.SchemeIndicator) gives each key a weight and, where the rule needs one, a monthly
target; the definitions below are the ones the pages show and docs/assessment.md repeats. Every indicator is a
ratio of two counts that scoring.py reads from the events of the month in one GROUP BY, mapped to 0–100 points
here. An indicator with an empty denominator does not apply to that subject: its weight goes to the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import IndicatorKey

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def quantize(value: Decimal) -> Decimal:
    """Two decimals, half up: the same rounding wherever and however often a month is scored."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def share(numerator: int, denominator: int) -> Decimal:
    """100 × numerator ÷ denominator, capped at 100 (exact, in decimals)."""
    return min(HUNDRED, HUNDRED * Decimal(numerator) / Decimal(denominator))


@dataclass(frozen=True)
class Indicator:
    """One entry of the catalogue: what it counts (`numerator`, `denominator` → keys of the counts) and how the
    ratio becomes points (`rule`: 'share' = 100 × n ÷ d, 'complement' = 100 − 100 × n ÷ d)."""

    key: str
    definition: Promise
    numerator: str = ""
    denominator: str = ""
    rule: str = "share"
    available: bool = True
    needs_target: bool = False
    default_weight: int = 0
    default_target: int | None = None

    @property
    def label(self) -> Promise:
        return IndicatorKey(self.key).label

    def measure(self, counts: dict, target: int | None) -> tuple[int, int, Decimal | None]:
        """(numerator, denominator, points); points None when the indicator does not apply to the subject."""
        if not self.available:
            return 0, 0, None
        numerator = counts.get(self.numerator, 0)
        if self.needs_target:
            denominator = (target or 0) * counts.get("targets", 0)
        else:
            denominator = counts.get(self.denominator, 0)
        if denominator <= 0:
            return numerator, denominator, None
        ratio = share(numerator, denominator)
        return numerator, denominator, quantize(ratio if self.rule == "share" else HUNDRED - ratio)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        IndicatorKey.REPORTING_VOLUME,
        _("Events reported in the month. Numerator: for a grid worker, the events they reported at that grid; "
          "for a node, every event reported in its subtree (any source). Rejected events (duplicate, out of "
          "scope, invalid) are excluded. Denominator: the monthly target per grid worker times the number of "
          "grids (1 for a worker or a grid). Points = 100 × numerator ÷ denominator, at most 100."),
        numerator="reported",
        needs_target=True,
        default_weight=20,
        default_target=20,
    ),
    Indicator(
        IndicatorKey.ON_TIME_ACCEPTANCE,
        _("On-time acceptance rate = events answered (accepted or rejected) by their acceptance deadline ÷ events "
          "with an acceptance deadline, among the events reported in the month at the grid or in the node's "
          "subtree. Excluded: events handled on the spot (no acceptance step) and events still waiting whose "
          "deadline has not passed when the month is scored. Points = the rate (0–100)."),
        numerator="answered_on_time",
        denominator="answerable",
        default_weight=20,
    ),
    Indicator(
        IndicatorKey.ON_TIME_CLOSURE,
        _("On-time closure rate (按期结案率) = closed events that never passed a deadline ÷ closed events, among "
          "the events reported in the month. On time: never escalated and closed by the verification deadline; "
          "events handled on the spot count as on time. Open and rejected events are excluded. Points = the "
          "rate (0–100)."),
        numerator="closed_on_time",
        denominator="closed",
        default_weight=25,
    ),
    Indicator(
        IndicatorKey.REWORK,
        _("Rework rate (返工率) = events sent back for rework at least once ÷ events a handling unit handed in "
          "(now handled, in rework or closed), among the events reported in the month. Events handled on the "
          "spot, rejected events and events not yet handed in are excluded. Points = 100 − the rate."),
        numerator="reworked",
        denominator="handed_in",
        rule="complement",
        default_weight=15,
    ),
    Indicator(
        IndicatorKey.OVERDUE,
        _("Overdue rate = events that passed a deadline ÷ events reported in the month less rejected ones. Passed "
          "a deadline: escalated, or closed after the verification deadline, or still open past the current "
          "deadline when the month is scored (a paused clock is not overdue). Points = 100 − the rate."),
        numerator="overdue",
        denominator="valid",
        rule="complement",
        default_weight=20,
    ),
    Indicator(
        IndicatorKey.SATISFACTION,
        _("Resident satisfaction: not yet collected — events carry no resident rating. Kept in the catalogue "
          "with weight 0; a weight given to it is shared among the other indicators until ratings exist."),
        available=False,
        default_weight=0,
    ),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
ORDER: dict[str, int] = {i.key: n for n, i in enumerate(INDICATORS)}


def weighted_total(measured: list[tuple[int, Decimal | None]]) -> Decimal:
    """Σ weight × points ÷ Σ weight over the indicators that apply (points not None, weight > 0); 0 if none does."""
    applying = [(weight, points) for weight, points in measured if points is not None and weight > 0]
    weights = sum(weight for weight, _points in applying)
    if not weights:
        return Decimal("0.00")
    return quantize(sum(Decimal(weight) * points for weight, points in applying) / Decimal(weights))


# A score keeps its breakdown compactly, {key: [numerator, denominator, points, weight]} (points a string with two
# decimals, or None when the indicator does not apply): ~1,300 rows a month are written at once, and the names
# repeated in every row made up half of what was written. Rows written before that kept a dict per indicator.
ITEM_FIELDS = ("numerator", "denominator", "points", "weight")


def item_fields(value) -> dict:
    """One stored breakdown entry as {numerator, denominator, points, weight}, whichever way it was stored."""
    if isinstance(value, dict):
        return {name: value.get(name) for name in ITEM_FIELDS}
    return dict(zip(ITEM_FIELDS, value, strict=True))

