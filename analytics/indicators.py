"""Every indicator for every cell of the chosen breakdowns, weighted or not, with suppression."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _

from analytics.estimates import estimate_from_sums
from analytics.frames import COLLECTOR_ID, FLAGGED, LANGUAGE, TARGET_GROUP, round_frame
from analytics.weighting import rake_with_diagnostics
from survey.expressions import evaluate_frame, parse

BREAKDOWNS = {
    "target_group": TARGET_GROUP,
    "age_group": "age_group",
    "sex": "sex",
    "region": "region",
    "education": "education",
    "residence": "residence",
    "language": LANGUAGE,
    "collector": COLLECTOR_ID,
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
    frame: pd.DataFrame, weights: Any, margins: dict[str, dict[str, float | None]] | None
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
    margins: dict[str, dict[str, float | None]] | None = None,
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
    if exclude_flagged and FLAGGED in frame.columns:
        frame = frame[~frame[FLAGGED]]
    w, _diagnostics = weights_for(frame, weights, margins)
    weight_values = None if w is None else w.to_numpy(dtype="float64")
    limit = min_cell_size()
    groupings: list[tuple[str, list[str], np.ndarray]] = []
    for breakdown in by:
        name = BREAKDOWNS[breakdown]
        if name not in frame.columns:
            continue
        codes, categories = pd.factorize(frame[name], sort=True, use_na_sentinel=True)
        groupings.append((breakdown, [str(c) for c in categories], codes.astype(np.int64)))
    cells = _CrossCells(groupings, len(frame))
    rows = []
    for indicator in indicators:
        success = success_series(indicator, frame).to_numpy()
        usable = ~np.isnan(success)
        if weight_values is not None:
            usable &= ~np.isnan(weight_values) & (weight_values > 0)
        for breakdown, categories, sums in cells.sums(success, weight_values, usable):
            for category, (n, sum_w, sum_w2, sum_ws) in zip(categories, sums, strict=True):
                estimate = estimate_from_sums(int(n), sum_w, sum_w2, sum_ws)
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


class _CrossCells:
    """The sums every cell needs, for the whole sample and each breakdown, in one pass.

    Why: a table of 7 indicators by 4 breakdowns over a million responses would
    otherwise scan the frame 35 times. Each row gets one id for its combination
    of categories (missing values get a category of their own), four bincounts
    per indicator give the sums of every combination, and each breakdown's cells
    are sums over the other breakdowns' axes of that small array. When the
    combinations are too many (say, hundreds of collectors by many regions),
    each breakdown is counted on its own instead.
    """

    MAX_COMBINATIONS = 1 << 18

    def __init__(self, groupings: list[tuple[str, list[str], np.ndarray]], rows: int) -> None:
        self.groupings = groupings
        self.shape = tuple(len(categories) + 1 for _b, categories, _c in groupings)
        self.crossed = int(np.prod(self.shape, dtype=np.float64)) <= self.MAX_COMBINATIONS
        self.ids = np.zeros(rows, dtype=np.int64)
        if self.crossed:
            for (_b, categories, codes), size in zip(groupings, self.shape, strict=True):
                self.ids = self.ids * size + np.where(codes < 0, len(categories), codes)

    @staticmethod
    def _bincounts(ids: np.ndarray, size: int, arrays: list[np.ndarray]) -> np.ndarray:
        return np.stack([np.bincount(ids, weights=a, minlength=size) for a in arrays], axis=-1)

    def sums(
        self, success: np.ndarray, weights: np.ndarray | None, usable: np.ndarray
    ) -> list[tuple[str, list[str], np.ndarray]]:
        """(breakdown, categories, [[n, Σw, Σw², Σw·x] per category]), starting with "all"."""
        w = np.where(usable, 1.0 if weights is None else weights, 0.0)
        wx = np.where(usable, w * np.nan_to_num(success), 0.0)
        arrays = [usable.astype(np.float64), w, w * w, wx]
        total = np.array([[a.sum() for a in arrays]])
        out = [("all", ["all"], total)]
        if self.crossed:
            size = int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1
            cube = self._bincounts(self.ids, size, arrays).reshape((*self.shape, 4))
            for axis, (breakdown, categories, _codes) in enumerate(self.groupings):
                others = tuple(i for i in range(len(self.shape)) if i != axis)
                out.append((breakdown, categories, cube.sum(axis=others)[:-1]))
            return out
        for breakdown, categories, codes in self.groupings:
            known = codes >= 0
            counted = self._bincounts(codes[known], len(categories), [a[known] for a in arrays])
            out.append((breakdown, categories, counted))
        return out


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
