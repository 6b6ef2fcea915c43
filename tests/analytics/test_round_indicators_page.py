"""An analyst reads a round's indicators by sex, collector, language and target group, in their language."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from accounts.models import Role
from survey.demo import DEMO_ROUND_LABEL, demo_round_load, demo_survey_dict, demo_survey_load

pytestmark = pytest.mark.django_db

BY = "?by=sex&by=collector&by=language&by=target_group"


def _choice_label(list_name: str, code: str, lang: str) -> str:
    (choices,) = [
        cl["choices"] for cl in demo_survey_dict()["choice_lists"] if cl["name"] == list_name
    ]
    (label,) = [choice["label"][lang] for choice in choices if choice["code"] == code]
    return label


@pytest.fixture
def indicators_url(agency, member_factory, login):
    round_ = demo_round_load(survey=demo_survey_load(agency=agency)).round
    login(member_factory(Role.ANALYST, agency=agency))
    return reverse("analytics:round_indicators", args=[round_.pk]), round_


@pytest.mark.parametrize(
    ("lang", "sex", "separator", "youth"),
    [
        ("zh-hans", "性别", "：", "青年"),
        ("ar", "الجنس", ": ", "الشباب"),
        ("ru", "Пол", ": ", "Молодёжь"),
    ],
)
def test_breakdowns_and_their_categories_are_named_in_the_readers_language(
    client, indicators_url, lang, sex, separator, youth
):
    url, round_ = indicators_url
    # The demo's schools collector presets its target group: young people.
    assert round_.responses.filter(target_group="youth").exists()
    html = unescape(client.get(f"/{lang}{url[3:]}{BY}").content.decode())
    content = "zh-Hans" if lang == "zh-hans" else lang
    # The form offers breakdowns by name, not by the code the table uses.
    assert f'<label for="by-sex">{sex}</label>' in html
    assert "<code>sex</code>" not in html and "<code>collector</code>" not in html
    # Categories read as the questionnaire, the round page and the switchers name them.
    assert f"{sex}{separator}{_choice_label('sex', 'female', content)}<" in html
    for collector in round_.collectors.filter(responses__isnull=False).distinct():
        assert f"{separator}{collector.name}<" in html
        assert f"{separator}{collector.pk}<" not in html
    assert f"{separator}العربية<" in html and f"{separator}English<" in html
    assert f"{separator}{youth}<" in html and f"{separator}youth<" not in html
    # Counts are whole numbers, whatever the language writes decimals with.
    counts = re.findall(r"<td>(\d[\d.,\s]*)</td><td>\d[\d.,\s]*</td>\s*</tr>", html)
    assert counts and all(count.isdigit() for count in counts)


def test_the_page_names_its_round_and_says_what_an_opt_in_sample_describes(client, indicators_url):
    url, round_ = indicators_url
    html = unescape(client.get(url).content.decode())
    round_page = reverse("survey:round", args=[round_.version.survey_id, round_.pk])
    assert f'<a href="{round_page}">{DEMO_ROUND_LABEL}</a>' in html
    assert round_.version.survey.name in html
    assert "these figures describe the people who chose to answer" in html
    round_.sample_type = "probability"
    round_.save()
    assert "chose to answer" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("lang", "percent"),
    [
        ("en", r"\d+%"),
        ("fr", "\\d+\u202f%"),  # a narrow no-break space before the sign
        ("ar", r"\d+٪"),  # the Arabic percent sign
        ("zh-hans", r"\d+%"),
    ],
)
def test_percentages_are_written_as_the_readers_language_writes_them(
    client, indicators_url, lang, percent
):
    url, _round = indicators_url
    html = unescape(client.get(f"/{lang}{url[3:]}").content.decode())
    values = re.findall(r"<td>([^<]*)</td><td>([^<]*)</td><td>\d+</td>", html)
    assert values  # the value and its interval of each row
    for value, interval in values:
        assert re.fullmatch(percent, value), value
        assert re.fullmatch(rf"\d+–{percent}", interval), interval
