"""Every indicator for every cell of the chosen breakdowns, weighted or not, with suppression."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _

from analytics.estimates import proportions_by_group
from analytics.frames import round_frame
from analytics.weighting import rake_with_diagnostics
from survey.expressions import evaluate_frame, parse

BREAKDOWNS = {
    "target_group": "target_group",
    "age_group": "age_group",
    "sex": "sex",
    "region": "region",
    "education": "education",
    "residence": "residence",
    "language": "language",
    "collector": "collector_id",
}
COLUMNS = [
    "indicator",
    "breakdown",
    "category",
    "value",
    "lower",
    "upper",
    "n",
    "n_eff",
    "deff",
    "suppressed",
]


def min_cell_size() -> int:
    return int(getattr(settings, "ANALYTICS_MIN_CELL_SIZE", 30))


def success_series(indicator: Any, frame: pd.DataFrame) -> pd.Series:
    """1.0 where the numerator holds, 0.0 where only the denominator does, NaN outside it."""
    numerator = evaluate_frame(parse(indicator.numerator), frame).astype(bool)
    denominator = evaluate_frame(parse(indicator.denominator), frame).astype(bool)
    return pd.Series(np.where(denominator, numerator.astype(float), np.nan), index=frame.index)


def weights_for(
    frame: pd.DataFrame, weights: Any, margins: dict[str, dict[str, float]] | None
) -> tuple[pd.Series | None, Any]:
    if weights is None or (isinstance(weights, str) and weights == "none"):
        return None, None
    if isinstance(weights, pd.Series):
        return weights.reindex(frame.index), None
    if weights != "raking":
        raise ValueError(_("Unknown weighting “%(weights)s”.") % {"weights": weights})
    if not margins:
        raise ValueError(_("Raking needs population margins for this agency."))
    usable = {v: cells for v, cells in margins.items() if v in frame.columns}
    series, diagnostics = rake_with_diagnostics(frame, usable)
    return series, diagnostics


def indicator_table(
    round_ids: Sequence[int],
    indicators: Iterable[Any],
    *,
    by: Sequence[str] = (),
    weights: Any = None,
    margins: dict[str, dict[str, float]] | None = None,
    exclude_flagged: bool = False,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Estimates for the whole sample and each category of each breakdown in `by`.

    Cells with fewer than ANALYTICS_MIN_CELL_SIZE respondents (default 30) are
    suppressed: their estimate, interval and counts are removed, not only flagged.
    """
    unknown = [b for b in by if b not in BREAKDOWNS]
    if unknown:
        raise ValueError(_("Unknown breakdown: %(names)s.") % {"names": ", ".join(unknown)})
    if frame is None:
        frames = [round_frame(r) for r in round_ids]
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if exclude_flagged and "flagged" in frame.columns:
        frame = frame[~frame["flagged"]]
    w, _diagnostics = weights_for(frame, weights, margins)
    weight_values = None if w is None else w.to_numpy(dtype="float64")
    limit = min_cell_size()
    # Every cell of a breakdown comes from one pass over the frame (np.bincount on codes).
    groupings: list[tuple[str, list[str], np.ndarray]] = [
        ("all", ["all"], np.zeros(len(frame), dtype=np.int64))
    ]
    for breakdown in by:
        name = BREAKDOWNS[breakdown]
        if name not in frame.columns:
            continue
        codes, categories = pd.factorize(frame[name], sort=True, use_na_sentinel=True)
        groupings.append((breakdown, [str(c) for c in categories], codes.astype(np.int64)))
    rows = []
    for indicator in indicators:
        success = success_series(indicator, frame).to_numpy()
        usable = ~np.isnan(success)
        if weight_values is not None:
            usable &= ~np.isnan(weight_values) & (weight_values > 0)
        kept = success[usable]
        kept_weights = None if weight_values is None else weight_values[usable]
        for breakdown, categories, codes in groupings:
            estimates = proportions_by_group(kept, kept_weights, codes[usable], len(categories))
            for category, estimate in zip(categories, estimates, strict=True):
                suppressed = estimate.n < limit
                rows.append(
                    {
                        "indicator": indicator.code,
                        "breakdown": breakdown,
                        "category": category,
                        "value": None if suppressed else estimate.value,
                        "lower": None if suppressed else estimate.lower,
                        "upper": None if suppressed else estimate.upper,
                        "n": None if suppressed else estimate.n,
                        "n_eff": None if suppressed else estimate.n_eff,
                        "deff": None if suppressed else estimate.deff,
                        "suppressed": suppressed,
                    }
                )
    return pd.DataFrame(rows, columns=COLUMNS)


def table_as_json(table: pd.DataFrame, *, round_ids: Sequence[int], weights: str) -> dict[str, Any]:
    """The stable JSON form (an interface: change only by adding keys)."""

    def clean(value: Any) -> Any:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, (float, np.floating)):
            return round(float(value), 6)
        if isinstance(value, (np.integer,)):
            return int(value)
        if isinstance(value, np.bool_):
            return bool(value)
        return value

    return {
        "format": "cepa-indicators/1",
        "rounds": list(round_ids),
        "weights": weights,
        "min_cell_size": min_cell_size(),
        "rows": [
            {
                key: (int(v) if key == "n" and v is not None else v)
                for key, v in ((key, clean(row[key])) for key in COLUMNS)
            }
            for row in table.to_dict("records")
        ],
    }
