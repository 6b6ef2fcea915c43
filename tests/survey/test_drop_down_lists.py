"""A long list (a district, a country) marked `minimal` is answered from a drop-down list."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from survey import fieldwork, services
from survey.logic import PAGE_FIELD, compile_survey
from survey.models import Response
from survey.serialization import survey_from_dict
from survey.xlsform import XLSFormRefused, dict_to_xlsform, parse_xlsform
from tests.survey.factories import choice, q, survey_dict
from tests.survey.test_answering import page_url, start_page

pytestmark = pytest.mark.django_db

COUNTIES = ["Mombasa", "Kwale", "Kilifi", "Tana River", "Lamu", "Nairobi", "Nakuru", "Kisumu"]


def _counties_survey(appearance: str = "minimal", **county: object) -> dict:
    data = survey_dict(
        q("county", "single", choice_list="counties", appearance=appearance, **county),
        q("years", "integer", settings={"min": 0, "max": 120}),
        lists=[
            {
                "name": "counties",
                "choices": [
                    choice(
                        name.lower().replace(" ", "_"),
                        label={"en": name, "fr": name, "ar": f"مقاطعة {name}"},
                    )
                    for name in COUNTIES
                ],
            }
        ],
    )
    data["languages"].append("ar")
    data["title"]["ar"] = "التنوع البيولوجي وأنت"
    for question in data["sections"][0]["questions"]:
        question["text"]["ar"] = f"سؤال {question['code']}"
    return data


@pytest.fixture
def counties(agency):
    def make(**county: object):
        version = survey_from_dict(_counties_survey(**county), agency=agency, by=None)
        version = services.survey_publish(version=version, by=None)
        return fieldwork.round_create(version=version, label="R").collectors.get()

    return make


def _select(html: str) -> str:
    found = re.search(r'<select name="county"[^>]*>.*?</select>', html, re.S)
    assert found, "no drop-down list for county"
    return found.group(0)


def test_a_list_marked_minimal_is_a_labelled_drop_down_list(client, counties):
    collector = counties()
    html = start_page(client, collector).content.decode()
    select = _select(html)
    assert '<label class="q-text" for="county-input">' in html
    assert 'id="county-input"' in select
    # A first entry that chooses nothing, then the list in its order: no buttons.
    assert re.findall(r'<option value="([^"]*)"', select) == [
        "",
        *[name.lower().replace(" ", "_") for name in COUNTIES],
    ]
    assert '<option value="">Choose one</option>' in select
    assert 'type="radio" name="county"' not in html

    client.post(page_url(collector), {PAGE_FIELD: "1", "county": "tana_river", "years": "4"})
    assert Response.objects.get().answers == {"county": "tana_river", "years": 4}


def test_an_error_elsewhere_keeps_the_choice_and_a_forged_one_is_refused(client, counties):
    collector = counties()
    start_page(client, collector)
    page = client.post(page_url(collector), {PAGE_FIELD: "1", "county": "lamu", "years": "-3"})
    select = _select(page.content.decode())
    assert '<option value="lamu" selected>Lamu</option>' in select
    page = client.post(page_url(collector), {PAGE_FIELD: "1", "county": "atlantis", "years": "3"})
    html = page.content.decode()
    assert "Choose one of the options offered." in html
    assert 'aria-invalid="true"' in _select(html)
    assert 'aria-describedby="county-error"' in _select(html)
    assert "county" not in Response.objects.get().answers


def test_a_required_drop_down_left_on_its_first_entry_is_asked_for(client, counties):
    collector = counties(required=True)
    start_page(client, collector)
    page = client.post(page_url(collector), {PAGE_FIELD: "1", "county": "", "years": "3"})
    assert 'id="county-error"' in page.content.decode()
    assert "county" not in Response.objects.get().answers


def test_other_please_specify_comes_after_the_list(client, counties):
    collector = counties(settings={"other": True})
    html = start_page(client, collector).content.decode()
    assert '<option value="other">Other</option></select>' in html
    assert (
        '<label class="other-label" for="county-other-text">Other, please specify</label>' in html
    )
    client.post(
        page_url(collector),
        {PAGE_FIELD: "1", "county": "other", "county__other": "Marsabit", "years": "3"},
    )
    assert Response.objects.get().answers["county_other"] == "Marsabit"


def test_the_first_entry_is_in_the_respondents_language(counties):
    collector = counties()
    html = start_page(Client(), collector, lang="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<option value="">اختر واحداً</option>' in _select(html)
    assert '<option value="lamu">مقاطعة Lamu</option>' in _select(html)


@pytest.mark.parametrize(
    ("qtype", "appearance", "drop_down"),
    [
        ("single", "minimal", True),
        ("single", "autocomplete", True),
        ("single", "w2 Minimal", True),  # appearances come several to a cell, in any case
        ("single", "horizontal", False),
        ("single", "", False),
        ("multiple", "minimal", False),  # checkboxes stay: a phone's multiple list is hard
    ],
)
def test_which_appearances_make_a_drop_down_list(qtype, appearance, drop_down):
    data = _counties_survey(appearance=appearance)
    data["sections"][0]["questions"][0]["type"] = qtype
    assert compile_survey(data).questions["county"].drop_down is drop_down


def test_the_preview_shows_the_drop_down_list_too(client, agency, member_factory, login):
    login(member_factory(Role.DESIGNER, agency=agency))
    version = survey_from_dict(_counties_survey(), agency=agency, by=None)
    url = reverse("survey:preview", args=[version.survey_id, version.pk])
    assert '<select name="county"' in client.get(url).content.decode()


def _xlsform(
    questions: list[list[str]],
    choices: list[list[str]],
    extra_column: tuple[str, list[str]] | None = None,
) -> bytes:
    """An XLSForm file: survey rows (type, name, label, appearance), choices rows; and one
    more survey column (its heading, a value per row)."""
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    heading, values = extra_column or ("", [])
    rows = [["type", "name", "label", "appearance"], *questions]
    for number, row in enumerate(rows):
        survey.append(
            [*row, (heading if number == 0 else values[number - 1])] if extra_column else row
        )
    sheet = workbook.create_sheet("choices")
    for row in [["list_name", "name", "label"], *choices]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsform_from_kobo_or_odk_keeps_its_drop_down_lists_both_ways():
    form = _xlsform(
        [
            ["select_one counties", "county", "County", "minimal"],
            ["select_one counties", "born_in", "County of birth", "autocomplete"],
        ],
        [["counties", name.lower().replace(" ", "_"), name] for name in COUNTIES],
    )
    data = parse_xlsform(form)
    compiled = compile_survey(data)
    assert compiled.questions["county"].drop_down and compiled.questions["born_in"].drop_down
    again = parse_xlsform(dict_to_xlsform(data))
    assert [q["appearance"] for q in again["sections"][0]["questions"]] == [
        "minimal",
        "autocomplete",
    ]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_list_odk_fills_from_a_csv_file_with_search_is_refused_by_its_row(lang):
    form = _xlsform(
        [
            ["select_one counties", "county", "County", "minimal"],
            ["select_one placeholder", "market", "Market", "autocomplete search('markets')"],
        ],
        # ODK's stand-in for the CSV file's column
        [["counties", "lamu", "Lamu"], ["placeholder", "name_key", "name"]],
    )
    with translation.override(lang):
        with pytest.raises(XLSFormRefused) as refused:
            parse_xlsform(form)
        problems = [str(p) for p in refused.value.problems]
    expected = {
        "en": "survey sheet, row 3: the appearance search() takes its choices from a CSV file",
        "ar": "ورقة survey، الصف 3: المظهر search() يأخذ خياراته من ملف CSV",
    }[lang]
    assert [p[: len(expected)] for p in problems] == [expected]
