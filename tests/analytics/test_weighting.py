"""Raking matches an established implementation (samplics) and behaves as its rules say."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.weighting import WeightingError, poststratify, rake, rake_with_diagnostics

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # samplics announces it is archived
    from samplics.weighting import SampleWeight


def reference(frame: pd.DataFrame, margins: dict, weight=None) -> np.ndarray:
    """samplics' raking, computed in the test itself, to a tight tolerance."""
    base = np.ones(len(frame)) if weight is None else np.asarray(weight, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SampleWeight().rake(
            samp_weight=base,
            margins={v: frame[v].to_numpy() for v in margins},
            control={v: dict(cells) for v, cells in margins.items()},
            tol=1e-12,
            ctrl_tol=1e-12,
            max_iter=2000,
        )


def dataset(seed: int, n: int, variables: dict[str, list[str]]) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({v: rng.choice(cats, n) for v, cats in variables.items()})


def test_two_margins_match_samplics():
    frame = dataset(1, 400, {"sex": ["female", "male"], "age": ["15_24", "25_54", "55_plus"]})
    margins = {
        "sex": {"female": 5_100_000, "male": 4_900_000},
        "age": {"15_24": 2_500_000, "25_54": 5_000_000, "55_plus": 2_500_000},
    }
    ours = rake(frame, margins, tol=1e-12, max_iter=2000)
    np.testing.assert_allclose(ours.to_numpy(), reference(frame, margins), rtol=1e-6)
    assert ours.sum() == pytest.approx(10_000_000)


def test_three_margins_with_starting_weights_match_samplics():
    frame = dataset(
        2,
        600,
        {
            "sex": ["f", "m"],
            "region": ["north", "south", "coast", "capital"],
            "residence": ["urban", "rural"],
        },
    )
    start = pd.Series(np.random.default_rng(3).uniform(0.5, 2.0, len(frame)), index=frame.index)
    margins = {
        "sex": {"f": 520, "m": 480},
        "region": {"north": 200, "south": 300, "coast": 150, "capital": 350},
        "residence": {"urban": 600, "rural": 400},
    }
    ours = rake(frame, margins, weight=start, tol=1e-12, max_iter=2000)
    np.testing.assert_allclose(ours.to_numpy(), reference(frame, margins, start), rtol=1e-6)


def test_an_empty_cross_cell_still_matches_samplics():
    frame = dataset(4, 300, {"sex": ["f", "m"], "age": ["young", "old"]})
    frame = frame[~((frame.sex == "m") & (frame.age == "young"))].reset_index(
        drop=True
    )  # no young men
    margins = {"sex": {"f": 500, "m": 500}, "age": {"young": 400, "old": 600}}
    ours = rake(frame, margins, tol=1e-12, max_iter=5000)
    np.testing.assert_allclose(ours.to_numpy(), reference(frame, margins), rtol=1e-6)


def test_categorical_columns_as_in_round_frames_give_the_same_weights():
    """Round frames hold answers as categoricals (in list order, with unused categories)."""
    frame = dataset(5, 500, {"sex": ["f", "m"], "age": ["young", "mid", "old"]})
    frame.loc[::17, "age"] = None  # some missing answers
    categorical = frame.assign(
        sex=pd.Categorical(frame.sex, categories=["m", "x", "f"]),
        age=pd.Categorical(frame.age, categories=["old", "mid", "young", "unused"]),
    )
    margins = {"sex": {"f": 500, "m": 500}, "age": {"young": 300, "mid": 400, "old": 300}}
    np.testing.assert_allclose(
        rake(categorical, margins).to_numpy(), rake(frame, margins).to_numpy(), rtol=1e-12
    )


def test_diagnostics_report_convergence_range_and_design_effect():
    frame = dataset(5, 300, {"sex": ["f", "m"], "age": ["y", "o"]})
    weights, diag = rake_with_diagnostics(
        frame, {"sex": {"f": 700, "m": 300}, "age": {"y": 500, "o": 500}}
    )
    assert diag.converged and diag.max_margin_error <= 1e-6
    assert diag.iterations >= 1
    assert diag.weight_min == pytest.approx(weights.min())
    assert diag.design_effect > 1


def test_trimming_keeps_weights_within_bounds():
    frame = dataset(6, 200, {"sex": ["f"] * 9 + ["m"]})
    _weights, untrimmed = rake_with_diagnostics(frame, {"sex": {"f": 500, "m": 500}})
    trimmed, diag = rake_with_diagnostics(frame, {"sex": {"f": 500, "m": 500}}, bounds=(0.3, 3.0))
    mean = trimmed.mean()
    assert trimmed.max() <= 3.0 * mean + 1e-9
    assert diag.weight_max / diag.weight_min < untrimmed.weight_max / untrimmed.weight_min


def test_missing_values_are_held_at_their_share_and_nobody_is_dropped():
    frame = pd.DataFrame({"sex": ["f", "m", None, "f", "m", None, "f", "f"]})
    weights, diag = rake_with_diagnostics(frame, {"sex": {"f": 600, "m": 400}})
    assert len(weights) == len(frame) and (weights > 0).all()
    assert weights.sum() == pytest.approx(1000)
    assert weights[frame.sex.isna()].sum() == pytest.approx(250)  # 2 of 8 respondents
    assert weights[frame.sex == "f"].sum() == pytest.approx(600 * 0.75)
    assert diag.missing == {"sex": 2}


def test_a_category_without_a_total_is_weighted_as_a_missing_answer():
    # "Prefer not to say" (no census counts it): the same weights as a missing answer.
    said = pd.DataFrame({"sex": ["f", "m", "no_answer", "f", "m", "no_answer", "f", "f"]})
    weights, diag = rake_with_diagnostics(said, {"sex": {"f": 600, "m": 400, "no_answer": None}})
    missing = said.replace("no_answer", None)
    expected, _diag = rake_with_diagnostics(missing, {"sex": {"f": 600, "m": 400}})
    np.testing.assert_allclose(weights.to_numpy(), expected.to_numpy())
    assert weights.sum() == pytest.approx(1000) and diag.missing == {"sex": 2}


def test_post_stratification_on_one_variable():
    frame = pd.DataFrame({"region": ["a", "a", "b", "c", "c", "c"]})
    weights = poststratify(frame, "region", {"a": 100, "b": 50, "c": 30})
    assert weights.groupby(frame.region).sum().to_dict() == pytest.approx(
        {"a": 100, "b": 50, "c": 30}
    )


@pytest.mark.parametrize(
    ("frame", "margins", "message"),
    [
        (
            pd.DataFrame({"sex": ["f", "x"]}),
            {"sex": {"f": 1, "m": 1}},
            "categories the margins lack: x",
        ),
        (pd.DataFrame({"sex": ["f", "f"]}), {"sex": {"f": 1, "m": 1}}, "no respondent in m"),
        (pd.DataFrame({"sex": ["f", "m"]}), {"sex": {"f": -1, "m": 1}}, "cannot be negative"),
        (pd.DataFrame({"sex": ["f", "m"]}), {"age": {"y": 1}}, "no column"),
    ],
)
def test_impossible_margins_are_refused_with_a_reason(frame, margins, message):
    with pytest.raises(WeightingError, match=message):
        rake(frame, margins)


@given(
    st.lists(st.sampled_from(["a", "b", "c"]), min_size=6, max_size=60), st.sampled_from(["x", "y"])
)
@settings(max_examples=60, deadline=None)
def test_equal_weights_stay_equal_when_the_sample_already_matches(values, _label):
    frame = pd.DataFrame({"v": values})
    counts = frame.v.value_counts().to_dict()
    weights = rake(frame, {"v": {k: float(c) * 10 for k, c in counts.items()}})
    np.testing.assert_allclose(weights.to_numpy(), 10.0)
