"""Demo population margins, so that `make run` can show weighted indicators."""

from __future__ import annotations

from accounts.models import Agency
from analytics.models import PopulationMargins

DEMO_SOURCE = "Illustrative figures for the demo (not official statistics)"

DEMO_MARGINS = {
    "age_group": {
        "15_24": 11_000_000,
        "25_39": 12_500_000,
        "40_54": 7_000_000,
        "55_64": 2_500_000,
        "65_plus": 2_000_000,
        # No census counts "prefer not to say": weighted as those who did not answer.
        "no_answer": None,
    },
    "sex": {"female": 17_600_000, "male": 17_300_000, "other": 50_000, "no_answer": None},
    "residence": {"urban": 11_500_000, "rural": 23_500_000},
}


def demo_margins_load(*, agency: Agency) -> PopulationMargins:
    existing = PopulationMargins.objects.filter(agency=agency, source=DEMO_SOURCE).first()
    if existing is not None:
        return existing
    return PopulationMargins.objects.create(
        agency=agency, source=DEMO_SOURCE, year=2026, cells=DEMO_MARGINS
    )
