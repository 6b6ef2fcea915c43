from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_bidi, get_language_info

from config.middleware import is_respondent_path


def navigation(request: HttpRequest) -> dict[str, object]:
    """The language switcher: one link per interface language, to this same page.

    Not on the answering flow's pages: they have their own links to the survey's
    languages, and their words may come from an agency's national-language texts,
    which translate_url (it switches languages and back by code) would replace
    with English.
    """
    if is_respondent_path(request):
        return {
            "interface_languages": [],
            "text_direction": "rtl" if get_language_bidi() else "ltr",
        }
    current = get_language()
    path = request.get_full_path()
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
                "bidi": info["bidi"],
            }
        )
    return {
        "interface_languages": languages,
        "text_direction": "rtl" if get_language_bidi() else "ltr",
    }
