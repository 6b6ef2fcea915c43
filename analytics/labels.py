"""What the agency reads for a breakdown and its categories: names in its language, not codes.

A table by `sex = female` or `collector = 12` asks the reader to know the
questionnaire's codes and the database's ids; the indicator pages show the
breakdown's name, and each category as the questionnaire, the round page or
the language switcher names it, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from analytics.indicators import BREAKDOWNS
from survey import selectors
from survey.checks import iter_questions
from survey.fieldwork import target_group_label
from survey.i18n import language_label, match_language, percent_text, text_for

if TYPE_CHECKING:
    from analytics.models import PopulationMargins

BREAKDOWN_NAMES = {
    "target_group": _("Target group"),
    "age_group": _("Age group"),
    "sex": _("Sex"),
    "region": _("Region"),
    "education": _("Education"),
    "residence": _("Place of residence"),
    "language": _("Language"),
    "collector": _("Collector"),
}


# Breakdowns by what the response records itself, not by an answer (named in named_rows).
_NOT_QUESTIONS = {"target_group", "language", "collector"}


def breakdown_choices() -> list[tuple[str, str]]:
    """(breakdown, its name) in the tables' order, for the form that picks them."""
    return [(breakdown, str(BREAKDOWN_NAMES[breakdown])) for breakdown in BREAKDOWNS]


def named_rows(
    rows: Iterable[dict[str, Any]], *, round_ids: Sequence[int], language: str
) -> list[dict[str, Any]]:
    """The table's rows, each with `breakdown_name` and `category_name` (rows of "all": empty),
    and unless suppressed `value_text` and `interval_text`, percentages as the reader's
    language writes them (call in that language).

    A question's categories (age group, sex, region...) are named by its
    choices in `language` (the reader's), else in the survey's default
    language; collectors by the names the agency gave them; languages by their
    own names, as the language switchers write them. A code no list names (an
    answer from an older version) stays as it is.
    """
    rows = list(rows)
    wanted = {row["breakdown"] for row in rows} - {"all"}
    interval = pgettext("an interval of percentages, as in 63–76%", "%(lower)s–%(upper)s%%")
    names = _category_names(wanted, round_ids=round_ids, language=language)
    for row in rows:
        breakdown, category = row["breakdown"], str(row["category"])
        row["breakdown_name"] = str(BREAKDOWN_NAMES.get(breakdown, ""))
        if breakdown == "all":
            row["category_name"] = ""
        elif breakdown == "target_group":
            row["category_name"] = target_group_label(category)
        elif breakdown == "language":
            row["category_name"] = language_label(category)[0]
        else:
            row["category_name"] = names.get(breakdown, {}).get(category) or category
        # Written as the reader's language writes percentages ("70 %" in French, "70٪"
        # in Arabic); suppressed cells have none.
        if not row.get("suppressed") and _is_number(row.get("value")):
            row["value_text"] = percent_text(_whole_percent(row["value"]))
            row["interval_text"] = interval % {
                "lower": _whole_percent(row["lower"]),
                "upper": _whole_percent(row["upper"]),
            }
    return rows


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and value == value  # not NaN


def _whole_percent(share: float) -> int:
    return round(100 * share)


def _category_names(
    wanted: set[str], *, round_ids: Sequence[int], language: str
) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    if "collector" in wanted:
        names["collector"] = selectors.collector_names(round_ids=round_ids)
    # The other breakdowns are questions: their columns are named by question codes.
    by_question = {BREAKDOWNS[b]: b for b in wanted - _NOT_QUESTIONS}
    if not by_question:
        return names
    for round_id in round_ids:
        survey = selectors.round_questions(round_id=round_id)
        default = survey["default_language"]
        content = match_language(survey["languages"], language) or default
        lists = {each["name"]: each["choices"] for each in survey["choice_lists"]}
        for question in iter_questions(survey):
            breakdown = by_question.get(question["code"])
            if breakdown is None:
                continue
            for choice in lists.get(question.get("choice_list") or "", []):
                label = text_for(choice["label"], content, default)
                names.setdefault(breakdown, {}).setdefault(choice["code"], label)
    return names


@dataclass(frozen=True)
class NamedTotal:
    """A category of a population total: its name, the code the uploaded file used, the total
    (None: the figures do not count it, see analytics.weighting)."""

    name: str
    code: str
    total: float | None


@dataclass(frozen=True)
class NamedMargins:
    source: str
    year: int
    uploaded_at: Any
    variables: list[tuple[str, str, list[NamedTotal]]]  # (name, code, its categories)


def named_margins(
    margins: Iterable[PopulationMargins], *, agency_id: int, language: str
) -> list[NamedMargins]:
    """The agency's uploaded totals with each variable and category named in `language`.

    Analysts upload the file with codes (age_group, 15_24); reading back
    "Age group: 15–24" as the questionnaire words it tells them the totals
    went where they meant. Categories are named by the agency's published
    questionnaires; a code none of them has stays as it is.
    """
    margins = list(margins)
    variables = {variable for item in margins for variable in item.cells}
    labels = selectors.agency_choice_labels(
        agency_id=agency_id, question_codes=variables, language=language
    )
    return [
        NamedMargins(
            source=item.source,
            year=item.year,
            uploaded_at=item.uploaded_at,
            variables=[
                (
                    str(BREAKDOWN_NAMES.get(variable, variable)),
                    variable,
                    [
                        NamedTotal(labels.get(variable, {}).get(code, code), code, total)
                        for code, total in cells.items()
                    ],
                )
                for variable, cells in item.cells.items()
            ],
        )
        for item in margins
    ]
