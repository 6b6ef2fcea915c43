"""An agency writes the platform's words ("Next", errors, emails) in a national language."""

from __future__ import annotations

import io
import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import openpyxl
import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Role
from survey import fieldwork, invitations, services
from survey.interface_texts import (
    interface_field_name,
    respondent_interface,
    respondent_texts,
)
from survey.serialization import survey_from_dict, survey_to_dict
from survey.xlsform import dict_to_xlsform, parse_xlsform
from tests.survey.factories import every_feature, in_wolof_and_french
from tests.survey.test_answering import PAGE_1, PAGE_2, PAGE_3, nonce_of, page_url

pytestmark = pytest.mark.django_db

NEXT = "Next"
REQUIRED = "This question needs an answer."
PROGRESS = "Page %(page)s of %(total)s"
CHOOSE = "Choose one of the options offered."
LATER_SUBJECT = "Continue the survey later"
WOLOF = {
    NEXT: "Ci kanam",
    CHOOSE: "Tànnal benn ci li ñu la jox.",
    LATER_SUBJECT: "Tontu ci kanam",
}


def field(msgid: str) -> str:
    return interface_field_name(msgid)


@pytest.fixture
def draft(agency):
    return survey_from_dict(in_wolof_and_french(every_feature()), agency=agency, by=None)


def texts_url(version, language="wo"):
    return reverse("survey:interface_texts", args=[version.survey_id, version.pk, language])


def test_a_designer_writes_the_platforms_words_in_wolof_and_respondents_read_them(
    client, agency, draft, member_factory, login, mailoutbox
):
    login(member_factory(Role.DESIGNER, agency=agency))
    translations = client.get(reverse("survey:translations", args=[draft.survey_id, draft.pk]))
    listed = unescape(translations.content.decode())
    total = len(respondent_texts())
    assert f"0 of {total} texts translated." in listed
    assert texts_url(draft) in listed
    form = client.get(texts_url(draft)).content.decode()
    # Each field is labelled with what respondents read today: French, the survey's default.
    assert '<span lang="fr" dir="ltr" class="source-text">Suivant</span>' in form
    assert f'name="{field(NEXT)}"' in form and 'lang="wo"' in form
    saved = client.post(texts_url(draft), {field(k): v for k, v in WOLOF.items()}, follow=True)
    assert f"3 of {total} texts translated." in unescape(saved.content.decode())
    draft.refresh_from_db()
    assert draft.interface_texts == {"wo": WOLOF}

    version = services.survey_publish(version=draft, by=None)
    collector = fieldwork.round_create(version=version, label="Dakar").collectors.get()
    entry = reverse("respond:entry", args=[collector.token])
    welcome = client.get(entry + "?lang=wo", HTTP_ACCEPT_LANGUAGE="en")
    first = client.post(entry, {"consent": "yes", "nonce": nonce_of(welcome), "lang": "wo"})
    html = unescape(first.content.decode())
    assert ">Ci kanam<" in html and "Suivant" not in html
    # A text left empty comes in French, text by text.
    assert "Page 1 sur" in html
    # The interface is the page's language now: no lang="fr" around the buttons.
    assert '<div class="nav-buttons">' in html
    refused = client.post(page_url(collector), {**PAGE_1, "region": "atlantis"})
    assert "Tànnal benn ci li ñu la jox." in unescape(refused.content.decode())
    client.post(page_url(collector), PAGE_1)
    client.post(reverse("respond:later", args=[collector.token]), {"email": "awa@example.org"})
    assert mailoutbox[0].subject == "Tontu ci kanam"
    # Around French content the French interface stays as it was.
    french = client.get(entry + "?lang=fr&restart=1")
    assert "Commencer" in unescape(french.content.decode())


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_translation_that_drops_a_value_of_the_page_is_refused_and_kept(
    client, agency, draft, member_factory, login, language
):
    login(member_factory(Role.DESIGNER, agency=agency))
    typed = "Xët %(page)s"  # the total is missing
    with translation.override(language):
        page = client.post(
            texts_url(draft),
            {field(PROGRESS): typed, field(NEXT): "Ci kanam", field(REQUIRED): "Tontu %(name)s"},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        html = unescape(page.content.decode())
        assert page.status_code == 200
        assert 'id="error-summary"' in html
        assert (
            gettext("Keep %(placeholders)s in the text: the page puts a value there.")
            % {"placeholders": "%(total)s"}
            in html
        )
        assert (
            gettext("%(placeholders)s is not a value of this text: remove it.")
            % {"placeholders": "%(name)s"}
            in html
        )
    # Nothing is saved, and everything typed is still there to correct.
    assert f'value="{typed}"' in page.content.decode().replace("&#x27;", "'")
    assert 'value="Ci kanam"' in page.content.decode()
    draft.refresh_from_db()
    assert draft.interface_texts == {}


def test_a_lone_percent_sign_is_refused_as_it_would_break_the_page(
    client, agency, draft, member_factory, login
):
    login(member_factory(Role.DESIGNER, agency=agency))
    page = client.post(texts_url(draft), {field(PROGRESS): "Xët %(page)s ci %(total)s (50%)"})
    assert "Remove the % sign" in unescape(page.content.decode())
    draft.refresh_from_db()
    assert draft.interface_texts == {}
    # The service refuses it too, whoever calls it.
    from survey.exceptions import SurveyError

    with pytest.raises(SurveyError):
        services.version_set_interface_texts(
            version=draft, language="wo", texts={NEXT: "Ci kanam", PROGRESS: "50%"}
        )
    draft.refresh_from_db()
    assert draft.interface_texts == {}


def test_an_imported_survey_with_a_broken_platform_text_is_refused(agency):
    from survey.exceptions import SurveyError

    data = in_wolof_and_french(every_feature())
    data["interface_texts"] = {"wo": {PROGRESS: "Xët %(page)s ci %(tout)s"}}
    with pytest.raises(SurveyError) as refused:
        survey_from_dict(data, agency=agency, by=None)
    assert "“Page %(page)s of %(total)s”: Keep %(total)s in the text" in str(refused.value.message)


def test_a_published_version_shows_its_platform_texts_and_refuses_changes(
    client, agency, draft, member_factory, login
):
    services.version_set_interface_texts(version=draft, language="wo", texts=WOLOF)
    version = services.survey_publish(version=draft, by=None)
    login(member_factory(Role.DESIGNER, agency=agency))
    page = client.get(texts_url(version)).content.decode()
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]
    assert "Ci kanam" in page
    refused = client.post(texts_url(version), {field(NEXT): "Dem"}, follow=True)
    assert refused.status_code == 200
    version.refresh_from_db()
    assert version.interface_texts == {"wo": WOLOF}


def test_only_designers_write_platform_texts_and_only_for_national_languages(
    client, agency, draft, member_factory, login
):
    login(member_factory(Role.VIEWER, agency=agency))
    assert client.get(texts_url(draft)).status_code == 200  # a viewer may read them
    assert client.post(texts_url(draft), {field(NEXT): "Dem"}).status_code == 403
    assert client.get(texts_url(draft, "fr")).status_code == 404  # the interface has French
    assert client.get(texts_url(draft, "sw")).status_code == 404  # not a language of the survey
    draft.refresh_from_db()
    assert draft.interface_texts == {}


def test_platform_texts_travel_with_the_version_its_copies_and_its_xlsform(agency, draft):
    services.version_set_interface_texts(
        version=draft, language="wo", texts={**WOLOF, "not a text of ours": "x", NEXT + " ": ""}
    )
    data = survey_to_dict(draft)
    assert data["interface_texts"] == {"wo": dict(sorted(WOLOF.items()))}
    copy = survey_from_dict(data, agency=agency, by=None)
    assert survey_to_dict(copy)["interface_texts"] == data["interface_texts"]
    imported = parse_xlsform(dict_to_xlsform(data))
    assert imported["interface_texts"] == data["interface_texts"]
    # A language taken off the survey takes its texts along.
    draft.languages = ["fr"]
    draft.save()
    assert survey_to_dict(draft)["interface_texts"] == {}


def test_a_platform_texts_column_that_names_no_language_is_refused_once(draft):
    from survey.xlsform import PLATFORM_SHEET, XLSFormRefused

    services.version_set_interface_texts(version=draft, language="wo", texts=WOLOF)
    book = openpyxl.load_workbook(io.BytesIO(dict_to_xlsform(survey_to_dict(draft))))
    sheet = book[PLATFORM_SHEET]
    sheet.cell(row=1, column=sheet.max_column + 1, value="Wolof!")
    for row in range(2, sheet.max_row + 1):  # a value on every row, one problem in all
        sheet.cell(row=row, column=sheet.max_column, value="Ci kanam")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(XLSFormRefused) as refused:
        parse_xlsform(out.getvalue())
    [problem] = refused.value.problems
    assert "“wolof!” names no language code" in str(problem)


def test_five_national_languages_fully_translated_survive_the_xlsform(agency):
    # All texts in five languages are some 40,000 characters: more than one spreadsheet
    # cell keeps (32,767), so they travel in a sheet of their own, a text a row.
    from survey.interface_texts import as_the_interface_words_it

    national = ["wo", "sw", "qu", "ha", "yo"]
    data = in_wolof_and_french(every_feature())

    def add_languages(node):
        if isinstance(node, dict):
            if set(node) == {"fr", "wo"}:
                node.update({code: f"{node['fr']} ({code})" for code in national})
            for value in node.values():
                add_languages(value)
        elif isinstance(node, list):
            for value in node:
                add_languages(value)

    add_languages(data)
    data["languages"] = ["fr", *national]
    french = as_the_interface_words_it("fr")
    data["interface_texts"] = {
        code: {text.msgid: f"{french[text.msgid]} [{code}]" for text in respondent_texts()}
        for code in national
    }
    workbook = openpyxl.load_workbook(io.BytesIO(dict_to_xlsform(data)))
    assert workbook["platform_texts"].max_row == len(respondent_texts()) + 1
    assert parse_xlsform(dict_to_xlsform(data))["interface_texts"] == data["interface_texts"]


def test_every_text_offered_is_one_the_interface_translates():
    """The texts come from the answering flow's sources: each is in the catalogues,
    so a text left empty falls back to a real translation."""
    texts = {text.msgid for text in respondent_texts()}
    assert {NEXT, REQUIRED, PROGRESS, LATER_SUBJECT} <= texts
    assert "Your views on biodiversity: %(title)s" in texts  # the invitation's subject
    assert "Translations" not in texts  # the designer's words are not offered
    assert "Other, please specify" in texts and "Choose one" in texts
    assert any(text.startswith("You have not sent your answers yet") for text in texts)
    catalogue = {
        e.msgid for e in polib.pofile(str(settings.BASE_DIR / "locale/fr/LC_MESSAGES/django.po"))
    }
    assert sorted(texts - catalogue) == []


def test_the_national_texts_apply_only_inside_and_give_back_the_language_before():
    with translation.override("ar"):
        with respondent_interface("wo", "fr", {"wo": WOLOF}):
            assert translation.get_language() == "wo"
            assert gettext(NEXT) == "Ci kanam"
            assert gettext("Back") == "Retour"  # not translated: French
        assert translation.get_language() == "ar"
        assert gettext(NEXT) == "التالي"
    # Texts given for a UN language are not used: the interface has its own.
    with respondent_interface("fr", "fr", {"fr": {NEXT: "Avance"}}):
        assert gettext(NEXT) == "Suivant"


def test_the_invitation_email_of_a_wolof_collector_is_in_wolof(agency, draft, mailoutbox):
    subject = "Your views on biodiversity: %(title)s"
    services.version_set_interface_texts(
        version=draft, language="wo", texts={subject: "Sa xalaat ci biodiversité: %(title)s"}
    )
    version = services.survey_publish(version=draft, by=None)
    round_ = fieldwork.round_create(version=version, label="Dakar")
    collector = fieldwork.collector_create(
        round_=round_, name="Invitations", kind="email", preset_language="wo"
    )
    invitations.invitations_send(
        collector=collector, addresses=["awa@example.org"], link_for=lambda token: f"/i/{token}/"
    )
    assert re.match(r"Sa xalaat ci biodiversité: ", mailoutbox[0].subject)


def _sheet_rows(raw: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    return list(book["texts"].iter_rows(values_only=True))


def _upload(client, version, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "texts"
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "texts.xlsx"
    url = reverse("survey:translations", args=[version.survey_id, version.pk])
    return client.post(url, {"file": out})


def test_the_translator_fills_the_platform_texts_in_the_spreadsheet_too(
    client, agency, draft, member_factory, login
):
    login(member_factory(Role.DESIGNER, agency=agency))
    url = reverse("survey:translations_sheet", args=[draft.survey_id, draft.pk])
    rows = _sheet_rows(client.get(url).content)
    assert rows[0] == ("key", "fr", "wo")
    platform = {row[1]: row for row in rows if row[0].startswith("platform.")}
    assert len(platform) == len(respondent_texts())
    next_row = platform["Suivant"]  # French, for reference, and Wolof to fill
    assert next_row[2] is None
    page_row = platform["Page %(page)s sur %(total)s"]
    filled = [(*row[:1], "Suivez", "Ci kanam") if row is next_row else row for row in rows]
    report = _upload(client, draft, filled)
    html = unescape(report.content.decode())
    assert "1 cell changed." in html
    assert '(<span lang="en" dir="ltr">Next</span>) (wo): “—” → “Ci kanam”' in html
    draft.refresh_from_db()
    # The French cell is the interface's own translation: changing it changes nothing.
    assert draft.interface_texts == {"wo": {NEXT: "Ci kanam"}}
    dropped = [(*row[:2], "Xët %(page)s") if row is page_row else row for row in rows]
    refused = unescape(_upload(client, draft, dropped).content.decode())
    assert "These platform texts cannot be used as written; nothing was imported." in refused
    assert f"{PROGRESS}: Keep %(total)s in the text" in refused
    draft.refresh_from_db()
    assert draft.interface_texts == {"wo": {NEXT: "Ci kanam"}}


def test_a_survey_in_un_languages_only_has_no_platform_rows(agency, client, member_factory, login):
    version = survey_from_dict(every_feature(), agency=agency, by=None)
    login(member_factory(Role.DESIGNER, agency=agency))
    url = reverse("survey:translations_sheet", args=[version.survey_id, version.pk])
    rows = _sheet_rows(client.get(url).content)
    assert not [row for row in rows if row[0].startswith("platform.")]
    page = client.get(reverse("survey:translations", args=[version.survey_id, version.pk]))
    assert "platform-heading" not in page.content.decode()


def test_the_preview_shows_the_wolof_platform_texts(client, agency, draft, member_factory, login):
    services.version_set_interface_texts(version=draft, language="wo", texts=WOLOF)
    login(member_factory(Role.DESIGNER, agency=agency))
    url = reverse("survey:preview", args=[draft.survey_id, draft.pk])
    page = unescape(
        client.get(url + "?lang=wo&restart=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert ">Ci kanam<" in page and "Suivant" not in page
    refused = client.post(url + "?lang=wo&page=1", {**PAGE_1, "region": "atlantis"})
    assert "Tànnal benn ci li ñu la jox." in unescape(refused.content.decode())


def test_a_date_in_a_national_language_comes_in_figures_not_in_a_mix_of_two_languages(
    client, draft
):
    # Django has no date format nor month names for Wolof: worded, the date would
    # come out as "juin 5, 2027, 9 matin" (an English order, French words).
    opening = "This survey opens on %(date)s (%(zone)s time). Please come back then."
    texts = {**WOLOF, opening: "Làqum bii dina ubbeeku %(date)s (waxtu %(zone)s)."}
    services.version_set_interface_texts(version=draft, language="wo", texts=texts)
    version = services.survey_publish(version=draft, by=None)
    round_ = fieldwork.round_create(
        version=version,
        label="Dakar",
        opens_at=datetime(2027, 6, 5, 9, 0, tzinfo=ZoneInfo("Africa/Nairobi")),
    )
    entry = reverse("respond:entry", args=[round_.collectors.get().token])
    wolof = unescape(client.get(f"{entry}?lang=wo").content.decode())
    assert "Làqum bii dina ubbeeku 2027-06-05 09:00 (waxtu Africa/Nairobi)." in wolof
    french = unescape(client.get(f"{entry}?lang=fr").content.decode())
    assert "Cette enquête ouvre le 5 juin 2027 09:00" in french


def test_the_thank_you_and_continue_later_pages_speak_wolof_then_french_never_english(
    client, draft
):
    # Those pages are rendered with the request, and the site's language switcher
    # (a context processor) used to put the English interface back in their midst.
    texts = {**WOLOF, "Thank you!": "Jërëjëf!", "Your receipt": "Sa kayit"}
    services.version_set_interface_texts(version=draft, language="wo", texts=texts)
    version = services.survey_publish(version=draft, by=None)
    collector = fieldwork.round_create(version=version, label="Dakar").collectors.get()
    entry = reverse("respond:entry", args=[collector.token])
    welcome = client.get(entry + "?lang=wo", HTTP_ACCEPT_LANGUAGE="en")
    client.post(entry, {"consent": "yes", "nonce": nonce_of(welcome), "lang": "wo"})
    later = unescape(client.get(reverse("respond:later", args=[collector.token])).content.decode())
    assert "Enquête anonyme" in later and "Anonymous survey" not in later
    for answers in (PAGE_1, PAGE_2, PAGE_3):
        sent = client.post(page_url(collector), answers)
    thanks = unescape(sent.content.decode())  # the thank-you page, in the last page's answer
    assert "Jërëjëf!" in thanks and "Sa kayit" in thanks
    assert "Enquête anonyme" in thanks and "Anonymous survey" not in thanks
