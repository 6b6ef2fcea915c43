"""Every page speaks the six UN languages, with the right direction and a switcher."""

from __future__ import annotations

import re

import pytest

from tests.conftest import UI_LANGUAGES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_the_home_page_is_served_in_each_language_with_lang_and_dir(client, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    # The switcher offers the five other languages as links to this same page.
    links = re.findall(r'<a href="/([a-z-]+)/" hreflang="\1"', html)
    assert sorted(links) == sorted(code for code in UI_LANGUAGES if code != lang)


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("en", "How aware are people of biodiversity?"),
        ("ar", "ما مدى وعي الناس بالتنوع البيولوجي؟"),
        ("zh-hans", "公众对生物多样性的认识程度如何？"),
        ("fr", "Dans quelle mesure le public connaît-il la biodiversité ?"),
        ("ru", "Насколько люди осведомлены о биоразнообразии?"),
        ("es", "¿Cuánto sabe la gente sobre la biodiversidad?"),
    ],
)
def test_the_home_page_text_is_translated(client, lang, heading):
    assert heading in client.get(f"/{lang}/").content.decode()


def test_the_bare_root_sends_visitors_to_their_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response["Location"] == "/zh-hans/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Location"] == "/en/"


def test_every_page_has_landmarks_and_a_skip_link(client):
    html = client.get("/en/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert "<footer" in html
    assert 'aria-label="Language"' in html


def test_pages_make_no_outside_requests(client):
    html = client.get("/en/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_the_not_found_page_is_translated(client, lang):
    response = client.get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    assert f'lang="{lang}"' in response.content.decode()
