"""Reads for analytics: which indicators and population totals an agency works with."""

from __future__ import annotations

from django.db.models import QuerySet

from analytics.models import Indicator, PopulationMargins


def standard_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(agency__isnull=True)


def own_indicators(*, agency_id: int) -> QuerySet[Indicator]:
    return Indicator.objects.filter(agency_id=agency_id)


def indicators_for(*, agency_id: int) -> list[Indicator]:
    """The standard indicators, then the agency's own: what its tables show."""
    return [*standard_indicators(), *own_indicators(agency_id=agency_id)]


def margins_of(*, agency_id: int) -> QuerySet[PopulationMargins]:
    """The agency's uploads, latest year and upload first."""
    return PopulationMargins.objects.filter(agency_id=agency_id)


def latest_margins(*, agency_id: int) -> PopulationMargins | None:
    """The totals raking uses: the latest upload."""
    return margins_of(agency_id=agency_id).first()
