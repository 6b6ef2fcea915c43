"""The questions of a respondent's page as HTML, written in Python.

Why not a template include per question: the answering page is the hottest
path of the product (every respondent, every page), and the include with its
filters cost several milliseconds a page, most of a page's server time. This
module writes the same accessible markup (fieldsets with legends, labels tied
to inputs, errors and hints announced through aria-describedby) in a fraction
of that. Every text is escaped here; nothing else builds respondent HTML.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from functools import lru_cache
from html import escape
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from survey.i18n import is_rtl, language_label, text_for
from survey.logic import (
    BACK_BUTTON,
    DEFAULT_MAX_LENGTH,
    LATER_BUTTON,
    NEXT_BUTTON,
    NO_SCRIPT_FIELD,
    OTHER,
    PAGE_FIELD,
    STATE_FIELD,
    CompiledQuestion,
    CompiledSection,
    CompiledSurvey,
    LiveRule,
    PageQuestions,
    ranks_asked,
)
from survey.models import QuestionType

_CHOICE_TYPES = {"single", "likert", "yes_no", "multiple", "rating"}
# The browser stops typing where the server's own check would refuse the answer.
_TEXT_LIMIT = DEFAULT_MAX_LENGTH[QuestionType.TEXT]
_LONG_TEXT_LIMIT = DEFAULT_MAX_LENGTH[QuestionType.LONG_TEXT]


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _texts(compiled: CompiledSurvey, texts: Any, language: str) -> str:
    return text_for(texts, language, compiled.default_language)


def _memo(compiled: CompiledSurvey, key: tuple[Any, ...], make: Any) -> Any:
    """Markup derived from a (frozen) compiled survey, written once per process.

    Escaped question texts, the fixed part of each option and whole fresh pages
    are kept on the compiled survey; a page only adds what the respondent chose.
    """
    found = compiled.render_memo.get(key)
    if found is None:
        found = compiled.render_memo[key] = make()
    return found


def _question_texts(
    compiled: CompiledSurvey, question: CompiledQuestion, language: str
) -> tuple[str, str, str]:
    """(text, escaped text, hint) of a question in a language."""

    def make() -> tuple[str, str, str]:
        text = _texts(compiled, question.data.get("text"), language)
        return text, _e(text), _texts(compiled, question.data.get("hint"), language)

    return _memo(compiled, ("texts", question.code, language), make)


def _summary_question(compiled: CompiledSurvey, question: CompiledQuestion, language: str) -> str:
    """A question's text as the error summary names it: its start, when it is long."""
    text = _question_texts(compiled, question, language)[0]
    return Truncator(" ".join(text.split())).chars(SUMMARY_QUESTION_CHARS)


def _summary_item(code: str, question: str, message: str, separator: str, ui: str) -> str:
    # A question that ends as a sentence does ("…?", "…？", "…؟") needs no colon after it.
    joint = " " if question[-1:] in _SENTENCE_ENDS else separator
    return (
        # One child in the link (a flex box, for its 44 px height): the two parts flow as text.
        f'<li><a href="#q-{_e(code)}"><span><span class="summary-question">{_e(question)}</span>'
        f"<span{ui}>{_e(joint)}{_e(message)}</span></span></a></li>"
    )


# Enough to tell the questions of a page apart, short enough to scan a list of them.
SUMMARY_QUESTION_CHARS = 80
_SENTENCE_ENDS = frozenset("?？؟:：.。!！…")


def _option_markup(
    compiled: CompiledSurvey, question: CompiledQuestion, language: str
) -> dict[str, tuple[str, str]]:
    """Each option's markup before and after the place of ` checked`, by option code."""

    def make() -> dict[str, tuple[str, str]]:
        code = _e(question.code)
        kind = "checkbox" if question.type == "multiple" else "radio"
        markup = {}
        for option in question.options:
            ocode = _e(option.code)
            markup[option.code] = (
                f'<li><input type="{kind}" name="{code}" id="{code}--{ocode}" value="{ocode}"',
                f'><label for="{code}--{ocode}">'
                f"{_e(_texts(compiled, option.label, language))}</label></li>",
            )
        return markup

    return _memo(compiled, ("options", question.code, language), make)


def ui_part(language: str, *, direction: bool = True) -> SafeString:
    """lang (and dir) for the platform's own words inside a page in `language`, if they differ.

    Around a national language the buttons and messages are in another language
    (respondent_interface_language); a screen reader must read them in it.
    """
    ui = translation.get_language() or "en"
    if ui.lower() == language.lower():
        return mark_safe("")
    attrs = f' lang="{_e(ui)}"'
    if direction and is_rtl(ui) != is_rtl(language):
        attrs += f' dir="{"rtl" if is_rtl(ui) else "ltr"}"'
    return mark_safe(attrs)


def _described_by(code: str, error: str, hint: str) -> str:
    ids = ((f"{code}-error " if error else "") + (f"{code}-hint" if hint else "")).strip()
    return f' aria-describedby="{_e(ids)}"' if ids else ""


def _in(values: Any, value: str) -> bool:
    return isinstance(values, list | tuple) and value in values


def render_questions(
    compiled: CompiledSurvey,
    questions: list[CompiledQuestion],
    *,
    language: str,
    answers: Mapping[str, Any],
    errors: Mapping[str, str],
    raw: Mapping[str, Any],
    seed: str,
    live: Mapping[str, LiveRule] | None = None,
    hidden: Collection[str] = (),
) -> SafeString:
    """The page's questions, in the respondent's language, with their answers and errors.

    `live`: follow-ups that respond.js shows or hides as a choice on the page
    changes; those in `hidden` are not shown yet (and stay so without JavaScript).
    """
    live = live or {}
    required_text = _e(_("required"))  # gettext outside f-strings: xgettext cannot see inside
    required = f' <span class="required"{ui_part(language)}>({required_text})</span>'
    parts: list[str] = []
    for question in questions:
        code = question.code
        qtype = question.type
        ecode = _e(code)
        error = errors.get(code) or ""
        text, etext, hint = _question_texts(compiled, question, language)
        typed = raw.get(code)
        answer = answers.get(code)
        mark = required if question.required else ""
        error_html = f'<p class="field-error" id="{ecode}-error">{_e(error)}</p>' if error else ""
        rule = live.get(code)
        show = (
            f' data-show-on="{_e(rule.on)}" data-show-values="{_e(json.dumps(rule.values))}"'
            f"{' hidden' if code in hidden else ''}"
            if rule
            else ""
        )
        parts.append(
            f'<div class="q q-{_e(qtype)}{" has-error" if error else ""}" id="q-{ecode}"{show}>'
        )
        if qtype == "note":
            parts.append(f'<div class="note-text">{linebreaks(text, autoescape=True)}</div>')
        elif question.drop_down:
            parts.append(
                _drop_down(
                    compiled,
                    question,
                    language,
                    answers,
                    raw,
                    typed,
                    answer,
                    seed,
                    etext=etext + mark,
                    hint=hint,
                    error=error,
                    error_html=error_html,
                )
            )
        elif qtype in _CHOICE_TYPES:
            parts.append(
                f"<fieldset{_described_by(code, error, hint)}>"
                f'<legend class="q-text">{etext}{mark}</legend>'
            )
            if hint:
                parts.append(f'<p class="hint" id="{ecode}-hint">{_e(hint)}</p>')
            parts.append(error_html)
            if qtype == "rating":
                parts.append(_rating(compiled, question, language, typed, answer))
            else:
                parts.append(
                    _options(compiled, question, language, answers, raw, typed, answer, seed)
                )
            parts.append("</fieldset>")
        elif qtype == "ranking":
            parts.append(
                _ranking(
                    compiled,
                    question,
                    language,
                    answers,
                    typed,
                    answer,
                    seed,
                    text=text,
                    hint=hint,
                    mark=mark,
                    error_html=error_html,
                )
            )
        elif qtype == "matrix":
            parts.append(
                f'<fieldset class="matrix"{_described_by(code, error, "")}>'
                f'<legend class="q-text">{_e(text)}{mark}</legend>'
                + (f'<p class="hint">{_e(hint)}</p>' if hint else "")
                + error_html
                + _matrix(compiled, question, language, answers, typed)
                + "</fieldset>"
            )
        else:
            parts.append(_text_input(question, text, hint, mark, error, error_html, typed, answer))
        parts.append("</div>")
    # Every value above went through _e() or linebreaks(autoescape=True).
    return mark_safe("\n".join(parts))


def _rating(
    compiled: CompiledSurvey, question: CompiledQuestion, language: str, typed: Any, answer: Any
) -> str:
    code = _e(question.code)
    low = int(question.settings.get("min", 0))
    high = int(question.settings.get("max", 10))
    points = list(range(low, high + 1))
    items = []
    for point in points:
        checked = str(typed) == str(point) or (typed is None and str(answer) == str(point))
        items.append(
            f'<span class="rating-point"><input type="radio" name="{code}" id="{code}-{point}" '
            f'value="{point}"{" checked" if checked else ""}>'
            f'<label for="{code}-{point}">{point}</label></span>'
        )
    html = f'<div class="rating-scale">{"".join(items)}</div>'
    low_label = _texts(compiled, question.settings.get("low_label"), language)
    high_label = _texts(compiled, question.settings.get("high_label"), language)
    if (low_label or high_label) and points:
        html += (
            f'<p class="rating-ends"><span>{points[0]} = {_e(low_label)}</span> '
            f"<span>{points[-1]} = {_e(high_label)}</span></p>"
        )
    return html


def _options(
    compiled: CompiledSurvey,
    question: CompiledQuestion,
    language: str,
    answers: Mapping[str, Any],
    raw: Mapping[str, Any],
    typed: Any,
    answer: Any,
    seed: str,
) -> str:
    code = _e(question.code)
    multiple = question.type == "multiple"
    kind = "checkbox" if multiple else "radio"
    markup = _option_markup(compiled, question, language)
    items = ['<ul class="options">']
    for option in compiled.options_for(question, answers, seed):
        if multiple:
            checked = _in(typed, option.code) or (typed is None and _in(answer, option.code))
        else:
            checked = typed == option.code or (typed is None and answer == option.code)
        before, after = markup[option.code]
        items.append(f"{before} checked{after}" if checked else before + after)
    if question.has_other:
        checked = typed == OTHER or _in(typed, OTHER)
        checked = checked or (typed is None and (answer == OTHER or _in(answer, OTHER)))
        ui = ui_part(language)
        other = _e(_("Other"))  # gettext outside f-strings: xgettext cannot see inside
        items.append(
            f'<li><input type="{kind}" name="{code}" id="{code}-other" value="other"'
            f'{" checked" if checked else ""}><label for="{code}-other"{ui}>{other}'
            f"</label>{_other_text(question, answers, raw, ui)}</li>"
        )
    items.append("</ul>")
    return "".join(items)


def _other_text(
    question: CompiledQuestion, answers: Mapping[str, Any], raw: Mapping[str, Any], ui: str
) -> str:
    """The box for "Other, please specify", with what was typed or kept."""
    code = _e(question.code)
    typed = raw.get(f"{question.code}__{OTHER}")
    text = typed if typed is not None else answers.get(f"{question.code}_{OTHER}")
    specify = _e(_("Other, please specify"))
    return (
        f'<label class="other-label" for="{code}-other-text"{ui}>'
        f"{specify}</label>"
        f'<input type="text" name="{code}__other" id="{code}-other-text" '
        f'maxlength="{_TEXT_LIMIT}" value="{_e(text or "")}">'
    )


def _drop_down(
    compiled: CompiledSurvey,
    question: CompiledQuestion,
    language: str,
    answers: Mapping[str, Any],
    raw: Mapping[str, Any],
    typed: Any,
    answer: Any,
    seed: str,
    *,
    etext: str,
    hint: str,
    error: str,
    error_html: str,
) -> str:
    """A single choice as a drop-down list (the appearance `minimal` or `autocomplete`)."""
    code = _e(question.code)
    chosen = typed if typed is not None else answer
    markup = _memo(
        compiled,
        ("drop-down", question.code, language),
        lambda: {
            option.code: (
                f'<option value="{_e(option.code)}"',
                f">{_e(_texts(compiled, option.label, language))}</option>",
            )
            for option in question.options
        },
    )
    ui = ui_part(language)
    choose = _e(_("Choose one"))
    items = [f'<option value=""{ui}>{choose}</option>']
    for option in compiled.options_for(question, answers, seed):
        before, after = markup[option.code]
        items.append(f"{before} selected{after}" if chosen == option.code else before + after)
    other = ""
    if question.has_other:
        selected = " selected" if chosen == OTHER else ""
        other_word = _e(_("Other"))
        items.append(f'<option value="other"{selected}{ui}>{other_word}</option>')
        other = _other_text(question, answers, raw, ui)
    invalid = ' aria-invalid="true"' if error else ""
    return (
        f'<label class="q-text" for="{code}-input">{etext}</label>'
        + (f'<p class="hint" id="{code}-hint">{_e(hint)}</p>' if hint else "")
        + error_html
        + f'<select name="{code}" id="{code}-input"{_described_by(question.code, error, hint)}'
        f"{invalid}>{''.join(items)}</select>" + other
    )


def _ranking(
    compiled: CompiledSurvey,
    question: CompiledQuestion,
    language: str,
    answers: Mapping[str, Any],
    typed: Any,
    answer: Any,
    seed: str,
    *,
    text: str,
    hint: str,
    mark: str,
    error_html: str,
) -> str:
    code = _e(question.code)
    error_id = f"{code}-error " if error_html else ""
    instructions = _("Give 1 to the option you put first, 2 to the next, and so on.")
    options = compiled.options_for(question, answers, seed)
    top = ranks_asked(question, len(options))
    if top < len(options):
        only = ngettext(
            "Rank only the %(count)d option you put first.",
            "Rank only the %(count)d options you put first.",
            top,
        )
        instructions += " " + only % {"count": top}
    instructions = _e(instructions)
    parts = [
        f'<fieldset aria-describedby="{error_id}{code}-hint">'
        f'<legend class="q-text">{_e(text)}{mark}</legend>'
        f'<p class="hint" id="{code}-hint">{_e(hint) + " " if hint else ""}'
        f"<span{ui_part(language)}>{instructions}</span></p>"
        f'{error_html}<ul class="options ranking">'
    ]
    for option in options:
        ocode = _e(option.code)
        current = str(answer.index(option.code) + 1) if _in(answer, option.code) else ""
        chosen = typed.get(option.code) if isinstance(typed, dict) else None
        choices = ['<option value="">—</option>']
        for rank in range(1, top + 1):
            selected = chosen == str(rank) if typed else current == str(rank)
            choices.append(
                f'<option value="{rank}"{" selected" if selected else ""}>{rank}</option>'
            )
        parts.append(
            f'<li><label for="{code}--{ocode}">{_e(_texts(compiled, option.label, language))}'
            f'</label><select name="{code}__{ocode}" id="{code}--{ocode}">{"".join(choices)}'
            "</select></li>"
        )
    parts.append("</ul></fieldset>")
    return "".join(parts)


def _matrix(
    compiled: CompiledSurvey,
    question: CompiledQuestion,
    language: str,
    answers: Mapping[str, Any],
    typed: Any,
) -> str:
    code = _e(question.code)
    parts = []
    labels = [(_e(o.code), _e(_texts(compiled, o.label, language))) for o in question.options]
    for row in question.rows:
        rcode = _e(row.code)
        key = f"{question.code}_{row.code}"
        chosen = typed.get(row.code) if isinstance(typed, dict) else None
        items = []
        for option, (ocode, label) in zip(question.options, labels, strict=True):
            checked = chosen == option.code if typed else answers.get(key) == option.code
            items.append(
                f'<li><input type="radio" name="{code}__{rcode}" id="{code}--{rcode}--{ocode}" '
                f'value="{ocode}"{" checked" if checked else ""}>'
                f'<label for="{code}--{rcode}--{ocode}">{label}</label></li>'
            )
        parts.append(
            f'<fieldset class="matrix-row"><legend>{_e(_texts(compiled, row.label, language))}'
            f'</legend><ul class="options options-inline">{"".join(items)}</ul></fieldset>'
        )
    return "".join(parts)


def _text_input(
    question: CompiledQuestion,
    text: str,
    hint: str,
    mark: str,
    error: str,
    error_html: str,
    typed: Any,
    answer: Any,
) -> str:
    code = _e(question.code)
    qtype = question.type
    described = _described_by(question.code, error, hint)
    invalid = ' aria-invalid="true"' if error else ""
    html = f'<label class="q-text" for="{code}-input">{_e(text)}{mark}</label>'
    if hint:
        html += f'<p class="hint" id="{code}-hint">{_e(hint)}</p>'
    html += error_html
    max_length = question.settings.get("max_length")
    if qtype == "long_text":
        value = typed if typed is not None else (answer or "")
        return (
            html + f'<textarea name="{code}" id="{code}-input" rows="5" '
            f'maxlength="{_e(max_length or _LONG_TEXT_LIMIT)}"{described}{invalid}>'
            f"{_e(value)}</textarea>"
        )
    if qtype == "date":
        kind = 'type="date"'
    elif qtype == "integer":
        kind = 'type="text" inputmode="numeric"'
    elif qtype == "decimal":
        kind = 'type="text" inputmode="decimal"'
    else:
        kind = f'type="text" maxlength="{_e(max_length or _TEXT_LIMIT)}"'
    value = typed if typed is not None else ("" if answer is None else answer)
    return (
        html + f'<input name="{code}" id="{code}-input" {kind} value="{_e(value)}"{described}'
        f"{invalid}>"
    )


# ------------------------------------------------------------------ the whole page

_CONTENT = "<!--cepa:content-->"


@lru_cache(maxsize=256)
def _shell(compiled: CompiledSurvey, language: str, ui_language: str) -> tuple[str, str]:
    """The layout around a page (header, language switcher, footer), rendered once.

    It depends only on the survey, the content language and the interface
    language, so it is cached per process; published surveys never change.
    """
    del ui_language  # part of the cache key: the layout's own texts are in it
    html = render_to_string("survey/respond/shell.html", _layout_context(compiled, language))
    before, _marker, after = html.partition(_CONTENT)
    return before, after


@lru_cache(maxsize=1024)
def _page_shell(
    compiled: CompiledSurvey, language: str, ui_language: str, page_address: str, stop_url: str
) -> tuple[str, str]:
    """The layout of a question page, whose language links lead to the page's own address.

    Page 1 comes in the answer to the consent, at the welcome page's address:
    relative links ("?lang=fr") would lead back there, where the link opened
    anew on a shared device is told apart by the absence of a language chosen.
    Its "Delete my answers" leads to `stop_url` (answers not sent yet have no
    receipt code to delete them with), when given.
    """
    before, after = _shell(compiled, language, ui_language)
    if stop_url:
        after = after.replace(
            f'href="{reverse("respond:withdraw")}?lang=', f'href="{_e(stop_url)}?lang='
        )
    return before.replace('href="?lang=', f'href="{_e(page_address)}?lang='), after


def respondent_page(
    compiled: CompiledSurvey,
    *,
    section: CompiledSection,
    page: PageQuestions,
    language: str,
    answers: Mapping[str, Any],
    errors: Mapping[str, str],
    raw: Mapping[str, Any],
    seed: str,
    page_number: int,
    page_count: int,
    state: str,
    action_url: str,
    notice: str = "",
    afresh_url: str = "",
    stop_url: str = "",
) -> str:
    """A question page: progress, error summary, the questions, back and next.

    `afresh_url`: the link brought this browser back to answers begun on it;
    the page says so and offers another person this address to begin their own.
    `stop_url`: where "Delete my answers" leads (see _page_shell).

    Call inside the interface language (translation.override): buttons and
    messages come in it, survey content in `language`.

    Most pages are shown fresh: no answer on them yet, no error. Unless a
    choice filter or a random order makes them personal, such a page is the
    same for everyone on this link but the state, so it is written once
    per process and the state filled in.
    """
    questions = page.questions
    fresh = (
        not errors
        and not raw
        and not notice
        and not afresh_url
        and not any(
            key in answers
            or question.choice_filter is not None
            or question.settings.get("randomize")
            for question in questions
            for key in question.answer_keys
        )
    )

    def page_html(**varying: Any) -> str:
        return _page_html(
            compiled,
            section=section,
            page=page,
            language=language,
            page_number=page_number,
            page_count=page_count,
            action_url=action_url,
            stop_url=stop_url,
            **varying,
        )

    if not fresh:
        return page_html(
            answers=answers,
            errors=errors,
            raw=raw,
            seed=seed,
            state=state,
            notice=notice,
            afresh_url=afresh_url,
        )
    key = (
        "page",
        section.code,
        language,
        translation.get_language(),
        page_number,
        page_count,
        tuple(question.code for question in questions),
        page.hidden,
        tuple(sorted(page.live.items())),
        action_url,
        stop_url,
    )
    html = _memo(
        compiled,
        key,
        lambda: page_html(
            answers={}, errors={}, raw={}, seed="", state=_STATE, notice="", afresh_url=""
        ),
    )
    return html.replace(_STATE, escape(state))


def _page_html(
    compiled: CompiledSurvey,
    *,
    section: CompiledSection,
    page: PageQuestions,
    language: str,
    answers: Mapping[str, Any],
    errors: Mapping[str, str],
    raw: Mapping[str, Any],
    seed: str,
    page_number: int,
    page_count: int,
    state: str,
    action_url: str,
    notice: str,
    afresh_url: str,
    stop_url: str,
) -> str:
    before, after = _page_shell(
        compiled, language, translation.get_language(), action_url.partition("?")[0], stop_url
    )
    progress = _("Page %(page)s of %(total)s") % {"page": page_number, "total": page_count}
    check_these, back_text = _("Please check these answers"), _("Back")
    later_text = _("Continue later")
    ui = ui_part(language)
    # The window's title is the first thing a screen reader says of a new page:
    # which page this is, and whether it came back with something to correct.
    heading = f"{progress} – "
    if errors or notice:
        heading = _("Error: %(title)s") % {"title": heading}
    parts = [
        before.replace("<title>", f"<title>{_e(heading)}", 1),
        f'<p class="progress-text"{ui}>{_e(progress)}</p>\n<progress max="{page_count}" value="{page_number}" aria-hidden="true"></progress>',
    ]
    if afresh_url:  # a shared phone: the next person must not answer on in someone's answers
        begun = _("You are continuing the answers begun earlier on this device.")
        own = _("Not yours? Start your own answers")
        parts.append(
            f'<p class="message"{ui}>{_e(begun)} <a href="{_e(afresh_url)}">{_e(own)}</a></p>'
        )
    if notice:  # the page could not be saved now; what was typed is in the form below
        parts.append(
            '<div class="error-summary" role="alert" tabindex="-1" id="error-summary">'
            f"<p{ui}>{_e(notice)}</p></div>"
        )
    if errors:
        # Each item names its question: "This question needs an answer." twice over
        # tells a screen reader's user nothing about where to go.
        asked = {question.code: question for question in page.questions}
        separator = pgettext("between a question and its error in the error summary", ": ")
        items = "".join(
            _summary_item(
                code, _summary_question(compiled, asked[code], language), message, separator, ui
            )
            if code in asked
            else f'<li><a href="#q-{_e(code)}"{ui}>{_e(message)}</a></li>'
            for code, message in errors.items()
        )
        parts.append(
            '<div class="error-summary" role="alert" tabindex="-1" id="error-summary">'
            f"<h2{ui}>{_e(check_these)}</h2><ul>{items}</ul></div>"
        )
    title = _texts(compiled, section.title, language)
    back = (
        f'<button type="submit" name="{BACK_BUTTON}" value="1" class="secondary">{_e(back_text)}</button>'
        if page_number > 1
        else "<span></span>"
    )
    forward = _("Send my answers") if page_number == page_count else _("Next")
    parts += [
        f'<form method="post" action="{_e(action_url)}" novalidate>',
        f'<input type="hidden" name="{STATE_FIELD}" value="{_e(state)}">',
        f'<input type="hidden" name="{PAGE_FIELD}" value="{page_number}">',
        f'<input type="hidden" name="{NO_SCRIPT_FIELD}" value="1">',
        f"<h1>{_e(title)}</h1>" if title else "",
        render_questions(
            compiled,
            page.questions,
            language=language,
            answers=answers,
            errors=errors,
            raw=raw,
            seed=seed,
            live=page.live,
            hidden=page.hidden,
        ),
        # "Next" comes first in the form, shown last by the style sheet: pressing
        # Enter, or a phone keyboard's Go, sends the form with its first button.
        # Back stays at the start of the page's own reading direction: lang only.
        f'<div class="nav-buttons"{ui_part(language, direction=False)}><button type="submit" name="{NEXT_BUTTON}" value="1">{_e(forward)}'
        f"</button>{back}</div>",
        # A button, not a link: what is on this page is saved before leaving.
        f'<p class="later"{ui}><button type="submit" name="{LATER_BUTTON}" value="1" class="link-button">'
        f"{_e(later_text)}</button></p>",
        "</form>",
        after,
    ]
    return "\n".join(parts)


_NONCE = "cepa-nonce-placeholder"
_STATE = "cepa-state-placeholder"


def _layout_context(compiled: CompiledSurvey, language: str) -> dict[str, Any]:
    return {
        "compiled": compiled,
        "language": language,
        "content_dir": "rtl" if is_rtl(language) else "ltr",
        "ui_language": translation.get_language(),
        "ui_attr": ui_part(language),
        "languages": [(code, *language_label(code)) for code in compiled.languages],
    }


# Chat apps and social networks show about this much of a description under a link.
PREVIEW_LENGTH = 200


def link_preview(compiled: CompiledSurvey, language: str) -> dict[str, str]:
    """What a chat app or social network shows under a shared survey link.

    Agencies post the public link on WhatsApp, Facebook or Telegram; without
    these the card named the survey only, or nothing. The intro is the invitation
    to answer, so it is the description, on one line and cut where a card cuts.
    """
    intro = " ".join(_texts(compiled, compiled.data.get("intro"), language).split())
    return {
        "title": _texts(compiled, compiled.data.get("title"), language),
        "description": Truncator(intro).chars(PREVIEW_LENGTH),
    }


@lru_cache(maxsize=256)
def _plain_welcome(compiled: CompiledSurvey, language: str, ui_language: str) -> str:
    del ui_language  # part of the cache key
    return render_to_string(
        "survey/respond/welcome.html",
        {**_welcome_context(compiled, language), "nonce": _NONCE},
    )


def _welcome_context(compiled: CompiledSurvey, language: str) -> dict[str, Any]:
    return {**_layout_context(compiled, language), "preview": link_preview(compiled, language)}


_RECEIPT = "cepa-receipt-placeholder"
_ADDRESS = "cepa-address-placeholder"


# How what a browser sends is a test, left out of the results (the pages say which).
TEST_LINK = "link"  # through a staff test link (CollectorKind.TEST)
TEST_SIGNED_IN = "signed_in"  # from a browser signed in to the agency


@lru_cache(maxsize=1024)
def _thank_you_layout(
    compiled: CompiledSurvey,
    language: str,
    ui_language: str,
    *,
    receipt: bool,
    complete: bool,
    answered_before: bool,
    afresh_url: str,
    address: bool,
    test: str,
) -> str:
    del ui_language  # part of the cache key
    return render_to_string(
        "survey/respond/done.html",
        {
            **_layout_context(compiled, language),
            "languages": [],  # no language links: the answers are sent
            "receipt": _RECEIPT if receipt else "",
            "complete": complete,
            "answered_before": answered_before,
            "afresh": afresh_url,
            "address": _ADDRESS if address else "",
            "test": test,
        },
    )


def thank_you_page(
    compiled: CompiledSurvey,
    *,
    language: str,
    receipt: str,
    complete: bool,
    answered_before: bool,
    afresh_url: str,
    address: str,
    test: str = "",
) -> str:
    """The thank-you page (call inside the interface language, as for question pages).

    Every respondent sees it once, and it is the same for everyone on a link but
    the receipt code and its own address (with the state, where the browser
    keeps no cookie): written once for each kind and those filled in.
    `address`: given when the page comes in the answer to the last page.
    `test`: how what was sent is a test, left out of the results (TEST_LINK,
    TEST_SIGNED_IN), or "".
    """
    html = _thank_you_layout(
        compiled,
        language,
        translation.get_language(),
        receipt=bool(receipt),
        complete=complete,
        answered_before=answered_before,
        afresh_url=afresh_url,
        address=bool(address),
        test=test,
    )
    return html.replace(_RECEIPT, escape(receipt)).replace(_ADDRESS, escape(address))


def welcome_page(
    compiled: CompiledSurvey,
    *,
    language: str,
    nonce: str,
    error: str = "",
    challenge: tuple[str, int, int] | None = None,
    consent: bool = False,
    test: str = "",
) -> str:
    """The welcome page: intro, privacy notice and consent (in the interface language).

    Without an error or a sum to solve it is the same for everyone but the
    nonce, so it is rendered once and the nonce filled in. `test`: as for
    thank_you_page; the page says that what is sent is a test.
    """
    if not error and challenge is None and not test:
        html = _plain_welcome(compiled, language, translation.get_language())
        return html.replace(_NONCE, escape(nonce))
    return render_to_string(
        "survey/respond/welcome.html",
        {
            **_welcome_context(compiled, language),
            "nonce": nonce,
            "error": error,
            "challenge": challenge,
            "consent": consent,
            "test": test,
        },
    )
