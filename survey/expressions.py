"""The survey expression language: one parser, two evaluators.

A subset of XLSForm/XPath 1.0, so that forms move between this platform and
KoboToolbox or ODK unchanged:

    ${code}  .  'text'  "text"  12  3.5  name
    =  !=  <  <=  >  >=   +  -  *  div  mod   and  or   ( )
    not(x)  selected(${q}, 'c')  count-selected(${q})  string-length(x)

Relevance, constraints, choice filters and indicator rules all use it. `parse`
builds an AST (never `eval`); `evaluate` runs it on one response's answers;
`evaluate_frame` runs it on a whole pandas DataFrame at once for analytics.
Both evaluators share one set of conversion rules (XPath's), and property
tests hold them to the same results.

Missing answers: an unanswered or hidden question is the empty string, as in
ODK: `${q} = ''` is true, numeric comparisons with it are false, and it adds
up to NaN. A NaN result (`${missing} + 1`, `0 div 0`) is itself "no value".
Dates ('YYYY-MM-DD') compare as days since 1970-01-01, as in ODK.
Bare names (no `${}`) are only meaningful in choice filters, where they name
a column of the choice list (`region = ${region}`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

if TYPE_CHECKING:  # pandas is imported only where frames are evaluated.
    import pandas

MAX_LENGTH = 4000
MAX_DEPTH = 64


class ExpressionError(ValueError):
    """A parse error, with the 0-based character position where it was found."""

    def __init__(self, message: str, position: int) -> None:
        self.message = message
        self.position = position
        super().__init__(f"{message} (position {position})")


# --------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Number:
    value: int | float  # never negative: "-1" is Neg(Number(1))


@dataclass(frozen=True)
class String:
    value: str


@dataclass(frozen=True)
class Ref:
    code: str


@dataclass(frozen=True)
class Current:
    pass


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Union[Number, String, Ref, Current, Name, Neg, Binary, Call]  # noqa: UP007

FUNCTIONS: dict[str, int] = {
    "not": 1,
    "selected": 2,
    "count-selected": 1,
    "string-length": 1,
}
PRECEDENCE: dict[str, int] = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}
_NEG_PRECEDENCE = 7
_WORD_OPERATORS = {"and", "or", "div", "mod"}

# ------------------------------------------------------------------------ tokens

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<current>\.)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.\-]*)
    """,
    re.VERBOSE,
)
_IDENT_RE = re.compile(_IDENT)


@dataclass(frozen=True)
class _Token:
    kind: str  # ref, number, current, string, op, word, end
    text: str
    position: int


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            char = text[position]
            if char in "'\"":
                raise ExpressionError(str(_("This text has no closing quote.")), position)
            if text.startswith("${", position):
                raise ExpressionError(str(_("A ${ has no closing }.")), position)
            raise ExpressionError(
                str(_("Unexpected character “%(char)s”.") % {"char": char}), position
            )
        kind = match.lastgroup or ""
        if kind == "refname":  # pragma: no cover - inner group never last
            kind = "ref"
        if kind == "ref":
            name = match.group("refname")
            if not _IDENT_RE.fullmatch(name):
                raise ExpressionError(
                    str(_("“%(name)s” is not a valid question code.") % {"name": name}),
                    position,
                )
            tokens.append(_Token("ref", name, position))
        elif kind == "string":
            tokens.append(_Token("string", match.group()[1:-1], position))
        elif kind != "space":
            tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


# ------------------------------------------------------------------------ parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def operator_here(self, level: int) -> str | None:
        token = self.current
        op = None
        if (token.kind == "op" and token.text in PRECEDENCE) or (
            token.kind == "word" and token.text in _WORD_OPERATORS
        ):
            op = token.text
        if op is not None and PRECEDENCE[op] == level:
            return op
        return None

    def expression(self, level: int = 1) -> Node:
        if level > max(PRECEDENCE.values()):
            return self.unary()
        node = self.expression(level + 1)
        while (op := self.operator_here(level)) is not None:
            self.advance()
            node = Binary(op, node, self.expression(level + 1))
        return node

    def unary(self) -> Node:
        token = self.current
        if token.kind == "op" and token.text == "-":
            self.advance()
            with self.nested(token):
                return Neg(self.unary())
        return self.primary()

    def nested(self, token: _Token) -> _Depth:
        return _Depth(self, token)

    def primary(self) -> Node:
        token = self.advance()
        if token.kind == "number":
            text = token.text
            value: int | float = float(text) if "." in text else int(text)
            if isinstance(value, float) and math.isinf(value):
                raise ExpressionError(str(_("This number is too large.")), token.position)
            return Number(value)
        if token.kind == "string":
            return String(token.text)
        if token.kind == "ref":
            return Ref(token.text)
        if token.kind == "current":
            return Current()
        if token.kind == "op" and token.text == "(":
            with self.nested(token):
                node = self.expression()
            self.expect(")", opening=token)
            return node
        if token.kind == "word":
            if self.current.kind == "op" and self.current.text == "(":
                return self.call(token)
            return Name(token.text)
        if token.kind == "end":
            raise ExpressionError(str(_("The expression ends too early.")), token.position)
        raise ExpressionError(
            str(_("Unexpected “%(token)s”.") % {"token": token.text}), token.position
        )

    def call(self, name: _Token) -> Node:
        if name.text not in FUNCTIONS:
            raise ExpressionError(
                str(_("Unknown function “%(name)s”.") % {"name": name.text}), name.position
            )
        opening = self.advance()
        args: list[Node] = []
        with self.nested(opening):
            if not (self.current.kind == "op" and self.current.text == ")"):
                args.append(self.expression())
                while self.current.kind == "op" and self.current.text == ",":
                    self.advance()
                    args.append(self.expression())
        self.expect(")", opening=opening)
        expected = FUNCTIONS[name.text]
        if len(args) != expected:
            raise ExpressionError(
                ngettext(
                    "%(name)s() takes %(expected)d argument, not %(given)d.",
                    "%(name)s() takes %(expected)d arguments, not %(given)d.",
                    expected,
                )
                % {"name": name.text, "expected": expected, "given": len(args)},
                name.position,
            )
        return Call(name.text, tuple(args))

    def expect(self, text: str, *, opening: _Token) -> None:
        token = self.current
        if token.kind == "op" and token.text == text:
            self.advance()
            return
        if token.kind == "end":
            raise ExpressionError(
                str(_("The bracket opened here is never closed.")), opening.position
            )
        raise ExpressionError(
            str(_("Expected “%(expected)s” here.") % {"expected": text}), token.position
        )


class _Depth:
    def __init__(self, parser: _Parser, token: _Token) -> None:
        self.parser = parser
        self.token = token

    def __enter__(self) -> None:
        self.parser.depth += 1
        if self.parser.depth > MAX_DEPTH:
            raise ExpressionError(
                str(_("The expression is nested too deeply.")), self.token.position
            )

    def __exit__(self, *exc: object) -> None:
        self.parser.depth -= 1


def parse(text: str) -> Node:
    """Parse an expression; raises ExpressionError (translated message, position)."""
    if not isinstance(text, str):
        raise ExpressionError(str(_("An expression must be text.")), 0)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            str(_("An expression may have at most %(max)d characters.") % {"max": MAX_LENGTH}),
            MAX_LENGTH,
        )
    if not text.strip():
        raise ExpressionError(str(_("The expression is empty.")), 0)
    parser = _Parser(text)
    node = parser.expression()
    token = parser.current
    if token.kind != "end":
        raise ExpressionError(
            str(_("Unexpected “%(token)s”.") % {"token": token.text}), token.position
        )
    return node


# ----------------------------------------------------------------------- printer


def _format_number(value: int | float) -> str:
    if isinstance(value, bool):  # pragma: no cover - bool is not a literal
        value = int(value)
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = format(float(value), "f")
        if float(text) != value:  # very small numbers: keep all significant digits
            text = f"{value:.400f}".rstrip("0")
    if "." not in text:
        text += ".0"
    return text


def unparse(node: Node, _parent: int = 0, _right: bool = False) -> str:
    """Print an AST as text that `parse` turns back into the same AST."""
    if isinstance(node, Number):
        return _format_number(node.value)
    if isinstance(node, String):
        quote = "'" if "'" not in node.value else '"'
        return f"{quote}{node.value}{quote}"
    if isinstance(node, Ref):
        return "${" + node.code + "}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Neg):
        text = "-" + unparse(node.operand, _NEG_PRECEDENCE)
        return f"({text})" if _parent > _NEG_PRECEDENCE else text
    if isinstance(node, Call):
        return f"{node.name}({', '.join(unparse(arg) for arg in node.args)})"
    if isinstance(node, Binary):
        level = PRECEDENCE[node.op]
        text = f"{unparse(node.left, level)} {node.op} {unparse(node.right, level, True)}"
        if level < _parent or (level == _parent and _right):
            return f"({text})"
        return text
    raise TypeError(f"not an expression node: {node!r}")


# ---------------------------------------------------------------------- analysis


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Neg):
        yield from walk(node.operand)
    elif isinstance(node, Binary):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from walk(arg)


def references(node: Node) -> set[str]:
    """The question codes an expression uses."""
    return {n.code for n in walk(node) if isinstance(n, Ref)}


def names(node: Node) -> set[str]:
    """The bare names an expression uses (choice-list columns in a choice filter)."""
    return {n.name for n in walk(node) if isinstance(n, Name)}


def uses_current(node: Node) -> bool:
    return any(isinstance(n, Current) for n in walk(node))


# ------------------------------------------------------- conversions (XPath 1.0)

_NUMBER_TEXT = re.compile(r"\s*(-?(?:\d+(?:\.\d*)?|\.\d+))\s*")
_DATE_TEXT = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
_EPOCH = dt.date(1970, 1, 1)


def to_number(value: Any) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.date):
        return float((value - _EPOCH).days)
    if isinstance(value, list | tuple):
        value = to_string(value)
    text = str(value)
    if match := _NUMBER_TEXT.fullmatch(text):
        return float(match.group(1))
    if match := _DATE_TEXT.fullmatch(text):
        try:
            day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return math.nan
        return float((day - _EPOCH).days)
    return math.nan


def to_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""  # not-a-number is treated as no value, like a missing answer
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, list | tuple):
        return " ".join(to_string(item) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_bool(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, list | tuple):
        return len(value) > 0
    return len(to_string(value)) > 0


def selected_codes(value: Any) -> list[str]:
    """The choice codes in an answer: a list, or a space-separated string as in XLSForm."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [to_string(item) for item in value]
    return to_string(value).split()


def _is_number(value: Any) -> bool:
    # NaN counts as "no value", exactly like a missing answer (None): frames
    # cannot tell the two apart, so neither may the per-response evaluator.
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and math.isnan(value))
    )


def _equals(op: str, left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        same = to_bool(left) == to_bool(right)
    elif _is_number(left) or _is_number(right):
        a, b = to_number(left), to_number(right)
        if math.isnan(a) or math.isnan(b):
            return op == "!="
        same = a == b
    else:
        same = to_string(left) == to_string(right)
    return same if op == "=" else not same


def _compare(op: str, left: Any, right: Any) -> bool:
    a, b = to_number(left), to_number(right)
    if math.isnan(a) or math.isnan(b):
        return False
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _arithmetic(op: str, left: Any, right: Any) -> float:
    a, b = to_number(left), to_number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        if b == 0:
            if math.isnan(a) or a == 0:
                return math.nan
            return math.copysign(math.inf, a) * math.copysign(1.0, b)
        return a / b
    if b == 0 or math.isnan(a) or math.isnan(b) or math.isinf(a):
        return math.nan
    if math.isinf(b):
        return a
    return math.fmod(a, b)


def _apply_binary(op: str, left: Any, right: Any) -> Any:
    if op in {"=", "!="}:
        return _equals(op, left, right)
    if op in {"<", "<=", ">", ">="}:
        return _compare(op, left, right)
    return _arithmetic(op, left, right)


def _apply_call(name: str, args: list[Any]) -> Any:
    if name == "not":
        return not to_bool(args[0])
    if name == "selected":
        return to_string(args[1]) in selected_codes(args[0])
    if name == "count-selected":
        return float(len(selected_codes(args[0])))
    return float(len(to_string(args[0])))  # string-length


# ------------------------------------------------------ per-response evaluation


def evaluate(
    node: Node,
    answers: Mapping[str, Any],
    current: Any = None,
    *,
    names: Mapping[str, Any] | None = None,
) -> Any:
    """Evaluate for one response. `.` is `current`; bare names come from `names`.

    Returns a bool, a float, a string or a list (a multiple-choice answer as given).
    """
    if isinstance(node, Number):
        return float(node.value) if isinstance(node.value, float) else node.value
    if isinstance(node, String):
        return node.value
    if isinstance(node, Ref):
        return answers.get(node.code)
    if isinstance(node, Current):
        return current
    if isinstance(node, Name):
        return (names or {}).get(node.name)
    if isinstance(node, Neg):
        return -to_number(evaluate(node.operand, answers, current, names=names))
    if isinstance(node, Binary):
        if node.op in {"and", "or"}:
            left = to_bool(evaluate(node.left, answers, current, names=names))
            if node.op == "and" and not left:
                return False
            if node.op == "or" and left:
                return True
            return to_bool(evaluate(node.right, answers, current, names=names))
        return _apply_binary(
            node.op,
            evaluate(node.left, answers, current, names=names),
            evaluate(node.right, answers, current, names=names),
        )
    if isinstance(node, Call):
        return _apply_call(
            node.name, [evaluate(a, answers, current, names=names) for a in node.args]
        )
    raise TypeError(f"not an expression node: {node!r}")


def is_true(node: Node, answers: Mapping[str, Any], current: Any = None) -> bool:
    return to_bool(evaluate(node, answers, current))


# ---------------------------------------------------------- vectorised (pandas)


def evaluate_frame(node: Node, frame: pandas.DataFrame, current: Any = None) -> pandas.Series:
    """Evaluate for every row of `frame` at once; the result is aligned on its index.

    A question's column holds its answers as `evaluate` would see them (numbers,
    codes, lists for multiple choice). A multiple-choice question may instead
    come as one boolean column per choice, named `code/choice`, as analytics
    frames store it; `selected()` and `count-selected()` read those directly.
    Missing answers are None or NaN.
    """
    import pandas as pd

    return _Vector(pd, frame, current).run(node)


class _Vector:
    def __init__(self, pd: Any, frame: pandas.DataFrame, current: Any) -> None:
        self.pd = pd
        self.frame = frame
        self.index = frame.index
        self.current = current

    # Values are Series (one per row) or plain scalars (constant sub-expressions).
    def run(self, node: Node) -> pandas.Series:
        value = self.eval(node)
        if not isinstance(value, self.pd.Series):
            value = self.pd.Series([value] * len(self.index), index=self.index, dtype=object)
        return value

    def column(self, code: str) -> Any:
        pd = self.pd
        if code in self.frame.columns:
            series = self.frame[code]
            if series.dtype == object and series.map(_is_float_nan).any():
                return series.map(_missing_to_none)
            return series
        prefix = f"{code}/"
        choice_columns = [c for c in self.frame.columns if str(c).startswith(prefix)]
        if choice_columns:
            flags = self.frame[choice_columns].fillna(False).astype(bool)
            codes = [str(c)[len(prefix) :] for c in choice_columns]
            return pd.Series(
                [[c for c, f in zip(codes, row, strict=True) if f] for row in flags.to_numpy()],
                index=self.index,
                dtype=object,
            )
        return None

    def eval(self, node: Node) -> Any:
        pd = self.pd
        if isinstance(node, Number | String | Current | Name):
            return evaluate(node, {}, self.current)
        if isinstance(node, Ref):
            return self.column(node.code)
        if isinstance(node, Neg):
            return -self.numbers(self.eval(node.operand))
        if isinstance(node, Call):
            return self.call(node)
        assert isinstance(node, Binary)
        if node.op in {"and", "or"}:
            left, right = self.booleans(self.eval(node.left)), self.booleans(self.eval(node.right))
            return (left & right) if node.op == "and" else (left | right)
        left, right = self.eval(node.left), self.eval(node.right)
        if not isinstance(left, pd.Series) and not isinstance(right, pd.Series):
            return _apply_binary(node.op, left, right)
        if node.op in {"<", "<=", ">", ">="}:
            a, b = self.numbers(left), self.numbers(right)
            result = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[node.op]
            return self._series(result).fillna(False).astype(bool)
        if node.op in {"+", "-", "*"}:
            a, b = self.numbers(left), self.numbers(right)
            return self._series({"+": a + b, "-": a - b, "*": a * b}[node.op])
        if node.op in {"=", "!="}:
            same = self._text_equality(left, right)
            if same is not None:
                return same if node.op == "=" else ~same
        if node.op in {"=", "!="} and self._numeric(left) and self._numeric(right):
            a, b = self.numbers(left), self.numbers(right)
            # Two missing values are equal (both are ''), as per response.
            same = self._series((a == b) | (self._isna(a) & self._isna(b)))
            return (same if node.op == "=" else ~same).astype(bool)
        return self.elementwise(lambda x, y: _apply_binary(node.op, x, y), left, right)

    def call(self, node: Call) -> Any:
        pd = self.pd
        if node.name == "selected" and isinstance(node.args[0], Ref):
            code = node.args[0].code
            choice = self.eval(node.args[1])
            column = f"{code}/{to_string(choice)}"
            if (
                code not in self.frame.columns
                and not isinstance(choice, pd.Series)
                and column in self.frame.columns
            ):
                return self.frame[column].fillna(False).astype(bool)
            if (
                code not in self.frame.columns
                and not isinstance(choice, pd.Series)
                and any(str(c).startswith(f"{code}/") for c in self.frame.columns)
            ):
                return pd.Series(False, index=self.index)
        if node.name == "count-selected" and isinstance(node.args[0], Ref):
            code = node.args[0].code
            prefix = f"{code}/"
            choice_columns = [c for c in self.frame.columns if str(c).startswith(prefix)]
            if code not in self.frame.columns and choice_columns:
                flags = self.frame[choice_columns].fillna(False).astype(bool)
                return flags.sum(axis=1).astype(float)
        args = [self.eval(arg) for arg in node.args]
        if node.name == "not":
            value = args[0]
            if isinstance(value, pd.Series):
                return ~self.booleans(value)
            return not to_bool(value)
        return self.elementwise(lambda *xs: _apply_call(node.name, list(xs)), *args)

    # -- conversions with fast paths for typed columns
    def _numeric(self, value: Any) -> bool:
        if isinstance(value, self.pd.Series):
            return self.pd.api.types.is_numeric_dtype(value) and value.dtype != bool
        return _is_number(value)

    def _text_equality(self, left: Any, right: Any) -> Any:
        """Fast path for a text column compared with a text literal (the common indicator rule).

        Both sides are strings (or missing, which is ''), so XPath compares them as
        strings: a plain vectorised comparison gives exactly the per-row result.
        """
        pd = self.pd
        if isinstance(right, pd.Series) and isinstance(left, str):
            left, right = right, left
        if not (isinstance(left, pd.Series) and isinstance(right, str)):
            return None
        if isinstance(left.dtype, pd.CategoricalDtype) and all(
            isinstance(c, str) for c in left.cat.categories
        ):
            # Compare the small integer codes: missing is code -1, which reads as ''.
            codes = left.cat.codes.to_numpy()
            position = left.cat.categories.get_indexer([right])[0]
            same = (codes == position) & (position >= 0)
            if right == "":
                same |= codes == -1
            return pd.Series(same, index=left.index)
        if not pd.api.types.is_string_dtype(left.dtype) and (
            left.dtype != object
            or pd.api.types.infer_dtype(left, skipna=True) not in {"string", "empty"}
        ):
            return None
        return (left.fillna("") == right).astype(bool)

    def _isna(self, value: Any) -> Any:
        if isinstance(value, self.pd.Series):
            return value.isna()
        return isinstance(value, float) and math.isnan(value)

    def _series(self, value: Any) -> pandas.Series:
        if isinstance(value, self.pd.Series):
            return value
        return self.pd.Series(value, index=self.index)

    def numbers(self, value: Any) -> Any:
        pd = self.pd
        if not isinstance(value, pd.Series):
            return to_number(value)
        if value.dtype == bool:
            return value.astype(float)
        if pd.api.types.is_numeric_dtype(value):
            return value.astype(float)
        return value.map(to_number).astype(float)

    def booleans(self, value: Any) -> Any:
        pd = self.pd
        if value is None:
            return pd.Series(False, index=self.index)
        if not isinstance(value, pd.Series):
            return pd.Series(to_bool(value), index=self.index)
        if value.dtype == bool:
            return value
        if pd.api.types.is_numeric_dtype(value):
            return (value != 0) & value.notna()
        return value.map(to_bool).astype(bool)

    def elementwise(self, function: Any, *values: Any) -> pandas.Series:
        pd = self.pd
        columns = []
        for value in values:
            if isinstance(value, pd.Series):
                columns.append(_python_values(value))
            else:
                columns.append([value] * len(self.index))
        results = [function(*row) for row in zip(*columns, strict=True)]
        series = pd.Series(results, index=self.index, dtype=object)
        if results and all(isinstance(r, bool) for r in results):
            return series.astype(bool)
        if results and all(isinstance(r, float) for r in results):
            return series.astype(float)
        return series


def _is_float_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _missing_to_none(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _python_values(series: Any) -> list[Any]:
    """Plain Python values, with pandas' missing markers (NaN, NA, NaT) as None."""
    if series.dtype == bool:
        return [bool(v) for v in series.tolist()]
    if series.dtype.kind in "iuf":
        return [None if (isinstance(v, float) and math.isnan(v)) else v for v in series.tolist()]
    return series.astype(object).where(series.notna(), None).tolist()
