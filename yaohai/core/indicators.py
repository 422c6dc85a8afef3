"""The indicator registry of the monthly assessment: each domain registers the indicators it can compute for a
grid worker and for a node in a month, and how it counts them; a tenant's scheme (assessment.SchemeIndicator)
weights any registered indicator.

A domain registers once, from its AppConfig.ready() (the events app: events/indicators.py):

    register(CountSource(key="events", count=event_counts, worker_keys=("reported",)),
             Indicator(key="on_time_closure", label=…, definition=…, numerator="closed_on_time",
                       denominator="closed", default_weight=25), …)

- `CountSource.count(tenant_id, month, as_of)` reads the month once, set-based, and answers the counts per grid
  (`MonthCounts.by_grid`: {grid id: {count: n}}) and, for the keys a worker has of their own (`worker_keys`),
  per grid worker on a grid (`by_worker`: {(user id, grid id): {count: n}}). Counts are additive: a community's,
  a street's and the district's are the sums of their grids'; a worker has their grid's counts, their own for
  `worker_keys` (0 when they have none).
- `Indicator` turns two of those counts into 0–100 points ("share" = 100 × n ÷ d, "complement" = 100 − that);
  an indicator whose denominator is empty does not apply to the subject, and its weight goes to the others.

It lives in yaohai.core, the base of every app, so that the domains register without importing the assessment
(which comes after them in the import order, docs/architecture.md); the assessment app reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils.functional import Promise

SHANGHAI = ZoneInfo("Asia/Shanghai")
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as an aware half-open range [first day 00:00, next month's first day 00:00) in Asia/Shanghai."""
    start = dt.datetime(month.year, month.month, 1, tzinfo=SHANGHAI)
    following = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=SHANGHAI)
    return start, following


def quantize(value: Decimal) -> Decimal:
    """Two decimals, half up: the same rounding wherever and however often a month is scored."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def share(numerator: int, denominator: int) -> Decimal:
    """100 × numerator ÷ denominator, capped at 100 (exact, in decimals)."""
    return min(HUNDRED, HUNDRED * Decimal(numerator) / Decimal(denominator))


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it counts (`numerator`, `denominator` → keys of a CountSource's counts) and how the
    ratio becomes points (`rule`: 'share' = 100 × n ÷ d, 'complement' = 100 − 100 × n ÷ d). `needs_target`: the
    denominator is the scheme's monthly target × the subject's grids (`targets`)."""

    key: str
    label: Promise | str
    definition: Promise | str
    numerator: str = ""
    denominator: str = ""
    rule: str = "share"
    available: bool = True
    needs_target: bool = False
    default_weight: int = 0
    default_target: int | None = None

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


@dataclass(frozen=True)
class MonthCounts:
    """A source's counts of one tenant's month: per grid, and per (grid worker, grid) for its `worker_keys`."""

    by_grid: dict[int, dict] = field(default_factory=dict)
    by_worker: dict[tuple[int, int], dict] = field(default_factory=dict)


@dataclass(frozen=True)
class CountSource:
    """How a domain counts its month (see the module's docstring)."""

    key: str
    count: Callable[[int, dt.date, dt.datetime], MonthCounts]
    worker_keys: tuple[str, ...] = ()


_SOURCES: dict[str, CountSource] = {}
_INDICATORS: dict[str, Indicator] = {}


def register(source: CountSource, *indicators: Indicator) -> None:
    """Add a domain's count source and the indicators computed from it (registering a key again replaces it)."""
    _SOURCES[source.key] = source
    for indicator in indicators:
        _INDICATORS[indicator.key] = indicator


def sources() -> list[CountSource]:
    return list(_SOURCES.values())


def indicators() -> tuple[Indicator, ...]:
    """Every registered indicator, in registration order (the catalogue's order on the pages)."""
    return tuple(_INDICATORS.values())


def by_key() -> dict[str, Indicator]:
    return dict(_INDICATORS)


def order() -> dict[str, int]:
    return {key: n for n, key in enumerate(_INDICATORS)}


def key_choices() -> list[tuple[str, Promise | str]]:
    """The registered keys with their labels: the choices of a scheme's indicator (evaluated when shown)."""
    return [(i.key, i.label) for i in _INDICATORS.values()]
