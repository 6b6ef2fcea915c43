"""How a questionnaire behaves for one respondent: pages, relevance, choices, validation.

Works on the dict of `survey.serialization`, parsed once (`compile_survey`), so
the preview and the public answering flow share every rule, and a published
version (immutable) can be cached whole.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from survey import expressions as ex
from survey.i18n import from_keyboard, text_for
from survey.models import OTHER_TYPES, QuestionType

DEFAULT_MAX_LENGTH = {QuestionType.TEXT: 250, QuestionType.LONG_TEXT: 5000}
OTHER = "other"

# Control characters no keyboard types (tab and line breaks stay): text pasted from a
# PDF or a spreadsheet can carry them, and PostgreSQL refuses NUL in an answer, which
# would have lost the whole page.
_UNTYPED = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def typed_text(value: Any) -> str:
    """A posted value as text, less the control characters nobody types, trimmed."""
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value).translate(_UNTYPED).strip()


@dataclass
class Option:
    code: str
    label: dict[str, str]
    exclusive: bool = False
    anchored: bool = False
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class CompiledQuestion:
    """A question ready to answer, with what follows from its data worked out once.

    The answering flow reads these facts for every question of every page of
    every respondent, so they are attributes, not properties recomputed each time.
    """

    data: dict[str, Any]
    relevance: ex.Node | None
    constraint: ex.Node | None
    choice_filter: ex.Node | None
    calculation: ex.Node | None
    options: list[Option]
    rows: list[Option]
    code: str = field(init=False)
    type: str = field(init=False)
    settings: dict[str, Any] = field(init=False)
    required: bool = field(init=False)
    is_displayed: bool = field(init=False)
    has_other: bool = field(init=False)
    answer_keys: tuple[str, ...] = field(init=False)
    # The codes a respondent may send when no choice filter narrows them.
    codes: frozenset[str] = field(init=False)
    # A single choice shown as a drop-down list instead of a list of buttons.
    drop_down: bool = field(init=False)

    def __post_init__(self) -> None:
        self.code = self.data["code"]
        self.type = self.data["type"]
        self.settings = self.data.get("settings") or {}
        self.required = bool(self.data.get("required"))
        self.is_displayed = self.type not in {QuestionType.CALCULATE, QuestionType.HIDDEN}
        self.has_other = bool(self.settings.get("other")) and self.type in OTHER_TYPES
        if self.type == QuestionType.MATRIX:
            self.answer_keys = tuple(f"{self.code}_{row.code}" for row in self.rows)
        else:
            self.answer_keys = (self.code, f"{self.code}_{OTHER}")[: 2 if self.has_other else 1]
        self.codes = frozenset([o.code for o in self.options] + ([OTHER] if self.has_other else []))
        appearance = set(str(self.data.get("appearance") or "").lower().split())
        self.drop_down = self.type == QuestionType.SINGLE and bool(appearance & DROP_DOWN)


# XLSForm's appearances of a single choice that ODK and Enketo show as a drop-down
# list (or a box to search in): for long lists, a district or a country, that a phone
# would otherwise show as hundreds of buttons to scroll past. Both are a <select>
# here: the phone's own picker, which works without script and with screen readers.
DROP_DOWN = frozenset({"minimal", "autocomplete"})


@dataclass
class CompiledSection:
    code: str
    title: dict[str, str]
    relevance: ex.Node | None
    questions: list[CompiledQuestion]
    # Every answer key its questions own: what sending the page replaces.
    answer_keys: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.answer_keys = frozenset(key for q in self.questions for key in q.answer_keys)


@dataclass
class PageStep:
    """What sending one page leads to: the answers now, and where the respondent goes."""

    answers: dict[str, Any]
    errors: dict[str, str]
    raw: dict[str, Any]
    page: int  # the page to show next (1-based)
    finished: bool = False


@dataclass
class PageResult:
    answers: dict[str, Any]  # the page's cleaned answers (keys it owns)
    errors: dict[str, str]  # answer key -> message, in display order
    raw: dict[str, Any]  # what was typed, to show back on error


# The page form's field naming the questions the browser showed as their choice
# was made (respond.js). The hyphen keeps it apart from every question code.
LIVE_SHOWN_FIELD = "live-shown"
# The page form's own fields and buttons, hyphenated for the same reason: a
# question may be coded `state` (a federal country's states), `page`, `next`,
# `back` or `later`, and its answer must be neither taken for them nor replaced.
STATE_FIELD = "response-state"  # the response's signed state (survey.respond_views)
PAGE_FIELD = "page-number"
NEXT_BUTTON = "next-page"
BACK_BUTTON = "previous-page"
LATER_BUTTON = "continue-later"
# In every form of the answering flow, taken out by respond.js: a form that still
# has it was sent by a browser running no script, which cannot turn the answer to
# a POST into a plain entry in its history, so it gets a redirect to a GET instead.
NO_SCRIPT_FIELD = "no-script"
# Choice questions answered with one code: a follow-up can hang on their answer
# in the browser, since the codes that show it are known in advance.
_LIVE_CONTROLLERS = frozenset({QuestionType.SINGLE, QuestionType.LIKERT, QuestionType.YES_NO})


@dataclass(frozen=True)
class LiveRule:
    """A question that appears as soon as a choice on its own page shows it.

    `values` are the codes of the choice `on` that show it ("" for no choice
    yet), worked out on the server with the survey's own evaluator: the browser
    only compares codes, so it cannot read a rule differently.
    """

    on: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class PageQuestions:
    """What a page holds: the questions in order, those kept hidden, and the live rules."""

    questions: list[CompiledQuestion]
    hidden: frozenset[str]
    live: dict[str, LiveRule]


def _parse_or_none(text: str | None) -> ex.Node | None:
    if not text or not text.strip():
        return None
    try:
        return ex.parse(text)
    except ex.ExpressionError:
        return None  # drafts may be broken; publish checks refuse them before the public sees them


class CompiledSurvey:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.languages: list[str] = list(data.get("languages") or [])
        self.default_language: str = data.get("default_language") or ""
        # The platform's words in national languages (survey.interface_texts).
        self.interface_texts: dict[str, dict[str, str]] = data.get("interface_texts") or {}
        lists = {
            cl["name"]: [
                Option(
                    c["code"],
                    c.get("label") or {},
                    bool(c.get("exclusive")),
                    bool(c.get("anchored")),
                    dict(c.get("properties") or {}),
                )
                for c in cl.get("choices", [])
            ]
            for cl in data.get("choice_lists", [])
        }
        self.sections = [
            CompiledSection(
                code=s["code"],
                title=s.get("title") or {},
                relevance=_parse_or_none(s.get("relevance")),
                questions=[
                    CompiledQuestion(
                        data=q,
                        relevance=_parse_or_none(q.get("relevance")),
                        constraint=_parse_or_none(q.get("constraint")),
                        choice_filter=_parse_or_none(q.get("choice_filter")),
                        calculation=_parse_or_none(q.get("calculation")),
                        options=list(lists.get(q.get("choice_list") or "", [])),
                        rows=list(lists.get(q.get("rows_list") or "", [])),
                    )
                    for q in s.get("questions", [])
                ],
            )
            for s in data.get("sections", [])
        ]
        self.questions = {q.code: q for s in self.sections for q in s.questions}
        # Sections with something to show; a page is one of these when its relevance holds.
        self._pageable = [s for s in self.sections if any(q.is_displayed for q in s.questions)]
        # For renderers: what they derive once from this (frozen) survey.
        self.render_memo: dict[tuple[Any, ...], Any] = {}
        # Live follow-ups per section, and their rules when fixed by the survey alone.
        self._live: dict[str, dict[str, tuple[str, bool]]] = {}
        self._live_rules: dict[tuple[str, str], LiveRule] = {}

    # -- texts
    def text(self, texts: Mapping[str, str] | None, language: str) -> str:
        return text_for(texts, language, self.default_language)

    # -- relevance
    def section_visible(self, section: CompiledSection, answers: Mapping[str, Any]) -> bool:
        return section.relevance is None or ex.is_true(section.relevance, answers)

    def question_visible(self, question: CompiledQuestion, answers: Mapping[str, Any]) -> bool:
        return question.relevance is None or ex.is_true(question.relevance, answers)

    @property
    def pageable(self) -> list[CompiledSection]:
        """The sections that make pages (some question is shown), in order."""
        return self._pageable

    def visible_sections(self, answers: Mapping[str, Any]) -> list[CompiledSection]:
        return [s for s in self._pageable if self.section_visible(s, answers)]

    def visible_questions(
        self, section: CompiledSection, answers: Mapping[str, Any]
    ) -> list[CompiledQuestion]:
        return [
            q for q in section.questions if q.is_displayed and self.question_visible(q, answers)
        ]

    def _live_candidates(self, section: CompiledSection) -> dict[str, tuple[str, bool]]:
        """Questions of a section whose relevance hangs on one earlier choice on it.

        code -> (the choice's code, whether nothing else is referred to). A
        relevance that also reads another answer of the page, a calculation, or
        a choice asked after it is left to the server alone: without JavaScript,
        and in those cases, the page comes back once to show what appeared.
        """
        found = self._live.get(section.code)
        if found is not None:
            return found
        found = {}
        on_page: dict[str, CompiledQuestion] = {}  # keys answered before this question
        for question in section.questions:
            if question.is_displayed and question.relevance is not None:
                refs = ex.references(question.relevance)
                page_refs = [r for r in refs if r in on_page]
                others = refs - set(page_refs)
                if (
                    len(page_refs) == 1
                    and on_page[page_refs[0]].type in _LIVE_CONTROLLERS
                    and on_page[page_refs[0]].code == page_refs[0]
                    and not others & section.answer_keys  # answered later on the page
                    and not any(
                        self.questions[r].type == QuestionType.CALCULATE
                        for r in others
                        if r in self.questions
                    )
                ):
                    found[question.code] = (page_refs[0], not others)
            for key in question.answer_keys:
                on_page[key] = question
        self._live[section.code] = found
        return found

    def page_questions(self, section: CompiledSection, answers: Mapping[str, Any]) -> PageQuestions:
        """The questions a page shows, plus the follow-ups a choice on it may still reveal.

        The follow-ups come hidden with the codes that show them, so a phone shows
        one as soon as the choice is made instead of sending the page to find out.
        """
        candidates = self._live_candidates(section)
        if not candidates:
            return PageQuestions(self.visible_questions(section, answers), frozenset(), {})
        before = {k: v for k, v in answers.items() if k not in section.answer_keys}
        questions: list[CompiledQuestion] = []
        hidden: set[str] = set()
        live: dict[str, LiveRule] = {}
        for question in section.questions:
            if not question.is_displayed:
                continue
            visible = self.question_visible(question, answers)
            if question.code in candidates:
                on, static = candidates[question.code]
                key = (section.code, question.code)
                rule = self._live_rules.get(key) if static else None
                if rule is None:
                    codes = ["", *sorted(self.questions[on].codes)]
                    rule = LiveRule(
                        on,
                        tuple(
                            code
                            for code in codes
                            if self.question_visible(
                                question, {**before, on: code} if code else before
                            )
                        ),
                    )
                    if static:
                        self._live_rules[key] = rule
                live[question.code] = rule
                if not visible:
                    hidden.add(question.code)
            elif not visible:
                continue
            questions.append(question)
        return PageQuestions(questions, frozenset(hidden), live)

    # -- choices
    def newly_shown(
        self,
        section: CompiledSection,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        seen: Collection[str] = (),
    ) -> bool:
        """True when this page's own answers revealed a question still unanswered on it.

        Without JavaScript a question that depends on an answer on the same page
        appears only after the page is sent; the page is then shown again so the
        respondent sees it, instead of skipping it unseen. `seen`: the questions
        the browser already showed as the choice was made (left empty on purpose).
        """
        shown_before = {q.code for q in self.visible_questions(section, before)} | set(seen)
        for question in self.visible_questions(section, after):
            if question.code in shown_before or question.type == QuestionType.NOTE:
                continue
            if not any(key in after for key in question.answer_keys):
                return True
        return False

    def options_for(
        self, question: CompiledQuestion, answers: Mapping[str, Any], seed: str = ""
    ) -> list[Option]:
        """The choices to offer: filtered, randomised (anchored ones stay put) when asked."""
        options = question.options
        if question.choice_filter is not None:
            options = [
                o
                for o in options
                if ex.to_bool(
                    ex.evaluate(
                        question.choice_filter,
                        answers,
                        names={**o.properties, "name": o.code},
                    )
                )
            ]
        if question.settings.get("randomize") and seed:
            movable = [o for o in options if not o.anchored]
            random.Random(f"{seed}:{question.code}").shuffle(movable)  # noqa: S311 - not security
            shuffled = iter(movable)
            options = [o if o.anchored else next(shuffled) for o in options]
        return options

    def option_codes(
        self, question: CompiledQuestion, answers: Mapping[str, Any]
    ) -> set[str] | frozenset[str]:
        if question.choice_filter is None:  # randomising changes the order, not the codes
            return question.codes
        codes = {o.code for o in self.options_for(question, answers)}
        if question.has_other:
            codes.add(OTHER)
        return codes

    # -- answers
    def settle(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Drop answers that relevance now hides, and recompute calculated values.

        Hidden questions are neither shown nor stored; a later answer survives
        going back unless the change hides its question.
        """
        settled: dict[str, Any] = {}
        for section in self.sections:
            section_on = self.section_visible(section, settled)
            for question in section.questions:
                visible = section_on and self.question_visible(question, settled)
                if question.type == QuestionType.CALCULATE:
                    if visible and question.calculation is not None:
                        value = ex.evaluate(question.calculation, settled)
                        if not (isinstance(value, float) and math.isnan(value)):
                            settled[question.code] = value
                    continue
                if question.type == QuestionType.HIDDEN:
                    value = answers.get(question.code, question.data.get("default") or None)
                    if visible and value not in (None, ""):
                        settled[question.code] = value
                    continue
                if not visible:
                    continue
                for key in question.answer_keys:
                    if key in answers and answers[key] not in (None, "", []):
                        settled[key] = answers[key]
        return settled

    def submit_page(
        self,
        answers: Mapping[str, Any],
        page: int,
        post: Mapping[str, Any],
        language: str,
        *,
        going_back: bool = False,
        pausing: bool = False,
    ) -> PageStep:
        """One page sent: valid answers kept (even beside errors), hidden ones dropped.

        The preview and the public flow both use this, so they behave alike. A
        page whose own answers reveal an unanswered question is shown again.
        Going back, or pausing ("continue later"), keeps what is valid and
        leaves errors for later: the person is not moving on.
        """
        pages = self.visible_sections(answers)
        page = max(1, min(page, len(pages)))
        section = pages[page - 1]
        result = self.read_page(section, post, answers, language)
        kept = dict(answers)
        for question in section.questions:
            for key in question.answer_keys:
                if key not in result.errors or not (going_back or pausing):
                    kept.pop(key, None)
        kept.update(result.answers)
        kept = self.settle(kept)
        if going_back:
            return PageStep(kept, {}, {}, max(1, page - 1))
        if pausing:
            return PageStep(kept, {}, {}, page)
        if result.errors:
            return PageStep(kept, result.errors, result.raw, page)
        sent = post.get(LIVE_SHOWN_FIELD) or ""
        seen = (" ".join(map(str, sent)) if isinstance(sent, list) else str(sent)).split()[:200]
        if self.newly_shown(section, answers, kept, seen):
            return PageStep(kept, {}, {}, page)
        if page >= len(self.visible_sections(kept)):
            gap = self.first_gap(kept, language)
            if gap is not None:  # a page never sent: back to it, its questions marked
                return PageStep(kept, gap[1], {}, gap[0])
            return PageStep(kept, {}, {}, page, finished=True)
        return PageStep(kept, {}, {}, page + 1)

    def first_gap(
        self, answers: Mapping[str, Any], language: str
    ) -> tuple[int, dict[str, str]] | None:
        """The first page with a required question left unanswered, and its errors; or None.

        Each page is checked as it is sent, but a page may never be sent: a form
        posted for a later page (by hand, or from an old tab) would otherwise
        finish a response with required answers missing, and count it complete.
        """
        for number, section in enumerate(self.visible_sections(answers), start=1):
            errors = {
                question.code: self._required_error(question, language)
                for question in self.visible_questions(section, answers)
                if question.required and not _answered(question, answers)
            }
            if errors:
                return number, errors
        return None

    def _required_error(self, question: CompiledQuestion, language: str) -> str:
        return self.text(question.data.get("required_message"), language) or _(
            "This question needs an answer."
        )

    def page_as_typed(
        self, answers: Mapping[str, Any], page: int, post: Mapping[str, Any], language: str
    ) -> dict[str, Any]:
        """What was typed on a page, to show it again when it could not be saved."""
        section = page_at(self.visible_sections(answers), page)
        return self.read_page(section, post, answers, language).raw

    def read_page(
        self,
        section: CompiledSection,
        post: Mapping[str, Any],
        answers: Mapping[str, Any],
        language: str,
    ) -> PageResult:
        """Validate one page's submitted form against the answers so far."""
        page: dict[str, Any] = {}
        errors: dict[str, str] = {}
        raw: dict[str, Any] = {}
        context = {k: v for k, v in answers.items() if k not in section.answer_keys}
        for question in section.questions:
            if not question.is_displayed or not self.question_visible(question, context):
                continue
            value, error, typed = self._read_question(question, post, context, language)
            raw[question.code] = typed
            if question.has_other:
                other = post.get(f"{question.code}__{OTHER}", "")
                raw[f"{question.code}__{OTHER}"] = str(other)[:500] if other else ""
            if error is None and value is not None and question.constraint is not None:
                current = value if not isinstance(value, dict) else None
                if not ex.is_true(
                    question.constraint, {**context, **_flat(question, value)}, current
                ):
                    error = self.text(question.data.get("constraint_message"), language) or _(
                        "This answer is not accepted."
                    )
            if error is None and value is None and question.required:
                error = self._required_error(question, language)
            if error is not None:
                errors[question.code] = error
            elif value is not None:
                flat = _flat(question, value)
                page.update(flat)
                context.update(flat)
        return PageResult(page, errors, raw)

    def _read_question(
        self,
        question: CompiledQuestion,
        post: Mapping[str, Any],
        answers: Mapping[str, Any],
        language: str,
    ) -> tuple[Any, str | None, Any]:
        """(value or None, error or None, raw input to show back)."""
        code, qtype, settings = question.code, question.type, question.settings
        get_list = getattr(post, "getlist", None)

        def one(name: str) -> str:
            return typed_text(post.get(name, ""))

        if qtype in {QuestionType.SINGLE, QuestionType.LIKERT, QuestionType.YES_NO}:
            typed = one(code)
            if not typed:
                return None, None, typed
            if typed not in self.option_codes(question, answers):
                return None, _("Choose one of the options offered."), ""
            if typed == OTHER:
                other, error = self._read_other(question, post)
                if error:
                    return None, error, typed
                return {code: typed, f"{code}_{OTHER}": other}, None, typed
            return typed, None, typed

        if qtype == QuestionType.MULTIPLE:
            chosen = [str(v) for v in (get_list(code) if get_list else post.get(code) or [])]
            chosen = list(dict.fromkeys(c for c in chosen if c))
            if not chosen:
                return None, None, []
            allowed = self.option_codes(question, answers)
            if not set(chosen) <= allowed:
                return None, _("Choose among the options offered."), []
            exclusive = {o.code for o in question.options if o.exclusive}
            if len(chosen) > 1 and exclusive & set(chosen):
                return None, _("“None of these” cannot be combined with other answers."), chosen
            ordered = [o.code for o in question.options if o.code in chosen]
            if OTHER in chosen:
                ordered.append(OTHER)
                other, error = self._read_other(question, post)
                if error:
                    return None, error, chosen
                return {code: ordered, f"{code}_{OTHER}": other}, None, chosen
            return ordered, None, chosen

        if qtype == QuestionType.RANKING:
            offered = self.options_for(question, answers)
            ranks: dict[str, int] = {}
            typed_ranks = {}
            for option in offered:
                text = one(f"{code}__{option.code}")
                typed_ranks[option.code] = text
                if text:
                    try:
                        ranks[option.code] = int(text)
                    except ValueError:
                        return None, _("Give each option a different rank."), typed_ranks
            if not ranks:
                return None, None, typed_ranks
            values = sorted(ranks.values())
            if values != list(range(1, len(values) + 1)):
                return None, _("Give each option a different rank: 1, 2, 3 and so on."), typed_ranks
            top = ranks_asked(question, len(offered))
            if len(ranks) > top:
                return (
                    None,
                    ngettext(
                        "Rank only the %(count)d option you put first.",
                        "Rank only the %(count)d options you put first.",
                        top,
                    )
                    % {"count": top},
                    typed_ranks,
                )
            if question.required and len(ranks) != top:
                if top < len(offered):
                    message = ngettext(
                        "Rank the %(count)d option you put first.",
                        "Rank the %(count)d options you put first.",
                        top,
                    ) % {"count": top}
                else:
                    message = _("Rank every option.")
                return None, message, typed_ranks
            return sorted(ranks, key=ranks.__getitem__), None, typed_ranks

        if qtype == QuestionType.MATRIX:
            scale = {o.code for o in question.options}
            picked: dict[str, str] = {}
            typed_rows = {}
            for row in question.rows:
                text = one(f"{code}__{row.code}")
                typed_rows[row.code] = text
                if text:
                    if text not in scale:
                        return None, _("Choose one of the options offered."), {}
                    picked[f"{code}_{row.code}"] = text
            if not picked:
                return None, None, typed_rows
            if question.required and len(picked) != len(question.rows):
                return None, _("Answer every row."), typed_rows
            return picked, None, typed_rows

        typed = one(code)
        if not typed:
            return None, None, typed
        if qtype in {QuestionType.INTEGER, QuestionType.RATING}:
            return self._read_number(question, typed, integer=True)
        if qtype == QuestionType.DECIMAL:
            return self._read_number(question, typed, integer=False)
        if qtype == QuestionType.DATE:
            try:
                day = dt.date.fromisoformat(typed)
            except ValueError:
                return None, _("Enter a date such as 2026-05-22."), typed
            low, high = settings.get("min"), settings.get("max")
            if low and day.isoformat() < str(low):
                return None, _("Enter a date on or after %(date)s.") % {"date": low}, typed
            if high and day.isoformat() > str(high):
                return None, _("Enter a date on or before %(date)s.") % {"date": high}, typed
            return day.isoformat(), None, typed
        # text and long text
        limit = int(settings.get("max_length") or DEFAULT_MAX_LENGTH.get(qtype, 250))
        if len(typed) > limit:
            return (
                None,
                _("Use at most %(limit)d characters (you typed %(count)d).")
                % {"limit": limit, "count": len(typed)},
                typed[: limit * 2],
            )
        return typed, None, typed

    def _read_other(
        self, question: CompiledQuestion, post: Mapping[str, Any]
    ) -> tuple[str, str | None]:
        text = typed_text(post.get(f"{question.code}__{OTHER}", ""))
        if not text:
            return "", _("Please say what “other” is.")
        if len(text) > DEFAULT_MAX_LENGTH[QuestionType.TEXT]:
            return "", _("Use at most %(limit)d characters (you typed %(count)d).") % {
                "limit": DEFAULT_MAX_LENGTH[QuestionType.TEXT],
                "count": len(text),
            }
        return text, None

    def _read_number(
        self, question: CompiledQuestion, typed: str, *, integer: bool
    ) -> tuple[Any, str | None, str]:
        settings = question.settings
        text = from_keyboard(typed)  # ١٢٫٥ on an Arabic keyboard, １２．５ in full width
        text = text.replace(",", ".") if not integer else text
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) > Decimal(10) ** 15:
            return None, _("Enter a number."), typed
        if integer and number != number.to_integral_value():
            return None, _("Enter a whole number."), typed
        low = settings.get("min", 0 if question.type == QuestionType.RATING else None)
        high = settings.get("max", 10 if question.type == QuestionType.RATING else None)
        if low is not None and number < Decimal(str(low)):
            return None, _("Enter a number of at least %(min)s.") % {"min": low}, typed
        if high is not None and number > Decimal(str(high)):
            return None, _("Enter a number of at most %(max)s.") % {"max": high}, typed
        return (int(number) if integer else float(number)), None, typed


def rank_top(settings: Mapping[str, Any]) -> int | None:
    """A ranking's top (settings max, as Kobo's "top 3 needs"), if it is one: a whole
    number from 1. The publish checks refuse any other value."""
    top = settings.get("max")
    return top if isinstance(top, int) and not isinstance(top, bool) and top >= 1 else None


def ranks_asked(question: CompiledQuestion, offered: int) -> int:
    """How many options a ranking asks to rank: its top or every option offered,
    whichever is fewer."""
    top = rank_top(question.settings)
    return offered if top is None else min(top, offered)


def page_at(pages: list[CompiledSection], number: int) -> CompiledSection:
    """The page a number names; a number out of range (sent from an old tab, or stored
    before relevance skipped pages) names the nearest one."""
    return pages[max(1, min(number, len(pages))) - 1]


def _answered(question: CompiledQuestion, answers: Mapping[str, Any]) -> bool:
    """Whether a required question has its answer: every row of a matrix, else the answer."""
    if question.type == QuestionType.NOTE:
        return True
    if question.type == QuestionType.MATRIX:
        return all(key in answers for key in question.answer_keys)
    return question.code in answers


def _flat(question: CompiledQuestion, value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return {question.code: value}


def compile_survey(data: dict[str, Any]) -> CompiledSurvey:
    return CompiledSurvey(data)
