"""Members of the public answer page by page; nothing they give is lost, nothing forged is kept."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from survey import fieldwork, invitations, services
from survey.answering import token_hash
from survey.demo import demo_survey_load
from survey.logic import BACK_BUTTON, LATER_BUTTON, PAGE_FIELD, STATE_FIELD
from survey.models import Invitation, Response, ResponseStatus, RoundStatus
from survey.serialization import survey_from_dict
from tests.survey.factories import (
    choice,
    completed_responses,
    every_feature,
    in_wolof_and_french,
    q,
    survey_dict,
)

pytestmark = pytest.mark.django_db


def start(client, collector, lang="en"):
    """The consent sent from the welcome page; its nonce."""
    return _consent(client, collector, lang)[0]


def start_page(client, collector, lang="en"):
    """The consent sent from the welcome page; page 1, which comes in the answer."""
    return _consent(client, collector, lang)[1]


def _consent(client, collector, lang):
    entry = reverse("respond:entry", args=[collector.token])
    page = client.get(entry + f"?lang={lang}")
    assert page.status_code == 200
    nonce = nonce_of(page)
    response = client.post(entry, {"consent": "yes", "nonce": nonce, "lang": lang})
    assert shown_page(response) == 1  # page 1 comes with the answer to the consent
    return nonce, response


def page_url(collector):
    return reverse("respond:page", args=[collector.token])


def nonce_of(welcome) -> str:
    """The welcome form's one-time start nonce."""
    return re.search(r'name="nonce" value="([^"]+)"', welcome.content.decode()).group(1)


def consent_anew(client, collector, **extra):
    """Another start from the same address: a fresh welcome page's nonce, the consent sent."""
    entry = reverse("respond:entry", args=[collector.token])
    welcome = Client().get(entry)
    return client.post(entry, {"consent": "yes", "nonce": nonce_of(welcome), **extra})


def shown_page(response) -> int:
    """The page number the respondent sees (the form's hidden page field)."""
    assert response.status_code == 200
    found = re.search(rf'name="{PAGE_FIELD}" value="(\d+)"', response.content.decode())
    return int(found.group(1))


def thank_you_address(response) -> str:
    """The thank-you page came in the answer to the last page: the address it names itself
    (respond.js puts it in the history, so a reload shows the thank-you page again)."""
    assert response.status_code == 200
    return unescape(re.search(r'data-address="([^"]+)"', response.content.decode()).group(1))


PAGE_1 = {
    PAGE_FIELD: "1",
    "age": "30",
    "region": "coast",
    "district": "kilifi",
    "day": "2026-05-22",
}
PAGE_2 = {
    PAGE_FIELD: "2",
    "aware": "heard_know",
    "meaning": "Variety of life",
    "important": "4",
    "concern": "7",
    "values__health": "5",
    "values__economy": "4",
    "informed": "yes",
}
PAGE_3 = {
    PAGE_FIELD: "3",
    "steps": ["recycle", "plant"],
    "sources__heard_know": "1",
    "sources__heard_only": "2",
    "sources__never": "3",
    "sources__dont_know": "4",
    "spend": "12.5",
    "comment": "Thanks",
}


def test_a_respondent_answers_every_page_and_gets_a_receipt(client, collector):
    start(client, collector)
    # Each saved page answers with the next one: one round trip a page.
    assert shown_page(client.post(page_url(collector), PAGE_1)) == 2
    assert shown_page(client.post(page_url(collector), PAGE_2)) == 3
    # The last page answers with the thank-you page: one round trip fewer at the end.
    done = client.post(page_url(collector), PAGE_3)
    assert thank_you_address(done) == reverse("respond:done", args=[collector.token])
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETE
    assert response.answers == {
        "age": 30,
        "region": "coast",
        "district": "kilifi",
        "day": "2026-05-22",
        "ref": "web",
        "aware": "heard_know",
        "meaning": "Variety of life",
        "important": "4",
        "concern": 7,
        "values_health": "5",
        "values_economy": "4",
        "informed": "yes",
        "steps": ["recycle", "plant"],
        "n_steps": 2.0,
        "sources": ["heard_know", "heard_only", "never", "dont_know"],
        "spend": 12.5,
        "comment": "Thanks",
    }
    for thank_you in (done, client.get(thank_you_address(done))):  # and at its address
        assert response.receipt_code in thank_you.content.decode()
        assert "Thank you." in thank_you.content.decode()


def test_each_thank_you_page_shows_its_own_receipt(collector):
    # The page is written once per link and kind, and each respondent's code filled in.
    pages = []
    for person in (Client(), Client()):
        start(person, collector)
        person.post(page_url(collector), PAGE_1)
        person.post(page_url(collector), PAGE_2)
        pages.append(person.post(page_url(collector), PAGE_3).content.decode())
    first, second = Response.objects.order_by("pk")
    assert first.receipt_code in pages[0] and first.receipt_code not in pages[1]
    assert second.receipt_code in pages[1] and second.receipt_code not in pages[0]
    assert "placeholder" not in pages[0] + pages[1]


def test_without_script_the_last_page_leads_to_the_thank_you_page_by_a_redirect(client, collector):
    # A browser running no script cannot give the answer to a POST another address in
    # its history: it gets a redirect, so that a reload does not send the page again.
    plain = {"no-script": "1"}  # the field respond.js takes out
    start(client, collector)
    client.post(page_url(collector), {**PAGE_1, **plain})
    client.post(page_url(collector), {**PAGE_2, **plain})
    done = client.post(page_url(collector), {**PAGE_3, **plain})
    assert done.status_code == 302
    assert done["Location"] == reverse("respond:done", args=[collector.token])
    assert Response.objects.get().receipt_code in client.get(done["Location"]).content.decode()


def test_a_double_submit_of_the_last_page_creates_one_complete_response(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), PAGE_2)
    first = client.post(page_url(collector), PAGE_3)
    second = client.post(page_url(collector), PAGE_3)
    # The first gets the thank-you page, the second a redirect to the same page.
    assert second.status_code == 302 and second["Location"] == thank_you_address(first)
    assert Response.objects.count() == 1
    assert Response.objects.get().status == ResponseStatus.COMPLETE


def test_every_welcome_page_has_its_own_signed_nonce_and_needs_no_csrf_cookie(collector):
    entry = reverse("respond:entry", args=[collector.token])
    pages = [Client(enforce_csrf_checks=True).get(entry) for _ in range(2)]
    assert nonce_of(pages[0]) != nonce_of(pages[1])
    assert "placeholder" not in nonce_of(pages[0])
    assert "csrfmiddlewaretoken" not in pages[0].content.decode()
    assert "csrftoken" not in pages[0].cookies
    # With every check on, the welcome form's own token is enough to start.
    browser = Client(enforce_csrf_checks=True)
    started = browser.post(entry, {"consent": "yes", "nonce": nonce_of(browser.get(entry))})
    assert shown_page(started) == 1


def test_with_csrf_checks_on_each_page_carries_the_state_that_the_next_post_needs(collector):
    browser = Client(enforce_csrf_checks=True)
    entry = reverse("respond:entry", args=[collector.token])
    welcome = browser.get(entry)
    page = browser.post(entry, {"consent": "yes", "nonce": nonce_of(welcome)})
    for answers in (PAGE_1, PAGE_2):
        assert page["Cache-Control"] == "no-store, private"  # answers are never cached
        page = browser.post(page_url(collector), {**answers, STATE_FIELD: state_of(page)})
    assert shown_page(page) == 3
    assert Response.objects.get().answers["meaning"] == "Variety of life"
    # A forged state, or none, is no token: Django's CSRF check refuses the page.
    real = state_of(page)
    forged = real.split(":")[0] + ":" + "x" * 40
    for state in (forged, ""):
        refused = browser.post(page_url(collector), {**PAGE_3, STATE_FIELD: state})
        assert refused.status_code == 403
    assert "comment" not in Response.objects.get().answers


def test_a_cross_site_request_cannot_reach_someone_elses_response(collector):
    """Another site can make a browser send a form, but not with a state it never saw."""
    victim = Client(enforce_csrf_checks=True)
    entry = reverse("respond:entry", args=[collector.token])
    victim.post(entry, {"consent": "yes", "nonce": nonce_of(victim.get(entry))})
    # The attacker starts a response of their own to get genuine tokens...
    attacker = Client(enforce_csrf_checks=True)
    their_page = attacker.post(entry, {"consent": "yes", "nonce": nonce_of(attacker.get(entry))})
    # ...and makes the victim's browser (with its cookie) send them: only the
    # attacker's own response can be touched, never the victim's.
    victim.post(page_url(collector), {**PAGE_1, "age": "99", STATE_FIELD: state_of(their_page)})
    later = reverse("respond:later", args=[collector.token])
    nonce = nonce_of(Client().get(entry))  # a genuine token of the welcome form
    victim.post(later, {"email": "attacker@example.org", "nonce": nonce})
    mine, theirs = Response.objects.order_by("pk")
    assert mine.answers == {}
    assert theirs.answers["age"] == 99
    from django.core import mail

    assert mail.outbox == []  # the victim's resume link was not mailed to the attacker


def state_of(page) -> str:
    return re.search(rf'name="{STATE_FIELD}" value="([^"]+)"', page.content.decode())[1]


def test_the_language_links_of_the_first_page_switch_its_language(client, collector):
    first = start_page(client, collector)  # page 1 is shown at the welcome address
    # Its links lead to the page's own address, not back to the welcome page's.
    french = f"{page_url(collector)}?lang=fr"
    assert f'href="{french}"' in first.content.decode()
    page = client.get(french)
    assert shown_page(page) == 1 and "Question age (fr)" in page.content.decode()
    assert Response.objects.get().language == "fr"


def test_the_consent_error_is_in_the_language_chosen_on_the_welcome_page(client, collector):
    entry = reverse("respond:entry", args=[collector.token])
    nonce = nonce_of(client.get(entry + "?lang=fr"))
    page = client.post(entry, {"nonce": nonce, "lang": "fr"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Cochez la case pour indiquer que vous acceptez de participer." in page.content.decode()
    assert not Response.objects.exists()


def test_a_double_click_on_start_creates_one_response(client, collector):
    entry = reverse("respond:entry", args=[collector.token])
    nonce = nonce_of(client.get(entry))
    client.post(entry, {"consent": "yes", "nonce": nonce})
    client.post(entry, {"consent": "yes", "nonce": nonce})
    assert Response.objects.count() == 1


def test_leaving_and_coming_back_resumes_where_one_stopped(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    again = Client()
    again.cookies = client.cookies  # same device, new visit
    back = again.get(reverse("respond:entry", args=[collector.token]))
    assert back.status_code == 302
    page = again.get(back["Location"])
    assert shown_page(page) == 2
    assert 'value="30"' not in page.content.decode()  # page 2 shows page 2


def test_going_back_keeps_later_answers_unless_relevance_hides_them(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), PAGE_2)
    client.post(page_url(collector), {**PAGE_3, PAGE_FIELD: "3", BACK_BUTTON: "1"})
    answers = Response.objects.get().answers
    assert answers["spend"] == 12.5
    # Age 17 now hides the third page (its relevance needs 18+): its answers go.
    client.post(page_url(collector), {**PAGE_1, "age": "17"})
    answers = Response.objects.get().answers
    assert "spend" not in answers
    assert answers["aware"] == "heard_know"


def test_the_continue_later_link_works_on_another_device(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    later = client.get(reverse("respond:later", args=[collector.token]))
    link = later.context["link"].replace("http://testserver", "")
    other = Client()
    resumed = other.get(link)
    assert resumed.status_code == 302
    assert shown_page(other.get(resumed["Location"])) == 2


def test_continue_later_saves_what_is_on_the_page_and_leaves_its_errors_for_later(
    client, collector
):
    start(client, collector)
    later = client.post(page_url(collector), {**PAGE_1, "age": "12", LATER_BUTTON: "1"})
    assert later.status_code == 302
    assert later["Location"] == reverse("respond:later", args=[collector.token])
    response = Response.objects.get()
    assert response.answers["region"] == "coast"  # kept
    assert "age" not in response.answers  # not accepted, asked again on return
    assert response.page == 1
    back = client.get(reverse("respond:entry", args=[collector.token]), follow=True)
    assert shown_page(back) == 1
    assert 'value="coast" checked' in back.content.decode()


def test_the_continue_later_link_is_emailed_in_the_respondents_language(
    client, collector, mailoutbox
):
    start(client, collector, lang="fr")
    later = reverse("respond:later", args=[collector.token])
    refused = client.post(later, {"email": "someone@example"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Saisissez une adresse électronique valide." in refused.content.decode()
    assert 'value="someone@example"' in refused.content.decode()  # kept, to correct
    assert mailoutbox == []
    sent = client.post(later, {"email": "someone@example.org"})
    assert "someone@example.org" not in sent.content.decode()
    (mail,) = mailoutbox
    assert mail.to == ["someone@example.org"]
    assert mail.subject == "Continuer l'enquête plus tard"
    assert f"/r/{collector.token}/resume/" in mail.body


def test_an_address_typed_in_full_width_gets_the_continue_later_link(client, collector, mailoutbox):
    start(client, collector, lang="zh-Hans")
    later = reverse("respond:later", args=[collector.token])
    # As a Chinese input method types it, in full width.
    client.post(later, {"email": "ｓｏｍｅｏｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ"})
    (mail,) = mailoutbox
    assert mail.to == ["someone@example.org"]


def test_when_the_mail_server_is_down_the_link_stays_on_the_page_with_a_word_why(
    client, collector, mail_server, caplog
):
    start(client, collector, lang="fr")
    later = reverse("respond:later", args=[collector.token])
    mail_server.accept(0)  # it refuses every message

    page = client.post(later, {"email": "someone@example.org"})

    assert page.status_code == 200
    html = unescape(page.content.decode())
    english = (
        "The email could not be sent just now. Please copy the link above, "
        "or try again in a few minutes."
    )
    with translation.override("fr"):
        assert gettext(english) != english  # said in French, not only in English
        assert gettext(english) in html
    assert f"/r/{collector.token}/resume/" in html  # the link to copy
    assert 'value="someone@example.org"' in html  # kept, to try again
    assert 'aria-describedby="email-error"' in html
    assert "could not be sent" in caplog.text  # for whoever runs the mail server
    mail_server.accept(None)
    client.post(later, {"email": "someone@example.org"})
    assert mail_server.accepted == 1


def test_the_continue_later_form_cannot_be_used_to_send_mail_to_anyone_at_will(
    client, collector, mailoutbox, settings
):
    settings.RESPONDENT_RATE_LIMITS = {**settings.RESPONDENT_RATE_LIMITS, "mail": (2, 3600)}
    start(client, collector)
    later = reverse("respond:later", args=[collector.token])
    for n in range(3):
        page = client.post(later, {"email": f"someone{n}@example.org"})
    assert [m.to for m in mailoutbox] == [["someone0@example.org"], ["someone1@example.org"]]
    html = page.content.decode()
    assert "Too many emails were asked for from this connection." in html
    assert 'value="someone2@example.org"' in html  # kept, to try again later


def test_the_continue_later_link_stays_the_same_however_often_it_is_asked_for(
    client, collector, mailoutbox
):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    later = reverse("respond:later", args=[collector.token])
    copied = client.get(later).context["link"]  # taken to a laptop
    assert client.get(later).context["link"] == copied  # asked for again on the phone
    client.post(later, {"email": "not an address"})
    client.post(later, {"email": "someone@example.org"})
    assert copied in mailoutbox[0].body
    assert token_hash(copied.rsplit("/", 2)[-2]) == Response.objects.get().resume_hash
    resumed = Client().get(copied.replace("http://testserver", ""))
    assert resumed.status_code == 302 and "/page/?lang=en&state=" in resumed["Location"]
    # Another response has another link.
    other = Client()
    start(other, collector)
    assert other.get(later).context["link"] != copied


def test_every_page_names_its_own_language_not_the_browsers(client, collector):
    # French picked on an English phone: Content-Language says French, as <html lang> does.
    entry = reverse("respond:entry", args=[collector.token])
    welcome = client.get(entry + "?lang=fr", HTTP_ACCEPT_LANGUAGE="en")
    assert welcome["Content-Language"] == "fr"
    first = client.post(
        entry,
        {"consent": "yes", "nonce": nonce_of(welcome), "lang": "fr"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert first["Content-Language"] == "fr" and '<html lang="fr"' in first.content.decode()
    refused = client.post(page_url(collector), {**PAGE_1, "region": "atlantis"})
    assert refused["Content-Language"] == "fr"
    for page in (PAGE_1, PAGE_2, PAGE_3):
        client.post(page_url(collector), page, HTTP_ACCEPT_LANGUAGE="en")
    done = client.get(reverse("respond:done", args=[collector.token]), HTTP_ACCEPT_LANGUAGE="en")
    assert done["Content-Language"] == "fr"


def test_the_continue_later_link_and_the_receipt_are_never_cached(client, collector):
    # Either opens the response to whoever finds the page later, on a shared computer.
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    later = client.get(reverse("respond:later", args=[collector.token]))
    assert "/resume/" in later.context["link"]
    assert later["Cache-Control"] == "no-store, private"
    for page in (PAGE_2, PAGE_3):
        client.post(page_url(collector), page)
    done = client.get(reverse("respond:done", args=[collector.token]))
    assert done.context["receipt"] and done["Cache-Control"] == "no-store, private"


def test_every_respondent_page_runs_only_this_sites_scripts(client, collector):
    # Agencies' texts are escaped; the policy is what stops a script that got in anyway
    # from running or from sending the answers elsewhere. The browser tests check
    # that the pages work under it (tests/browser/conftest.py).
    entry = reverse("respond:entry", args=[collector.token])
    pages = [client.get(entry), start_page(client, collector)]
    pages.append(client.post(page_url(collector), PAGE_1))
    pages.append(client.get(reverse("respond:later", args=[collector.token])))
    pages.append(client.post(page_url(collector), PAGE_2))
    pages.append(client.post(page_url(collector), PAGE_3))
    pages.append(client.get(reverse("respond:done", args=[collector.token])))
    pages.append(client.get(reverse("respond:withdraw")))
    pages.append(Client().get(reverse("respond:entry", args=["no-such-link"])))
    for page in pages:
        policy = page["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "form-action 'self'" in policy
        assert "unsafe" not in policy and "frame-ancestors" not in policy  # embeds stay


def test_errors_keep_what_was_typed_and_save_the_valid_answers(client, collector):
    start(client, collector, lang="fr")
    page = client.post(page_url(collector), {**PAGE_1, "age": "12", "region": "coast"})
    html = page.content.decode()
    assert "16 ans et plus" in html
    assert 'value="12"' in html
    assert 'id="error-summary"' in html
    assert Response.objects.get().answers["region"] == "coast"


def test_the_window_title_names_the_page_and_an_error_first(client, collector):
    start(client, collector, lang="fr")
    title = re.compile(r"<title>([^<]*)</title>")
    page2 = client.post(page_url(collector), PAGE_1).content.decode()
    assert title.search(page2)[1].startswith("Page 2 sur 3 – ")
    wrong = client.post(page_url(collector), {**PAGE_2, "concern": "99"}).content.decode()
    assert unescape(title.search(wrong)[1]).startswith("Erreur : Page 2 sur 3 – ")


def test_the_platforms_own_error_messages_follow_the_language_chosen_not_the_browser(
    client, collector
):
    # French picked on the welcome page of a phone set to English.
    start(client, collector, lang="fr")
    page = client.post(
        page_url(collector), {**PAGE_1, "region": "atlantis"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = unescape(page.content.decode())
    assert "Choisissez l'une des options proposées." in html
    assert "Choose one of the options offered." not in html


def test_a_national_language_gets_the_interface_of_the_surveys_default_language(
    client, agency, mailoutbox
):
    # The interface is in the six UN languages; around Wolof content, "Next" and the
    # errors come in French, the survey's default language, not in English.
    version = survey_from_dict(in_wolof_and_french(every_feature()), agency=agency, by=None)
    version = services.survey_publish(version=version, by=None)
    collector = fieldwork.round_create(version=version, label="Dakar").collectors.get()
    entry = reverse("respond:entry", args=[collector.token])
    welcome = client.get(entry + "?lang=wo", HTTP_ACCEPT_LANGUAGE="en")
    first = client.post(
        entry,
        {"consent": "yes", "nonce": nonce_of(welcome), "lang": "wo"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = unescape(first.content.decode())
    assert '<html lang="wo"' in html
    assert "Suivant" in html and ">Next<" not in html
    # The platform's own words are marked French, for screen readers to read them so.
    assert '<div class="nav-buttons" lang="fr">' in html
    assert '<p class="progress-text" lang="fr">' in html
    assert '<span class="required" lang="fr">' in html
    refused = client.post(page_url(collector), {**PAGE_1, "region": "atlantis"})
    assert "Choisissez l'une des options proposées." in unescape(refused.content.decode())
    client.post(reverse("respond:later", args=[collector.token]), {"email": "awa@example.org"})
    assert mailoutbox[0].subject == "Continuer l'enquête plus tard"


# --------------------------------------------------------------- tampering


@pytest.mark.parametrize(
    ("post", "expected_error", "field"),
    [
        ({**PAGE_1, "region": "atlantis"}, "Choose one of the options offered.", "region"),
        ({**PAGE_1, "age": "-3"}, "at least 0", "age"),
        ({**PAGE_1, "age": "x" * 1_000_000}, "Enter a number", "age"),
    ],
)
def test_tampered_answers_are_refused_with_a_message(
    client, collector, post, expected_error, field
):
    start(client, collector)
    page = client.post(page_url(collector), post)
    assert page.status_code == 200
    assert expected_error in page.content.decode()
    assert field not in Response.objects.get().answers


def test_a_huge_text_is_refused(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), PAGE_2)
    page = client.post(page_url(collector), {**PAGE_3, "comment": "y" * 1_000_000})
    assert "Use at most 200 characters" in page.content.decode()
    assert "comment" not in Response.objects.get().answers


def test_text_pasted_with_control_characters_is_kept_without_them(client, collector):
    # A NUL in an answer made PostgreSQL refuse the whole page: a server error, the
    # page's answers lost. Text from a PDF or a spreadsheet can carry such characters.
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), PAGE_2)
    page = client.post(page_url(collector), {**PAGE_3, "comment": "Plant\x00 trees\x0c\tnow\n"})
    assert page.status_code == 200
    assert Response.objects.get().answers["comment"] == "Plant trees\tnow"


def test_an_answer_for_a_hidden_question_is_not_stored(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), {**PAGE_2, "aware": "never", "meaning": "sneaky"})
    answers = Response.objects.get().answers
    assert "meaning" not in answers


def test_a_post_without_csrf_token_is_rejected(collector):
    strict = Client(enforce_csrf_checks=True)
    entry = reverse("respond:entry", args=[collector.token])
    strict.get(entry)
    assert strict.post(entry, {"consent": "yes", "nonce": "abc"}).status_code == 403
    assert not Response.objects.exists()


def test_a_response_from_another_round_cannot_be_continued(client, collector, agency):
    other_version = survey_from_dict(every_feature(), agency=agency, by=None)
    other_version = services.survey_publish(version=other_version, by=None)
    other = fieldwork.round_create(version=other_version, label="Other").collectors.get()
    start(client, other)
    foreign = Response.objects.get()
    # A validly signed cookie for this link, naming the other round's response.
    from django.core import signing

    from survey.respond_views import COOKIE_SALT, _cookie_name

    name = _cookie_name(collector.token)
    client.cookies[name] = signing.get_cookie_signer(salt=name + COOKIE_SALT).sign(foreign.pk)
    response = client.post(page_url(collector), PAGE_1)
    assert response.status_code == 302
    assert response["Location"] == reverse("respond:entry", args=[collector.token])
    foreign.refresh_from_db()
    assert foreign.answers == {}


def test_the_honeypot_stores_nothing(client, collector):
    entry = reverse("respond:entry", args=[collector.token])
    nonce = nonce_of(client.get(entry))
    client.post(entry, {"consent": "yes", "nonce": nonce, "website": "http://spam.example"})
    assert not Response.objects.exists()


def test_past_the_start_limit_a_small_sum_lets_people_on_and_far_past_it_nobody(
    client, collector, settings
):
    """A class, an office or a mobile network shares one address: people there may go on."""
    settings.RESPONDENT_RATE_LIMITS = {"start": (3, 3600)}

    def consent(**extra):
        return consent_anew(client, collector, **extra)

    assert [shown_page(consent()) for _ in range(3)] == [1, 1, 1]
    busy = consent()
    html = unescape(busy.content.decode())
    assert busy.status_code == 200 and "Many people are starting this survey" in html
    assert 'name="consent" id="consent" value="yes" checked' in html  # kept
    assert Response.objects.count() == 3
    token, a, b = sum_of(busy)
    wrong = consent(challenge_token=token, challenge=str(a + b + 1))
    assert "Please give the result of the small sum." in wrong.content.decode()
    token, a, b = sum_of(wrong)
    assert shown_page(consent(challenge_token=token, challenge=str(a + b))) == 1
    assert Response.objects.count() == 4
    # A solved sum opens one start only.
    assert "small sum" in consent(challenge_token=token, challenge=str(a + b)).content.decode()
    # Ten times the limit, and nothing opens the survey any more.
    for _ in range(30):
        last = consent()
    assert last.status_code == 429


def test_a_page_sent_too_often_comes_back_with_what_was_typed(client, collector, settings):
    settings.RESPONDENT_RATE_LIMITS = {"save": (1, 60)}
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    busy = client.post(page_url(collector), PAGE_2)
    assert busy.status_code == 429
    html = unescape(busy.content.decode())
    assert "Too many pages were sent from this connection." in html
    assert f'name="{PAGE_FIELD}" value="2"' in html
    assert ">Variety of life</textarea>" in html  # what was typed, ready to send again
    assert '<option value="heard_know" selected>' in html  # a drop-down list (minimal)
    assert "meaning" not in Response.objects.get().answers  # nothing saved meanwhile


def sum_of(page) -> tuple[str, int, int]:
    html = page.content.decode()
    token = re.search(r'name="challenge_token" value="([^"]+)"', html)[1]
    a, b = re.search(r"what is (\d+) \+ (\d+)\?", html).groups()
    return token, int(a), int(b)


# --------------------------------------------------------------- closing, pausing, invitations


def test_a_paused_collector_refuses_new_starts_but_lets_people_finish_within_the_grace(
    client, collector
):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    fieldwork.collector_set_active(collector=collector, active=False)
    newcomer = Client()
    welcome = newcomer.get(reverse("respond:entry", args=[collector.token]))
    assert "paused" in welcome.content.decode()
    assert shown_page(client.post(page_url(collector), PAGE_2)) == 3
    # After the grace period even people mid-survey are told it closed.
    collector.refresh_from_db()
    collector.paused_at = timezone.now() - timedelta(minutes=collector.round.grace_minutes + 1)
    collector.save()
    late = client.post(page_url(collector), PAGE_3)
    assert "time to finish has passed" in late.content.decode()
    assert Response.objects.get().status == ResponseStatus.IN_PROGRESS


def test_a_pause_made_by_another_server_process_takes_effect_within_the_link_cache_time(
    client, collector, settings, monkeypatch
):
    # A worker reuses what it read of a link for LINK_CACHE_SECONDS; a pause saved in
    # another process (here: an update that this process's signals do not see) takes
    # effect once that time has passed, and one saved in this process at once.
    from survey import selectors

    settings.LINK_CACHE_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: clock[0])
    entry = reverse("respond:entry", args=[collector.token])
    assert "paused" not in client.get(entry).content.decode()
    type(collector).objects.filter(pk=collector.pk).update(active=False, paused_at=timezone.now())
    clock[0] += 4
    assert "paused" not in Client().get(entry).content.decode()
    clock[0] += 2
    assert "paused" in Client().get(entry).content.decode()
    fieldwork.collector_set_active(collector=collector, active=True)
    assert "paused" not in Client().get(entry).content.decode()


@pytest.mark.parametrize(
    ("lang", "closed"),
    [
        ("en", "This survey is closed. Thank you for your interest."),
        ("fr", "Cette enquête est close. Merci de votre intérêt."),
    ],
)
def test_a_closed_round_shows_a_clear_page_in_the_chosen_language(client, collector, lang, closed):
    fieldwork.round_set_status(round_=collector.round, status=RoundStatus.CLOSED)
    entry = reverse("respond:entry", args=[collector.token])
    page = client.get(f"{entry}?lang={lang}", HTTP_ACCEPT_LANGUAGE="ar")
    assert closed in page.content.decode()
    assert f"<title>{escape(closed)} – " in page.content.decode()  # a screen reader says it first


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "This survey opens on June 5, 2027, 9 a.m. (Africa/Nairobi time). Please come"),
        ("fr", "Cette enquête ouvre le 5 juin 2027 09:00 (heure Africa/Nairobi). Revenez"),
    ],
)
def test_a_link_used_before_the_round_opens_says_when_to_come_back(client, collector, lang, says):
    # A QR code on a poster put up before the launch (World Environment Day) is scanned
    # early. The Kenyan agency set 09:00 in Nairobi, and the page says so.
    round_ = collector.round
    round_.opens_at = datetime(2027, 6, 5, 9, 0, tzinfo=ZoneInfo("Africa/Nairobi"))
    round_.save()
    entry = reverse("respond:entry", args=[collector.token])
    page = client.get(f"{entry}?lang={lang}", HTTP_ACCEPT_LANGUAGE="ar")
    assert says in unescape(page.content.decode())


def test_a_link_checker_asking_only_for_headers_finds_the_links_working(client, collector):
    # A URL shortener, a content system's link check or the ministry's IT (curl -I)
    # send HEAD before the link goes on a poster. A 405 there read as a broken link.
    entry = reverse("respond:entry", args=[collector.token])
    checker = Client()
    for address in (entry, f"{entry}?lang=ar", reverse("respond:withdraw")):
        answer = checker.head(address)
        assert answer.status_code == 200, address
        assert answer.content == b""
    assert not Response.objects.exists()
    # A respondent's own addresses, checked in mid-survey (a browser's preview of a
    # link pasted into a chat), show what a GET shows and change nothing.
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    assert client.head(entry).status_code == 302
    assert client.head(f"{page_url(collector)}?p=1").status_code == 200
    assert client.head(reverse("respond:later", args=[collector.token])).status_code == 200
    response = Response.objects.get()
    assert (response.page, response.status) == (2, ResponseStatus.IN_PROGRESS)
    assert shown_page(client.post(page_url(collector), PAGE_2)) == 3


def test_an_invitation_answers_once(client, collector, mailoutbox):
    invitations.invitations_send(
        collector=collector, addresses=["ana@example.org"], link_for=lambda t: f"/i/{t}/"
    )
    invitation = Invitation.objects.get()
    assert invitation.email == ""  # only hashes are kept
    assert "works until you have sent your answers" in mailoutbox[0].body
    link = mailoutbox[0].body.split("/i/")[1].split("/")[0]
    assert invitation.token_hash == token_hash(link)
    entry = client.get(f"/i/{link}/")
    assert entry.status_code == 302
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    # Until the answers are sent the link works again (the email says so), where one stopped.
    assert shown_page(Client().get(f"/i/{link}/", follow=True)) == 2
    client.post(page_url(collector), PAGE_2)
    client.post(page_url(collector), PAGE_3)
    assert Response.objects.get().invitation == invitation
    again = Client().get(f"/i/{link}/")
    assert "already been used" in again.content.decode()
    assert Response.objects.count() == 1


def test_an_email_collector_opens_only_through_its_invitations(client, collector, mailoutbox):
    mailing = fieldwork.collector_create(round_=collector.round, name="Teachers", kind="email")
    entry = reverse("respond:entry", args=[mailing.token])
    # Its address shows in the browser once an invitation has led there, and can be passed on.
    welcome = client.get(entry + "?lang=fr")
    html = welcome.content.decode()
    assert "Ce questionnaire se remplit sur invitation seulement." in html
    assert 'name="consent"' not in html
    # A consent posted anyway (a nonce from the public link's page) starts nothing.
    nonce = nonce_of(client.get(reverse("respond:entry", args=[collector.token])))
    refused = client.post(entry, {"consent": "yes", "nonce": nonce, "lang": "en"})
    assert "answered by invitation only" in refused.content.decode()
    assert not Response.objects.exists()
    # The invitation's own link opens it.
    invitations.invitations_send(
        collector=mailing, addresses=["ana@example.org"], link_for=lambda t: f"/i/{t}/"
    )
    link = mailoutbox[0].body.split("/i/")[1].split("/")[0]
    invited = Client()
    assert invited.get(f"/i/{link}/").status_code == 302
    start(invited, mailing)
    assert Response.objects.get().invitation == Invitation.objects.get()


def test_withdrawal_with_the_receipt_code_deletes_the_response(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), PAGE_2)
    client.post(page_url(collector), PAGE_3)
    code = Response.objects.get().receipt_code
    page = Client().post(reverse("respond:withdraw"), {"code": code.lower()})
    assert "have been deleted" in page.content.decode()
    assert not Response.objects.exists()


def test_a_receipt_code_copied_with_spaces_or_misread_letters_still_deletes(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), PAGE_2)
    client.post(page_url(collector), PAGE_3)
    response = Response.objects.get()
    response.receipt_code = "A0217E61BC"
    response.save()
    # Read from a printout: O for 0, l for 1, in small letters, in groups.
    page = Client().post(reverse("respond:withdraw"), {"code": " a02l7-e6I bc "})
    assert "have been deleted" in page.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "typed",
    ["Ａ０２１７Ｅ６１ＢＣ", "A٠٢١٧E٦١BC"],  # full width (a Chinese input method); Arabic digits
)
def test_a_receipt_code_typed_on_a_chinese_or_arabic_keyboard_still_deletes(
    client, collector, typed
):
    start(client, collector)
    Response.objects.update(status=ResponseStatus.COMPLETE, receipt_code="A0217E61BC")
    page = Client().post(reverse("respond:withdraw"), {"code": typed})
    assert "have been deleted" in page.content.decode()
    assert not Response.objects.exists()


def test_a_wrong_or_missing_receipt_code_is_told_at_the_field_and_kept(client, collector):
    withdraw = reverse("respond:withdraw") + "?lang=fr"
    empty = client.post(withdraw, {"code": "  "}).content.decode()
    assert "Saisissez le code de votre reçu." in empty
    wrong = client.post(withdraw, {"code": "A0217E61BD"}).content.decode()
    # The code stays in the field to be corrected; the error is read out with it.
    field = re.search(r'<input type="text" name="code"[^>]*>', wrong).group(0)
    assert 'value="A0217E61BD"' in field
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="code-error code-hint"' in field
    error = re.search(r'<p class="field-error" id="code-error">([^<]+)</p>', wrong).group(1)
    assert error == "Aucune réponse ne correspond à ce code. Vérifiez le code de votre reçu."


def test_someone_who_stops_before_sending_can_have_their_answers_deleted(client, collector):
    start(client, collector, lang="fr")
    page = client.post(page_url(collector), PAGE_1, HTTP_ACCEPT_LANGUAGE="en")
    # They have no receipt code yet: "Delete my answers" leads to their own answers.
    stop = reverse("respond:stop", args=[collector.token])
    assert f'href="{stop}?lang=fr">Supprimer mes réponses</a>' in page.content.decode()
    asked = client.get(f"{stop}?lang=fr", HTTP_ACCEPT_LANGUAGE="en")
    assert "vous n'avez donc pas de code de reçu" in unescape(asked.content.decode())
    assert Response.objects.count() == 1  # asking deletes nothing
    # A form sent from another site, without the response's own state, deletes nothing.
    forger = Client(enforce_csrf_checks=True)
    forger.cookies = client.cookies
    assert forger.post(stop, {}).status_code == 403
    assert Response.objects.count() == 1
    done = client.post(stop, {STATE_FIELD: state_of(asked)})
    assert "Vos réponses ont été supprimées." in done.content.decode()
    assert not Response.objects.exists()
    # The link opened again on this device begins anew, and nothing is left to stop.
    again = client.get(reverse("respond:entry", args=[collector.token]))
    assert 'name="consent"' in again.content.decode()
    assert client.get(f"{stop}?lang=fr")["Location"] == reverse("respond:withdraw") + "?lang=fr"


def test_answers_once_sent_are_deleted_only_with_the_receipt_code(client, collector):
    start(client, collector)
    asked = client.get(reverse("respond:stop", args=[collector.token]))
    for page in (PAGE_1, PAGE_2, PAGE_3):
        client.post(page_url(collector), page)
    stop = reverse("respond:stop", args=[collector.token])
    assert client.get(stop)["Location"].startswith(reverse("respond:withdraw"))
    assert client.post(stop, {STATE_FIELD: state_of(asked)}).status_code == 302
    assert Response.objects.get().status == ResponseStatus.COMPLETE


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("ar", "لم ترسل إجاباتك بعد، لذا ليس لديك رمز إيصال."),
        ("zh-Hans", "您尚未提交答案，因此没有回执码。"),
    ],
)
def test_the_page_to_stop_and_delete_speaks_the_respondents_language(six_language_link, lang, says):
    person = Client(HTTP_ACCEPT_LANGUAGE="en")
    start(person, six_language_link, lang=lang)
    html = person.get(reverse("respond:stop", args=[six_language_link.token])).content.decode()
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    assert says in html


def test_the_deletion_page_keeps_the_language_the_person_answered_in(client, collector):
    start(client, collector, lang="fr")
    for _page in (PAGE_1, PAGE_2, PAGE_3):
        done = client.post(page_url(collector), _page, HTTP_ACCEPT_LANGUAGE="en")
    link = re.search(r'href="(/r/withdraw/\?lang=[^"]+)"', done.content.decode()).group(1)
    assert link == reverse("respond:withdraw") + "?lang=fr"
    # In Arabic, on a phone set to English: right to left, Arabic words, a way back to English.
    arabic = reverse("respond:withdraw") + "?lang=ar"
    html = client.get(arabic, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "حذف إجاباتي" in html
    assert 'href="?lang=en"' in html
    wrong = client.post(arabic, {"code": "NOPE"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "لا توجد إجابات مطابقة لهذا الرمز." in wrong
    # Nonsense in the address falls back to the browser's language.
    odd = client.get(reverse("respond:withdraw") + "?lang=<x>", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="es" dir="ltr">' in odd.content.decode()


# --------------------------------------------------------------- quality and cost


def test_saving_a_page_costs_the_same_queries_with_10_or_10000_responses(
    client, collector, settings
):
    # The link read on every request: storing 10,000 responses can take longer than a
    # process keeps a link it read (LINK_CACHE_SECONDS) on a busy machine, which made
    # the second count one read higher than the first.
    settings.LINK_CACHE_SECONDS = 0

    def stored(count):
        existing = Response.objects.count()
        Response.objects.bulk_create(
            [
                Response(
                    round=collector.round,
                    version=collector.round.version,
                    collector=collector,
                    start_nonce=f"bulk{existing + i}",
                    language="en",
                    status=ResponseStatus.COMPLETE,
                    answers={"age": 40},
                    receipt_code=f"B{existing + i:09d}",
                    duration_seconds=300,
                )
                for i in range(count)
            ],
            batch_size=2000,
        )

    stored(10)
    start(client, collector)
    with CaptureQueriesContext(connection) as small:
        client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), {**PAGE_2, PAGE_FIELD: "2", BACK_BUTTON: "1"})
    stored(10_000 - 11)
    with CaptureQueriesContext(connection) as large:
        client.post(page_url(collector), PAGE_1)
    assert Response.objects.count() >= 10_000
    assert len(large.captured_queries) == len(small.captured_queries)


def plan_of(sql: str) -> str:
    """The engine's query plan, with sequential scans ruled out where the engine allows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " ".join(str(cell) for row in cursor.fetchall() for cell in row)


def test_starts_leave_the_resume_and_duplicate_indexes_alone_yet_lookups_use_them(
    client, collector
):
    from survey.answering import (
        answers_fingerprint,
        compiled_for,
        quality_flags,
        response_for_resume,
        response_resume_link,
    )

    start(client, collector)
    started = Response.objects.get()
    # Nothing to index yet: the partial indexes skip the row, so starting costs less.
    assert started.resume_hash is None and started.fingerprint is None
    for page in (PAGE_1, PAGE_2, PAGE_3):
        client.post(page_url(collector), page)
    started.refresh_from_db()
    assert started.fingerprint  # set on completion, for the duplicate probe

    fresh = Response(
        round=collector.round, version=collector.round.version, collector=collector, ip_hash="x"
    )
    with CaptureQueriesContext(connection) as probe:
        quality_flags(
            response=fresh,
            answers={"age": 30},
            compiled=compiled_for(collector.round.version),
            duration=100,
            fingerprint=answers_fingerprint("x", {"age": 30}),
        )
    (duplicate_sql,) = [q["sql"] for q in probe.captured_queries if "fingerprint" in q["sql"]]
    assert "response_fingerprint" in plan_of(duplicate_sql)

    other = Client()
    start(other, collector)
    in_progress = Response.objects.get(status=ResponseStatus.IN_PROGRESS)
    token = response_resume_link(response=in_progress)
    with CaptureQueriesContext(connection) as lookup:
        assert response_for_resume(collector=collector, token=token) == in_progress
    assert "response_resume" in plan_of(lookup.captured_queries[-1]["sql"])


def test_quality_flags_mark_speeders_straight_liners_and_duplicates(collector):
    from survey.answering import compiled_for, quality_flags

    round_ = collector.round
    completed_responses(collector, 6, tag="Q", duration_seconds=600, ip_hash="abc")
    fresh = Response(round=round_, version=round_.version, collector=collector, ip_hash="abc")
    compiled = compiled_for(round_.version)
    assert quality_flags(response=fresh, answers={"age": 3}, compiled=compiled, duration=60) == [
        "speeder",
        "duplicate",
    ]
    assert quality_flags(response=fresh, answers={"age": 99}, compiled=compiled, duration=500) == []


def test_the_same_answers_from_the_same_connection_are_flagged_as_a_likely_duplicate(collector):
    for _attempt in range(2):
        browser = Client()
        start(browser, collector)
        for page in (PAGE_1, PAGE_2, PAGE_3):
            browser.post(page_url(collector), page)
    first, second = Response.objects.order_by("submitted_at")
    assert first.fingerprint and first.fingerprint == second.fingerprint
    assert "duplicate" not in first.quality_flags
    assert "duplicate" in second.quality_flags


def test_straight_lining_on_a_matrix_is_flagged(collector):
    from survey.answering import quality_flags
    from survey.demo import demo_survey_dict
    from survey.logic import compile_survey

    compiled = compile_survey(demo_survey_dict())  # bio_values has four rows
    same = {f"bio_values_{row}": "3" for row in ("health", "economy", "intrinsic", "culture")}
    fresh = Response(round=collector.round, version=collector.round.version, collector=collector)
    assert quality_flags(response=fresh, answers=same, compiled=compiled, duration=300) == [
        "straight_lining"
    ]
    varied = {**same, "bio_values_culture": "5"}
    assert quality_flags(response=fresh, answers=varied, compiled=compiled, duration=300) == []


def test_a_question_revealed_by_an_answer_on_the_same_page_is_shown_before_moving_on(
    client, collector
):
    start(client, collector)
    first = client.post(page_url(collector), PAGE_1)
    # Without JavaScript the follow-up waits hidden on page 2 ...
    assert re.search(r'id="q-meaning"[^>]* hidden>', first.content.decode())
    without_meaning = {k: v for k, v in PAGE_2.items() if k != "meaning"}
    page = client.post(page_url(collector), without_meaning)
    # ... and the page comes back once to show it, the choice kept.
    assert shown_page(page) == 2
    assert re.search(r'id="q-meaning"[^>]*>', page.content.decode()).group(0).endswith('">')
    assert Response.objects.get().answers["aware"] == "heard_know"
    client.post(page_url(collector), {**without_meaning, "meaning": "Life"})
    assert Response.objects.get().page == 3


def welcome_with_a_sum(client, collector):
    """The welcome page of a collector that asks a small sum: (page, entry, a, b, token)."""
    collector.challenge = True
    collector.save()
    entry = reverse("respond:entry", args=[collector.token])
    page = client.get(entry)
    html = page.content.decode()
    a, b = map(int, re.search(r"what is (\d+) \+ (\d+)\?", html).groups())
    token = re.search(r'name="challenge_token" value="([^"]+)"', html).group(1)
    return page, entry, a, b, token


def test_a_collector_can_ask_a_small_sum_to_keep_robots_out(client, collector):
    page, entry, a, b, token = welcome_with_a_sum(client, collector)
    wrong = client.post(
        entry,
        {"consent": "yes", "nonce": "x1", "challenge_token": token, "challenge": str(a + b + 1)},
    )
    assert wrong.status_code == 200
    assert "small sum" in wrong.content.decode()
    assert not Response.objects.exists()
    forged = client.post(
        entry, {"consent": "yes", "nonce": "x2", "challenge_token": "forged", "challenge": "5"}
    )
    assert forged.status_code == 200
    nonce = nonce_of(page)
    right = {"consent": "yes", "nonce": nonce, "challenge_token": token, "challenge": str(a + b)}
    assert shown_page(client.post(entry, right)) == 1
    assert shown_page(client.post(entry, right)) == 1  # a double click: the same start
    assert Response.objects.count() == 1
    # A solved sum opens one start: sent again with another start, it is refused.
    again = Client().post(entry, {**right, "nonce": nonce_of(Client().get(entry))})
    assert "small sum" in again.content.decode()
    assert Response.objects.count() == 1


@pytest.mark.parametrize("digits", ["0123456789", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９"])
def test_the_small_sum_may_be_answered_in_the_digits_of_ones_keyboard(client, collector, digits):
    # An Arabic keyboard types ١٢, a Chinese input method often full-width １２.
    page, entry, a, b, token = welcome_with_a_sum(client, collector)
    typed = "".join(digits[int(d)] for d in str(a + b))
    sent = {"consent": "yes", "nonce": nonce_of(page), "challenge_token": token}
    assert shown_page(client.post(entry, {**sent, "challenge": f" {typed} "})) == 1
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    "age, spend",
    [
        ("٣٠", "١٢٫٥"),  # an Arabic keyboard: its digits and decimal separator
        ("３０", "１２．５"),  # a Chinese input method in full width
        ("30", "12,5"),  # a decimal comma
    ],
)
def test_numbers_are_read_as_the_respondents_keyboard_types_them(client, collector, age, spend):
    start(client, collector)
    client.post(page_url(collector), {**PAGE_1, "age": age})
    client.post(page_url(collector), PAGE_2)
    client.post(page_url(collector), {**PAGE_3, "spend": spend})
    answers = Response.objects.get().answers
    assert (answers["age"], answers["spend"]) == (30, 12.5)


def test_a_full_width_minus_is_still_below_the_minimum(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    client.post(page_url(collector), PAGE_2)
    page = client.post(page_url(collector), {**PAGE_3, "spend": "－５"})
    assert "Enter a number of at least 0." in page.content.decode()
    assert 'value="－５"' in page.content.decode()  # kept as typed, to correct
    assert "spend" not in Response.objects.get().answers


def test_a_follow_up_the_phone_already_showed_is_not_shown_again_when_left_empty(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    without_meaning = {k: v for k, v in PAGE_2.items() if k != "meaning"}
    # respond.js names the follow-ups that were on screen when the page was sent.
    page = client.post(page_url(collector), {**without_meaning, "live-shown": "meaning"})
    assert shown_page(page) == 3
    stored = Response.objects.get()
    assert stored.page == 3 and "meaning" not in stored.answers


def test_a_forged_list_of_shown_follow_ups_changes_nothing_but_the_round_trip(client, collector):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    forged = {
        **PAGE_2,
        "aware": "heard_only",
        "live-shown": "meaning age nothing " + "x" * 1_000_000,
    }
    page = client.post(page_url(collector), forged)
    assert shown_page(page) == 3
    stored = Response.objects.get()
    # The hidden follow-up's answer is dropped whatever the form says was shown.
    assert stored.answers["aware"] == "heard_only" and "meaning" not in stored.answers
    assert stored.answers["age"] == 30


def test_a_form_sent_for_a_later_page_cannot_finish_with_required_answers_missing(
    client, collector
):
    # Page 2's form, posted by hand (or from an old tab) right after the consent: with no
    # age given, page 3 is hidden and page 2 is the last. The response stays open and the
    # person is sent to the first page left unanswered.
    start(client, collector)
    skipped = client.post(page_url(collector), PAGE_2)
    assert shown_page(skipped) == 1
    html = skipped.content.decode()
    assert 'id="error-summary"' in html
    assert html.count("Please answer") == 2  # age's own message: in the summary and beside it
    response = Response.objects.get()
    assert response.status == ResponseStatus.IN_PROGRESS
    assert response.answers["aware"] == "heard_know"  # what was sent is kept
    # Answering the pages in turn then finishes, with everything given.
    assert shown_page(client.post(page_url(collector), PAGE_1)) == 2
    assert shown_page(client.post(page_url(collector), PAGE_2)) == 3
    done = client.post(page_url(collector), PAGE_3)
    assert thank_you_address(done) == reverse("respond:done", args=[collector.token])
    response.refresh_from_db()
    assert response.status == ResponseStatus.COMPLETE
    assert response.answers["age"] == 30 and response.answers["comment"] == "Thanks"


def test_a_page_asked_for_by_the_history_is_shown_up_to_the_first_one_needing_an_answer(
    client, collector
):
    # The browser's back and forward buttons ask for a page by number (?p=).
    start(client, collector)
    url = page_url(collector)
    assert shown_page(client.get(url + "?p=2")) == 1  # page 1's required age is missing
    client.post(url, PAGE_1)
    assert shown_page(client.get(url + "?p=1")) == 1
    assert shown_page(client.get(url + "?p=2")) == 2
    # Page 2 asks nothing required: "Next" would reach page 3, so the history may too.
    assert shown_page(client.get(url + "?p=3")) == 3
    for forged in ("0", "-1", "4", "x", "9" * 50):  # page 3 is the last
        assert shown_page(client.get(url + f"?p={forged}")) == 2
    back = client.get(url + "?p=1")
    assert 'value="30"' in back.content.decode()  # with its answers
    assert Response.objects.get().page == 2  # looking changes nothing


def test_a_browser_running_no_script_reads_each_sent_page_back_with_a_get(client, collector):
    """Back and reload then work without script: no entry of the history is a POST's answer."""
    entry = reverse("respond:entry", args=[collector.token])
    url = page_url(collector)
    welcome = client.get(entry + "?lang=fr")
    assert 'name="no-script"' in welcome.content.decode()  # respond.js takes it out
    plain = {"no-script": "1"}
    started = client.post(
        entry, {"consent": "yes", "nonce": nonce_of(welcome), "lang": "fr", **plain}
    )
    assert started.status_code == 302 and started["Location"] == f"{url}?lang=fr&p=1"
    first = client.get(started["Location"])
    assert shown_page(first) == 1 and 'name="no-script"' in first.content.decode()
    # A page with an error is read with a GET too, with the error and what was typed.
    wrong = client.post(url, {**PAGE_1, "age": "12", **plain})
    assert wrong.status_code == 302 and "&p=1&typed=" in wrong["Location"]
    for _read in range(2):  # and again, with Back or reload
        shown = client.get(wrong["Location"])
        assert shown_page(shown) == 1
        assert all(s in shown.content.decode() for s in ('value="12"', "error-summary", "16 ans"))
    forged = client.get(f"{url}?lang=fr&p=1&typed=forged").content.decode()
    assert "error-summary" not in forged  # an unknown key: the page as saved
    sent = client.post(url, {**PAGE_1, **plain})
    assert sent.status_code == 302 and sent["Location"] == f"{url}?lang=fr&p=2"
    # Corrected and saved since: Back to the page with the error shows it as saved now.
    back_to_error = client.get(wrong["Location"]).content.decode()
    assert "error-summary" not in back_to_error and 'value="30"' in back_to_error
    # A follow-up shown by a choice: the page is read again, the choice kept.
    without_meaning = {k: v for k, v in PAGE_2.items() if k != "meaning"}
    again = client.post(url, {**without_meaning, **plain})
    assert again["Location"] == f"{url}?lang=fr&p=2"
    shown = client.get(again["Location"]).content.decode()
    assert re.search(r'id="q-meaning"[^>]*>', shown).group(0).endswith('">')
    assert '<option value="heard_know" selected>' in shown
    back = client.post(url, {**PAGE_2, BACK_BUTTON: "1", **plain})
    assert back["Location"] == f"{url}?lang=fr&p=1"
    assert client.post(url, {**PAGE_1, **plain})["Location"] == f"{url}?lang=fr&p=2"
    assert client.post(url, {**PAGE_2, **plain})["Location"] == f"{url}?lang=fr&p=3"
    done = client.post(url, {**PAGE_3, **plain})
    assert done["Location"] == reverse("respond:done", args=[collector.token])
    response = Response.objects.get()
    assert (
        response.status == ResponseStatus.COMPLETE
        and response.answers["meaning"] == "Variety of life"
    )


def test_without_script_or_cookies_the_address_read_back_carries_the_state(collector):
    """An embedded survey in a browser that keeps no cookie and runs no script."""
    browser = Client()
    entry = reverse("respond:entry", args=[collector.token])
    welcome = browser.get(entry)
    browser.cookies.clear()
    started = browser.post(entry, {"consent": "yes", "nonce": nonce_of(welcome), "no-script": "1"})
    assert "&p=1&state=" in started["Location"]
    browser.cookies.clear()
    first = browser.get(started["Location"])
    # Its language links carry the state too, to the page's own address.
    french = re.search(r'href="([^"]*&amp;lang=fr)"', first.content.decode()).group(1)
    assert french.startswith(f"{page_url(collector)}?state=")
    browser.cookies.clear()
    assert shown_page(browser.get(unescape(french))) == 1
    assert Response.objects.get().language == "fr"
    browser.cookies.clear()
    sent = browser.post(
        page_url(collector), {**PAGE_1, STATE_FIELD: state_of(first), "no-script": "1"}
    )
    assert "&p=2&state=" in sent["Location"]
    browser.cookies.clear()
    browser.cookies.clear()
    second = browser.get(sent["Location"])
    assert shown_page(second) == 2
    assert Response.objects.get().answers["age"] == 30
    # "Delete my answers" carries it too, and so does the page that asks first.
    stop = re.search(r'href="([^"]*/stop/[^"]*)"', second.content.decode()).group(1)
    assert stop.startswith(f"{reverse('respond:stop', args=[collector.token])}?state=")
    browser.cookies.clear()
    asked = browser.get(unescape(stop))
    browser.cookies.clear()
    browser.post(unescape(stop), {STATE_FIELD: state_of(asked)})
    assert not Response.objects.exists()


@pytest.mark.parametrize(("lang", "separator"), [("en", ": "), ("fr", " : ")])
def test_the_error_summary_names_each_question_it_lists(client, collector, lang, separator):
    """Two "This question needs an answer." links side by side tell nobody where to go."""
    start(client, collector, lang=lang)
    page = client.post(page_url(collector), {PAGE_FIELD: "1", "day": "2040-01-01"}).content.decode()
    summary = page.split('id="error-summary"')[1].split("</ul>")[0]
    item = r'<li><a href="#q-([^"]+)"><span><span class="summary-question">([^<]*)</span><span[^>]*>([^<]*)</span>'
    items = re.findall(item, summary)
    assert len(items) >= 2 and items[0][0] == "age"
    assert len({question for _code, question, _message in items}) == len(items)
    for code, question, message in items:
        assert question and unescape(question) in unescape(page.split(f'id="q-{code}"')[1])
        assert message.startswith(separator)


@pytest.mark.parametrize(
    ("lang", "named"),
    # A question ending in a question mark takes no colon after it.
    [
        ("zh-Hans", "您听说过“生物多样性”这个词吗？ 此问题需要作答。"),
        ("ar", "هل سمعت من قبل بكلمة «التنوع البيولوجي»؟ "),
    ],
)
def test_the_error_summary_names_the_question_in_chinese_and_arabic(client, agency, lang, named):

    version = demo_survey_load(agency=agency).versions.get()  # published already
    demo = fieldwork.round_create(version=version, label="Demo").collectors.get()
    start(client, demo, lang=lang)
    page = client.post(page_url(demo), {PAGE_FIELD: "1"}).content.decode()
    summary = unescape(
        re.sub(r"<[^>]+>", "", page.split('id="error-summary"')[1].split("</ul>")[0])
    )
    assert named in summary


def _as_a_browser_sends(page, answers: list[tuple[str, str]], button: str) -> str:
    """The page's form as a browser sends it: its hidden fields in the page's order, then
    the answers, then the button pressed (only that one)."""
    form = re.search(r"<form[^>]*>(.*?)</form>", page.content.decode(), re.S).group(1)
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    pressed = re.search(rf'<button type="submit" name="([^"]+)" value="1"[^>]*>{button}<', form)
    fields = [(name, unescape(value)) for name, value in hidden]
    return urlencode([*fields, *answers, (pressed.group(1), "1")])


def test_questions_coded_like_the_forms_own_fields_keep_their_answers(agency):
    # A federal country asks "Which state do you live in?" and codes it `state`; others
    # code questions `page`, `next`, `back` or `later`. The page's own fields had those
    # names: the answer replaced the form's signed state (a refused form, 403), an
    # empty question took the page number as its answer, an answer pressed "Back".
    data = survey_dict(
        q("state", "single", choice_list="states", required=True),
        q("page", "integer"),
        q("next", "single", choice_list="yes_no"),
        q("back", "single", choice_list="yes_no"),
        q("later", "text"),
        lists=[
            {"name": "states", "choices": [choice("lagos"), choice("kano")]},
            {"name": "yes_no", "choices": [choice("yes"), choice("no")]},
        ],
    )
    data["sections"].append(
        {"code": "page_2", "title": {}, "relevance": "", "questions": [q("last", "text")]}
    )
    version = services.survey_publish(
        version=survey_from_dict(data, agency=agency, by=None), by=None
    )
    collector = fieldwork.round_create(version=version, label="States").collectors.get()
    browser = Client(enforce_csrf_checks=True)  # as strict as a real browser
    first = start_page(browser, collector)
    answers = [("state", "kano"), ("next", "no"), ("back", "yes"), ("later", "Tomorrow")]
    sent = browser.post(
        page_url(collector),
        _as_a_browser_sends(first, answers, "Next"),
        content_type="application/x-www-form-urlencoded",
        follow=True,  # the form's no-script field: a browser running no script, redirected
    )
    assert shown_page(sent) == 2
    response = Response.objects.get()
    assert response.answers == {"state": "kano", "next": "no", "back": "yes", "later": "Tomorrow"}
    # Back from page 2 is Back, whatever the questions are called; "page" answered now.
    back = browser.post(
        page_url(collector),
        _as_a_browser_sends(sent, [("last", "Thanks")], "Back"),
        content_type="application/x-www-form-urlencoded",
        follow=True,
    )
    assert shown_page(back) == 1
    again = browser.post(
        page_url(collector),
        _as_a_browser_sends(back, [*answers, ("page", "12")], "Next"),
        content_type="application/x-www-form-urlencoded",
        follow=True,
    )
    assert shown_page(again) == 2
    response.refresh_from_db()
    assert response.answers["page"] == 12 and response.answers["last"] == "Thanks"


def test_a_page_loaded_before_the_upgrade_that_renamed_its_fields_is_still_taken(collector):
    # Open on a phone while the platform was upgraded, sent after: its fields have the
    # old names (state, page, next). It goes on, instead of a refusal about cookies.
    browser = Client(enforce_csrf_checks=True)
    first = start_page(browser, collector)
    state = re.search(rf'name="{STATE_FIELD}" value="([^"]+)"', first.content.decode())[1]
    old_form = {k: v for k, v in PAGE_1.items() if k != PAGE_FIELD}
    sent = browser.post(page_url(collector), {**old_form, "state": state, "page": "1", "next": "1"})
    assert shown_page(sent) == 2
    assert Response.objects.get().answers["region"] == "coast"
    back = browser.post(page_url(collector), {"state": state, "page": "2", "back": "1"})
    assert shown_page(back) == 1
