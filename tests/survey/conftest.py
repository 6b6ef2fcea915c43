from __future__ import annotations

import pytest

from survey import fieldwork, services
from survey.models import Collector
from survey.serialization import survey_from_dict
from tests.survey.factories import every_feature


@pytest.fixture
def mailing(agency) -> Collector:
    """An email collector of an open round of a published survey."""
    version = services.survey_publish(
        version=survey_from_dict(every_feature(), agency=agency, by=None), by=None
    )
    round_ = fieldwork.round_create(version=version, label="Baseline")
    return fieldwork.collector_create(round_=round_, name="Schools in Region X", kind="email")
