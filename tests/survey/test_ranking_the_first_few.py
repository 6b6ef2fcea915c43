"""A ranking may ask only for the first few ("your top 3 sources"), as KoboToolbox's does."""

from __future__ import annotations

import re

import pytest

from survey import fieldwork, services
from survey.checks import check_survey
from survey.forms import QuestionForm
from survey.logic import PAGE_FIELD
from survey.models import Response
from survey.serialization import survey_from_dict
from survey.xlsform import XLSFormRefused, dict_to_xlsform, parse_xlsform
from tests.survey.factories import choice, q, survey_dict
from tests.survey.test_answering import page_url, start_page
from tests.survey.test_designer_bad_input import question_data
from tests.survey.test_drop_down_lists import _xlsform

pytestmark = pytest.mark.django_db

SOURCES = ["tv", "radio", "school", "social", "family"]


def _sources(**ranking: object) -> dict:
    """In English, French and Arabic."""
    data = survey_dict(
        q("sources", "ranking", choice_list="sources", **ranking),
        lists=[{"name": "sources", "choices": [choice(code) for code in SOURCES]}],
    )
    data["languages"].append("ar")
    data["title"]["ar"] = "التنوع البيولوجي وأنت"
    data["sections"][0]["questions"][0]["text"]["ar"] = "مصادرك"
    for option in data["choice_lists"][0]["choices"]:
        option["label"]["ar"] = option["code"]
    return data


@pytest.fixture
def top_three(agency):
    def make(**ranking: object):
        data = _sources(settings={"max": 3}, **ranking)
        version = services.survey_publish(
            version=survey_from_dict(data, agency=agency, by=None), by=None
        )
        return fieldwork.round_create(version=version, label="R").collectors.get()

    return make


def _ranks(**places: str) -> dict[str, str]:
    return {PAGE_FIELD: "1", **{f"sources__{code}": rank for code, rank in places.items()}}


def test_the_page_offers_ranks_1_to_3_and_says_so(client, top_three):
    html = start_page(client, top_three()).content.decode()
    select = re.search(r'<select name="sources__tv".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\d*)"', select) == ["", "1", "2", "3"]
    assert "Rank only the 3 options you put first." in html


def test_the_first_three_are_kept_in_their_order(client, top_three):
    collector = top_three()
    start_page(client, collector)
    client.post(page_url(collector), _ranks(school="2", radio="1", family="3"))
    assert Response.objects.get().answers == {"sources": ["radio", "school", "family"]}


def test_a_fourth_rank_sent_by_hand_is_refused(client, top_three):
    collector = top_three()
    start_page(client, collector)
    page = client.post(page_url(collector), _ranks(tv="1", radio="2", school="3", social="4"))
    assert "Rank only the 3 options you put first." in page.content.decode()
    assert "sources" not in Response.objects.get().answers


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Rank the 3 options you put first."),
        ("fr", "Classez les 3 options que vous mettez en premier."),
        ("ar", "رتّب الخيارات الـ3 التي تضعها أولاً."),  # Arabic's form for 3 to 10
    ],
)
def test_a_required_top_three_asks_for_all_three(client, top_three, lang, message):
    collector = top_three(required=True)
    start_page(client, collector, lang=lang)
    page = client.post(page_url(collector), _ranks(tv="1", radio="2"))
    assert message in page.content.decode()


def test_a_ranking_without_a_top_ranks_every_option(client, agency):
    data = _sources(required=True)
    version = services.survey_publish(
        version=survey_from_dict(data, agency=agency, by=None), by=None
    )
    collector = fieldwork.round_create(version=version, label="R").collectors.get()
    html = start_page(client, collector).content.decode()
    select = re.search(r'<select name="sources__tv".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\d+)"', select) == ["1", "2", "3", "4", "5"]
    page = client.post(page_url(collector), _ranks(tv="1"))
    assert "Rank every option." in page.content.decode()


@pytest.mark.parametrize("top", [0, -1, "3", 2.5, True])
def test_a_top_that_is_not_a_whole_number_from_1_is_refused(top):
    problems = check_survey(_sources(settings={"max": top}))
    assert any("the number of options to rank" in p.message for p in problems)


def test_the_designer_sets_how_many_to_rank(agency):
    version = survey_from_dict(_sources(), agency=agency, by=None)
    data = question_data(
        version, type="ranking", choice_list=version.choice_lists.get().pk, ranks="3"
    )
    form = QuestionForm(data, version=version)
    assert form.is_valid(), form.errors
    assert form.service_fields()["settings"] == {"max": 3}
    assert not QuestionForm({**data, "ranks": "0"}, version=version).is_valid()


KOBO_RANK = [
    ["begin_rank", "needs", "Your top 3 sources?", "sources"],
    ["rank__level", "first", "1st source", ""],
    ["rank__level", "second", "2nd source", ""],
    ["rank__level", "third", "3rd source", ""],
    ["end_rank", "", "", ""],
]


def _kobo(rows: list[list[str]]) -> bytes:
    """An XLSForm as KoboToolbox exports a form holding its Ranking question."""
    return _xlsform(
        [[*row[:3], ""] for row in rows],
        [["sources", code, code.title()] for code in SOURCES],
        extra_column=("kobo--rank-items", [row[3] for row in rows]),
    )


def test_a_kobo_ranking_comes_in_as_a_ranking_of_its_levels_and_goes_out_again():
    data = parse_xlsform(_kobo(KOBO_RANK))
    (question,) = data["sections"][0]["questions"]
    assert (question["code"], question["type"], question["choice_list"]) == (
        "needs",
        "ranking",
        "sources",
    )
    assert question["settings"] == {"max": 3}
    assert question["text"]["en"] == "Your top 3 sources?"
    again = parse_xlsform(dict_to_xlsform(data))
    assert again["sections"][0]["questions"][0]["settings"] == {"max": 3}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["begin_rank", "needs", "Top 3?", ""], *KOBO_RANK[1:]],
            "survey sheet, row 2: a ranking needs the list of its items in the column",
        ),
        (KOBO_RANK[:-1], "survey sheet, row 2: a “begin_rank” is never closed."),
        (KOBO_RANK[1:], "survey sheet, row 2: “rank__level” without a “begin_rank”."),
    ],
    ids=["no-items", "never-closed", "no-begin"],
)
def test_a_broken_kobo_ranking_is_refused_by_its_row(rows, expected):
    with pytest.raises(XLSFormRefused) as refused:
        parse_xlsform(_kobo(rows))
    assert any(str(p).startswith(expected) for p in refused.value.problems), [
        str(p) for p in refused.value.problems
    ]
