"""A whole version round-trips through its dict exactly."""

from __future__ import annotations

import json

import pytest

from accounts.models import Role
from survey.serialization import survey_from_dict, survey_to_dict
from tests.survey.factories import every_feature

pytestmark = pytest.mark.django_db


def test_a_survey_using_every_feature_round_trips_exactly(agency, member_factory):
    data = every_feature()
    version = survey_from_dict(data, agency=agency, by=member_factory(Role.DESIGNER, agency=agency))
    assert survey_to_dict(version) == data


def test_the_dict_is_plain_json(agency):
    version = survey_from_dict(every_feature(), agency=agency, by=None)
    text = json.dumps(survey_to_dict(version), ensure_ascii=False)
    assert json.loads(text) == every_feature()


def test_a_copy_of_a_copy_is_still_equal(agency):
    first = survey_from_dict(every_feature(), agency=agency, by=None)
    second = survey_from_dict(survey_to_dict(first), agency=agency, by=None)
    assert survey_to_dict(second) == survey_to_dict(first)
    assert second.survey_id != first.survey_id


def test_a_malformed_dict_is_refused_with_a_message(agency):
    from survey.exceptions import SurveyError

    broken = every_feature()
    broken["sections"][0]["questions"][1]["type"] = "geopoint"
    with pytest.raises(SurveyError) as error:
        survey_from_dict(broken, agency=agency, by=None)
    assert "geopoint" in str(error.value.message)
    from survey.models import Survey

    assert not Survey.objects.exists()  # nothing half-created
