"""Malformed input in the designer gets a translated form error or a 404, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from survey.models import Question
from survey.serialization import survey_from_dict
from tests.survey.factories import every_feature

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(agency, member_factory, login):
    designer = member_factory(Role.DESIGNER, agency=agency)
    login(designer)
    return survey_from_dict(every_feature(), agency=agency, by=designer)


@pytest.fixture
def foreign_version(other_agency):
    return survey_from_dict(every_feature(), agency=other_agency, by=None)


def url(version, name, *args, lang="en"):
    return f"/{lang}" + reverse(f"survey:{name}", args=[version.survey_id, version.pk, *args])[3:]


def question_data(version, **overrides):
    data = {
        "section": version.sections.first().pk,
        "code": "new_q",
        "type": "text",
        "text__en": "A question",
        "text__fr": "Une question",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "1bad code"}, "Use a letter or _ first"),
        ({"code": "x" * 65}, "at most 64 characters"),
        ({"code": "age"}, "Another question already has this code."),
        ({"type": "geopoint"}, "Select a valid choice"),
        ({"text__en": "x" * 2001}, "at most 2000 characters"),
        ({"relevance": "${age} >"}, "ends too early"),
        ({"relevance": "${nobody} = 1"}, "No question has the code nobody"),
        ({"relevance": "1" * 4001}, "at most 4000 characters"),
        ({"constraint": "string-length(. > 3"}, "never closed"),
        ({"type": "integer", "minimum": "10", "maximum": "2"}, "must not be below the minimum"),
        ({"type": "single"}, "Choose the list of choices to offer."),
        ({"type": "integer", "minimum": "ten"}, "Enter a number"),
    ],
)
def test_bad_question_input_is_explained_next_to_the_field(version, client, overrides, message):
    before = Question.objects.count()
    response = client.post(url(version, "question_add"), question_data(version, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert Question.objects.count() == before


def test_bad_input_keeps_what_was_typed(version, client):
    response = client.post(
        url(version, "question_add"),
        question_data(version, code="bad code!", text__fr="Ma longue question"),
    )
    assert 'value="bad code!"' in response.content.decode()
    assert "Ma longue question" in response.content.decode()


def test_errors_are_translated(version, client):
    response = client.post(
        url(version, "question_add", lang="ar"), question_data(version, code="age")
    )
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "Another question already has this code." not in html
    assert "سؤال آخر" in html


def test_a_tampered_section_or_list_from_another_agency_is_refused(
    version, foreign_version, client
):
    foreign_section = foreign_version.sections.first()
    foreign_list = foreign_version.choice_lists.first()
    response = client.post(
        url(version, "question_add"),
        question_data(
            version, section=foreign_section.pk, type="single", choice_list=foreign_list.pk
        ),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Question.objects.filter(code="new_q").exists()


def test_tampered_ids_in_urls_are_404(version, foreign_version, client):
    foreign_question = foreign_version.questions.first()
    foreign_list = foreign_version.choice_lists.first()
    foreign_choice = foreign_list.choices.first()
    attempts = [
        client.get(url(version, "question_edit", foreign_question.pk)),
        client.post(url(version, "question_delete", foreign_question.pk)),
        client.post(url(version, "question_move", foreign_question.pk), {"direction": "up"}),
        client.get(url(version, "choice_list", foreign_list.pk)),
        client.post(
            url(version, "choice_delete", version.choice_lists.first().pk, foreign_choice.pk)
        ),
        client.get(url(version, "section_edit", foreign_version.sections.first().pk)),
        client.get(url(foreign_version, "version")),
        client.get(f"/en/surveys/{version.survey_id}/versions/{foreign_version.pk}/"),
        client.get("/en/surveys/999999/"),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert Question.objects.filter(pk=foreign_question.pk).exists()


def test_bad_languages_and_names_when_creating_a_survey(version, client, agency):
    response = client.post(
        reverse("survey:create", args=[agency.pk]),
        {
            "name": "x" * 201,
            "title": "T",
            "default_language": "english!",
            "other_languages": "sw, 123",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "at most 200 characters" in html
    assert "is not a language code" in html


def test_bad_choice_input(version, client):
    choice_list = version.choice_lists.get(name="aware")
    response = client.post(
        url(version, "choice_list", choice_list.pk),
        {"choice-code": "never", "choice-label__en": "x", "choice-properties": "no equals sign"},
    )
    html = response.content.decode()
    assert "Another choice in this list has this code." in html
    assert "column=value" in html


def test_the_live_logic_check_answers_json_for_any_input(version, client):
    check = url(version, "check_expression")
    assert client.post(check, {"expression": "${age} >= 16"}).json()["ok"] is True
    bad = client.post(check, {"expression": "${age} >= "}).json()
    assert bad["ok"] is False and "character" in bad["message"]
    huge = client.post(check, {"expression": "(" * 100000}).json()
    assert huge["ok"] is False


def test_preview_survives_odd_parameters(version, client):
    preview = url(version, "preview")
    for query in ["?page=abc", "?page=-5", "?page=99999", "?lang=xx", "?lang=<script>"]:
        assert client.get(preview + query).status_code == 200, query
    page = client.post(preview + "?page=1", {"age": "x" * 1_000_000})
    assert page.status_code == 200
    assert "Enter a number" in page.content.decode()
