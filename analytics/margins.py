"""Population margins from a CSV or XLSX file, checked row by row before anything is stored."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WEIGHTING_VARIABLES = ("age_group", "sex", "region", "education", "residence")
TOLERANCE = 0.02  # variables may disagree on the total by 2% (rounding, other sources)


@dataclass
class MarginProblem:
    row: int | None
    message: str

    def __str__(self) -> str:
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


def _rows(data: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [
                ["" if v is None else str(v).strip() for v in row]
                for row in workbook.active.iter_rows(values_only=True)
            ][:10_000]
        finally:
            workbook.close()
    text = data.decode("utf-8-sig", errors="replace")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))][:10_000]


def parse_margins(
    data: bytes, filename: str, *, known: dict[str, set[str]]
) -> tuple[dict[str, dict[str, float | None]], list[MarginProblem]]:
    """Rows of variable, category, total -> {variable: {category: total}}, and the problems.

    A category whose total is left empty gets None: no census counts the people
    who "prefer not to say", and their respondents are then weighted as those
    who did not answer (analytics.weighting), instead of the
    analyst inventing a total for them.
    """
    problems: list[MarginProblem] = []
    try:
        rows = _rows(data, filename)
    except Exception:  # damaged spreadsheets raise many kinds of errors
        return {}, [MarginProblem(None, _("The file cannot be read; save it as CSV or XLSX."))]
    if not rows or [c.lower() for c in rows[0][:3]] != ["variable", "category", "total"]:
        return {}, [MarginProblem(1, _("The first row must be: variable, category, total."))]
    cells: dict[str, dict[str, float | None]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        variable, category, total = ([*row, "", "", ""])[:3]
        problem = _row_problem(variable, category, known=known, cells=cells)
        value: float | None = None  # an empty total: a category the figures do not count
        if problem is None and (total or not category):
            value, problem = _read_total(total)
        if problem is not None:
            problems.append(MarginProblem(number, problem))
            continue
        cells.setdefault(variable, {})[category] = value
    for variable, given in cells.items():
        if all(total is None for total in given.values()):
            problems.append(
                MarginProblem(None, _("%(variable)s has no totals.") % {"variable": variable})
            )
    if not cells and not problems:
        problems.append(MarginProblem(None, _("The file has no totals.")))
    totals = {
        v: sum(t for t in c.values() if t is not None)
        for v, c in cells.items()
        if any(t is not None for t in c.values())
    }
    if totals:
        reference = max(totals.values())
        for variable, total in totals.items():
            if reference and abs(total - reference) / reference > TOLERANCE:
                problems.append(
                    MarginProblem(
                        None,
                        _(
                            "The totals of %(variable)s add up to %(total)s, more than 2%% away from %(reference)s."
                        )
                        % {
                            "variable": variable,
                            "total": f"{total:,.0f}",
                            "reference": f"{reference:,.0f}",
                        },
                    )
                )
    return cells, problems


def _row_problem(
    variable: str,
    category: str,
    *,
    known: dict[str, set[str]],
    cells: dict[str, dict[str, float | None]],
) -> str | None:
    """What is wrong with a row's variable and category, if anything."""
    if variable not in WEIGHTING_VARIABLES:
        return _("“%(variable)s” is not a weighting variable (use %(allowed)s).") % {
            "variable": variable,
            "allowed": ", ".join(WEIGHTING_VARIABLES),
        }
    if variable in known and category not in known[variable]:
        return _("“%(category)s” is not a category of %(variable)s in your surveys.") % {
            "category": category,
            "variable": variable,
        }
    if category in cells.get(variable, {}):
        return _("%(variable)s = %(category)s appears twice.") % {
            "variable": variable,
            "category": category,
        }
    return None


def _read_total(total: str) -> tuple[float | None, str | None]:
    """(the total, None), or (None, what is wrong with it)."""
    try:
        value = Decimal(total.replace(" ", "").replace(",", ""))
    except InvalidOperation:
        return None, _("“%(total)s” is not a number.") % {"total": total}
    if value < 0:
        return None, _("A population total cannot be negative.")
    return float(value), None


def saved_message(cells: dict[str, dict[str, float | None]]) -> str:
    """What the analyst is told once totals are stored: how many categories have none,
    in case one was forgotten."""
    uncounted = sum(total is None for given in cells.values() for total in given.values())
    if not uncounted:
        return _("Population totals saved.")
    return ngettext(
        "Population totals saved. %(count)d category has no total: its "
        "respondents are weighted as those who did not answer.",
        "Population totals saved. %(count)d categories have no total: their "
        "respondents are weighted as those who did not answer.",
        uncounted,
    ) % {"count": uncounted}


def template_workbook(
    labels: dict[str, dict[str, str]],
    *,
    previous: dict[str, dict[str, float | None]] | None,
    name_heading: str,
    right_to_left: bool = False,
) -> bytes:
    """An XLSX to fill in: a row per category of each weighting variable the surveys ask.

    The analyst then types totals against the right codes instead of copying
    them from the questionnaire (a misspelt code refuses the whole file). The
    fourth column names each category for reading; parse_margins reads three.
    Totals of the latest upload are filled in, to update rather than retype.
    """
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "totals"
    sheet.append(["variable", "category", "total", name_heading])
    previous = previous or {}
    for variable in WEIGHTING_VARIABLES:
        for code, name in labels.get(variable, {}).items():
            sheet.append([variable, code, previous.get(variable, {}).get(code), name])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCD", (14, 18, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.sheet_view.rightToLeft = right_to_left
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
