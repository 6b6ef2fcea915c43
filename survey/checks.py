"""Publish checks: everything that must hold before a version can face respondents.

Pure functions over the dict of `survey.serialization`, so that the designer,
XLSForm import and the question bank all run the very same checks before
anything is stored or published. Each problem points at the question (or
section, or choice list) it is about.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from survey import expressions as ex
from survey.i18n import has_text
from survey.links import MAX_LINKS, link_owner, link_problem
from survey.logic import OTHER, rank_top
from survey.models import (
    CHOICE_CODE_PATTERN,
    CHOICE_TYPES,
    CODE_PATTERN,
    COMPUTED_TYPES,
    NO_ANSWER_TYPES,
    NUMBER_TYPES,
    OTHER_TYPES,
    TEXT_TYPES,
    Question,
    QuestionType,
)

_CODE_RE = re.compile(CODE_PATTERN)
_CHOICE_CODE_RE = re.compile(CHOICE_CODE_PATTERN)


class Kind:
    SYNTAX = "syntax"
    UNKNOWN_CODE = "unknown_code"
    LATER_REFERENCE = "later_reference"
    TYPE_MISMATCH = "type_mismatch"
    UNKNOWN_CHOICE = "unknown_choice"
    CYCLE = "cycle"
    EMPTY_CHOICE_LIST = "empty_choice_list"
    DUPLICATE_CODE = "duplicate_code"
    INVALID_CODE = "invalid_code"
    MISSING_TEXT = "missing_text"
    INVALID_SETTING = "invalid_setting"
    NO_QUESTIONS = "no_questions"
    INVALID_LINK = "invalid_link"


def _shown(code: str) -> str:
    """A code as a message quotes it: a line of a spreadsheet pasted by mistake, shortened."""
    return code if len(code) <= 70 else f"{code[:69]}…"


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str
    code: str = ""  # the question, section or choice list concerned
    field: str = ""  # relevance, constraint, text, ...
    language: str = ""


# --------------------------------------------------------------- answer types


@dataclass(frozen=True)
class AnswerType:
    kind: str  # number, text, date, choice, list, none, any
    codes: frozenset[str] = frozenset()

    @property
    def numeric_codes(self) -> bool:
        return bool(self.codes) and all(ex.to_number(c) == ex.to_number(c) for c in self.codes)


def answer_keys(data: dict[str, Any]) -> dict[str, tuple[str, AnswerType]]:
    """Every answer key a response can hold -> (question code, its type).

    Matrix rows answer under `<matrix>_<row>`; "other, please specify" text
    under `<question>_other`.
    """
    lists = {cl["name"]: cl for cl in data.get("choice_lists", [])}
    keys: dict[str, tuple[str, AnswerType]] = {}
    for question in iter_questions(data):
        code, qtype = question["code"], question["type"]
        choice_codes = frozenset(
            c["code"] for c in lists.get(question.get("choice_list") or "", {}).get("choices", [])
        )
        if qtype in NUMBER_TYPES:
            keys[code] = (code, AnswerType("number"))
        elif qtype in TEXT_TYPES:
            keys[code] = (code, AnswerType("text"))
        elif qtype == QuestionType.DATE:
            keys[code] = (code, AnswerType("date"))
        elif qtype in {QuestionType.MULTIPLE, QuestionType.RANKING}:
            keys[code] = (code, AnswerType("list", choice_codes))
        elif qtype == QuestionType.MATRIX:
            keys[code] = (code, AnswerType("none"))
            rows = lists.get(question.get("rows_list") or "", {}).get("choices", [])
            for row in rows:
                keys[f"{code}_{row['code']}"] = (code, AnswerType("choice", choice_codes))
        elif qtype in CHOICE_TYPES:
            keys[code] = (code, AnswerType("choice", choice_codes))
        elif qtype in NO_ANSWER_TYPES:
            keys[code] = (code, AnswerType("none"))
        else:
            keys[code] = (code, AnswerType("any"))
        if question.get("settings", {}).get("other") and qtype in OTHER_TYPES:
            keys[f"{code}_other"] = (code, AnswerType("text"))
    return keys


def iter_questions(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for section in data.get("sections", []):
        yield from section.get("questions", [])


# --------------------------------------------------------------------- checks

EXPRESSION_FIELDS = ("relevance", "constraint", "choice_filter", "calculation")


def check_survey(data: dict[str, Any]) -> list[Problem]:
    """Every problem that stops this version from being published; [] when it may go."""
    problems: list[Problem] = []
    problems += _check_codes(data)
    problems += _check_choice_lists(data)
    problems += _check_settings(data)
    problems += _check_expressions(data)
    problems += _check_texts(data)
    problems += _check_links(data)
    if not any(True for _q in iter_questions(data)):
        problems.append(Problem(Kind.NO_QUESTIONS, _("The survey has no questions yet.")))
    return problems


def _check_codes(data: dict[str, Any]) -> list[Problem]:
    problems = []
    question_codes = Counter(q["code"] for q in iter_questions(data))
    for code, count in question_codes.items():
        if count > 1:
            problems.append(
                Problem(
                    Kind.DUPLICATE_CODE,
                    _("The code %(code)s is used by %(count)d questions; codes must be unique.")
                    % {"code": code, "count": count},
                    code=code,
                    field="code",
                )
            )
    section_codes = Counter(s["code"] for s in data.get("sections", []))
    for code, count in section_codes.items():
        if count > 1:
            problems.append(
                Problem(
                    Kind.DUPLICATE_CODE,
                    _("The section code %(code)s is used %(count)d times.")
                    % {"code": code, "count": count},
                    code=code,
                    field="code",
                )
            )
    # List names and choice codes too: an imported file can hold anything, and the
    # database keeps codes of at most 64 characters (PostgreSQL refused longer ones with
    # a server error; SQLite kept them).
    list_names = [choice_list["name"] for choice_list in data.get("choice_lists", [])]
    invalid = [
        code for code in [*question_codes, *section_codes, *list_names] if not _CODE_RE.match(code)
    ]
    invalid += [
        choice["code"]
        for choice_list in data.get("choice_lists", [])
        for choice in choice_list.get("choices", [])
        if not _CHOICE_CODE_RE.match(str(choice["code"]))
    ]
    for code in invalid:
        problems.append(
            Problem(
                Kind.INVALID_CODE,
                _("“%(code)s” is not a valid code.") % {"code": _shown(code)},
                code=code,
                field="code",
            )
        )
    # Matrix rows and "other" answers get derived keys; they must not collide.
    seen: dict[str, str] = {code: code for code in question_codes}
    for key, (owner, _type) in answer_keys(data).items():
        if key != owner:
            if key in seen and seen[key] != owner:
                problems.append(
                    Problem(
                        Kind.DUPLICATE_CODE,
                        _("%(owner)s answers under %(key)s, which is already a question code.")
                        % {"owner": owner, "key": key},
                        code=owner,
                        field="code",
                    )
                )
            seen[key] = owner
    return problems


def _check_choice_lists(data: dict[str, Any]) -> list[Problem]:
    problems = []
    lists = {}
    for choice_list in data.get("choice_lists", []):
        lists[choice_list["name"]] = choice_list
        counts = Counter(c["code"] for c in choice_list["choices"])
        for code, count in counts.items():
            if count > 1:
                problems.append(
                    Problem(
                        Kind.DUPLICATE_CODE,
                        _(
                            "The choice code %(choice)s appears %(count)d times in the list %(list)s."
                        )
                        % {"choice": code, "count": count, "list": choice_list["name"]},
                        code=choice_list["name"],
                        field="choices",
                    )
                )
    for question in iter_questions(data):
        if question["type"] not in CHOICE_TYPES:
            continue
        # Whole sentences, not a word put into one: languages inflect the word by its place.
        needed = [("choice_list", _("%(code)s has no choices to offer."))]
        if question["type"] == QuestionType.MATRIX:
            needed.append(("rows_list", _("%(code)s has no rows to offer.")))
        for key, message in needed:
            name = question.get(key)
            if not name or not lists.get(name, {}).get("choices"):
                problems.append(
                    Problem(
                        Kind.EMPTY_CHOICE_LIST,
                        message % {"code": question["code"]},
                        code=question["code"],
                        field=key,
                    )
                )
        # "Other, please specify" answers with the code other: a list holding its own
        # choice of that code showed respondents two "Other" options, one answer.
        offered = lists.get(question.get("choice_list") or "", {}).get("choices", [])
        if (
            (question.get("settings") or {}).get("other")
            and question["type"] in OTHER_TYPES
            and any(choice["code"] == OTHER for choice in offered)
        ):
            problems.append(
                Problem(
                    Kind.DUPLICATE_CODE,
                    _(
                        "%(code)s offers “Other, please specify”, and its list %(list)s has "
                        "a choice coded other too: remove that choice, or the setting."
                    )
                    % {"code": question["code"], "list": question["choice_list"]},
                    code=question["code"],
                    field="settings",
                )
            )
    return problems


def _too_long(field: str, limit: int) -> str:
    if field == "appearance":
        return ngettext(
            "%(code)s: the appearance is longer than %(limit)d character.",
            "%(code)s: the appearance is longer than %(limit)d characters.",
            limit,
        )
    return ngettext(
        "%(code)s: the default value is longer than %(limit)d character.",
        "%(code)s: the default value is longer than %(limit)d characters.",
        limit,
    )


def _check_settings(data: dict[str, Any]) -> list[Problem]:
    problems = []
    for question in iter_questions(data):
        settings = question.get("settings") or {}
        low, high = settings.get("min"), settings.get("max")
        if low is not None and high is not None and ex.to_number(low) > ex.to_number(high):
            problems.append(
                Problem(
                    Kind.INVALID_SETTING,
                    _("%(code)s: the minimum is larger than the maximum.")
                    % {"code": question["code"]},
                    code=question["code"],
                    field="settings",
                )
            )
        for field in ("appearance", "default"):
            limit = Question._meta.get_field(field).max_length
            if len(str(question.get(field) or "")) > limit:
                problems.append(
                    Problem(
                        Kind.INVALID_SETTING,
                        _too_long(field, limit) % {"code": question["code"], "limit": limit},
                        code=question["code"],
                        field=field,
                    )
                )
        if (
            question["type"] == QuestionType.RANKING
            and settings.get("max") is not None
            and rank_top(settings) is None
        ):
            problems.append(
                Problem(
                    Kind.INVALID_SETTING,
                    _("%(code)s: the number of options to rank must be a whole number from 1.")
                    % {"code": question["code"]},
                    code=question["code"],
                    field="settings",
                )
            )
        if question["type"] == QuestionType.CALCULATE and not question.get("calculation"):
            problems.append(
                Problem(
                    Kind.INVALID_SETTING,
                    _("%(code)s is a calculated value without a calculation.")
                    % {"code": question["code"]},
                    code=question["code"],
                    field="calculation",
                )
            )
    return problems


def _check_expressions(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    keys = answer_keys(data)
    position: dict[str, int] = {}
    index = 0
    for question in iter_questions(data):
        position[question["code"]] = index
        index += 1
    lists = {cl["name"]: cl for cl in data.get("choice_lists", [])}
    graph: dict[str, set[str]] = {code: set() for code in position}

    def owner_position(key: str) -> int | None:
        owner = keys.get(key, (key, None))[0]
        return position.get(owner)

    first_in_section: dict[str, int] = {}
    for section in data.get("sections", []):
        questions = section.get("questions", [])
        start = position.get(questions[0]["code"]) if questions else index
        first_in_section[section["code"]] = start if start is not None else index
        if section.get("relevance"):
            node = _parse(section["relevance"], section["code"], "relevance", problems)
            if node is None:
                continue
            for ref in sorted(ex.references(node)):
                if ref not in keys:
                    problems.append(_unknown(ref, section["code"], "relevance"))
                    continue
                where = owner_position(ref)
                if where is not None and where >= first_in_section[section["code"]]:
                    problems.append(_later(ref, section["code"], "relevance"))
                for question in questions:
                    graph.setdefault(question["code"], set()).add(keys[ref][0])
            problems += _check_types(node, keys, None, section["code"], "relevance", lists)

    for question in iter_questions(data):
        code = question["code"]
        own_type = keys.get(code, (code, AnswerType("any")))[1]
        for field in EXPRESSION_FIELDS:
            text = question.get(field) or ""
            if not text.strip():
                continue
            node = _parse(text, code, field, problems)
            if node is None:
                continue
            if ex.uses_current(node) and field != "constraint":
                problems.append(
                    Problem(
                        Kind.SYNTAX,
                        _(
                            "%(code)s: “.” means the answer being checked; use it only in a constraint."
                        )
                        % {"code": code},
                        code=code,
                        field=field,
                    )
                )
            if ex.names(node) and field != "choice_filter":
                problems.append(
                    Problem(
                        Kind.UNKNOWN_CODE,
                        _("%(code)s: write question codes as ${code}; “%(name)s” is not one.")
                        % {"code": code, "name": sorted(ex.names(node))[0]},
                        code=code,
                        field=field,
                    )
                )
            for ref in sorted(ex.references(node)):
                if ref not in keys:
                    problems.append(_unknown(ref, code, field))
                    continue
                owner = keys[ref][0]
                if owner == code and field == "constraint":
                    continue
                if position[owner] >= position[code]:
                    problems.append(_later(ref, code, field))
                graph[code].add(owner)
            current = own_type if field == "constraint" else None
            problems += _check_types(node, keys, current, code, field, lists)
    problems += _check_cycles(graph)
    return problems


def _parse(text: str, code: str, field: str, problems: list[Problem]) -> ex.Node | None:
    try:
        return ex.parse(text)
    except ex.ExpressionError as error:
        problems.append(
            Problem(
                Kind.SYNTAX,
                _("%(code)s: %(error)s (at character %(position)d)")
                % {"code": code, "error": error.message, "position": error.position + 1},
                code=code,
                field=field,
            )
        )
        return None


def _unknown(ref: str, code: str, field: str) -> Problem:
    return Problem(
        Kind.UNKNOWN_CODE,
        _("%(code)s refers to ${%(ref)s}, which is not a question of this survey.")
        % {"code": code, "ref": ref},
        code=code,
        field=field,
    )


def _later(ref: str, code: str, field: str) -> Problem:
    return Problem(
        Kind.LATER_REFERENCE,
        _("%(code)s refers to ${%(ref)s}, which is not asked before it.")
        % {"code": code, "ref": ref},
        code=code,
        field=field,
    )


def _type_of(
    node: ex.Node, keys: dict[str, tuple[str, AnswerType]], current: AnswerType | None
) -> AnswerType | None:
    if isinstance(node, ex.Ref) and node.code in keys:
        return keys[node.code][1]
    if isinstance(node, ex.Current):
        return current
    return None


def _check_types(
    node: ex.Node,
    keys: dict[str, tuple[str, AnswerType]],
    current: AnswerType | None,
    code: str,
    field: str,
    lists: dict[str, Any],
) -> list[Problem]:
    problems = []

    def mismatch(message: str) -> None:
        problems.append(Problem(Kind.TYPE_MISMATCH, message, code=code, field=field))

    def label(side: ex.Node) -> str:
        return ex.unparse(side)

    for part in ex.walk(node):
        if isinstance(part, ex.Binary) and part.op in {"=", "!=", "<", "<=", ">", ">="}:
            for side, other in ((part.left, part.right), (part.right, part.left)):
                kind = _type_of(side, keys, current)
                if kind is None:
                    continue
                if kind.kind == "none":
                    mismatch(
                        _("%(code)s compares %(side)s, which has no answer.")
                        % {"code": code, "side": label(side)}
                    )
                elif kind.kind == "list":
                    mismatch(
                        _(
                            "%(code)s compares the multiple answers of %(side)s directly; "
                            "use selected() or count-selected()."
                        )
                        % {"code": code, "side": label(side)}
                    )
                elif kind.kind == "text" and (
                    isinstance(other, ex.Number)
                    or (_type_of(other, keys, current) or AnswerType("any")).kind == "number"
                    or part.op in {"<", "<=", ">", ">="}
                ):
                    mismatch(
                        _("%(code)s compares the text question %(side)s with a number.")
                        % {"code": code, "side": label(side)}
                    )
                elif (
                    kind.kind == "number"
                    and isinstance(other, ex.String)
                    and other.value != ""
                    and ex.to_number(other.value) != ex.to_number(other.value)
                ):
                    mismatch(
                        _(
                            "%(code)s compares the number question %(side)s with the text “%(text)s”."
                        )
                        % {"code": code, "side": label(side), "text": other.value}
                    )
                elif kind.kind == "choice":
                    if (
                        isinstance(other, ex.String)
                        and other.value
                        and other.value not in kind.codes
                    ):
                        problems.append(
                            Problem(
                                Kind.UNKNOWN_CHOICE,
                                _("%(code)s: %(side)s has no choice with the code “%(choice)s”.")
                                % {"code": code, "side": label(side), "choice": other.value},
                                code=code,
                                field=field,
                            )
                        )
                    elif (
                        isinstance(other, ex.Number) or part.op in {"<", "<=", ">", ">="}
                    ) and not kind.numeric_codes:
                        mismatch(
                            _(
                                "%(code)s compares the choices of %(side)s with a number, "
                                "but their codes are not numbers."
                            )
                            % {"code": code, "side": label(side)}
                        )
        elif isinstance(part, ex.Binary) and part.op in {"+", "-", "*", "div", "mod"}:
            for side in (part.left, part.right):
                kind = _type_of(side, keys, current)
                if kind is not None and kind.kind in {"text", "list", "none"}:
                    mismatch(
                        _("%(code)s does arithmetic with %(side)s, which is not a number.")
                        % {"code": code, "side": label(side)}
                    )
        elif isinstance(part, ex.Call) and part.name in {"selected", "count-selected"}:
            target = part.args[0]
            kind = _type_of(target, keys, current)
            allowed = {"list"} if part.name == "count-selected" else {"list", "choice"}
            if kind is not None and kind.kind not in allowed:
                mismatch(
                    _("%(code)s uses %(function)s() on %(side)s, which is not a choice question.")
                    % {"code": code, "function": part.name, "side": label(target)}
                )
            elif (
                kind is not None
                and part.name == "selected"
                and isinstance(part.args[1], ex.String)
                and part.args[1].value not in kind.codes
            ):
                problems.append(
                    Problem(
                        Kind.UNKNOWN_CHOICE,
                        _("%(code)s: %(side)s has no choice with the code “%(choice)s”.")
                        % {"code": code, "side": label(target), "choice": part.args[1].value},
                        code=code,
                        field=field,
                    )
                )
    return problems


def _check_cycles(graph: dict[str, set[str]]) -> list[Problem]:
    """Report each dependency cycle once, as a → b → a."""
    problems = []
    state: dict[str, int] = {}
    stack: list[str] = []
    reported: set[frozenset[str]] = set()

    def visit(code: str) -> None:
        state[code] = 1
        stack.append(code)
        for target in sorted(graph.get(code, ())):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    problems.append(
                        Problem(
                            Kind.CYCLE,
                            _("These questions depend on each other in a circle: %(path)s.")
                            % {"path": " → ".join(cycle)},
                            code=cycle[0],
                            field="logic",
                        )
                    )
            elif state.get(target) is None and target in graph:
                visit(target)
        stack.pop()
        state[code] = 2

    for code in sorted(graph):
        if state.get(code) is None:
            visit(code)
    return problems


def _check_texts(data: dict[str, Any]) -> list[Problem]:
    """Every text given in one language must exist in all the survey's languages."""
    problems = []
    languages = list(data.get("languages") or [])
    default = data.get("default_language")
    if default not in languages:
        problems.append(
            Problem(
                Kind.MISSING_TEXT,
                _("The default language %(language)s is not among the survey's languages.")
                % {"language": default},
                field="languages",
            )
        )
    for code, field, texts, required in iter_texts(data):
        present = any(has_text(texts, lang) for lang in languages)
        if not present and not required:
            continue
        for language in languages:
            if not has_text(texts, language):
                problems.append(
                    Problem(
                        Kind.MISSING_TEXT,
                        _("%(where)s: the %(field)s is missing in %(language)s.")
                        % {
                            "where": _where(code),
                            "field": field_label(field),
                            "language": language,
                        },
                        code=code,
                        field=field,
                        language=language,
                    )
                )
    return problems


def _check_links(data: dict[str, Any]) -> list[Problem]:
    """A link respondents could follow off the survey must be a plain web address."""
    problems = []
    links = data.get("thank_you_links") or []
    if len(links) > MAX_LINKS:
        problems.append(
            Problem(
                Kind.INVALID_LINK,
                _("The most thank-you links a survey can have is %(count)d.")
                % {"count": MAX_LINKS},
                field="thank_you_links",
            )
        )
    for number, link in enumerate(links, start=1):
        problem = link_problem(str(link.get("url") or ""))
        if problem:
            problems.append(
                Problem(
                    Kind.INVALID_LINK,
                    f"{link_owner(number)}: {problem}",
                    code=f"{LINK_CODE}.{number}",
                    field="url",
                )
            )
    return problems


LINK_CODE = "thank-you-link"  # thank-you link N: "thank-you-link.N", which no code can be


def _where(code: str) -> str:
    kind, _dot, number = code.partition(".")
    if kind == LINK_CODE and number.isdigit():
        return link_owner(int(number))
    return code or _("survey")


def field_label(field: str) -> str:
    labels = {
        "title": _("title"),
        "intro": _("introduction"),
        "thank_you": _("thank-you message"),
        "link_text": _("link text"),
        "text": _("question text"),
        "hint": _("hint"),
        "required_message": _("message when not answered"),
        "constraint_message": _("message when not accepted"),
        "label": _("label"),
        "low_label": _("label of the lowest value"),
        "high_label": _("label of the highest value"),
    }
    return labels.get(field, field)


def iter_texts(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, str], bool]]:
    """Every translatable text: (code, field, {language: text}, required)."""
    yield "", "title", data.get("title") or {}, True
    yield "", "intro", data.get("intro") or {}, False
    yield "", "thank_you", data.get("thank_you") or {}, False
    for number, link in enumerate(data.get("thank_you_links") or [], start=1):
        yield f"{LINK_CODE}.{number}", "link_text", link.get("label") or {}, True
    used_lists = {
        name
        for q in iter_questions(data)
        for name in (q.get("choice_list"), q.get("rows_list"))
        if name
    }
    for section in data.get("sections", []):
        yield section["code"], "title", section.get("title") or {}, False
        for question in section.get("questions", []):
            code = question["code"]
            needs_text = question["type"] not in COMPUTED_TYPES
            yield code, "text", question.get("text") or {}, needs_text
            yield code, "hint", question.get("hint") or {}, False
            yield code, "required_message", question.get("required_message") or {}, False
            yield code, "constraint_message", question.get("constraint_message") or {}, False
            settings = question.get("settings") or {}
            for key in ("low_label", "high_label"):
                if isinstance(settings.get(key), dict):
                    yield code, key, settings[key], False
    for choice_list in data.get("choice_lists", []):
        if choice_list["name"] not in used_lists:
            continue
        for choice in choice_list["choices"]:
            yield (
                f"{choice_list['name']}.{choice['code']}",
                "label",
                choice.get("label") or {},
                True,
            )
