"""Survey weights: post-stratification on one variable, raking on several.

Raking (iterative proportional fitting) adjusts the weights so that, for each
weighting variable, the weighted sample matches the country's population
totals. Stated rule for missing values: a respondent whose value of a
variable is missing is held at the sample's weighted share of missing values
for that variable (imputation to the sample distribution), and the known
categories share the rest of the population total in proportion to the
margins. Nobody is dropped, and the weights still sum to the population total.
A category whose total is None (no census counts those who "prefer not to
say") counts as a missing value under the same rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _


class WeightingError(ValueError):
    """Margins that cannot be met, with a message for the analyst."""


@dataclass(frozen=True)
class Diagnostics:
    iterations: int
    converged: bool
    max_margin_error: float  # largest |weighted total - target| / target over all cells
    weight_min: float
    weight_max: float
    design_effect: float  # Kish: n * sum(w^2) / sum(w)^2
    missing: dict[str, int]  # respondents with a missing value, per variable


def kish_design_effect(weights: np.ndarray) -> float:
    total = weights.sum()
    if total <= 0:
        return float("nan")
    return float(len(weights) * np.square(weights).sum() / total**2)


def _codes(
    frame: pd.DataFrame, variable: str, categories: list, uncounted: frozenset = frozenset()
) -> tuple[np.ndarray, np.ndarray]:
    """Category index per row (-1 for missing) and the missing mask (`uncounted`: missing too)."""
    if variable not in frame.columns:
        raise WeightingError(_("The data has no column “%(variable)s”.") % {"variable": variable})
    values = frame[variable]
    missing = values.isna().to_numpy()
    if uncounted:
        missing = missing | values.isin(uncounted).to_numpy()
        values = values.where(~missing)
    known = set(categories)
    unknown = sorted({str(v) for v in values[~missing].unique() if v not in known})
    if unknown:
        raise WeightingError(
            _("%(variable)s: the sample has categories the margins lack: %(categories)s.")
            % {"variable": variable, "categories": ", ".join(unknown)}
        )
    # Vectorised: a million rows take milliseconds, not seconds.
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.set_categories(categories).cat.codes.to_numpy().astype(np.int64)
    else:
        codes = pd.Categorical(values.astype(object), categories=categories).codes.astype(np.int64)
    return codes, missing


def rake_with_diagnostics(
    frame: pd.DataFrame,
    margins: Mapping[str, Mapping[object, float | None]],
    *,
    weight: pd.Series | None = None,
    max_iter: int = 100,
    tol: float = 1e-6,
    bounds: tuple[float, float] | None = None,
) -> tuple[pd.Series, Diagnostics]:
    """Rake `weight` (default 1 per row) to `margins`; returns the weights and how it went.

    `tol` is the largest relative gap allowed between a weighted category total
    and its target. `bounds` (low, high) trims the weights to that range of
    multiples of their mean, raking again after each trim.
    """
    if not margins:
        raise WeightingError(_("No population margins were given."))
    n = len(frame)
    if n == 0:
        raise WeightingError(_("There are no responses to weight."))
    base = np.ones(n) if weight is None else weight.reindex(frame.index).to_numpy(dtype=float)
    if np.any(~np.isfinite(base)) or np.any(base < 0):
        raise WeightingError(_("Starting weights must be finite and not negative."))
    totals = {
        v: float(sum(t for t in cells.values() if t is not None)) for v, cells in margins.items()
    }
    population = next(iter(totals.values()))  # margins that disagree are rescaled to the first
    prepared = []
    missing_counts = {}
    for variable, cells in margins.items():
        categories = [c for c, total in cells.items() if total is not None]
        uncounted = frozenset(c for c, total in cells.items() if total is None)
        targets = np.array([float(cells[c]) for c in categories])
        if np.any(targets < 0):
            raise WeightingError(
                _("%(variable)s: population totals cannot be negative.") % {"variable": variable}
            )
        codes, missing = _codes(frame, variable, categories, uncounted)
        counts = np.bincount(codes[~missing], minlength=len(categories))
        empty = [
            str(c) for c, k, t in zip(categories, counts, targets, strict=True) if k == 0 and t > 0
        ]
        if empty:
            raise WeightingError(
                _(
                    "%(variable)s: no respondent in %(categories)s; merge categories or drop the margin."
                )
                % {"variable": variable, "categories": ", ".join(empty)}
            )
        if targets.sum() <= 0:
            raise WeightingError(
                _("%(variable)s: the population totals add up to zero.") % {"variable": variable}
            )
        prepared.append((variable, codes, missing, targets / targets.sum(), categories))
        missing_counts[variable] = int(missing.sum())

    # Start from weights that already add up to the population, so that respondents
    # with a missing value hold their share of it.
    weights = base * (population / base.sum()) if base.sum() > 0 else base.copy()
    iterations = 0
    converged = False
    low, high = bounds if bounds is not None else (None, None)
    for _round in range(10 if bounds is not None else 1):
        for _step in range(max_iter):
            for _variable, codes, missing, shares, _categories in prepared:
                known = ~missing
                # Missing values keep their current weight; the known categories share the rest.
                targets = shares * (population - weights[missing].sum())
                sums = np.bincount(codes[known], weights=weights[known], minlength=len(targets))
                factors = np.divide(targets, sums, out=np.ones_like(targets), where=sums > 0)
                weights[known] *= factors[codes[known]]
            error = _max_error(weights, prepared, population)
            iterations += 1
            if error <= tol:
                converged = True
                break
        if bounds is None:
            break
        clipped = _trim(weights, low, high, population)
        if np.allclose(clipped, weights):
            break
        weights = clipped
        converged = False
    if bounds is not None:
        # Bounds are a promise; the margins may then be met only approximately,
        # which max_margin_error reports.
        weights = _trim(weights, low, high, population)
    error = _max_error(weights, prepared, population)
    diagnostics = Diagnostics(
        iterations=iterations,
        converged=converged and error <= tol,
        max_margin_error=float(error),
        weight_min=float(weights.min()),
        weight_max=float(weights.max()),
        design_effect=kish_design_effect(weights),
        missing=missing_counts,
    )
    return pd.Series(weights, index=frame.index, name="weight"), diagnostics


def _trim(weights: np.ndarray, low: float, high: float, population: float) -> np.ndarray:
    """Clip to [low, high] times the mean weight, then restore the population total."""
    clipped = weights * (population / weights.sum())
    for _step in range(100):  # clipping moves the mean: repeat until it holds still
        mean = clipped.mean()
        bounded = np.clip(clipped, low * mean, high * mean)
        bounded *= population / bounded.sum()
        if np.allclose(bounded, clipped, rtol=1e-12, atol=0):
            return bounded
        clipped = bounded
    return clipped


def _max_error(weights: np.ndarray, prepared: list, population: float) -> float:
    worst = 0.0
    for _variable, codes, missing, shares, _categories in prepared:
        known = ~missing
        targets = shares * (population - weights[missing].sum())
        sums = np.bincount(codes[known], weights=weights[known], minlength=len(targets))
        with np.errstate(divide="ignore", invalid="ignore"):
            gaps = np.where(targets > 0, np.abs(sums - targets) / targets, 0.0)
        worst = max(worst, float(gaps.max()) if len(gaps) else 0.0)
    return worst


def rake(
    frame: pd.DataFrame,
    margins: Mapping[str, Mapping[object, float | None]],
    *,
    weight: pd.Series | None = None,
    max_iter: int = 100,
    tol: float = 1e-6,
    bounds: tuple[float, float] | None = None,
) -> pd.Series:
    """Raked weights that sum to the population total (see rake_with_diagnostics)."""
    weights, _diagnostics = rake_with_diagnostics(
        frame, margins, weight=weight, max_iter=max_iter, tol=tol, bounds=bounds
    )
    return weights


def poststratify(
    frame: pd.DataFrame,
    variable: str,
    totals: Mapping[object, float],
    *,
    weight: pd.Series | None = None,
) -> pd.Series:
    """Post-stratification on one variable: raking on one margin converges in one step."""
    return rake(frame, {variable: totals}, weight=weight, max_iter=1, tol=float("inf"))
