"""The Aichi Target 1 module: complete in six languages, inserted with its codes, guarded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from survey import services
from survey.bank import AICHI_LISTS, AICHI_SECTIONS, UN
from survey.checks import check_survey
from survey.exceptions import SurveyError
from survey.serialization import survey_to_dict
from survey.translation_sheet import translation_completeness

pytestmark = pytest.mark.django_db

EXPECTED_CODES = {
    "bio_heard",
    "bio_meaning",
    "bio_importance",
    "bio_values",
    "bio_informed",
    "bio_steps",
    "bio_willing",
    "bio_sources",
    "age_group",
    "sex",
    "region",
    "education",
    "residence",
    "target_group",
}


def _all_texts():
    for section in AICHI_SECTIONS:
        yield f"page {section['code']}", section["title"]
        for q in section["questions"]:
            yield q["code"], q["text"]
            if q["hint"]:
                yield f"{q['code']} hint", q["hint"]
    for choice_list in AICHI_LISTS:
        for choice in choice_list["choices"]:
            yield f"{choice_list['name']}.{choice['code']}", choice["label"]


def test_the_module_has_the_standard_codes():
    codes = {q["code"] for s in AICHI_SECTIONS for q in s["questions"]}
    assert codes == EXPECTED_CODES


@pytest.mark.parametrize("language", [lang for lang in UN if lang != "en"])
def test_every_text_is_translated_and_differs_from_english(language):
    for where, texts in _all_texts():
        assert set(texts) == set(UN), where
        assert texts[language].strip(), (where, language)
        if any(char.isalpha() for char in texts["en"]):  # "15–24" reads the same everywhere
            assert texts[language] != texts["en"], (where, language)


@pytest.fixture
def draft(agency, member_factory):
    designer = member_factory(Role.DESIGNER, agency=agency)
    survey = services.survey_create(
        agency=agency,
        name="Baseline",
        title="Biodiversity",
        default_language="en",
        languages=list(UN),
        by=designer,
    )
    version = survey.versions.get()
    version.title = {lang: f"Biodiversity ({lang})" for lang in UN}
    version.save()
    version.sections.all().delete()
    return version


def test_inserting_the_module_keeps_codes_marks_standard_and_is_complete(draft):
    services.bank_insert(version=draft, module_name="aichi_t1")
    data = survey_to_dict(draft)
    assert {q.code for q in draft.questions.all()} == EXPECTED_CODES
    assert all(draft.questions.values_list("standard", flat=True))
    assert all(len(entry.missing) == 0 for entry in translation_completeness(data))
    assert check_survey(data) == []
    services.survey_publish(version=draft, by=None)


def test_inserting_twice_is_refused_with_the_clashing_codes(draft):
    services.bank_insert(version=draft, module_name="aichi_t1")
    with pytest.raises(SurveyError) as error:
        services.bank_insert(version=draft, module_name="aichi_t1")
    assert "age_group" in str(error.value.message)


def test_the_designer_warns_when_a_standard_wording_is_edited(
    client, draft, agency, member_factory, login
):
    login(member_factory(Role.DESIGNER, agency=agency))
    client.post(reverse("survey:bank", args=[draft.survey_id, draft.pk]), {"module": "aichi_t1"})
    question = draft.questions.get(code="bio_heard")
    edit_url = reverse("survey:question_edit", args=[draft.survey_id, draft.pk, question.pk])
    page = client.get(edit_url).content.decode()
    assert "breaks comparability" in page
    data = {
        "section": question.section_id,
        "code": "bio_heard",
        "type": "single",
        "choice_list": question.choice_list_id,
        "required": "on",
        **{f"text__{lang}": text for lang, text in question.text.items()},
    }
    data["text__fr"] = "Connaissez-vous la biodiversité ?"
    response = client.post(edit_url, data, follow=True)
    assert "wording now differs from the question bank" in response.content.decode()
