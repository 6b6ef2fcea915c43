"""Weighted proportions with honest uncertainty, and change between two rounds.

Uncertainty uses Kish's effective sample size n_eff = (Σw)² / Σw², so unequal
weights widen the interval, and the Wilson score interval on n_eff, which
behaves at 0% and 100% where the textbook Wald interval collapses.

Edge cases return defined values and never raise:
- NaN answers are left out (not in the denominator); n counts the rest.
- No usable answer, or all weights zero: value, lower, upper are NaN, n_eff 0.
- 0 or all successes: value 0 or 1, with a Wilson interval that is not degenerate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


@dataclass(frozen=True)
class Estimate:
    value: float
    lower: float
    upper: float
    n: int
    n_eff: float
    deff: float
    confidence: float = 0.95


@dataclass(frozen=True)
class Change:
    diff: float
    se: float
    lower: float
    upper: float
    p_value: float


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson(p: float, n_eff: float, confidence: float = 0.95) -> tuple[float, float]:
    if not n_eff > 0 or math.isnan(p):
        return float("nan"), float("nan")
    z = _z(confidence)
    denominator = 1 + z * z / n_eff
    centre = (p + z * z / (2 * n_eff)) / denominator
    half = z * math.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff * n_eff)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def estimate_from_sums(
    n: int, sum_w: float, sum_w2: float, sum_ws: float, *, confidence: float = 0.95
) -> Estimate:
    """The estimate from the four sums it needs; `proportion` and the table both use this."""
    if n == 0 or sum_w <= 0:
        return Estimate(float("nan"), float("nan"), float("nan"), n, 0.0, float("nan"), confidence)
    p = min(1.0, max(0.0, sum_ws / sum_w))
    n_eff = sum_w * sum_w / sum_w2
    lower, upper = wilson(p, n_eff, confidence)
    return Estimate(p, lower, upper, n, n_eff, n / n_eff, confidence)


def proportion(success, weights=None, *, confidence: float = 0.95) -> Estimate:
    """The weighted share of True among the non-missing values of `success`."""
    values = np.asarray(success, dtype="float64")
    w = np.ones(len(values)) if weights is None else np.asarray(weights, dtype="float64")
    usable = ~np.isnan(values) & ~np.isnan(w) & (w > 0)
    x, wu = values[usable], w[usable]
    return estimate_from_sums(
        int(usable.sum()),
        float(wu.sum()),
        float(np.square(wu).sum()),
        float(np.dot(wu, x)),
        confidence=confidence,
    )


def change(before: Estimate, after: Estimate) -> Change:
    """after - before, its standard error (independent samples), interval and two-sided p."""
    if (
        not (before.n_eff > 0 and after.n_eff > 0)
        or math.isnan(before.value)
        or math.isnan(after.value)
    ):
        nan = float("nan")
        return Change(nan, nan, nan, nan, nan)
    diff = after.value - before.value
    se = math.sqrt(
        before.value * (1 - before.value) / before.n_eff
        + after.value * (1 - after.value) / after.n_eff
    )
    z = _z(after.confidence)
    # A zero standard error (0% or 100% in both rounds) makes any difference certain.
    p_value = (1.0 if diff == 0 else 0.0) if se == 0 else 2 * (1 - NormalDist().cdf(abs(diff) / se))
    return Change(diff, se, diff - z * se, diff + z * se, p_value)
