"""The platform's own words on a respondent's page ("Next", errors), in a national language.

The interface is translated into the six UN languages with gettext (locale/).
A survey in Wolof, Swahili or Quechua gets these words from the agency
instead: each version stores `{language: {msgid: text}}` for its languages
that the interface does not have, and while a respondent's page, email or
message is worded those texts come first, then the interface language of the
survey's default language (French in Senegal), text by text.

Which texts a respondent can meet is read from the answering flow's own
sources (the modules and templates below), so a text added there is offered
for translation without anyone keeping a list.
"""

from __future__ import annotations

import ast
import gettext as gettext_module
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext, trans_real
from django.utils.translation import gettext_lazy as _
from django.utils.translation.template import templatize

from survey.i18n import interface_has, respondent_interface_language

# The invitation's and the reminder's subjects: fieldwork sends them from a
# module that is mostly the agency's, so they are named here, among the texts offered.
EMAIL_SUBJECTS = (
    gettext_noop("Your views on biodiversity: %(title)s"),
    gettext_noop("Reminder: your views on biodiversity: %(title)s"),
)

# Everything a respondent reads of the platform's own is worded in these files,
# in the order a respondent meets them.
_SOURCES = (
    "templates/survey/respond/base.html",
    "templates/survey/respond/welcome.html",
    "survey/page_render.py",
    "survey/logic.py",
    "templates/survey/respond/done.html",
    "templates/survey/includes/thank_you_links.html",
    "templates/survey/respond/later.html",
    "templates/survey/respond/later_email.txt",
    "templates/survey/respond/stop.html",
    "templates/survey/respond/withdraw.html",
    "templates/survey/respond/stop_emails.html",
    "survey/answering.py",
    "survey/respond_views.py",
)
_EMAIL_SOURCES = (
    "templates/survey/respond/invitation_email.txt",
    "templates/survey/respond/reminder_email.txt",
    "templates/survey/respond/stop_line.txt",
)
_ROOT = Path(__file__).resolve().parents[1]
_GETTEXT_FUNCTIONS = {
    "_": 1,
    "gettext": 1,
    "gettext_lazy": 1,
    "gettext_noop": 1,
    "ngettext": 2,
    "ngettext_lazy": 2,
}
# In templatize's output: gettext(u'…') and ngettext(u'…', u'…', count).
_TEMPLATE_CALL = re.compile(r"\b(n?gettext)\(((?:\s*u?'(?:[^'\\]|\\.)*'\s*,?)+)")
_TEMPLATE_STRING = re.compile(r"u?'(?:[^'\\]|\\.)*'")
# printf placeholders as gettext keeps them: %(name)s, %(count)d, %s; not %%.
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx]")

MAX_LENGTH = 2000


@dataclass(frozen=True)
class InterfaceText:
    msgid: str
    plural: str = ""  # the English plural, for a text that depends on a number


def _from_python(source: str) -> Iterator[InterfaceText]:
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        count = _GETTEXT_FUNCTIONS.get(node.func.id)
        if count is None or len(node.args) < count:
            continue
        words = [a.value for a in node.args[:count] if isinstance(a, ast.Constant)]
        if len(words) == count and all(isinstance(w, str) for w in words):
            yield InterfaceText(*words)


def _from_template(source: str) -> Iterator[InterfaceText]:
    for _name, arguments in _TEMPLATE_CALL.findall(templatize(source)):
        words = [ast.literal_eval(s) for s in _TEMPLATE_STRING.findall(arguments)]
        yield InterfaceText(*words[:2])


def missing_sources() -> list[str]:
    """The files respondent_texts reads that this installation lacks (one shipped as .pyc only)."""
    return [name for name in (*_SOURCES, *_EMAIL_SOURCES) if not (_ROOT / name).is_file()]


@lru_cache(maxsize=1)
def respondent_texts() -> tuple[InterfaceText, ...]:
    """Every text of the platform's that a respondent can read, each once, in reading order."""
    found: dict[str, InterfaceText] = {}
    for name in _SOURCES:
        source = (_ROOT / name).read_text(encoding="utf-8")
        texts = _from_python(source) if name.endswith(".py") else _from_template(source)
        for text in texts:
            found.setdefault(text.msgid, text)
    for subject in EMAIL_SUBJECTS:
        found.setdefault(subject, InterfaceText(subject))
    for name in _EMAIL_SOURCES:
        for text in _from_template((_ROOT / name).read_text(encoding="utf-8")):
            found.setdefault(text.msgid, text)
    return tuple(found.values())


def as_the_interface_words_it(language: str) -> dict[str, str]:
    """{msgid: text} of every respondent text in an interface language: what a national
    language falls back on, shown to whoever translates it."""
    with translation.override(language):
        return {
            text.msgid: ngettext(text.msgid, text.plural, 1) if text.plural else gettext(text.msgid)
            for text in respondent_texts()
        }


def interface_field_name(msgid: str) -> str:
    """A form field's name for a text: stable across releases, unlike its position."""
    return "t_" + hashlib.sha256(msgid.encode("utf-8")).hexdigest()[:12]


def placeholders(text: str) -> set[str]:
    """The values the platform puts into a text: a translation must keep every one."""
    return {match.group(0) for match in _PLACEHOLDER.finditer(text)}


def text_problem(msgid: str, translated: str) -> str | None:
    """Why a translation cannot stand in for `msgid`, in words for the agency; None if it can.

    The page puts values into these texts with Python's % operator (Django's
    blocktranslate does so even without values): an unknown value or a lone %
    would stop the respondent's page with a server error, and a missing one
    would hide the date or link the respondent needs.
    """
    expected, given = placeholders(msgid), placeholders(translated)
    if expected - given:
        return str(
            _("Keep %(placeholders)s in the text: the page puts a value there.")
            % {"placeholders": " ".join(sorted(expected - given))}
        )
    if given - expected:
        return str(
            _("%(placeholders)s is not a value of this text: remove it.")
            % {"placeholders": " ".join(sorted(given - expected))}
        )
    if "%" in _PLACEHOLDER.sub("", translated):
        return str(
            _("Remove the %(sign)s sign: in these texts it marks a value the page puts in.")
            % {"sign": "%"}
        )
    return None


def national_languages(languages: Iterable[str]) -> list[str]:
    """The languages, of those given, that the interface lacks: their platform texts are the agency's."""
    return [language for language in languages if not interface_has(language)]


def clean_texts(texts: Mapping[str, Any]) -> dict[str, str]:
    """The given translations of known texts, trimmed; empty ones dropped (the fallback shows)."""
    known = {text.msgid for text in respondent_texts()}
    return {
        msgid: value.strip()
        for msgid, value in texts.items()
        if msgid in known and isinstance(value, str) and value.strip()
    }


@dataclass(frozen=True)
class Progress:
    language: str
    translated: int
    total: int
    fallback: str  # the interface language of the texts not translated


def interface_progress(
    *, language: str, default_language: str, national_texts: Mapping[str, Mapping[str, str]]
) -> Progress:
    """How many of the texts a respondent can meet have the agency's translation in `language`."""
    texts = national_texts.get(language) or {}
    known = respondent_texts()
    return Progress(
        language,
        sum(1 for text in known if texts.get(text.msgid)),
        len(known),
        respondent_interface_language(language, default_language),
    )


class NationalTranslation(gettext_module.NullTranslations):
    """An agency's texts for one language, then the interface's translation it falls back on.

    Django asks the active translation object for every text (gettext,
    ngettext; pgettext through gettext) and for the language's code.
    """

    def __init__(self, language: str, texts: Mapping[str, str], fallback: Any) -> None:
        super().__init__()
        self._language = language
        self._texts = texts
        self.add_fallback(fallback)

    def gettext(self, message: str) -> str:
        return self._texts.get(message) or self._fallback.gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        # One text for every number: a national language's plural rules are not known here.
        return self._texts.get(msgid1) or self._fallback.ngettext(msgid1, msgid2, n)

    def to_language(self) -> str:
        return self._language

    def language(self) -> str:
        return self._language


@contextmanager
def _activated(national: NationalTranslation) -> Iterator[None]:
    # translation.override() takes a code and loads locale/<code>; an agency's
    # texts are not there, so the object is put where override() puts its own.
    previous = getattr(trans_real._active, "value", None)
    trans_real._active.value = national
    try:
        yield
    finally:
        if previous is None:
            translation.deactivate()
        else:
            trans_real._active.value = previous


def respondent_interface(
    language: str,
    default_language: str,
    national_texts: Mapping[str, Mapping[str, str]] | None = None,
) -> AbstractContextManager[Any]:
    """The platform's words around content in `language`, for a page, email or message.

    The interface's own translation when it has the language; else the
    agency's texts for it, falling back text by text on the interface language
    of the survey's default language (respondent_interface_language).
    """
    wanted = respondent_interface_language(language, default_language)
    texts = (national_texts or {}).get(language)
    if texts and not interface_has(language):
        fallback = trans_real.translation(wanted)
        return _activated(NationalTranslation(language, texts, fallback))
    if wanted == translation.get_language():
        return nullcontext()
    return translation.override(wanted)


def survey_interface(survey: Any, language: str) -> AbstractContextManager[Any]:
    """respondent_interface around one survey's content: a version or its compiled form,
    whose default language and national-language texts decide the words."""
    return respondent_interface(language, survey.default_language, survey.interface_texts)
