"""Writes for analytics."""

from __future__ import annotations

from accounts.models import Agency, User
from analytics.margins import MarginProblem, parse_margins
from analytics.models import Indicator, PopulationMargins
from survey.selectors import agency_answer_categories


class MarginsRefused(Exception):
    def __init__(self, problems: list[MarginProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def margins_upload(
    *, agency: Agency, data: bytes, filename: str, source: str, year: int, by: User | None
) -> PopulationMargins:
    """Store an agency's population totals after checking every row; refused whole otherwise."""
    known = agency_answer_categories(agency_id=agency.pk)
    cells, problems = parse_margins(data, filename, known=known)
    if problems:
        raise MarginsRefused(problems)
    return PopulationMargins.objects.create(
        agency=agency, source=source.strip(), year=year, cells=cells, uploaded_by=by
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
