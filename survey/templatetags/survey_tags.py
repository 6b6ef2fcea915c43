"""Template helpers for survey content: text in a language, choices to offer, answers."""

from __future__ import annotations

from typing import Any

from django import template

from survey.i18n import text_for
from survey.logic import CompiledQuestion, CompiledSurvey

register = template.Library()


@register.simple_tag
def content(compiled: CompiledSurvey, texts: dict[str, str] | None, language: str) -> str:
    """Survey content in the respondent's language, falling back to the default language."""
    return text_for(texts, language, compiled.default_language)


@register.simple_tag
def options_for(
    compiled: CompiledSurvey, question: CompiledQuestion, answers: dict[str, Any], seed: str
) -> list[Any]:
    return compiled.options_for(question, answers, seed)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    if hasattr(mapping, "get"):
        return mapping.get(key)
    return None


@register.filter
def contains(values: Any, value: Any) -> bool:
    return value in (values or [])


@register.simple_tag
def rating_range(question: CompiledQuestion) -> list[int]:
    low = int(question.settings.get("min", 0))
    high = int(question.settings.get("max", 10))
    return list(range(low, high + 1))


@register.simple_tag
def rank_of(ranking: Any, code: str) -> str:
    if isinstance(ranking, list) and code in ranking:
        return str(ranking.index(code) + 1)
    return ""


@register.filter
def in_language(texts: dict[str, str] | None, language: str) -> str:
    """Data text in the interface language (zh-hans reads zh-Hans), English otherwise."""
    from survey.i18n import normalize_language

    return text_for(texts, normalize_language(language or "en"), "en")
