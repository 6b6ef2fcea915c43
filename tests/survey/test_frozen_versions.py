"""A published version never changes, whatever path a write takes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from survey import services
from survey.exceptions import VersionLocked
from survey.models import Choice, ChoiceList, Question, Section, SurveyVersion, VersionStatus
from survey.serialization import survey_from_dict, survey_to_dict
from tests.survey.factories import every_feature

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(agency, member_factory):
    designer = member_factory(Role.DESIGNER, agency=agency)
    version = survey_from_dict(every_feature(), agency=agency, by=designer)
    services.survey_publish(version=version, by=designer)
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    return version


def _service_attempts(version):
    section = version.sections.first()
    question = version.questions.get(code="age")
    choice_list = version.choice_lists.get(name="aware")
    choice = choice_list.choices.first()
    return {
        "version_update": lambda: services.version_update(
            version=version,
            title={"en": "x"},
            intro={},
            thank_you={},
            thank_you_links=[],
            languages=["en"],
            default_language="en",
        ),
        "section_save": lambda: services.section_save(
            version=version, section=section, code="x", title={}, relevance=""
        ),
        "section_add": lambda: services.section_save(
            version=version, section=None, code="new", title={}, relevance=""
        ),
        "section_delete": lambda: services.section_delete(section=section),
        "section_move": lambda: services.section_move(section=section, direction=1),
        "question_save": lambda: services.question_save(
            version=version, question=question, section=section, code="age2"
        ),
        "question_add": lambda: services.question_save(
            version=version, question=None, section=section, code="new", type="text"
        ),
        "question_delete": lambda: services.question_delete(question=question),
        "question_move": lambda: services.question_move(question=question, direction=1),
        "choice_list_save": lambda: services.choice_list_save(
            version=version, choice_list=choice_list, name="renamed"
        ),
        "choice_list_preset": lambda: services.choice_list_from_preset(
            version=version, preset="yes_no"
        ),
        "choice_list_delete": lambda: services.choice_list_delete(choice_list=choice_list),
        "choice_save": lambda: services.choice_save(
            choice_list=choice_list, choice=choice, code="zz", label={"en": "zz"}
        ),
        "choice_add": lambda: services.choice_save(
            choice_list=choice_list, choice=None, code="new", label={"en": "new"}
        ),
        "choice_delete": lambda: services.choice_delete(choice=choice),
        "choice_move": lambda: services.choice_move(choice=choice, direction=1),
        "publish_again": lambda: services.survey_publish(version=version, by=None),
    }


def _model_attempts(version):
    question = version.questions.get(code="age")
    choice = Choice.objects.filter(choice_list__version=version).first()

    def save_question():
        question.text = {"en": "changed"}
        question.save()

    def save_choice():
        choice.label = {"en": "changed"}
        choice.save()

    def save_version():
        version.title = {"en": "changed"}
        version.save()

    def bulk_update():
        question.code = "zzz"
        Question.objects.bulk_update([question], ["code"])

    return {
        "question.save": save_question,
        "question.delete": question.delete,
        "Question.update": lambda: Question.objects.filter(version=version).update(required=True),
        "Question.delete": lambda: Question.objects.filter(version=version).delete(),
        "Question.bulk_create": lambda: Question.objects.bulk_create(
            [Question(version=version, section=question.section, code="sneaky", type="text")]
        ),
        "Question.bulk_update": bulk_update,
        "choice.save": save_choice,
        "Choice.update": lambda: Choice.objects.filter(choice_list__version=version).update(
            code="x"
        ),
        "Section.update": lambda: Section.objects.filter(version=version).update(relevance="1 = 1"),
        "ChoiceList.delete": lambda: ChoiceList.objects.filter(version=version).delete(),
        "version.save": save_version,
        "version.delete": version.delete,
        "SurveyVersion.update_fields": lambda: SurveyVersion.objects.get(pk=version.pk).save(
            update_fields=["title"]
        ),
    }


def test_no_service_can_change_a_published_version(published):
    before = survey_to_dict(published)
    for name, attempt in _service_attempts(published).items():
        with pytest.raises(VersionLocked):
            attempt()
        assert survey_to_dict(SurveyVersion.objects.get(pk=published.pk)) == before, name


def test_no_model_or_queryset_path_can_change_a_published_version(published):
    before = survey_to_dict(published)
    for name, attempt in _model_attempts(published).items():
        with pytest.raises(VersionLocked):
            attempt()
        assert survey_to_dict(SurveyVersion.objects.get(pk=published.pk)) == before, name
    assert SurveyVersion.objects.get(pk=published.pk).content_hash == published.content_hash


def test_the_admin_cannot_change_a_published_version(published, client, user_factory):
    superuser = user_factory(is_staff=True, is_superuser=True)
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    question = published.questions.get(code="age")
    url = reverse("admin:survey_question_change", args=[question.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only view
    response = client.post(url, {"code": "hacked", "type": "text"})
    assert response.status_code == 403
    delete = client.post(
        reverse("admin:survey_question_delete", args=[question.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    version_url = reverse("admin:survey_surveyversion_change", args=[published.pk])
    assert client.post(version_url, {"status": "draft"}).status_code == 403
    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED
    assert published.questions.filter(code="age").exists()


def test_retiring_is_the_only_change_left(published):
    services.version_retire(version=published)
    published.refresh_from_db()
    assert published.status == VersionStatus.RETIRED
    assert published.retired_at is not None


def test_a_draft_stays_editable(agency):
    version = survey_from_dict(every_feature(), agency=agency, by=None)
    section = version.sections.first()
    services.question_save(
        version=version, question=None, section=section, code="extra", type="text"
    )
    assert version.questions.filter(code="extra").exists()
