"""A refused form or request gets a page in the person's language that says what to do next."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from survey import selectors
from survey.refusal_views import server_error
from tests.survey.test_answering import start

pytestmark = pytest.mark.django_db


def _csrf_token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


@pytest.mark.parametrize(
    ("lang", "title"),
    [("fr", "Ce formulaire n’a pas pu être envoyé"), ("ar", "تعذّر إرسال هذا النموذج")],
)
def test_a_form_left_open_while_signing_in_elsewhere_says_how_to_send_it_again(lang, title):
    browser = Client(enforce_csrf_checks=True)
    with translation.override(lang):
        login = reverse("account_login")
    form = browser.get(login)
    stale = _csrf_token(form)
    browser.get(login)  # another tab: the token is renewed (as signing in does)
    browser.cookies["csrftoken"] = "x" * 32
    refused = browser.post(
        login,
        {"csrfmiddlewaretoken": stale, "login": "a@example.org", "password": "secret"},
        HTTP_REFERER=f"http://testserver{login}",
    )
    html = refused.content.decode()
    assert refused.status_code == 403
    assert f"<h1>{title}</h1>" in html
    assert f'<html lang="{lang}"' in html
    assert f'href="http://testserver{login}"' in html  # back to the form
    assert "CSRF" not in html


def test_a_browser_without_the_cookie_is_told_to_allow_it(client):
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post(reverse("account_login"), {"login": "a@example.org"})
    assert refused.status_code == 403
    assert "Allow cookies for this site" in refused.content.decode()


def test_a_link_back_is_offered_only_to_a_page_of_this_site(client):
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post(
        reverse("account_login"), {}, HTTP_REFERER="https://elsewhere.example/phish"
    )
    assert "elsewhere.example" not in refused.content.decode()


def test_a_page_far_larger_than_any_form_sends_is_refused_in_the_respondents_language(
    collector,
):
    browser = Client(HTTP_ACCEPT_LANGUAGE="ar")
    page = reverse("respond:page", args=[collector.token])
    fields = "&".join(f"f{n}=1" for n in range(2000))  # Django reads at most 1,000 fields
    refused = browser.generic(
        "POST", page, fields, content_type="application/x-www-form-urlencoded"
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert '<body class="respondent-page">' in html and '<html lang="ar" dir="rtl">' in html
    assert "تعذّرت قراءة هذا الطلب" in html


@pytest.mark.parametrize(
    ("lang", "title", "advice"),
    [
        ("en", "This survey link does not work", "scan the code again"),
        ("zh-hans", "此调查链接无效", "重新扫描二维码"),
        ("ar", "رابط الاستبيان هذا لا يعمل", "امسح الرمز مرة أخرى"),
    ],
)
def test_a_mistyped_survey_link_speaks_to_the_respondent_not_to_staff(lang, title, advice):
    browser = Client(HTTP_ACCEPT_LANGUAGE=lang)
    for address in ("/r/demo-public-lin/", "/r/demo-public-lin/page/", "/r/demo-public-lin/done/"):
        missing = browser.get(address, follow=True)
        html = missing.content.decode()
        assert missing.status_code == 404
        assert re.search(f"<h1[^>]*>{title}</h1>", html) and advice in html
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
        assert reverse("account_login") not in html  # a respondent's page: no staff sign-in
        assert missing["Cache-Control"] == "no-store, private"
    with translation.override(lang):
        staff_page = browser.get(reverse("accounts:home") + "no-such-page/")
    assert staff_page.status_code == 404 and title not in staff_page.content.decode()


def test_a_respondents_refused_form_gets_a_respondents_page(collector):
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ar")
    entry = reverse("respond:entry", args=[collector.token])
    browser.get(entry)
    refused = browser.post(entry, {"consent": "yes", "nonce": "forged"})
    html = refused.content.decode()
    assert refused.status_code == 403
    assert '<body class="respondent-page">' in html and '<html lang="ar" dir="rtl">' in html
    assert "تعذّر إرسال هذا النموذج" in html
    assert reverse("account_login") not in html  # no staff sign-in on a respondent's page
    assert refused["Cache-Control"] == "no-store, private"


def test_a_page_that_fails_to_load_offers_the_respondent_to_load_it_again(
    client, collector, monkeypatch
):
    """While the database restarts, say: the survey's layout, their language, one button."""
    start(client, collector)
    client.raise_request_exception = False
    page = reverse("respond:page", args=[collector.token]) + "?lang=ar&p=1"

    def away(**kwargs):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr(selectors, "response_with_collector", away)
    failed = client.get(page)
    html = failed.content.decode()

    assert failed.status_code == 500
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="respondent-page"' in html  # no staff header, no sign-in
    with translation.override("ar"):
        assert translation.gettext("Load the page again") in html
        assert translation.gettext("Load the page again") != "Load the page again"
    assert f'href="{page.replace("&", "&amp;")}"' in html


def test_staff_pages_keep_djangos_bare_error_page(rf):
    failed = server_error(rf.get("/en/surveys/1/"))
    assert failed.status_code == 500
    assert "Something went wrong" in failed.content.decode()
    assert "respondent-page" not in failed.content.decode()
