"""Publishing is refused with a precise list of problems, one kind at a time."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.models import Role
from survey import services
from survey.checks import Kind, answer_keys, check_survey
from survey.exceptions import PublishRefused
from survey.models import VersionStatus
from survey.serialization import survey_from_dict
from tests.survey.factories import choice, every_feature, q, survey_dict


def kinds(data) -> list[tuple[str, str]]:
    return [(p.kind, p.code) for p in check_survey(data)]


def test_a_survey_using_every_feature_has_no_problems():
    assert check_survey(every_feature()) == []


def test_unknown_codes_in_expressions():
    data = survey_dict(q("a", "integer"), q("b", relevance="${nobody} = 1"))
    assert kinds(data) == [(Kind.UNKNOWN_CODE, "b")]
    assert "${nobody}" in check_survey(data)[0].message


def test_references_to_later_questions():
    data = survey_dict(q("a", "integer", relevance="${b} > 2"), q("b", "integer"))
    assert (Kind.LATER_REFERENCE, "a") in kinds(data)


def test_a_page_cannot_depend_on_its_own_questions():
    data = survey_dict(
        pages=[
            {"code": "p", "title": {}, "relevance": "${a} > 1", "questions": [q("a", "integer")]}
        ]
    )
    assert kinds(data)[0] == (Kind.LATER_REFERENCE, "p")


@pytest.mark.parametrize(
    ("expression", "message_part"),
    [
        ("${name} > 3", "text question"),
        ("${name} = 3", "text question"),
        ("${age} = 'many'", "number question"),
        ("${steps} = 'plant'", "selected()"),
        ("count-selected(${age}) > 1", "not a choice question"),
        ("${name} + 1 > 2", "arithmetic"),
    ],
)
def test_type_mismatches(expression, message_part):
    data = survey_dict(
        q("name", "text"),
        q("age", "integer"),
        q("steps", "multiple", choice_list="steps"),
        q("later", "text", relevance=expression),
    )
    problems = check_survey(data)
    assert [(p.kind, p.code) for p in problems] == [(Kind.TYPE_MISMATCH, "later")]
    assert message_part in problems[0].message


def test_a_choice_code_that_does_not_exist():
    data = survey_dict(
        q("informed", "yes_no", choice_list="yes_no"), q("b", relevance="${informed} = 'maybe'")
    )
    assert kinds(data) == [(Kind.UNKNOWN_CHOICE, "b")]


def test_cycles():
    data = survey_dict(
        q("a", "calculate", text={}, calculation="${b} + 1"),
        q("b", "calculate", text={}, calculation="${a} + 1"),
    )
    problems = check_survey(data)
    cycle = [p for p in problems if p.kind == Kind.CYCLE]
    assert len(cycle) == 1
    assert "a → b → a" in cycle[0].message


def test_empty_choice_lists():
    data = survey_dict(
        q("a", "single", choice_list="empty"),
        q("b", "multiple"),
        q("m", "matrix", choice_list="yes_no"),
        lists=[{"name": "empty", "choices": []}, {"name": "yes_no", "choices": [choice("yes")]}],
    )
    assert kinds(data) == [
        (Kind.EMPTY_CHOICE_LIST, "a"),
        (Kind.EMPTY_CHOICE_LIST, "b"),
        (Kind.EMPTY_CHOICE_LIST, "m"),
    ]


def test_an_empty_list_is_named_in_a_whole_sentence_in_each_language():
    # One sentence with "choices" or "rows" put into it could not agree in Russian
    # ("нет вариантов (строк)") nor in Arabic.
    data = survey_dict(
        q("m", "matrix", choice_list="yes_no", rows_list="empty"),
        lists=[{"name": "yes_no", "choices": [choice("yes")]}, {"name": "empty", "choices": []}],
    )
    with translation.override("ru"):
        assert [p.message for p in check_survey(data)] == ["У вопроса m нет строк."]
    with translation.override("en"):
        assert [p.message for p in check_survey(data)] == ["m has no rows to offer."]


def test_duplicate_codes():
    data = survey_dict(
        q("a"),
        q("a"),
        q("v_health"),
        q("v", "matrix", choice_list="yes_no", rows_list="rows"),
        lists=[
            {"name": "yes_no", "choices": [choice("yes")]},
            {"name": "rows", "choices": [choice("health"), choice("health")]},
        ],
    )
    problems = [(p.kind, p.code) for p in check_survey(data)]
    assert (Kind.DUPLICATE_CODE, "a") in problems
    assert (Kind.DUPLICATE_CODE, "v") in problems  # v_health collides with a question
    assert (Kind.DUPLICATE_CODE, "rows") in problems  # choice code twice in a list


def test_other_please_specify_beside_a_choice_coded_other_is_refused():
    # Respondents saw two "Other" options for one answer, and the page two inputs with
    # one id (a label that ticks the wrong one). A list's own "other", without the
    # setting, is an ordinary choice; so is the setting beside a list without one.
    sources = {"name": "sources", "choices": [choice("tv"), choice("other")]}
    data = survey_dict(
        q("heard", "single", choice_list="sources", settings={"other": True}),
        q("also", "multiple", choice_list="sources", settings={"other": True}),
        q("plain", "single", choice_list="sources"),
        q("specify", "single", choice_list="yes_no", settings={"other": True}),
        lists=[sources, {"name": "yes_no", "choices": [choice("yes"), choice("no")]}],
    )
    assert kinds(data) == [(Kind.DUPLICATE_CODE, "heard"), (Kind.DUPLICATE_CODE, "also")]
    with translation.override("fr"):
        message = check_survey(data)[0].message
    assert message.startswith("heard propose « Autre, précisez »")
    # Only single and multiple choices offer it: a scale with the setting left on
    # answers under no "_other" key, as the answering flow reads it (CompiledQuestion).
    scale = survey_dict(q("agree", "likert", choice_list="yes_no", settings={"other": True}))
    assert set(answer_keys(scale)) == {"agree"}


def test_missing_text_in_a_language():
    data = survey_dict(q("a", text={"en": "Age?"}), q("b", hint={"en": "A hint", "fr": ""}))
    problems = check_survey(data)
    assert [(p.kind, p.code, p.field, p.language) for p in problems] == [
        (Kind.MISSING_TEXT, "a", "text", "fr"),
        (Kind.MISSING_TEXT, "b", "hint", "fr"),
    ]


def test_syntax_errors_point_at_the_character():
    data = survey_dict(q("a", "integer"), q("b", relevance="${a} >"))
    problem = check_survey(data)[0]
    assert problem.kind == Kind.SYNTAX
    assert "character 7" in problem.message


@pytest.mark.django_db
def test_the_publish_service_refuses_with_the_full_list(agency, member_factory):
    designer = member_factory(Role.DESIGNER, agency=agency)
    data = survey_dict(q("a", text={"en": "Age?"}), q("b", relevance="${zz} = 1"))
    version = survey_from_dict(data, agency=agency, by=designer)
    with pytest.raises(PublishRefused) as refused:
        services.survey_publish(version=version, by=designer)
    assert {p.kind for p in refused.value.problems} == {Kind.MISSING_TEXT, Kind.UNKNOWN_CODE}
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


@pytest.mark.django_db
def test_the_designer_page_lists_every_problem_with_its_question(
    client, agency, member_factory, login
):
    from django.urls import reverse

    designer = member_factory(Role.DESIGNER, agency=agency)
    version = survey_from_dict(
        survey_dict(q("a", text={"en": "Age?"}), q("b", relevance="${zz} = 1")),
        agency=agency,
        by=designer,
    )
    login(designer)
    page = client.post(reverse("survey:publish", args=[version.survey_id, version.pk]), follow=True)
    html = page.content.decode()
    assert "Not published: 2 problems to solve first" in html
    assert "a: the question text is missing in fr." in html
    assert "b refers to ${zz}, which is not a question of this survey." in html


def test_the_demo_survey_is_complete_in_the_six_un_languages():
    from survey.demo import demo_survey_dict

    data = demo_survey_dict()
    assert set(data["languages"]) == {"ar", "zh-Hans", "en", "fr", "ru", "es"}
    assert check_survey(data) == []
