"""The awareness moment: the thank-you page offers links where people can act next.

A designer adds them with a text in each language; respondents see them in
their language after the last page. Only plain web addresses ever reach a
respondent, whatever the way in (form, JSON, XLSForm, or the database itself).
"""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from survey import fieldwork, services
from survey.checks import Kind, check_survey
from survey.demo import demo_survey_load
from survey.exceptions import SurveyError
from survey.models import SurveyVersion
from survey.serialization import survey_from_dict, survey_to_dict
from survey.translation_sheet import export_sheet
from survey.xlsform import XLSFormRefused
from tests.survey.factories import every_feature

pytestmark = pytest.mark.django_db

CBD = "https://www.cbd.int/gbf"


@pytest.fixture
def draft(agency):
    data = every_feature()
    data["thank_you_links"] = []
    return survey_from_dict(data, agency=agency, by=None)


@pytest.fixture
def designer_client(client, agency, member_factory, login):
    login(member_factory(Role.DESIGNER, agency=agency))
    return client


def settings_url(version: SurveyVersion) -> str:
    return reverse("survey:version_settings", args=[version.survey_id, version.pk])


def settings_form(**links: str) -> dict[str, object]:
    """The settings form as the designer leaves it, with these link fields filled."""
    return {
        "title__en": "Biodiversity and you",
        "title__fr": "La biodiversité et vous",
        "thank_you__en": "Thank you.",
        "thank_you__fr": "Merci.",
        "languages": ["en", "fr"],
        "other_languages": "",
        "default_language": "en",
        **links,
    }


def done_page(client, collector, lang: str) -> str:
    url = reverse("respond:done", args=[collector.token])
    return client.get(f"{url}?lang={lang}").content.decode()


def test_a_designer_adds_a_link_and_respondents_see_it_in_their_language(
    designer_client, draft, client
):
    form = designer_client.get(settings_url(draft)).content.decode()
    assert "Links on the thank-you page" in form
    assert 'name="link_1_url"' in form and 'name="link_2_url"' in form  # two empty rows
    response = designer_client.post(
        settings_url(draft),
        settings_form(
            link_1_url=f"  {CBD}  ",
            link_1_label__en="What countries agreed",
            link_1_label__fr="Ce que les pays ont décidé",
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.thank_you_links == [
        {"url": CBD, "label": {"en": "What countries agreed", "fr": "Ce que les pays ont décidé"}}
    ]
    # The stored link and two more empty rows (up to five) come back in the form.
    form = designer_client.get(settings_url(draft)).content.decode()
    assert f'value="{CBD}"' in form and 'name="link_3_url"' in form
    assert 'name="link_4_url"' not in form

    version = services.survey_publish(version=draft, by=None)
    collector = fieldwork.round_create(version=version, label="Baseline").collectors.get()
    french = done_page(client, collector, "fr")
    assert (
        f'<a href="{CBD}" rel="external noopener noreferrer" target="_top">Ce que les pays ont décidé</a>'
        in (french)
    )
    assert "www.cbd.int" in french  # the site it opens, said before it is followed


def test_the_demo_thank_you_page_offers_its_links_in_arabic_and_chinese(agency, client):
    version = demo_survey_load(agency=agency).versions.get()
    collector = fieldwork.round_create(version=version, label="Demo").collectors.get()
    arabic = done_page(client, collector, "ar")
    assert 'dir="rtl"' in arabic
    assert "اتخذ الخطوة التالية" in arabic  # "Take the next step", the interface's own text
    assert "سجّل النباتات والحيوانات من حولك" in arabic
    assert 'href="https://www.inaturalist.org/"' in arabic
    chinese = done_page(client, collector, "zh-Hans")
    assert "迈出下一步" in chinese and "记录您身边的植物和动物" in chinese


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "data:text/html,<b>x</b>", "www.cbd.int", "ftp://example.org/x"],
)
def test_an_address_that_is_not_a_web_page_is_refused_and_nothing_typed_is_lost(
    designer_client, draft, address
):
    response = designer_client.post(
        settings_url(draft),
        settings_form(
            link_1_url=address,
            link_1_label__en="Act now",
            link_1_label__fr="Agissez",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a full web address that starts with https:// or http://." in page
    assert 'id="error-summary"' in page and 'aria-invalid="true"' in page
    assert 'value="Act now"' in page and 'value="Agissez"' in page  # kept for the correction
    draft.refresh_from_db()
    assert draft.thank_you_links == []
    assert draft.thank_you == every_feature()["thank_you"]  # the other texts were not saved


def test_a_text_without_an_address_or_an_address_without_a_text_is_named(designer_client, draft):
    response = designer_client.post(
        settings_url(draft),
        settings_form(
            link_1_label__fr="Agissez",
            link_2_url=CBD,
            link_2_label__fr="Ce que les pays ont décidé",
        ),
    )
    page = response.content.decode()
    assert "Give the address of this link, or clear its texts to remove it." in page
    assert "Give the text of this link in English." in page
    draft.refresh_from_db()
    assert draft.thank_you_links == []


def test_the_form_says_so_in_arabic(designer_client, draft):
    with translation.override("ar"):
        url = settings_url(draft)  # the Arabic interface: /ar/...
    response = designer_client.post(
        url, settings_form(link_1_url="javascript:alert(1)", link_1_label__en="Act")
    )
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "روابط صفحة الشكر" in page  # the fieldset's legend
    assert "أدخل عنوان ويب كاملاً يبدأ بـ" in page


def test_clearing_a_link_removes_it(designer_client, draft):
    draft.thank_you_links = [{"url": CBD, "label": {"en": "Agreed", "fr": "Décidé"}}]
    draft.save()
    designer_client.post(settings_url(draft), settings_form(link_1_url=""))
    draft.refresh_from_db()
    assert draft.thank_you_links == []


def test_publish_checks_name_an_untranslated_link_and_an_unsafe_address():
    data = every_feature()
    data["thank_you_links"] = [
        {"url": CBD, "label": {"en": "Agreed"}},
        {"url": "javascript:alert(1)", "label": {"en": "Click", "fr": "Cliquez"}},
    ]
    messages = {(p.kind, p.message) for p in check_survey(data)}
    assert (Kind.MISSING_TEXT, "Thank-you link 1: the link text is missing in fr.") in messages
    assert (
        Kind.INVALID_LINK,
        "Thank-you link 2: Enter a full web address that starts with https:// or http://.",
    ) in messages


def test_a_survey_file_with_an_unsafe_link_is_refused_and_an_older_file_has_none(agency):
    data = every_feature()
    data["thank_you_links"] = [{"url": "javascript:alert(1)", "label": {"en": "x", "fr": "x"}}]
    with pytest.raises(SurveyError, match="Thank-you link 1: Enter a full web address"):
        survey_from_dict(data, agency=agency, by=None)
    for bad in ({"url": CBD}, "https://www.cbd.int", [{"url": CBD, "label": {"en": 5}}]):
        data["thank_you_links"] = bad if isinstance(bad, list) else [bad]
        with pytest.raises(SurveyError):
            survey_from_dict(data, agency=agency, by=None)
    older = every_feature()
    del older["thank_you_links"]  # written before links existed
    assert survey_to_dict(survey_from_dict(older, agency=agency, by=None))["thank_you_links"] == []


def test_a_link_stored_behind_the_checks_never_reaches_a_respondent(agency, client):
    version = services.survey_publish(
        version=survey_from_dict(every_feature(), agency=agency, by=None), by=None
    )
    # Written to the database directly, as an old row or a hand edit could be.
    SurveyVersion.objects.filter(pk=version.pk).update(
        thank_you_links=[
            {"url": "javascript:alert(1)", "label": {"en": "Evil", "fr": "Evil"}},
            {"url": CBD, "label": {"en": "Agreed", "fr": "Décidé"}},
        ],
        content_hash="changed",  # a new key for the compiled survey
    )
    version.refresh_from_db()
    collector = fieldwork.round_create(version=version, label="Baseline").collectors.get()
    page = done_page(client, collector, "en")
    assert "javascript:" not in page and "Evil" not in page
    assert f'href="{CBD}"' in page


def test_translators_get_link_texts_in_their_sheet_and_their_translation_is_kept(agency):
    data = every_feature()
    data["thank_you_links"] = [{"url": CBD, "label": {"en": "What countries agreed"}}]
    version = survey_from_dict(data, agency=agency, by=None)
    raw = export_sheet(
        survey_to_dict(version), survey_id=version.survey_id, version_number=version.number
    )
    workbook = openpyxl.load_workbook(io.BytesIO(raw))
    sheet = workbook["texts"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["link.1.label"][1].value == "What countries agreed"
    rows["link.1.label"][2].value = "Ce que les pays ont décidé"
    out = io.BytesIO()
    workbook.save(out)
    changes, _ignored = services.version_import_translations(version=version, raw=out.getvalue())
    assert [(c.key, c.language, c.new) for c in changes] == [
        ("link.1.label", "fr", "Ce que les pays ont décidé")
    ]
    version.refresh_from_db()
    assert version.thank_you_links[0]["label"]["fr"] == "Ce que les pays ont décidé"
    assert version.thank_you_links[0]["url"] == CBD


def test_the_translations_page_sends_the_designer_to_the_link_to_translate(designer_client, agency):
    data = every_feature()
    data["thank_you_links"] = [{"url": CBD, "label": {"en": "What countries agreed"}}]
    version = survey_from_dict(data, agency=agency, by=None)
    page = designer_client.get(
        reverse("survey:translations", args=[version.survey_id, version.pk])
    ).content.decode()
    assert re.search(rf'href="{re.escape(settings_url(version))}#field-link_1_label__fr"', page)


def test_an_xlsform_with_an_unsafe_link_is_refused_on_its_settings_sheet(agency):
    version = survey_from_dict(every_feature(), agency=agency, by=None)
    workbook = openpyxl.load_workbook(io.BytesIO(services.version_export_xlsform(version=version)))
    sheet = workbook["settings"]
    column = [cell.value for cell in sheet[1]].index("cepa")
    cepa = json.loads(sheet.cell(row=2, column=column + 1).value)
    assert cepa["thank_you_links"][0]["url"] == CBD  # exported with the form
    for bad in ([{"url": "javascript:alert(1)", "label": {"en": "x"}}], "not a list", ["x"]):
        cepa["thank_you_links"] = bad
        sheet.cell(row=2, column=column + 1).value = json.dumps(cepa)
        out = io.BytesIO()
        workbook.save(out)
        with pytest.raises(XLSFormRefused) as refused:
            services.survey_import_xlsform(data=out.getvalue(), agency=agency, by=None)
        assert [p.sheet for p in refused.value.problems] == ["settings"]
