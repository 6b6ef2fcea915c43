"""Writes for analytics."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Agency, User
from analytics.margins import WEIGHTING_VARIABLES, MarginProblem, parse_margins, template_workbook
from analytics.models import Indicator, PopulationMargins
from analytics.selectors import latest_margins
from survey.i18n import is_rtl
from survey.selectors import agency_choice_labels


class MarginsRefused(Exception):
    def __init__(self, problems: list[MarginProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def margins_upload(
    *, agency: Agency, data: bytes, filename: str, source: str, year: int, by: User | None
) -> PopulationMargins:
    """Store an agency's population totals after checking every row; refused whole otherwise."""
    labels = agency_choice_labels(
        agency_id=agency.pk, question_codes=WEIGHTING_VARIABLES, language=""
    )
    known = {variable: set(categories) for variable, categories in labels.items()}
    cells, problems = parse_margins(data, filename, known=known)
    if problems:
        raise MarginsRefused(problems)
    return PopulationMargins.objects.create(
        agency=agency, source=source.strip(), year=year, cells=cells, uploaded_by=by
    )


def margins_template(*, agency: Agency, language: str) -> bytes:
    """The agency's population-totals file to fill in, its categories named in `language`."""
    labels = agency_choice_labels(
        agency_id=agency.pk, question_codes=WEIGHTING_VARIABLES, language=language
    )
    previous = latest_margins(agency_id=agency.pk)
    return template_workbook(
        labels,
        previous=previous.cells if previous else None,
        name_heading=_("What the category counts (for reading; not uploaded)"),
        right_to_left=is_rtl(language),
    )


def indicator_create(
    *, agency: Agency, code: str, names: dict[str, str], numerator: str, denominator: str
) -> Indicator:
    """An agency's own indicator; the expressions were parsed by the form already."""
    from survey.expressions import parse, references

    requires = sorted(references(parse(numerator)) | references(parse(denominator)))
    return Indicator.objects.create(
        agency=agency,
        code=code,
        name=names,
        numerator=numerator,
        denominator=denominator,
        requires=requires,
        order=1000,
    )
