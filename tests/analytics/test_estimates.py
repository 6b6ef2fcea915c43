"""Weighted proportions and change between rounds: reference values and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from analytics.estimates import change, proportion


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_interval_matches_statsmodels_wilson_on_n_eff(weighted, seed):
    rng = np.random.default_rng(seed)
    success = rng.random(500) < 0.37
    weights = rng.uniform(0.2, 4.0, 500) if weighted else None
    estimate = proportion(pd.Series(success), weights)
    lower, upper = proportion_confint(
        estimate.value * estimate.n_eff, estimate.n_eff, method="wilson"
    )
    assert estimate.lower == pytest.approx(lower, abs=1e-9)
    assert estimate.upper == pytest.approx(upper, abs=1e-9)
    if not weighted:
        assert estimate.n_eff == pytest.approx(500) and estimate.deff == pytest.approx(1)
    else:
        assert estimate.n_eff < 500 and estimate.deff > 1


def test_edge_cases_are_defined():
    none = proportion(pd.Series([0.0, 0.0, 0.0]))
    assert none.value == 0 and none.lower == 0 and 0 < none.upper < 1
    all_ = proportion(pd.Series([1.0, 1.0]))
    assert all_.value == 1 and all_.upper == 1 and all_.lower < 1
    single = proportion(pd.Series([1.0]))
    assert (single.n, single.n_eff) == (1, 1.0) and 0 < single.lower < 1
    zero_weights = proportion(pd.Series([1.0, 0.0]), [0.0, 0.0])
    assert math.isnan(zero_weights.value) and zero_weights.n_eff == 0
    with_nan = proportion(pd.Series([1.0, np.nan, 0.0, np.nan]))
    assert (with_nan.value, with_nan.n) == (0.5, 2)
    empty = proportion(pd.Series([], dtype=float))
    assert math.isnan(empty.value) and empty.n == 0


def test_change_between_rounds():
    before = proportion(pd.Series([1.0] * 300 + [0.0] * 700))
    after = proportion(pd.Series([1.0] * 400 + [0.0] * 600))
    result = change(before, after)
    assert result.diff == pytest.approx(0.1)
    assert result.se == pytest.approx(math.sqrt(0.3 * 0.7 / 1000 + 0.4 * 0.6 / 1000))
    assert result.lower < 0.1 < result.upper
    assert result.p_value < 0.001
    same = change(before, before)
    assert same.diff == 0 and same.p_value == pytest.approx(1.0)
    undefined = change(proportion(pd.Series([], dtype=float)), after)
    assert math.isnan(undefined.diff)


@given(
    st.lists(st.booleans(), min_size=1, max_size=80),
    st.floats(min_value=0.01, max_value=1000),
)
@settings(max_examples=100, deadline=None)
def test_estimates_do_not_change_when_all_weights_are_scaled(values, factor):
    rng = np.random.default_rng(len(values))
    weights = rng.uniform(0.1, 5, len(values))
    a = proportion(pd.Series(values, dtype=float), weights)
    b = proportion(pd.Series(values, dtype=float), weights * factor)
    for field in ("value", "lower", "upper", "n_eff", "deff"):
        assert getattr(a, field) == pytest.approx(getattr(b, field), rel=1e-9, abs=1e-12)
