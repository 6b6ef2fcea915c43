"""Survey content in many languages: one helper picks the text, one counts what is missing.

Content is stored as `{language: text}`. The fallback order is stated once,
here: the requested language, then the survey's default language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import pycountry
from django.conf.locale import LANG_INFO
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from accounts.countries import pycountry_catalogue

# BCP 47, the common shapes: language, optional script, optional region or numeric area.
_BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$")

# The six UN languages come first wherever a language is offered.
UN_LANGUAGES = ["ar", "zh-Hans", "en", "fr", "ru", "es"]


def un_texts(en: str, fr: str, es: str, ru: str, ar: str, zh: str) -> dict[str, str]:
    """Content written once in each UN language, in this argument order."""
    return {"en": en, "fr": fr, "es": es, "ru": ru, "ar": ar, "zh-Hans": zh}


LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh-Hans": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "dv", "yi", "ckb", "sd", "ug"}


def normalize_language(code: str) -> str:
    """'ZH-hans' -> 'zh-Hans', 'pt_br' -> 'pt-BR': the canonical BCP 47 casing."""
    parts = code.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4:
            out.append(part.title())
        else:
            out.append(part.upper())
    return "-".join(out)


def is_valid_language(code: str) -> bool:
    return bool(_BCP47.match(code))


def language_error(code: str) -> str | None:
    if not is_valid_language(code):
        return str(
            _("“%(code)s” is not a language code such as en, fr, sw or zh-Hans.") % {"code": code}
        )
    return None


def language_name(code: str) -> str:
    """A language as its speakers name it where that is known: 'fr' -> 'Français',
    'sw' -> 'Kiswahili' (Django's list of some hundred languages); else its ISO 639
    name in the interface language: 'wo' -> 'Wolof', or '沃洛夫语' on a Chinese page;
    the code when unknown. Respondents pick their language from these names.
    """
    return language_label(code)[0]


def language_label(code: str) -> tuple[str, str]:
    """language_name and the language that name is written in, for its `lang` attribute.

    A screen reader reads 'Kiswahili' with a Swahili voice, but '沃洛夫语' (Wolof
    named in Chinese) with the page's voice: marking it `wo` would garble it.
    """
    known = LANGUAGE_NAMES.get(code)
    if known is not None:
        return known, code
    exact = LANG_INFO.get(code.lower(), {}).get("name_local")
    if exact:
        return exact, code
    base, _sep, rest = code.partition("-")
    own = LANG_INFO.get(base.lower(), {}).get("name_local")
    if own:
        return (f"{own} ({rest})" if rest else own), code
    return _iso_language_name(code, translation.get_language() or "en")


@lru_cache(maxsize=1024)
def _iso_language_name(code: str, interface: str) -> tuple[str, str]:
    """The ISO 639 name in the interface language, or in English where pycountry has none."""
    base, _sep, rest = code.partition("-")
    field = "alpha_2" if len(base) == 2 else "alpha_3"
    try:
        found = pycountry.languages.get(**{field: base.lower()})
    except (KeyError, LookupError):
        found = None
    if found is None:
        return code, code  # an unknown code stands as it is
    catalogue = pycountry_catalogue("iso639-3", interface)
    translated = catalogue.gettext(found.name)
    # "Swahili (macrolanguage)": the kind of language is no part of its name; and where
    # a catalogue gives several names ("中文; 汉语; 华语"), the first is the common one.
    name = re.sub(r"\s*[(（].*[)）]\s*$", "", translated.split(";")[0])
    # Where the catalogue lacks the name, it comes in English ("Wolof" on a Spanish page).
    has_it = found.name in getattr(catalogue, "_catalog", {})
    written_in = interface if has_it or interface.startswith("en") else "en"
    return (f"{name} ({rest})" if rest else name), written_in


def is_rtl(code: str) -> bool:
    return code.split("-")[0] in RTL_LANGUAGES


def text_for(texts: Mapping[str, str] | None, language: str, default_language: str) -> str:
    """The text in `language`, else in the survey's default language, else ''."""
    texts = texts or {}
    return (texts.get(language) or "").strip() or (texts.get(default_language) or "").strip()


def has_text(texts: Mapping[str, str] | None, language: str) -> bool:
    return bool(((texts or {}).get(language) or "").strip())


@lru_cache(maxsize=1)
def interface_codes() -> frozenset[str]:
    """The interface's languages (settings.LANGUAGES), lower-case: asked on every respondent page."""
    from django.conf import settings

    return frozenset(code.lower() for code, _name in settings.LANGUAGES)


@receiver(setting_changed)
def _languages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "LANGUAGES":
        interface_codes.cache_clear()
        _interface_language.cache_clear()
        respondent_interface_language.cache_clear()


def interface_has(language: str) -> bool:
    """Whether the platform's interface is translated into `language` (the UN six)."""
    return interface_language_for(language, "") != ""


def interface_language_for(content_language: str, fallback: str) -> str:
    """The UI language to use around content in `content_language` (for buttons, errors).

    Respondents see "Next" and error messages in the survey's language when the
    interface is translated into it (the six UN languages), else in `fallback`.
    """
    return _interface_language(content_language, fallback)


@lru_cache(maxsize=256)
def respondent_interface_language(content_language: str, default_language: str = "") -> str:
    """The interface language around a respondent's page, email or message.

    The survey's language when the interface has it; else (a national language
    such as Wolof or Swahili) the interface language of the survey's default
    language, which the country chose for it (French in Senegal), and English
    only when that is not one either. Remembered: every page a respondent sees asks.
    """
    fallback = interface_language_for(default_language, "en") if default_language else "en"
    return interface_language_for(content_language, fallback)


@lru_cache(maxsize=256)
def _interface_language(content_language: str, fallback: str) -> str:
    code = content_language.lower()
    available = interface_codes()
    if code in available:
        return code
    base = code.split("-")[0]
    return base if base in available else fallback


def choose_language(
    available: list[str], *, preset: str = "", accept_language: str = "", default: str
) -> str:
    """The first language to offer a respondent: collector preset, then browser, then default."""
    for asked in [preset, *_accept_language(accept_language)]:
        found = match_language(available, asked)
        if found:
            return found
    return default


def match_language(available: Sequence[str], asked: str) -> str | None:
    """The survey language a language tag stands for, or None when it has none.

    Tags ignore case (BCP 47): a link written by hand, or by the staff pages (Django
    writes zh-hans), must open the survey's zh-Hans, not its default language; a
    regional tag falls back to its language (fr-CA to fr), mainland and Singapore
    Chinese to Simplified.
    """
    code = asked.strip().replace("_", "-").lower()
    if not code:
        return None
    by_lower = {each.lower(): each for each in available}
    if code in by_lower:
        return by_lower[code]
    if code in {"zh", "zh-cn", "zh-sg"} and "zh-hans" in by_lower:
        return by_lower["zh-hans"]
    base = code.split("-")[0]
    if base in by_lower:
        return by_lower[base]
    for candidate in available:
        if candidate.lower().split("-")[0] == base:
            return candidate
    return None


def _accept_language(header: str) -> list[str]:
    """Language tags of an Accept-Language header, best first."""
    weighted = []
    for position, item in enumerate(header.split(",")):
        tag, _sep, params = item.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _q, _p, tag in sorted(weighted)]


def percent_text(value: float) -> str:
    """A percentage as the active language writes it: 70%, 70 % (French), 70٪ (Arabic).

    `value` is already in per cent (89.0, not 0.89); its decimal separator is the
    language's (89,5 in Russian).
    """
    return translation.pgettext("a percentage; %(value)s is the number", "%(value)s%%") % {
        "value": formats.localize(value)
    }


# What NFKC leaves as it is: the Arabic decimal separator, the minus sign.
_KEYBOARD_SIGNS = str.maketrans({"٫": ".", "−": "-"})


def from_keyboard(typed: str) -> str:
    """Text as an ASCII keyboard would have typed it, for what is read rather than kept.

    A Chinese input method in full width types ＠, １２ and ．; an Arabic keyboard
    ١٢٫٥. Numbers, codes and email addresses mean the same either way, so they
    are read through this: NFKC for full width, then every script's digits and
    the signs NFKC keeps. Answers in words are stored as written, not through it.
    """
    text = unicodedata.normalize("NFKC", typed).translate(_KEYBOARD_SIGNS)
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)
