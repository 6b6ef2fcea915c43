"""XLSForm import and export (KoboToolbox, ODK, SurveyCTO, Ona).

Reading uses pyxform, the reference implementation: its workbook reader gives
the rows (with their row numbers), and its converter validates the form as
ODK would. The mapping from XLSForm rows to our dict format is ours, because
pyxform's output drops the row numbers that every error message must carry.

What XLSForm cannot express (intro and thank-you texts in every language, our
question types such as Likert or matrix, min/max settings, "standard" marks)
travels in an extra `cepa` column holding JSON, and the platform's texts in
national languages in a `platform_texts` sheet; other tools ignore both. So
export then import gives back an equal survey, and other tools still read the
file as an ordinary XLSForm.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pycountry
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from survey import expressions as ex
from survey.checks import check_survey
from survey.i18n import is_valid_language, normalize_language
from survey.links import links_from
from survey.models import QuestionType
from survey.serialization import FORMAT, blank_question
from survey.spreadsheets import texts_not_formulas

SHEETS = ("survey", "choices", "settings")
# The platform's texts in national languages (survey.interface_texts): a text a row,
# a language a column. Not in the settings' cepa JSON: one cell holds at most 32,767
# characters (openpyxl cuts the rest), and one language's texts take about 8,000.
# Other tools ignore the sheet.
PLATFORM_SHEET = "platform_texts"
MAX_ROWS = 5000
MAX_UNCOMPRESSED = 60 * 1024 * 1024

SUPPORTED_TYPES = {
    "select_one",
    "select_multiple",
    "integer",
    "decimal",
    "text",
    "date",
    "note",
    "rank",
    "range",
    "calculate",
    "hidden",
    "acknowledge",
    "begin group",
    "end group",
}
# What a phone records about itself and the interview (XLSForm "metadata"):
# KoboToolbox puts start and end in every form it makes. Nothing here is asked
# of a respondent, and this platform records when each response began and was
# sent by itself and keeps nothing about the device, so these rows are left
# out of an import, and the designer is told which.
METADATA_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "imei",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "start-geopoint",
        "background-audio",
        "background-geopoint",
    }
)
# KoboToolbox's own "Rating" question, as its form builder writes it into the
# XLSForms it exports (KoboToolbox turns it into standard XLSForm only when it
# deploys a form): a Likert matrix, rows under one scale. Imported as a matrix.
#   begin_score | name | label | kobo--score-choices: the scale's list
#   score__row  | name | label      (one row per statement)
#   end_score
KOBO_SCORE = ("begin_score", "score__row", "end_score")
KOBO_SCALE_COLUMN = "kobo--score-choices"
# And its "Ranking" question, "top 3 needs": one level row per place to fill, the
# items in a choice list. Imported as a ranking of that many (settings max).
#   begin_rank  | name | label | kobo--rank-items: the items' list
#   rank__level | name | label      (one row per place: 1st need, 2nd need...)
#   end_rank
KOBO_RANK = ("begin_rank", "rank__level", "end_rank")
KOBO_RANK_ITEMS_COLUMN = "kobo--rank-items"
# Each of their row types: the (begin, member, end) triple it belongs to.
_KOBO_GROUP = {head: group for group in (KOBO_SCORE, KOBO_RANK) for head in group}
TYPE_ALIASES = {
    "select one": "select_one",
    "select1": "select_one",
    "select all that apply": "select_multiple",
    "select multiple": "select_multiple",
    "begin_group": "begin group",
    "end_group": "end group",
    "begin score": "begin_score",
    "end score": "end_score",
    "begin rank": "begin_rank",
    "end rank": "end_rank",
    "int": "integer",
    "string": "text",
}
# Group types written with a space or an underscore, both read as one.
_SPELLED_TWO_WAYS = frozenset(
    {
        "begin group",
        "begin_group",
        "end group",
        "end_group",
        "begin score",
        "end score",
        "begin rank",
        "end rank",
    }
)
TRUE_VALUES = {"yes", "true", "true()", "1", "y"}
TEXT_COLUMNS = ("label", "hint", "required_message", "constraint_message", "guidance_hint")


@dataclass
class XLSProblem:
    sheet: str
    row: int | None
    message: str

    def __str__(self) -> str:
        if self.row:
            return _("%(sheet)s sheet, row %(row)d: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        return _("%(sheet)s sheet: %(message)s") % {"sheet": self.sheet, "message": self.message}


class XLSFormRefused(Exception):
    def __init__(self, problems: list[XLSProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class Row:
    number: int
    values: dict[str, str]  # base column -> value (no language)
    texts: dict[str, dict[str | None, str]] = field(default_factory=dict)  # column -> {lang: text}

    def get(self, key: str) -> str:
        return (self.values.get(key) or "").strip()


# ------------------------------------------------------------------ reading


def max_upload_bytes() -> int:
    return int(getattr(settings, "XLSFORM_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def _refuse(message: str, sheet: str = "", row: int | None = None) -> XLSFormRefused:
    return XLSFormRefused([XLSProblem(sheet or _("file"), row, message)])


def _check_container(data: bytes) -> None:
    """Refuse, before parsing, what is not a reasonable .xlsx file."""
    if len(data) > max_upload_bytes():
        raise _refuse(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": round(len(data) / 1024 / 1024, 1),
                "limit": round(max_upload_bytes() / 1024 / 1024, 1),
            }
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse(_("This is not an Excel .xlsx file. Save the form as .xlsx and try again."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise _refuse(
                _("This zip file is not an Excel workbook. Save the form as .xlsx and try again.")
            )
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
            raise _refuse(_("The workbook is too large once unpacked."))


def open_workbook(data: bytes, *, data_only: bool = True) -> Any:
    """An uploaded .xlsx file, checked and opened read-only; XLSFormRefused says what is wrong.

    Every upload of a workbook (forms, translation sheets, address lists) comes
    through here, so each gets the same checks and the same words for them.
    """
    _check_container(data)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many types for broken files
        raise _refuse(_("The workbook cannot be read. Save it again as .xlsx and retry.")) from None


def _check_cells(data: bytes) -> dict[str, str]:
    """Formula cells are refused (their values depend on Excel); returns lower-case sheet names."""
    workbook = open_workbook(data, data_only=False)
    try:
        sheets = {name.lower(): name for name in workbook.sheetnames}
        if "survey" not in sheets:
            raise _refuse(_("The workbook has no “survey” sheet."))
        for lower in SHEETS:
            if lower not in sheets:
                continue
            for row_number, row in enumerate(workbook[sheets[lower]].iter_rows(), start=1):
                if row_number > MAX_ROWS + 1:
                    raise _refuse(
                        _("The sheet has more than %(max)d rows.") % {"max": MAX_ROWS}, lower
                    )
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        raise _refuse(
                            _("cell %(cell)s holds a formula; type the value itself instead.")
                            % {"cell": cell.coordinate},
                            lower,
                            row_number,
                        )
        return sheets
    finally:
        workbook.close()


def _language_of(spec: str) -> str | None:
    """'English (en)' -> 'en'; 'Kiswahili' -> 'sw'; 'fr' -> 'fr'; unknown -> None."""
    spec = spec.strip()
    match = re.search(r"\(([^)]+)\)\s*$", spec)
    if match:
        code = normalize_language(match.group(1))
        return code if is_valid_language(code) else None
    code = normalize_language(spec)
    if is_valid_language(code) and len(spec) <= 8:
        return code
    try:
        language = pycountry.languages.lookup(spec)
    except LookupError:
        return None
    return getattr(language, "alpha_2", None) or getattr(language, "alpha_3", None)


def _rows(raw_rows: list[dict[str, Any]], sheet: str, problems: list[XLSProblem]) -> list[Row]:
    rows = []
    for index, raw in enumerate(raw_rows):
        values: dict[str, str] = {}
        texts: dict[str, dict[str | None, str]] = {}
        for header, value in raw.items():
            if header is None or value is None:
                continue
            base, sep, spec = str(header).partition("::")
            base = base.strip().lower().replace(" ", "_")
            if base == "list_name":
                base = "list_name"
            text = str(value).strip()
            if base in TEXT_COLUMNS or (sheet == "choices" and base == "label"):
                language = None
                if sep:
                    language = _language_of(spec)
                    if language is None:
                        problems.append(
                            XLSProblem(
                                sheet,
                                1,
                                _("the column “%(column)s” names no language code we know.")
                                % {"column": header},
                            )
                        )
                        continue
                texts.setdefault(base, {})[language] = text
            elif not sep:
                values[base] = text
        if values or texts:
            rows.append(Row(index + 2, values, texts))
    return rows


def read_workbook(data: bytes) -> dict[str, list[Row]]:
    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import xlsx_to_dict

    _check_cells(data)  # opens it with open_workbook, which checks the container first
    try:
        book = xlsx_to_dict(io.BytesIO(data))
    except PyXFormError as error:
        raise _refuse(str(error)) from None
    problems: list[XLSProblem] = []
    result = {sheet: _rows(book.get(sheet, []), sheet, problems) for sheet in SHEETS}
    # pyxform reads only the sheets it knows: ours is read as it is.
    result[PLATFORM_SHEET] = _rows(_sheet_as_dicts(data, PLATFORM_SHEET), PLATFORM_SHEET, problems)
    if problems:
        raise XLSFormRefused(problems)
    return result


def _sheet_as_dicts(data: bytes, name: str) -> list[dict[str, Any]]:
    """A sheet's rows as {header: value}, as pyxform gives the sheets it knows; [] without it."""
    workbook = open_workbook(data)
    try:
        names = {sheet.lower(): sheet for sheet in workbook.sheetnames}
        if name not in names:
            return []
        rows = workbook[names[name]].iter_rows(values_only=True)
        header = list(next(rows, ()))
        found = []
        for number, row in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                raise _refuse(_("The sheet has more than %(max)d rows.") % {"max": MAX_ROWS}, name)
            found.append(dict(zip(header, row, strict=False)))
        return found
    finally:
        workbook.close()


# ------------------------------------------------------------------ import


def _flag(value: str) -> bool:
    return value.strip().lower() in TRUE_VALUES


def _texts(row: Row, column: str, default_language: str) -> dict[str, str]:
    found = row.texts.get(column, {})
    out = {}
    for language, text in found.items():
        if text:
            out[language or default_language] = text
    return out


def _cepa(row: Row, problems: list[XLSProblem], sheet: str) -> dict[str, Any]:
    raw = row.get("cepa")
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        problems.append(XLSProblem(sheet, row.number, _("the cepa column is not valid JSON.")))
        return {}
    return value if isinstance(value, dict) else {}


def _check_expression(
    text: str, sheet: str, row: Row, column: str, problems: list[XLSProblem]
) -> str:
    text = text.strip()
    if not text:
        return ""
    try:
        ex.parse(text)
    except ex.ExpressionError as error:
        problems.append(
            XLSProblem(
                sheet,
                row.number,
                _("%(column)s: %(error)s (at character %(position)d)")
                % {"column": column, "error": error.message, "position": error.position + 1},
            )
        )
    return text


_SEARCH = re.compile(r"\bsearch\s*\(", re.IGNORECASE)


def _type_of(row: Row) -> tuple[str, list[str]]:
    """A survey row's type as read here ("begin_score", "select_one"...), and its words."""
    raw_type = re.sub(r"\s+", " ", row.get("type").lower())
    parts = raw_type.split(" ")
    if raw_type in _SPELLED_TWO_WAYS:
        return TYPE_ALIASES.get(raw_type, raw_type), parts
    if raw_type.startswith(("begin ", "end ")):
        return raw_type, parts
    return TYPE_ALIASES.get(raw_type, TYPE_ALIASES.get(parts[0], parts[0])), parts


def xlsform_to_dict(
    book: dict[str, list[Row]], left_out: list[str] | None = None
) -> tuple[dict[str, Any], dict[str, int]]:
    """Our dict format from XLSForm rows, and question code -> survey row (for messages).

    The names of metadata rows, which are not imported, go into `left_out`.
    """
    problems: list[XLSProblem] = []
    settings_row = book["settings"][0] if book["settings"] else Row(2, {}, {})
    settings_cepa = _cepa(settings_row, problems, "settings")
    default_language = (
        _language_of(settings_row.get("default_language"))
        if settings_row.get("default_language")
        else None
    )

    # Languages: every language named in any text column, the default first.
    named: list[str] = []
    for sheet in ("survey", "choices"):
        for row in book[sheet]:
            for texts in row.texts.values():
                for language in texts:
                    if language and language not in named:
                        named.append(language)
    default_language = default_language or (named[0] if named else "en")
    languages = settings_cepa.get("languages") or list(dict.fromkeys([default_language, *named]))

    lists: dict[str, dict[str, Any]] = {}
    list_rows: dict[str, int] = {}
    for row in book["choices"]:
        name, code = row.get("list_name"), row.get("name")
        if not name or not code:
            problems.append(
                XLSProblem("choices", row.number, _("each choice needs a list_name and a name."))
            )
            continue
        list_rows.setdefault(name, row.number)
        properties = {
            key: value
            for key, value in row.values.items()
            if key not in {"list_name", "name", "cepa", "image", "audio", "video", "media"}
            and value
        }
        extra = _cepa(row, problems, "choices")
        lists.setdefault(name, {"name": name, "choices": []})["choices"].append(
            {
                "code": code,
                "label": _texts(row, "label", default_language),
                "exclusive": bool(extra.get("exclusive", False)),
                "anchored": bool(extra.get("anchored", False)),
                "properties": properties,
            }
        )
    sections: list[dict[str, Any]] = []
    code_rows: dict[str, int] = {}
    current: dict[str, Any] | None = None
    group_stack: list[dict[str, Any]] = []  # open groups: {"kind", "relevance", ...}
    matrix: dict[str, Any] | None = None
    kobo: dict[str, Any] | None = None  # an open KoboToolbox rating or ranking (_KOBO_GROUP)

    def new_section(code: str, title: dict[str, str], relevance: str) -> dict[str, Any]:
        section = {"code": code, "title": title, "relevance": relevance, "questions": []}
        sections.append(section)
        return section

    def inherited_relevance() -> str:
        parts = [g["relevance"] for g in group_stack[1:] if g.get("relevance")]
        return " and ".join(f"({p})" if " or " in p else p for p in parts)

    for row in book["survey"]:
        head, parts = _type_of(row)
        if not head:
            if row.get("name"):
                problems.append(XLSProblem("survey", row.number, _("the type is missing.")))
            continue
        extra = _cepa(row, problems, "survey")
        name = row.get("name")

        if head in METADATA_TYPES:
            if left_out is not None:
                left_out.append(name or head)
            continue
        if head in _KOBO_GROUP:
            begin, member, _end = _KOBO_GROUP[head]
            if head == begin:
                if kobo is not None or matrix is not None:
                    problems.append(
                        XLSProblem(
                            "survey",
                            row.number,
                            _("“%(type)s” cannot be inside another group.")
                            % {"type": row.get("type")},
                        )
                    )
                    continue
                kobo = {"row": row, "rows": [], "begin": begin}
            elif kobo is None or kobo["begin"] != begin:
                problems.append(
                    XLSProblem(
                        "survey",
                        row.number,
                        _("“%(type)s” without a “%(begin)s”.")
                        % {"type": row.get("type"), "begin": begin},
                    )
                )
            elif head == member:
                kobo["rows"].append(row)
            else:
                if current is None:
                    current = new_section(f"page_{len(sections) + 1}", {}, "")
                if begin == KOBO_SCORE[0]:
                    question = _score_question(
                        kobo, lists, default_language, problems, inherited_relevance()
                    )
                else:
                    question = _rank_question(
                        kobo, default_language, problems, inherited_relevance()
                    )
                if question["code"] in code_rows:
                    problems.append(
                        XLSProblem(
                            "survey",
                            kobo["row"].number,
                            _("the name “%(name)s” is already used in row %(first)d.")
                            % {"name": question["code"], "first": code_rows[question["code"]]},
                        )
                    )
                else:
                    current["questions"].append(question)
                    code_rows[question["code"]] = kobo["row"].number
                kobo = None
            continue
        if head not in SUPPORTED_TYPES:
            problems.append(
                XLSProblem(
                    "survey",
                    row.number,
                    _("the type “%(type)s” is not supported here.") % {"type": row.get("type")},
                )
            )
            continue

        if head == "begin group":
            relevance = _check_expression(
                row.get("relevant") or row.get("relevance"), "survey", row, "relevant", problems
            )
            title = _texts(row, "label", default_language)
            if extra.get("type") == QuestionType.MATRIX:
                matrix = {"row": row, "extra": extra, "rows": []}
                group_stack.append({"kind": "matrix"})
                continue
            if not group_stack:
                current = new_section(name or f"page_{len(sections) + 1}", title, relevance)
                group_stack.append({"kind": "section", "relevance": relevance})
            else:
                group_stack.append({"kind": "group", "relevance": relevance})
            code_rows.setdefault(name or "", row.number)
            continue
        if head == "end group":
            if not group_stack:
                problems.append(
                    XLSProblem("survey", row.number, _("“end group” without a “begin group”."))
                )
                continue
            closed = group_stack.pop()
            if closed["kind"] == "matrix" and matrix is not None:
                if current is None:
                    current = new_section("page_1", {}, "")
                current["questions"].append(_matrix_question(matrix, default_language))
                code_rows[matrix["extra"].get("code") or matrix["row"].get("name")] = matrix[
                    "row"
                ].number
                matrix = None
            elif closed["kind"] == "section":
                current = None
            continue

        if not name:
            problems.append(XLSProblem("survey", row.number, _("the name is missing.")))
            continue
        if matrix is not None:
            matrix["rows"].append(row)
            continue
        if _SEARCH.search(row.get("appearance") or ""):
            # ODK fills such a list from a CSV file sent beside the form; the choices
            # sheet holds a stand-in that respondents would be offered instead.
            problems.append(
                XLSProblem(
                    "survey",
                    row.number,
                    _(
                        "the appearance search() takes its choices from a CSV file sent with "
                        "the form, which is not here: put the choices in the choices sheet "
                        "and use the appearance minimal or autocomplete."
                    ),
                )
            )
            continue
        question = _question_from_row(
            row, head, parts, extra, default_language, problems, inherited_relevance()
        )
        if question is None:
            continue
        if name in code_rows:
            problems.append(
                XLSProblem(
                    "survey",
                    row.number,
                    _("the name “%(name)s” is already used in row %(first)d.")
                    % {"name": name, "first": code_rows[name]},
                )
            )
            continue
        if current is None:
            current = new_section(f"page_{len(sections) + 1}", {}, "")
        current["questions"].append(question)
        code_rows[name] = row.number

    if group_stack:
        problems.append(XLSProblem("survey", None, _("a “begin group” is never closed.")))
    if kobo is not None:
        problems.append(
            XLSProblem(
                "survey",
                kobo["row"].number,
                _("a “%(type)s” is never closed.") % {"type": kobo["begin"]},
            )
        )

    for question in (q for s in sections for q in s["questions"]):
        if question.pop("_acknowledge", False):
            # ODK's "acknowledge" is a single "OK" to tick: a one-choice list here.
            lists.setdefault(
                "acknowledge",
                {
                    "name": "acknowledge",
                    "choices": [
                        {
                            "code": "OK",
                            "label": dict.fromkeys(languages, "OK"),
                            "exclusive": False,
                            "anchored": False,
                            "properties": {},
                        }
                    ],
                },
            )
        for key in ("choice_list", "rows_list"):
            name = question.get(key)
            if name and name not in lists:
                problems.append(
                    XLSProblem(
                        "survey",
                        code_rows.get(question["code"]),
                        _("the choice list “%(name)s” is not in the choices sheet.")
                        % {"name": name},
                    )
                )

    try:
        thank_you_links = links_from(settings_cepa.get("thank_you_links"))
    except ValueError as error:
        problems.append(XLSProblem("settings", None, str(error)))
        thank_you_links = []
    title = settings_cepa.get("title") or (
        {default_language: settings_row.get("form_title")} if settings_row.get("form_title") else {}
    )
    data = {
        "format": FORMAT,
        "title": title or {default_language: settings_row.get("form_id") or "Survey"},
        "intro": settings_cepa.get("intro") or {},
        "thank_you": settings_cepa.get("thank_you") or {},
        "thank_you_links": thank_you_links,
        "languages": languages,
        "default_language": default_language,
        "interface_texts": _platform_texts(book.get(PLATFORM_SHEET, []), problems),
        "choice_lists": [lists[name] for name in _list_order(settings_cepa, lists)],
        "sections": sections or [{"code": "page_1", "title": {}, "relevance": "", "questions": []}],
    }
    if problems:
        raise XLSFormRefused(problems)
    return data, code_rows


def _platform_texts(rows: list[Row], problems: list[XLSProblem]) -> dict[str, dict[str, str]]:
    """{language: {text: translation}} from the platform texts sheet ("text", then a code a column)."""
    found: dict[str, dict[str, str]] = {}
    refused: set[str] = set()  # each unknown column said once, not once a row
    for row in rows:
        msgid = row.values.get("text", "")
        for column, translated in row.values.items():
            if column == "text" or not msgid or not translated or column in refused:
                continue
            language = normalize_language(column)
            if not is_valid_language(language):
                refused.add(column)
                problems.append(
                    XLSProblem(
                        PLATFORM_SHEET,
                        1,
                        _("the column “%(column)s” names no language code we know.")
                        % {"column": column},
                    )
                )
                continue
            found.setdefault(language, {})[msgid] = translated
    return found


def _list_order(settings_cepa: dict[str, Any], lists: dict[str, Any]) -> list[str]:
    """Our own exports state the list order; other files keep the choices sheet's order."""
    declared = [name for name in settings_cepa.get("lists") or [] if name in lists]
    return declared + [name for name in lists if name not in declared]


def _question_from_row(
    row: Row,
    head: str,
    parts: list[str],
    extra: dict[str, Any],
    default_language: str,
    problems: list[XLSProblem],
    inherited: str,
) -> dict[str, Any] | None:
    qtype = {
        "select_one": QuestionType.SINGLE,
        "select_multiple": QuestionType.MULTIPLE,
        "integer": QuestionType.INTEGER,
        "decimal": QuestionType.DECIMAL,
        "text": QuestionType.TEXT,
        "date": QuestionType.DATE,
        "note": QuestionType.NOTE,
        "rank": QuestionType.RANKING,
        "range": QuestionType.RATING,
        "calculate": QuestionType.CALCULATE,
        "hidden": QuestionType.HIDDEN,
        "acknowledge": QuestionType.SINGLE,
    }[head]
    choice_list = None
    settings_: dict[str, Any] = {}
    if head in {"select_one", "select_multiple", "rank"}:
        if len(parts) < 2:
            problems.append(
                XLSProblem(
                    "survey",
                    row.number,
                    _("“%(type)s” needs a choice list name after it.") % {"type": head},
                )
            )
            return None
        choice_list = parts[1]
        if len(parts) > 2 and parts[2] == "or_other":
            settings_["other"] = True
    parameters = dict(
        p.split("=", 1) for p in re.split(r"[\s;,]+", row.get("parameters")) if "=" in p
    )
    if parameters.get("randomize", "").lower() in TRUE_VALUES:
        settings_["randomize"] = True
    if head == "range":
        for key, target in (("start", "min"), ("end", "max")):
            if key in parameters:
                number = ex.to_number(parameters[key])
                if number == number:
                    settings_[target] = int(number) if number.is_integer() else number
    relevance = _check_expression(
        row.get("relevant") or row.get("relevance"), "survey", row, "relevant", problems
    )
    if inherited:
        relevance = f"{inherited} and ({relevance})" if relevance else inherited
    question = {
        "code": row.get("name"),
        "type": extra.get("type") or qtype,
        "text": _texts(row, "label", default_language),
        "hint": _texts(row, "hint", default_language),
        "required": _flag(row.get("required")),
        "required_message": _texts(row, "required_message", default_language),
        "relevance": relevance,
        "constraint": _check_expression(
            row.get("constraint"), "survey", row, "constraint", problems
        ),
        "constraint_message": _texts(row, "constraint_message", default_language),
        "choice_filter": _check_expression(
            row.get("choice_filter"), "survey", row, "choice_filter", problems
        ),
        "calculation": _check_expression(
            row.get("calculation"), "survey", row, "calculation", problems
        ),
        "default": row.get("default"),
        "appearance": row.get("appearance") if "appearance" not in extra else extra["appearance"],
        "choice_list": choice_list,
        "rows_list": None,
        "settings": extra.get("settings", settings_),
        "standard": bool(extra.get("standard", False)),
    }
    if head == "text" and "multiline" in question["appearance"] and "type" not in extra:
        question["type"] = QuestionType.LONG_TEXT
    if head == "acknowledge":
        question["choice_list"] = "acknowledge"
        question["_acknowledge"] = True
    if extra.get("relevance") is not None:
        question["relevance"] = extra["relevance"]
    return question


def _matrix_question(matrix: dict[str, Any], default_language: str) -> dict[str, Any]:
    row: Row = matrix["row"]
    extra = matrix["extra"]
    first = matrix["rows"][0] if matrix["rows"] else None
    scale = first.get("type").split(" ")[1] if first and " " in first.get("type") else None
    return {
        "code": extra.get("code") or row.get("name"),
        "type": QuestionType.MATRIX,
        "text": _texts(row, "label", default_language),
        "hint": _texts(row, "hint", default_language),
        "required": bool(extra.get("required", False)),
        "required_message": extra.get("required_message", {}),
        "relevance": row.get("relevant") or row.get("relevance"),
        "constraint": "",
        "constraint_message": {},
        "choice_filter": "",
        "calculation": "",
        "default": "",
        "appearance": extra.get("appearance", ""),
        "choice_list": scale,
        "rows_list": extra.get("rows_list"),
        "settings": extra.get("settings", {}),
        "standard": bool(extra.get("standard", False)),
    }


def _name_from(label: str, number: int) -> str:
    """A code for a row KoboToolbox left unnamed (it names them when it deploys a form):
    the label's Latin words, as its own names are made, else the row's number."""
    latin = unicodedata.normalize("NFKD", label.lower()).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "_", latin).strip("_")[:40].rstrip("_")
    return words if words and not words[0].isdigit() else f"row_{number}"


def _score_question(
    score: dict[str, Any],
    lists: dict[str, dict[str, Any]],
    default_language: str,
    problems: list[XLSProblem],
    inherited: str,
) -> dict[str, Any]:
    """A KoboToolbox rating as our matrix: its statements become the rows list.

    The rows live in the survey sheet there, so their list is made here, named
    after the question (with a number added should a list have that name).
    """
    row: Row = score["row"]
    code = row.get("name") or f"rating_{row.number}"
    rows_list = f"{code}_rows"
    while rows_list in lists:
        rows_list = f"{rows_list}_{row.number}"
    statements = []
    for number, statement in enumerate(score["rows"], 1):
        label = _texts(statement, "label", default_language)
        name = statement.get("name") or _name_from(label.get(default_language, ""), number)
        while name in {each["code"] for each in statements}:
            name = f"{name}_{number}"
        statements.append(
            {"code": name, "label": label, "exclusive": False, "anchored": False, "properties": {}}
        )
    lists[rows_list] = {"name": rows_list, "choices": statements}
    if not row.get(KOBO_SCALE_COLUMN):
        problems.append(
            XLSProblem(
                "survey",
                row.number,
                _("a rating needs the list of its scale in the column “%(column)s”.")
                % {"column": KOBO_SCALE_COLUMN},
            )
        )
    return _kobo_question(
        row,
        code,
        QuestionType.MATRIX,
        default_language,
        problems,
        inherited,
        choice_list=row.get(KOBO_SCALE_COLUMN) or None,
        rows_list=rows_list,
    )


def _rank_question(
    rank: dict[str, Any],
    default_language: str,
    problems: list[XLSProblem],
    inherited: str,
) -> dict[str, Any]:
    """A KoboToolbox ranking as ours: its items' list, and as many places as level rows.

    Kobo asks one question per place ("1st need", "2nd need"); here the items
    get ranks 1 to that number (settings max), the levels' labels aside.
    """
    row: Row = rank["row"]
    items = row.get(KOBO_RANK_ITEMS_COLUMN)
    if not items:
        problems.append(
            XLSProblem(
                "survey",
                row.number,
                _("a ranking needs the list of its items in the column “%(column)s”.")
                % {"column": KOBO_RANK_ITEMS_COLUMN},
            )
        )
    return _kobo_question(
        row,
        row.get("name") or f"ranking_{row.number}",
        QuestionType.RANKING,
        default_language,
        problems,
        inherited,
        choice_list=items or None,
        settings={"max": len(rank["rows"])} if rank["rows"] else {},
    )


def _kobo_question(
    row: Row,
    code: str,
    qtype: str,
    default_language: str,
    problems: list[XLSProblem],
    inherited: str,
    **fields: Any,
) -> dict[str, Any]:
    """A question from a KoboToolbox group's opening row: texts, required, relevance."""
    relevance = _check_expression(
        row.get("relevant") or row.get("relevance"), "survey", row, "relevant", problems
    )
    if inherited:
        relevance = f"{inherited} and ({relevance})" if relevance else inherited
    return blank_question(
        code,
        qtype,
        text=_texts(row, "label", default_language),
        hint=_texts(row, "hint", default_language),
        required=_flag(row.get("required")),
        required_message=_texts(row, "required_message", default_language),
        relevance=relevance,
        **fields,
    )


def metadata_left_out(names: list[str]) -> str:
    """What the designer reads after an import that left metadata rows out, so that no
    one looks for start and end among the questions, or thinks them lost."""
    return ngettext(
        "Not imported: %(names)s, a row the phone fills in by itself (metadata), not a "
        "question. This platform records when each response begins and is sent, and "
        "keeps nothing about the device.",
        "Not imported: %(names)s, rows the phone fills in by itself (metadata), not "
        "questions. This platform records when each response begins and is sent, and "
        "keeps nothing about the device.",
        len(names),
    ) % {"names": ", ".join(names)}


def _validate_with_pyxform(data: bytes) -> list[XLSProblem]:
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=io.BytesIO(data), file_type=".xlsx")
    except PyXFormError as error:
        message = str(error)
        match = re.search(r"\[row ?: ?(\d+)\]", message)
        return [XLSProblem("survey", int(match.group(1)) if match else None, message)]
    except Exception as error:  # pyxform's internals raise assorted errors on odd files
        return [XLSProblem("survey", None, str(error))]
    return []


def parse_xlsform(data: bytes, *, left_out: list[str] | None = None) -> dict[str, Any]:
    """Read and check an XLSForm; returns our dict, or raises XLSFormRefused (rows named).

    Metadata rows (start, end, deviceid...) are left out, their names added to
    `left_out` when given, for the designer to be told.
    """
    book = read_workbook(data)
    survey_dict, code_rows = xlsform_to_dict(book, left_out)
    problems = []
    for problem in check_survey(survey_dict):
        if problem.kind == "missing_text":
            continue  # an imported form may lack translations; the designer lists them
        sheet = "survey" if problem.code in code_rows else "choices"
        problems.append(XLSProblem(sheet, code_rows.get(problem.code), problem.message))
    if problems:
        raise XLSFormRefused(problems)
    # pyxform knows only standard XLSForm: a KoboToolbox rating is checked by our own
    # checks above, as what it became.
    if not any(_type_of(row)[0] in _KOBO_GROUP for row in book["survey"]):
        problems = _validate_with_pyxform(data)
        if problems:
            raise XLSFormRefused(problems)
    return survey_dict


# ------------------------------------------------------------------ export

_LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ru": "Russian",
    "ar": "Arabic",
    "zh-Hans": "Chinese",
}


def _language_header(code: str) -> str:
    name = _LANGUAGE_NAMES.get(code)
    if name is None:
        language = pycountry.languages.get(alpha_2=code.split("-")[0])
        name = getattr(language, "name", code) if language else code
    return f"{name} ({code})"


def dict_to_xlsform(data: dict[str, Any]) -> bytes:
    """An .xlsx XLSForm of a version; our importer reads it back to an equal dict."""
    languages = data["languages"]
    headers = {code: _language_header(code) for code in languages}
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    text_columns = [
        (column, code)
        for column in ("label", "hint", "required_message", "constraint_message")
        for code in languages
    ]
    columns = [
        "type",
        "name",
        *[f"{column}::{headers[code]}" for column, code in text_columns],
        "required",
        "relevant",
        "constraint",
        "choice_filter",
        "calculation",
        "default",
        "appearance",
        "parameters",
        "cepa",
    ]
    survey.append(columns)
    lists = {cl["name"]: cl for cl in data["choice_lists"]}

    def text_cells(texts: dict[str, dict[str, str]]) -> list[str]:
        return [(texts.get(column) or {}).get(code, "") for column, code in text_columns]

    def append(kind: str, name: str, texts: dict[str, dict[str, str]], **cells: str) -> None:
        survey.append(
            [
                kind,
                name,
                *text_cells(texts),
                cells.get("required", ""),
                cells.get("relevant", ""),
                cells.get("constraint", ""),
                cells.get("choice_filter", ""),
                cells.get("calculation", ""),
                cells.get("default", ""),
                cells.get("appearance", ""),
                cells.get("parameters", ""),
                cells.get("cepa", ""),
            ]
        )

    for section in data["sections"]:
        append(
            "begin group",
            section["code"],
            {"label": section["title"]},
            relevant=section["relevance"],
            appearance="field-list",
        )
        for q in section["questions"]:
            _export_question(q, append, lists)
        append("end group", "", {})

    choices = workbook.create_sheet("choices")
    choice_columns = sorted(
        {key for cl in data["choice_lists"] for c in cl["choices"] for key in c["properties"]}
    )
    choices.append(
        [
            "list_name",
            "name",
            *[f"label::{headers[code]}" for code in languages],
            *choice_columns,
            "cepa",
        ]
    )
    for choice_list in data["choice_lists"]:
        for choice in choice_list["choices"]:
            flags = {k: True for k in ("exclusive", "anchored") if choice.get(k)}
            choices.append(
                [
                    choice_list["name"],
                    choice["code"],
                    *[choice["label"].get(code, "") for code in languages],
                    *[choice["properties"].get(column, "") for column in choice_columns],
                    json.dumps(flags) if flags else "",
                ]
            )
    sheet = workbook.create_sheet("settings")
    sheet.append(["form_title", "form_id", "default_language", "version", "cepa"])
    sheet.append(
        [
            data["title"].get(data["default_language"], ""),
            "cepa_survey",
            headers[data["default_language"]],
            "1",
            json.dumps(
                {
                    "title": data["title"],
                    "intro": data["intro"],
                    "thank_you": data["thank_you"],
                    "thank_you_links": data["thank_you_links"],
                    "languages": languages,
                    "lists": [cl["name"] for cl in data["choice_lists"]],
                },
                ensure_ascii=False,
            ),
        ]
    )
    national = data.get("interface_texts") or {}
    if national:
        sheet = workbook.create_sheet(PLATFORM_SHEET)
        columns = [language for language in languages if language in national]
        sheet.append(["text", *columns])
        for msgid in sorted({msgid for texts in national.values() for msgid in texts}):
            sheet.append([msgid, *[national[language].get(msgid, "") for language in columns]])
    texts_not_formulas(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _export_question(q: dict[str, Any], append: Any, lists: dict[str, Any]) -> None:
    qtype = q["type"]
    texts = {
        "label": q["text"],
        "hint": q["hint"],
        "required_message": q["required_message"],
        "constraint_message": q["constraint_message"],
    }
    settings_ = q["settings"]
    cepa: dict[str, Any] = {}
    if settings_:
        cepa["settings"] = settings_
    if q["standard"]:
        cepa["standard"] = True
    kind = {
        QuestionType.SINGLE: "select_one",
        QuestionType.LIKERT: "select_one",
        QuestionType.YES_NO: "select_one",
        QuestionType.MULTIPLE: "select_multiple",
        QuestionType.RANKING: "rank",
        QuestionType.INTEGER: "integer",
        QuestionType.DECIMAL: "decimal",
        QuestionType.TEXT: "text",
        QuestionType.LONG_TEXT: "text",
        QuestionType.DATE: "date",
        QuestionType.NOTE: "note",
        QuestionType.RATING: "range",
        QuestionType.CALCULATE: "calculate",
        QuestionType.HIDDEN: "hidden",
    }.get(qtype)
    if qtype in {QuestionType.LIKERT, QuestionType.YES_NO, QuestionType.LONG_TEXT}:
        cepa["type"] = qtype
    parameters = ""
    if qtype == QuestionType.RATING:
        parameters = f"start={settings_.get('min', 0)} end={settings_.get('max', 10)} step=1"
    elif settings_.get("randomize"):
        parameters = "randomize=true"
    appearance = q["appearance"]
    if qtype == QuestionType.LIKERT and not appearance:
        appearance = "likert"
        cepa["appearance"] = ""
    if qtype == QuestionType.LONG_TEXT and not appearance:
        appearance = "multiline"
        cepa["appearance"] = ""
    if qtype == QuestionType.MATRIX:
        cepa.update({"type": QuestionType.MATRIX, "rows_list": q["rows_list"], "code": q["code"]})
        if q["required"]:
            cepa["required"] = True
            cepa["required_message"] = q["required_message"]
        if q["appearance"]:
            cepa["appearance"] = q["appearance"]
        append(
            "begin group",
            q["code"],
            {"label": q["text"], "hint": q["hint"]},
            relevant=q["relevance"],
            appearance="table-list",
            cepa=json.dumps(cepa, ensure_ascii=False),
        )
        for row in lists.get(q["rows_list"], {}).get("choices", []):
            append(
                f"select_one {q['choice_list']}",
                f"{q['code']}_{row['code']}",
                {"label": row["label"]},
                required="yes" if q["required"] else "",
            )
        append("end group", "", {})
        return
    if kind in {"select_one", "select_multiple", "rank"}:
        kind = f"{kind} {q['choice_list']}"
        if settings_.get("other") and qtype in {QuestionType.SINGLE, QuestionType.MULTIPLE}:
            kind += " or_other"
    append(
        kind,
        q["code"],
        texts,
        required="yes" if q["required"] else "",
        relevant=q["relevance"],
        constraint=q["constraint"],
        choice_filter=q["choice_filter"],
        calculation=q["calculation"],
        default=q["default"],
        appearance=appearance,
        parameters=parameters,
        cepa=json.dumps(cepa, ensure_ascii=False) if cepa else "",
    )
