"""The expression language: parsing, printing, and the two evaluators agreeing."""

from __future__ import annotations

import math
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey import expressions as ex
from survey.expressions import (
    Binary,
    Call,
    Current,
    ExpressionError,
    Name,
    Neg,
    Number,
    Ref,
    String,
    evaluate,
    evaluate_frame,
    parse,
    references,
    unparse,
)

# ------------------------------------------------------------------ examples


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("${age} >= 18", {"age": 30}, True),
        ("${age} >= 18", {"age": 12}, False),
        ("${age} >= 18", {}, False),
        ("${aware} = 'heard_know'", {"aware": "heard_know"}, True),
        ("${aware} != ''", {}, False),
        ("${aware} = ''", {}, True),
        ("selected(${steps}, 'recycle')", {"steps": ["recycle", "buy_local"]}, True),
        ("selected(${steps}, 'plant')", {"steps": ["recycle"]}, False),
        ("selected(${steps}, 'plant')", {"steps": "plant recycle"}, True),
        ("count-selected(${steps}) >= 2", {"steps": ["a", "b"]}, True),
        ("count-selected(${steps})", {}, 0.0),
        ("string-length(${name}) <= 3", {"name": "abcd"}, False),
        ("not(${a} = 1) and (${b} > 2 or ${c} = 'x')", {"a": 2, "b": 1, "c": "x"}, True),
        ("${a} + ${b} * 2", {"a": 1, "b": 3}, 7.0),
        ("10 div 4", {}, 2.5),
        ("10 mod 4", {}, 2.0),
        ("-${a} + 1", {"a": 3}, -2.0),
        ("${d} < '2000-01-01'", {"d": "1999-12-31"}, True),
        ("${likert} >= 4", {"likert": "5"}, True),
        ("1 div 0", {}, math.inf),
        ("${x} + 1", {}, math.nan),
        ("${x} = ${y}", {}, True),
        ("${x} + 1 = ''", {}, True),
    ],
)
def test_expressions_evaluate_like_xlsform(text, answers, expected):
    result = evaluate(parse(text), answers)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(result)
    else:
        assert result == expected


def test_dot_is_the_value_being_checked():
    node = parse(". >= 0 and . <= 120")
    assert evaluate(node, {}, current=35) is True
    assert evaluate(node, {}, current=-1) is False


def test_bare_names_are_choice_columns_in_choice_filters():
    node = parse("region = ${region}")
    assert evaluate(node, {"region": "north"}, names={"region": "north"}) is True
    assert evaluate(node, {"region": "north"}, names={"region": "south"}) is False


def test_references_lists_the_codes_used():
    node = parse("selected(${a}, 'x') and ${b} > count-selected(${c}) or . = ${a}")
    assert references(node) == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("${age} >", 8),
        ("${age} >= 'abc", 10),
        ("(${a} = 1", 0),
        ("${a} = 1)", 8),
        ("${1abc} = 2", 0),
        ("foo(${a})", 0),
        ("selected(${a})", 0),
        ("${a} # 2", 5),
        ("", 0),
        ("${a", 0),
    ],
)
def test_parse_errors_say_where(text, position):
    with pytest.raises(ExpressionError) as error:
        parse(text)
    assert error.value.position == position
    assert error.value.message


def test_parse_errors_are_translated():
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ExpressionError) as error:
        parse("${a} = (1")
    assert "jamais fermée" in error.value.message


@pytest.mark.parametrize(
    ("lang", "text", "said"),
    [
        ("en", "not(1, 2)", "not() takes 1 argument, not 2."),
        ("en", "selected(${a})", "selected() takes 2 arguments, not 1."),
        ("ru", "selected(${a})", "selected() принимает 2 аргумента, а не 1."),
    ],
)
def test_a_function_with_the_wrong_number_of_arguments_is_told_in_plural_forms(lang, text, said):
    from django.utils import translation

    with translation.override(lang), pytest.raises(ExpressionError) as error:
        parse(text)
    assert error.value.message == said


def test_deep_nesting_and_long_text_are_refused_cleanly():
    with pytest.raises(ExpressionError):
        parse("(" * 5000 + "1" + ")" * 5000)
    with pytest.raises(ExpressionError):
        parse("-" * 5000 + "1")
    with pytest.raises(ExpressionError):
        parse("1 + " * 2000 + "1")


def test_unparse_adds_only_needed_brackets():
    assert unparse(parse("(${a} + 1) * 2")) == "(${a} + 1) * 2"
    assert unparse(parse("${a} + (1 * 2)")) == "${a} + 1 * 2"
    assert unparse(parse("${a} - (${b} - ${c})")) == "${a} - (${b} - ${c})"
    assert unparse(parse("not(${a}='x')or ${b}")) == "not(${a} = 'x') or ${b}"


# ------------------------------------------------------------ property tests

codes = st.sampled_from(["a", "b", "c", "age", "steps"])
plain_text = st.text(alphabet=string.ascii_letters + string.digits + " _-é中", max_size=8)


def literal_strings() -> st.SearchStrategy[String]:
    no_single = st.text(alphabet=st.characters(blacklist_characters="'", codec="utf-8"), max_size=8)
    no_double = st.text(alphabet=st.characters(blacklist_characters='"', codec="utf-8"), max_size=8)
    return st.one_of(no_single, no_double).map(String)


numbers = st.one_of(
    st.integers(min_value=0, max_value=10**12),
    st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
).map(Number)

leaves = st.one_of(
    numbers,
    literal_strings(),
    codes.map(Ref),
    st.just(Current()),
    st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True)
    .filter(lambda n: n not in {"and", "or", "div", "mod"})
    .map(Name),
)


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        children.map(Neg),
        st.tuples(st.sampled_from(sorted(ex.PRECEDENCE)), children, children).map(
            lambda t: Binary(*t)
        ),
        children.map(lambda c: Call("not", (c,))),
        children.map(lambda c: Call("string-length", (c,))),
        children.map(lambda c: Call("count-selected", (c,))),
        st.tuples(children, children).map(lambda t: Call("selected", t)),
    )


trees = st.recursive(leaves, _extend, max_leaves=12)


@given(st.text(max_size=60))
@settings(max_examples=400)
def test_the_parser_never_crashes_on_arbitrary_text(text):
    try:
        node = parse(text)
    except ExpressionError as error:
        assert 0 <= error.position <= len(text)
        assert isinstance(error.message, str) and error.message
    else:
        assert parse(unparse(node)) == node


@given(st.text(alphabet="${}()'\". =!<>+-*,adivmorntselc0123456789_ ", max_size=40))
@settings(max_examples=400)
def test_the_parser_never_crashes_on_expression_like_text(text):
    try:
        parse(text)
    except ExpressionError as error:
        assert 0 <= error.position <= len(text)


@given(trees)
@settings(max_examples=400)
def test_printing_then_parsing_gives_the_same_tree(tree):
    assert parse(unparse(tree)) == tree


# Random answers for five questions of different kinds, as the flow stores them.
answer_values = {
    "a": st.one_of(st.none(), st.integers(-5, 5)),
    "b": st.one_of(st.none(), st.floats(-3, 3, allow_nan=False).map(lambda f: round(f, 2))),
    "c": st.one_of(st.none(), st.sampled_from(["x", "y", "1", "2", "", "2020-01-05"])),
    "age": st.one_of(st.none(), st.integers(0, 99)),
    "steps": st.one_of(st.none(), st.lists(st.sampled_from(["p", "q", "r"]), unique=True)),
}
answer_rows = st.fixed_dictionaries({}, optional=dict(answer_values.items()))

vector_leaves = st.one_of(
    st.integers(0, 6).map(Number),
    st.sampled_from(["x", "1", "p", "", "2020-01-01"]).map(String),
    codes.map(Ref),
)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _same(a, b) -> bool:
    if _missing(a) and _missing(b):
        return True
    if isinstance(a, list) or isinstance(b, list):
        return list(a or []) == list(b or []) if a and b else not a and not b
    return a == b or (a is None and b is None)


def frame_of(rows: list[dict]) -> pd.DataFrame:
    """Answers as analytics frames hold them: numbers as float columns with NaN."""
    frame = pd.DataFrame(
        {
            "a": pd.Series([r.get("a") for r in rows], dtype="float64"),
            "b": pd.Series([r.get("b") for r in rows], dtype="float64"),
            "c": pd.Series([r.get("c") for r in rows], dtype=object),
            "age": pd.Series([r.get("age") for r in rows], dtype="float64"),
            "steps": pd.Series([r.get("steps") for r in rows], dtype=object),
        }
    )
    return frame


@given(
    st.recursive(vector_leaves, _extend, max_leaves=8),
    st.lists(answer_rows, min_size=1, max_size=12),
)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_the_two_evaluators_agree_on_random_data(tree, rows):
    frame = frame_of(rows)
    # Round frames hold answers from a list as categoricals (list order, unused categories).
    categorical = frame.assign(
        c=pd.Categorical(frame["c"], categories=["y", "x", "2", "1", "", "2020-01-05", "z"])
    )
    for vector in (evaluate_frame(tree, frame), evaluate_frame(tree, categorical)):
        _agrees(tree, rows, vector)


def _agrees(tree, rows, vector) -> None:
    assert len(vector) == len(rows)
    for row, got in zip(rows, vector.tolist(), strict=True):
        expected = evaluate(tree, row)
        if isinstance(expected, bool):
            assert bool(got) == expected, (unparse(tree), row)
        elif isinstance(expected, int | float) and not isinstance(got, list):
            assert _same(float(expected), float(got)), (unparse(tree), row, got)
        else:
            assert _same(expected, got), (unparse(tree), row, got)


@given(st.lists(answer_rows, min_size=1, max_size=12), st.sampled_from(["p", "q", "r"]))
def test_choice_columns_give_the_same_selected_and_count(rows, choice):
    lists = frame_of(rows)
    flags = lists.drop(columns=["steps"])
    for option in ["p", "q", "r"]:
        flags[f"steps/{option}"] = [option in (r.get("steps") or []) for r in rows]
    for text in [f"selected(${{steps}}, '{choice}')", "count-selected(${steps}) >= 2"]:
        node = parse(text)
        assert evaluate_frame(node, lists).tolist() == evaluate_frame(node, flags).tolist()
        assert evaluate_frame(node, flags).tolist() == [evaluate(node, r) for r in rows]


def test_both_evaluators_treat_two_missing_numbers_as_equal():
    frame = pd.DataFrame({"a": [None, 1.0, None], "age": [None, 1.0, 2.0]}, dtype="float64")
    node = parse("${a} = ${age}")
    assert evaluate_frame(node, frame).tolist() == [True, True, False]
    rows = [{}, {"a": 1, "age": 1}, {"age": 2}]
    assert [evaluate(node, r) for r in rows] == [True, True, False]
