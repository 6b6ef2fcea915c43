"""Template helpers for survey content: text in a language, choices to offer, answers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from survey import i18n as survey_i18n
from survey.fieldwork import duration_text
from survey.i18n import language_name, text_for
from survey.interface_texts import survey_interface
from survey.links import is_safe_link
from survey.logic import CompiledSurvey, PageQuestions
from survey.page_render import render_questions
from survey.review import note_for_reader

register = template.Library()


class _RespondentWordsNode(template.Node):
    def __init__(self, compiled: Any, language: Any, nodelist: template.NodeList) -> None:
        self.compiled, self.language, self.nodelist = compiled, language, nodelist

    def render(self, context: template.Context) -> str:
        compiled = self.compiled.resolve(context)
        language = self.language.resolve(context)
        with survey_interface(compiled, language):
            return self.nodelist.render(context)


@register.tag
def respondent_words(parser: Any, token: Any) -> _RespondentWordsNode:
    """{% respondent_words compiled language %}…{% endrespondent_words %}: the platform's words
    inside as a respondent reads them in `language` (the designer's preview),
    national-language texts included, which {% language %} cannot load.
    """
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("respondent_words takes a survey and a language")
    nodelist = parser.parse(("endrespondent_words",))
    parser.delete_first_token()
    return _RespondentWordsNode(
        parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), nodelist
    )


@register.simple_tag
def content(compiled: CompiledSurvey, texts: dict[str, str] | None, language: str) -> str:
    """Survey content in the respondent's language, falling back to the default language."""
    return text_for(texts, language, compiled.default_language)


@register.simple_tag
def thank_you_links(compiled: CompiledSurvey, language: str) -> list[dict[str, str]]:
    """The thank-you page's links in the respondent's language, each with the site it opens.

    Checked again here, not only when saved: a version stored before the rule,
    or written to the database by hand, must still never put a `javascript:`
    address in front of a respondent.
    """
    links = []
    for link in compiled.data.get("thank_you_links") or []:
        url = link.get("url")
        label = text_for(link.get("label"), language, compiled.default_language)
        if label and is_safe_link(url):
            links.append({"url": url, "label": label, "site": urlsplit(url).hostname or ""})
    return links


@register.simple_tag
def questions(
    compiled: CompiledSurvey,
    page: PageQuestions,
    language: str,
    answers: dict[str, Any],
    errors: dict[str, str],
    raw: dict[str, Any],
    seed: str,
) -> SafeString:
    """A page's questions as the respondent sees them (the preview shows the same)."""
    return render_questions(
        compiled,
        page.questions,
        language=language,
        answers=answers,
        errors=errors,
        raw=raw,
        seed=seed,
        live=page.live,
        hidden=page.hidden,
    )


@register.filter
def percent(value: float) -> str:
    """89.0 -> "89.0%", or as the page's language writes a percentage (survey.i18n)."""
    return survey_i18n.percent_text(value)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    if hasattr(mapping, "get"):
        return mapping.get(key)
    return None


@register.filter
def in_language(texts: dict[str, str] | None, language: str) -> str:
    """Data text in the interface language (zh-hans reads zh-Hans), English otherwise."""
    from survey.i18n import normalize_language

    return text_for(texts, normalize_language(language or "en"), "en")


@register.filter(name="language_name")
def language_name_filter(code: str) -> str:
    """'fr' -> 'Français', 'wo' -> 'Wolof' (survey.i18n.language_name)."""
    return language_name(code)


@register.filter
def language_label(code: str) -> SafeString:
    """A language's name in a span marked with the language that name is written in."""
    name, written_in = survey_i18n.language_label(code)
    return format_html('<span lang="{}">{}</span>', written_in, name)


@register.filter
def duration(seconds: int) -> str:
    """541 -> "9 min 1 s", as the round page gives its median (survey.fieldwork.duration_text)."""
    return duration_text(seconds)


@register.filter
def decision_note(note: str) -> str:
    """A review decision's reason in the reader's language, where the platform wrote it."""
    return note_for_reader(note)
