"""Agencies upload population totals; every row is checked before anything is stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from analytics.models import PopulationMargins
from analytics.services import MarginsRefused, margins_upload

pytestmark = pytest.mark.django_db

GOOD = b"variable,category,total\nsex,female,5100\nsex,male,4900\nresidence,urban,4000\nresidence,rural,6000\n"


@pytest.fixture
def agency_with_survey(agency):
    from survey.demo import demo_survey_load

    demo_survey_load(agency=agency)
    return agency


def test_totals_are_stored_as_margins(agency_with_survey):
    margins = margins_upload(
        agency=agency_with_survey, data=GOOD, filename="m.csv", source="Census", year=2019, by=None
    )
    assert margins.cells == {
        "sex": {"female": 5100.0, "male": 4900.0},
        "residence": {"urban": 4000.0, "rural": 6000.0},
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"variable,category,total\nsex,martian,10\n", "Row 2: “martian” is not a category of sex"),
        (
            b"variable,category,total\nsex,female,-5\n",
            "Row 2: A population total cannot be negative.",
        ),
        (b"variable,category,total\nsex,female,many\n", "Row 2: “many” is not a number."),
        (
            b"variable,category,total\nshoe_size,42,10\n",
            "Row 2: “shoe_size” is not a weighting variable",
        ),
        (
            b"variable,category,total\nsex,female,5000\nsex,male,5000\nresidence,urban,100\n",
            "more than 2% away",
        ),
        (b"region;people\n", "The first row must be: variable, category, total."),
        (
            b"variable,category,total\nsex,female,1\nsex,female,2\n",
            "Row 3: sex = female appears twice.",
        ),
    ],
)
def test_bad_rows_are_refused_with_a_row_level_report(agency_with_survey, content, message):
    with pytest.raises(MarginsRefused) as refused:
        margins_upload(
            agency=agency_with_survey,
            data=content,
            filename="m.csv",
            source="x",
            year=2020,
            by=None,
        )
    assert any(message in str(p) for p in refused.value.problems), [
        str(p) for p in refused.value.problems
    ]
    assert not PopulationMargins.objects.exists()


def test_an_analyst_uploads_in_the_browser_and_a_viewer_cannot(
    client, agency_with_survey, member_factory, login
):
    url = reverse("analytics:margins", args=[agency_with_survey.pk])
    login(member_factory(Role.VIEWER, agency=agency_with_survey))
    assert client.get(url).status_code == 200
    upload = {"file": SimpleUploadedFile("m.csv", GOOD), "source": "Census", "year": "2019"}
    assert client.post(url, upload).status_code == 403
    login(member_factory(Role.ANALYST, agency=agency_with_survey))
    response = client.post(
        url, {"file": SimpleUploadedFile("m.csv", GOOD), "source": "Census", "year": "2019"}
    )
    assert response.status_code == 302
    assert PopulationMargins.objects.get().source == "Census"


@pytest.mark.parametrize(
    ("lang", "sex", "female", "residence", "separator"),
    [
        ("zh-hans", "性别", "女", "居住地", "："),
        ("ar", "الجنس", "امرأة", "مكان الإقامة", ": "),
        ("en", "Sex", "Woman", "Place of residence", ": "),
    ],
)
def test_the_uploaded_totals_read_back_as_the_questionnaire_names_them(
    client, agency_with_survey, member_factory, login, lang, sex, female, residence, separator
):
    # The analyst uploaded codes; the page names what each total counts, in their
    # language, with the code beside it to check against the file.
    margins_upload(
        agency=agency_with_survey, data=GOOD, filename="m.csv", source="Census", year=2019, by=None
    )
    login(member_factory(Role.ANALYST, agency=agency_with_survey))
    url = reverse("analytics:margins", args=[agency_with_survey.pk])
    html = client.get(f"/{lang}{url[3:]}").content.decode()
    assert f'<h3>{sex} <code dir="ltr">sex</code></h3>' in html
    assert f'<h3>{residence} <code dir="ltr">residence</code></h3>' in html
    assert f'<li>{female} <code dir="ltr">female</code>{separator}5' in html
    # Totals are grouped by thousands in every language (Django left Chinese ungrouped).
    grouped = {"zh-hans": "5,100", "ar": "5.100", "en": "5,100"}[lang]
    assert f'<code dir="ltr">female</code>{separator}{grouped}<' in html


def test_a_category_no_questionnaire_has_keeps_its_code(agency_with_survey):
    from analytics.labels import named_margins

    PopulationMargins.objects.create(
        agency=agency_with_survey, source="Old census", year=2009, cells={"sex": {"x": 1.0}}
    )
    (named,) = named_margins(
        PopulationMargins.objects.all(), agency_id=agency_with_survey.pk, language="fr"
    )
    assert named.variables[0][2][0].name == "x"


def test_an_analyst_fills_in_the_downloaded_file_and_uploads_it(
    client, agency_with_survey, member_factory, login
):
    import io

    import openpyxl

    login(member_factory(Role.ANALYST, agency=agency_with_survey))
    page_url = reverse("analytics:margins", args=[agency_with_survey.pk])
    url = reverse("analytics:margins_template", args=[agency_with_survey.pk])
    assert url in client.get(page_url).content.decode()
    # In Arabic: a row per category the questionnaire asks, named in Arabic, right to left.
    download = client.get(f"/ar{url[3:]}")
    assert download["Content-Disposition"] == 'attachment; filename="population-totals.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(download.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("variable", "category", "total")
    assert ("sex", "female", None, "امرأة") in rows
    assert {row[0] for row in rows[1:]} == {"age_group", "sex", "region", "education", "residence"}
    assert sheet.sheet_view.rightToLeft
    # The census gives a total for every category; the file goes back as it is.
    population = 1_000_000
    for line in sheet.iter_rows(min_row=2):
        variable = line[0].value
        count = sum(1 for row in rows[1:] if row[0] == variable)
        line[2].value = population // count
    filled = io.BytesIO()
    workbook.save(filled)
    sent = client.post(
        page_url,
        {
            "file": SimpleUploadedFile("population-totals.xlsx", filled.getvalue()),
            "source": "Census 2019",
            "year": "2019",
        },
    )
    assert sent.status_code == 302
    stored = PopulationMargins.objects.get()
    assert stored.cells["sex"]["female"] == population // len(stored.cells["sex"])
    # The next download starts from these totals.
    again = openpyxl.load_workbook(io.BytesIO(client.get(url).content)).active
    female = [row for row in again.iter_rows(values_only=True) if row[:2] == ("sex", "female")]
    assert female[0][2] == stored.cells["sex"]["female"]
    assert female[0][3] == "Woman"


def test_the_indicators_page_shows_weighted_results(client, agency, member_factory, login):
    from analytics.demo import demo_margins_load
    from survey.demo import demo_round_load, demo_survey_load

    round_ = demo_round_load(survey=demo_survey_load(agency=agency)).round
    demo_margins_load(agency=agency)
    login(member_factory(Role.ANALYST, agency=agency))
    url = reverse("analytics:round_indicators", args=[round_.pk])
    page = client.get(url + "?weights=raking&by=sex").content.decode()
    assert "Heard of biodiversity" in page
    assert "suppressed" in page
    arabic = client.get("/ar" + url[3:]).content.decode()
    assert "سمعوا بالتنوع البيولوجي" in arabic


def test_an_unknown_round_is_not_found_on_the_page_or_in_the_command(
    client, agency, member_factory, login
):
    from django.core.management import CommandError, call_command

    login(member_factory(Role.ANALYST, agency=agency))
    assert client.get(reverse("analytics:round_indicators", args=[987654])).status_code == 404
    with pytest.raises(CommandError, match="No round with id 987654"):
        call_command("indicators", "987654")


def test_an_analyst_adds_an_agency_indicator_and_bad_logic_is_explained(
    client, agency, member_factory, login
):
    from analytics.models import Indicator

    login(member_factory(Role.ANALYST, agency=agency))
    url = reverse("analytics:indicators", args=[agency.pk])
    bad = client.post(
        url,
        {
            "code": "aware_youth",
            "name__en": "Aware youth",
            "numerator": "${bio_heard} =",
            "denominator": "${bio_heard} != ''",
        },
    )
    assert "ends too early" in bad.content.decode()
    good = client.post(
        url,
        {
            "code": "aware_youth",
            "name__en": "Aware youth",
            "name__fr": "Jeunes informés",
            "numerator": "${bio_heard} = 'heard_know' and ${age_group} = '15_24'",
            "denominator": "${age_group} = '15_24'",
        },
    )
    assert good.status_code == 302
    indicator = Indicator.objects.get(agency=agency, code="aware_youth")
    assert indicator.requires == ["age_group", "bio_heard"]
    assert indicator.name == {"en": "Aware youth", "fr": "Jeunes informés"}
    duplicate = client.post(
        url,
        {"code": "awareness_term", "name__en": "x", "numerator": "1 = 1", "denominator": "1 = 1"},
    )
    assert "exists already" in duplicate.content.decode()


def test_a_category_no_census_counts_is_left_without_a_total(
    client, agency_with_survey, member_factory, login
):
    # "Prefer not to say" is in the questionnaire and in no census: the analyst leaves
    # its total empty instead of inventing one.
    login(member_factory(Role.ANALYST, agency=agency_with_survey))
    url = reverse("analytics:margins", args=[agency_with_survey.pk])
    sent = client.post(
        url,
        {
            "file": SimpleUploadedFile("m.csv", GOOD + b"sex,no_answer,\n"),
            "source": "Census",
            "year": "2019",
        },
        follow=True,
    )
    assert PopulationMargins.objects.get().cells["sex"] == {
        "female": 5100.0,
        "male": 4900.0,
        "no_answer": None,
    }
    html = sent.content.decode()
    assert (
        "1 category has no total: its respondents are weighted as those who did not answer" in html
    )
    assert "no total: weighted as those who did not answer" in html


def test_a_variable_with_no_total_at_all_is_refused(agency_with_survey):
    with pytest.raises(MarginsRefused, match="sex has no totals"):
        margins_upload(
            agency=agency_with_survey,
            data=b"variable,category,total\nsex,female,\nsex,male,\n",
            filename="m.csv",
            source="Census",
            year=2019,
            by=None,
        )
