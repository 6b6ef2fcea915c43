"""Translators work in Excel: every text of a version as one row, one column per language.

The sheet is keyed by codes (`question.age.text`), so rows can be sorted or
filtered freely; import changes texts only, and reports exactly what changed.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.utils.translation import gettext as _

from survey.i18n import has_text, interface_has
from survey.interface_texts import (
    as_the_interface_words_it,
    interface_field_name,
    national_languages,
    respondent_texts,
    text_problem,
)
from survey.models import COMPUTED_TYPES
from survey.spreadsheets import texts_not_formulas

OPTIONAL_QUESTION_FIELDS = ("hint", "required_message", "constraint_message")


@dataclass(frozen=True)
class TextSlot:
    key: str  # stable address, e.g. question.age.text
    kind: str  # survey, link, page, question, choice
    owner: str  # code of the question/page, list.choice for choices, "" for the survey
    field: str
    texts: dict[str, str]
    required: bool


def text_slots(data: dict[str, Any]) -> Iterator[TextSlot]:
    """Every translatable text of a version, in questionnaire order."""
    languages = data["languages"]

    def present(texts: dict[str, str]) -> bool:
        return any(has_text(texts, lang) for lang in languages)

    yield TextSlot("survey.title", "survey", "", "title", data["title"], True)
    for name in ("intro", "thank_you"):
        if present(data[name]):
            yield TextSlot(f"survey.{name}", "survey", "", name, data[name], False)
    for number, link in enumerate(data.get("thank_you_links") or [], start=1):
        # field: the settings form's field, where the translations page sends the designer
        yield TextSlot(
            f"link.{number}.label", "link", str(number), f"link_{number}_label", link["label"], True
        )
    used: list[str] = []
    for section in data["sections"]:
        if present(section["title"]):
            yield TextSlot(
                f"page.{section['code']}.title",
                "page",
                section["code"],
                "title",
                section["title"],
                False,
            )
        for q in section["questions"]:
            code = q["code"]
            if q["type"] not in COMPUTED_TYPES:
                yield TextSlot(f"question.{code}.text", "question", code, "text", q["text"], True)
            for name in OPTIONAL_QUESTION_FIELDS:
                if present(q[name]):
                    yield TextSlot(
                        f"question.{code}.{name}", "question", code, name, q[name], False
                    )
            for name in ("low_label", "high_label"):
                value = (q.get("settings") or {}).get(name)
                if isinstance(value, dict) and present(value):
                    yield TextSlot(f"question.{code}.{name}", "question", code, name, value, False)
            for list_name in (q.get("choice_list"), q.get("rows_list")):
                if list_name and list_name not in used:
                    used.append(list_name)
    lists = {cl["name"]: cl for cl in data["choice_lists"]}
    for name in used:
        for choice in lists.get(name, {}).get("choices", []):
            owner = f"{name}.{choice['code']}"
            yield TextSlot(f"choice.{owner}.label", "choice", owner, "label", choice["label"], True)


PLATFORM_PREFIX = "platform."


@dataclass(frozen=True)
class PlatformSlot:
    """One of the platform's texts, as a row of the sheet for a survey with national languages.

    The UN languages' cells hold the interface's own translation, for reference
    (changing them changes nothing); the national languages' cells are the
    agency's texts (survey.interface_texts).
    """

    key: str  # platform.<12 hex digits of the English text>
    msgid: str
    texts: dict[str, str]


def platform_slots(data: dict[str, Any]) -> Iterator[PlatformSlot]:
    """The platform's texts a respondent can meet, when the survey has a national language."""
    national = national_languages(data["languages"])
    if not national:
        return
    stored = data.get("interface_texts") or {}
    reference = [lang for lang in data["languages"] if interface_has(lang)]
    worded = {language: as_the_interface_words_it(language) for language in reference}
    for text in respondent_texts():
        texts = {language: worded[language][text.msgid] for language in reference}
        for language in national:
            texts[language] = (stored.get(language) or {}).get(text.msgid, "")
        key = PLATFORM_PREFIX + interface_field_name(text.msgid).removeprefix("t_")
        yield PlatformSlot(key, text.msgid, texts)


@dataclass
class LanguageCompleteness:
    language: str
    total: int
    missing: list[TextSlot] = field(default_factory=list)


def translation_completeness(data: dict[str, Any]) -> list[LanguageCompleteness]:
    """Per language of the survey: how many texts exist and which are missing."""
    slots = list(text_slots(data))
    report = []
    for language in data["languages"]:
        missing = [s for s in slots if not has_text(s.texts, language)]
        report.append(LanguageCompleteness(language, len(slots), missing))
    return report


# ------------------------------------------------------------------ export

META_SHEET = "about"


def export_sheet(data: dict[str, Any], *, survey_id: int, version_number: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "texts"
    languages = data["languages"]
    sheet.append(["key", *languages])
    for slot in text_slots(data):
        sheet.append([slot.key, *[slot.texts.get(lang, "") for lang in languages]])
    for platform in platform_slots(data):
        sheet.append([platform.key, *[platform.texts.get(lang, "") for lang in languages]])
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 36
    for index in range(len(languages)):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index + 2)].width = 48
    meta = workbook.create_sheet(META_SHEET)
    meta.append(["survey", survey_id])
    meta.append(["version", version_number])
    meta.append(["default_language", data["default_language"]])
    meta.sheet_state = "hidden"
    texts_not_formulas(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ import


class TranslationSheetRefused(Exception):
    def __init__(self, message: str, unknown: list[str] | None = None) -> None:
        self.message = message
        self.unknown = unknown or []
        super().__init__(message)


@dataclass
class CellChange:
    key: str
    language: str
    old: str
    new: str
    source: str = ""  # a platform text's English wording: its key says nothing to a reader


@dataclass
class SheetReading:
    survey_id: int | None
    cells: dict[str, dict[str, str]]  # key -> {language: text}
    languages: list[str]


def read_sheet(raw: bytes) -> SheetReading:
    from survey.xlsform import XLSFormRefused, open_workbook

    try:
        workbook = open_workbook(raw)
    except XLSFormRefused as refused:
        raise TranslationSheetRefused(refused.problems[0].message) from None
    try:
        names = {name.lower(): name for name in workbook.sheetnames}
        if "texts" not in names:
            raise TranslationSheetRefused(
                _("This is not a translation sheet: it has no “texts” sheet.")
            )
        survey_id = None
        if META_SHEET in names:
            for row in workbook[names[META_SHEET]].iter_rows(values_only=True):
                if row and row[0] == "survey":
                    try:
                        survey_id = int(row[1])
                    except (TypeError, ValueError):
                        survey_id = None
        rows = workbook[names["texts"]].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        if not header or header[0].lower() != "key":
            raise TranslationSheetRefused(_("The first column of the “texts” sheet must be “key”."))
        languages = header[1:]
        cells: dict[str, dict[str, str]] = {}
        for count, row in enumerate(rows, start=2):
            if count > 20000:
                raise TranslationSheetRefused(_("The sheet has too many rows."))
            if not row or row[0] is None or not str(row[0]).strip():
                continue
            key = str(row[0]).strip()
            cells[key] = {
                language: str(value).strip()
                for language, value in zip(languages, row[1:], strict=False)
                if language and value is not None and str(value).strip()
            }
        return SheetReading(survey_id, cells, [lang for lang in languages if lang])
    finally:
        workbook.close()


def plan_changes(
    data: dict[str, Any], reading: SheetReading, *, survey_id: int
) -> tuple[list[CellChange], list[str]]:
    """(changed cells, ignored language columns); refuses another survey's file or unknown keys.

    Empty cells never delete a text: a translator who leaves a cell blank has
    not translated it yet.
    """
    if reading.survey_id is not None and reading.survey_id != survey_id:
        raise TranslationSheetRefused(
            _("This sheet belongs to another survey; export the sheet of this survey.")
        )
    slots: dict[str, TextSlot | PlatformSlot] = {slot.key: slot for slot in text_slots(data)}
    slots.update((slot.key, slot) for slot in platform_slots(data))
    unknown = sorted(key for key in reading.cells if key not in slots)
    if unknown:
        raise TranslationSheetRefused(
            _("These keys are not texts of this version; nothing was imported."), unknown
        )
    languages = [lang for lang in reading.languages if lang in data["languages"]]
    unknown_languages = [lang for lang in reading.languages if lang not in data["languages"]]
    changes = []
    dropped: list[str] = []
    for key, texts in reading.cells.items():
        slot = slots.get(key)
        if slot is None:
            continue
        for language in languages:
            if isinstance(slot, PlatformSlot) and interface_has(language):
                continue  # the interface's own translation, shown for reference
            new = texts.get(language, "")
            old = (slot.texts.get(language) or "").strip()
            if new and new != old:
                problem = isinstance(slot, PlatformSlot) and text_problem(slot.msgid, new)
                if problem:
                    dropped.append(f"{key} ({language}): {slot.msgid}: {problem}")
                source = slot.msgid if isinstance(slot, PlatformSlot) else ""
                changes.append(CellChange(key, language, old, new, source))
    if dropped:
        raise TranslationSheetRefused(
            _("These platform texts cannot be used as written; nothing was imported."),
            dropped,
        )
    return changes, unknown_languages
