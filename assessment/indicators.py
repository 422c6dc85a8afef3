"""The assessment's side of the indicators: the registry (yaohai.core.indicators) where each domain registers what
it can compute, the weighted total of a subject, and the compact form a score keeps its breakdown in.

A tenant's scheme (models.SchemeIndicator) gives each registered key a weight and, where the rule needs one, a
monthly target; the definitions the pages show are the registered ones (docs/assessment.md repeats them). An
indicator with an empty denominator does not apply to that subject: its weight goes to the others.
"""

from __future__ import annotations

from decimal import Decimal

from yaohai.core.indicators import Indicator, by_key, indicators, order, quantize, share  # noqa: F401  (the API)


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

