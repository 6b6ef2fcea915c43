"""Survey content in many languages: completeness, the translator's spreadsheet, fallbacks."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import Role
from survey import fieldwork, services
from survey.i18n import choose_language, match_language, text_for
from survey.serialization import survey_from_dict, survey_to_dict
from survey.translation_sheet import (
    TranslationSheetRefused,
    export_sheet,
    translation_completeness,
)
from tests.survey.factories import every_feature, in_wolof_and_french

pytestmark = pytest.mark.django_db


def test_text_falls_back_to_the_default_language():
    texts = {"en": "Age?", "fr": "Âge ?", "ar": "  "}
    assert text_for(texts, "fr", "en") == "Âge ?"
    assert text_for(texts, "ar", "en") == "Age?"  # blank counts as missing
    assert text_for(texts, "sw", "en") == "Age?"
    assert text_for({}, "fr", "en") == ""


@pytest.mark.parametrize(
    ("preset", "header", "expected"),
    [
        ("fr", "ar,en", "fr"),
        ("", "ar;q=0.9,fr;q=1", "fr"),
        ("", "ar-EG,en;q=0.5", "ar"),
        ("", "zh-CN,zh;q=0.9", "zh-Hans"),
        ("", "de,it", "en"),
        ("sw", "", "en"),
        ("", "", "en"),
    ],
)
def test_the_first_language_follows_preset_then_browser_then_default(preset, header, expected):
    available = ["en", "fr", "ar", "zh-Hans"]
    assert (
        choose_language(available, preset=preset, accept_language=header, default="en") == expected
    )


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("zh-hans", "zh-Hans"),  # as Django writes it in the staff pages' addresses
        ("ZH_HANS", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("fr-CA", "fr"),
        ("AR", "ar"),
        ("de", None),
        ("", None),
    ],
)
def test_a_language_asked_in_a_link_ignores_case_and_region(asked, expected):
    assert match_language(["en", "fr", "ar", "zh-Hans"], asked) == expected


def _sheet_rows(raw: bytes) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(raw))
    return [list(row) for row in workbook["texts"].iter_rows(values_only=True)]


def _edit(raw: bytes, edits: dict[tuple[str, str], str]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(raw))
    sheet = workbook["texts"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for (key, lang), text in edits.items():
            if row[0].value == key:
                row[header.index(lang)].value = text
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def version(agency):
    data = every_feature()
    data["sections"][0]["questions"][1]["text"] = {"en": "How old are you?"}  # fr missing
    return survey_from_dict(data, agency=agency, by=None)


def test_completeness_counts_missing_texts_per_language(version):
    report = {entry.language: entry for entry in translation_completeness(survey_to_dict(version))}
    assert [slot.key for slot in report["en"].missing] == []
    assert [slot.key for slot in report["fr"].missing] == ["question.age.text"]


def test_the_spreadsheet_round_trip_changes_only_the_edited_cells(version):
    before = survey_to_dict(version)
    raw = export_sheet(before, survey_id=version.survey_id, version_number=version.number)
    rows = _sheet_rows(raw)
    assert rows[0] == ["key", "en", "fr"]
    assert ["question.age.text", "How old are you?", None] in rows
    edited = _edit(
        raw,
        {
            ("question.age.text", "fr"): "Quel âge avez-vous ?",
            ("choice.aware.never.label", "en"): "Never heard of it",
        },
    )
    changes, ignored = services.version_import_translations(version=version, raw=edited)
    assert [(c.key, c.language, c.old, c.new) for c in changes] == [
        ("question.age.text", "fr", "", "Quel âge avez-vous ?"),
        ("choice.aware.never.label", "en", "Never", "Never heard of it"),
    ]
    assert ignored == []
    after = survey_to_dict(version)
    before["sections"][0]["questions"][1]["text"]["fr"] = "Quel âge avez-vous ?"
    aware = next(cl for cl in before["choice_lists"] if cl["name"] == "aware")
    next(c for c in aware["choices"] if c["code"] == "never")["label"]["en"] = "Never heard of it"
    assert after == before  # nothing else changed


def test_importing_an_unchanged_sheet_changes_nothing(version):
    before = survey_to_dict(version)
    raw = export_sheet(before, survey_id=version.survey_id, version_number=version.number)
    changes, _ignored = services.version_import_translations(version=version, raw=raw)
    assert changes == []
    assert survey_to_dict(version) == before


def test_a_sheet_of_another_survey_is_refused(version, agency):
    other = survey_from_dict(every_feature(), agency=agency, by=None)
    raw = export_sheet(survey_to_dict(other), survey_id=other.survey_id, version_number=1)
    with pytest.raises(TranslationSheetRefused) as refused:
        services.version_import_translations(version=version, raw=raw)
    assert "another survey" in refused.value.message


def test_a_sheet_with_codes_that_do_not_match_is_refused_with_the_list(version):
    raw = export_sheet(survey_to_dict(version), survey_id=version.survey_id, version_number=1)
    workbook = openpyxl.load_workbook(io.BytesIO(raw))
    workbook["texts"].append(["question.nobody.text", "Hello", "Bonjour"])
    workbook["texts"].append(["choice.aware.maybe.label", "Maybe", "Peut-être"])
    out = io.BytesIO()
    workbook.save(out)
    before = survey_to_dict(version)
    with pytest.raises(TranslationSheetRefused) as refused:
        services.version_import_translations(version=version, raw=out.getvalue())
    assert refused.value.unknown == ["choice.aware.maybe.label", "question.nobody.text"]
    assert survey_to_dict(version) == before


def test_the_translations_page_shows_completeness_and_imports(
    client, version, member_factory, agency, login
):
    login(member_factory(Role.DESIGNER, agency=agency))
    url = reverse("survey:translations", args=[version.survey_id, version.pk])
    page = client.get(url).content.decode()
    assert "1 text missing in fr" in page
    raw = client.get(
        reverse("survey:translations_sheet", args=[version.survey_id, version.pk])
    ).content
    edited = _edit(raw, {("question.age.text", "fr"): "Quel âge ?"})
    response = client.post(url, {"file": io.BytesIO(edited)})
    html = response.content.decode()
    assert "1 cell changed." in html
    assert "Quel âge ?" in html
    assert "0 ✓" in html


def test_the_preview_offers_only_the_survey_languages_and_turns_arabic_right_to_left(
    client, agency, member_factory, login
):
    from survey.demo import demo_survey_load

    login(member_factory(Role.DESIGNER, agency=agency))
    survey = demo_survey_load(agency=agency)
    version = survey.versions.get()
    url = reverse("survey:preview", args=[survey.pk, version.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5").content.decode()
    assert '<div class="respondent" lang="ar" dir="rtl">' in page
    assert "هل سمعت من قبل بكلمة «التنوع البيولوجي»؟" in page
    offered = set(re.findall(r'<a lang="([^"]+)" hreflang="\1" href="\?lang=', page))
    assert offered == {"en", "fr", "es", "ru", "zh-Hans"}  # the other five of the survey
    chinese = client.get(url + "?lang=zh-Hans").content.decode()
    assert '<div class="respondent" lang="zh-Hans" dir="ltr">' in chinese
    assert "您听说过“生物多样性”这个词吗？" in chinese


def test_the_preview_of_a_national_language_shows_the_buttons_respondents_will_see(
    client, agency, member_factory, login
):
    login(member_factory(Role.DESIGNER, agency=agency))
    version = survey_from_dict(in_wolof_and_french(every_feature()), agency=agency, by=None)
    url = reverse("survey:preview", args=[version.survey_id, version.pk])
    page = client.get(url + "?lang=wo", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Suivant" in page  # French, the survey's default: not the designer's English


@pytest.mark.parametrize(
    ("interface", "names"),
    [
        ("en", ["Français", "Kiswahili", "Kiswahili (KE)", "Wolof", "Quechua", "xx"]),
        ("zh-hans", ["Français", "Kiswahili", "Kiswahili (KE)", "沃洛夫语", "克丘亚语", "xx"]),
        ("ru", ["Français", "Kiswahili", "Kiswahili (KE)", "волоф", "кечуа", "xx"]),
    ],
)
def test_a_national_language_is_named_not_shown_as_a_code(interface, names):
    # As its speakers name it where that is known (the UN six; Django's list has
    # Kiswahili); else by ISO 639, in the interface's language; an unknown code as it is.
    from django.utils import translation

    from survey.i18n import language_name

    with translation.override(interface):
        assert [language_name(c) for c in ["fr", "sw", "sw-KE", "wo", "qu", "xx"]] == names


def test_a_language_name_is_marked_with_the_language_it_is_written_in(client, agency):
    """A screen reader reads 沃洛夫语 with a Chinese voice, Français with a French one."""
    from django.utils import translation

    from survey.i18n import language_label

    with translation.override("zh-hans"):
        assert language_label("wo") == ("沃洛夫语", "zh-hans")
        assert language_label("fr") == ("Français", "fr")
    with translation.override("ar"):  # pycountry has no Arabic name for Wolof
        assert language_label("wo") == ("Wolof", "en")
    assert language_label("xx") == ("xx", "xx")
    version = services.survey_publish(
        version=survey_from_dict(in_wolof_and_french(every_feature()), agency=agency, by=None),
        by=None,
    )
    collector = fieldwork.round_create(version=version, label="Dakar").collectors.get()
    welcome = client.get(reverse("respond:entry", args=[collector.token]) + "?lang=fr")
    html = welcome.content.decode()
    assert '<a lang="fr" hreflang="wo" href="?lang=wo">Wolof</a>' in html
    assert '<span aria-current="true" lang="fr">Français</span>' in html


def test_a_text_that_starts_like_a_formula_goes_out_and_comes_back_as_text(agency):
    # "=5 or more" is a label, not a formula: a spreadsheet must show it, not run it,
    # and the sheet must come back in (the importer refuses formulas).
    data = every_feature()
    data["sections"][0]["questions"][1]["text"]["en"] = "=5 or more?"
    version = survey_from_dict(data, agency=agency, by=None)
    before = survey_to_dict(version)
    raw = export_sheet(before, survey_id=version.survey_id, version_number=version.number)
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(raw))["texts"].iter_rows() for c in row]
    (cell,) = [c for c in cells if c.value == "=5 or more?"]
    assert cell.data_type == "s"
    changes, _ignored = services.version_import_translations(version=version, raw=raw)
    assert changes == [] and survey_to_dict(version) == before
