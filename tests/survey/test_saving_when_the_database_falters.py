"""A respondent whose page the database could not take loses nothing: the page sends it again.

A locked SQLite file, a PostgreSQL restart or failover, a dropped connection:
the form comes back holding everything that was posted, behind one button.
"""

from __future__ import annotations

import logging
import re
from html import unescape

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from survey import answering, selectors
from survey.models import Response
from tests.survey.test_answering import (
    PAGE_1,
    PAGE_2,
    nonce_of,
    page_url,
    shown_page,
    start,
)

pytestmark = pytest.mark.django_db


def fails_once(monkeypatch, module, name: str, error: Exception) -> None:
    """The database refuses the first call of `module.name`, then works again."""
    real = getattr(module, name)
    calls = []

    def once(*args, **kwargs):
        calls.append(name)
        if len(calls) == 1:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, once)


def held_form(page) -> tuple[str, dict[str, list[str]]]:
    """Where the page's form sends what it holds, and what it holds."""
    html = page.content.decode()
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', html)[1])
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        fields.setdefault(unescape(name), []).append(unescape(value))
    return action, fields


def test_a_page_the_database_could_not_save_comes_back_to_be_sent_again(
    client, collector, monkeypatch, caplog
):
    start(client, collector, lang="ar")
    fails_once(monkeypatch, answering, "response_save_page", OperationalError("database is locked"))

    with caplog.at_level(logging.ERROR, logger="survey.respond_views"):
        held = client.post(page_url(collector) + "?lang=ar", PAGE_1)

    assert held.status_code == 503
    assert held["Cache-Control"] == "no-store, private"  # it holds answers
    html = held.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    with translation.override("ar"):
        assert gettext("Send again") in html
        assert gettext("Send again") != "Send again"
    action, fields = held_form(held)
    assert action == page_url(collector) + "?lang=ar"
    for name, value in PAGE_1.items():
        assert fields[name] == [value]
    assert "age" not in Response.objects.get().answers  # nothing was saved
    assert "database is locked" in caplog.text  # the error is recorded for the agency's admin

    assert shown_page(client.post(action, fields)) == 2
    assert Response.objects.get().answers["age"] == 30


def test_a_start_the_database_could_not_take_starts_once_when_sent_again(
    client, collector, monkeypatch
):
    entry = reverse("respond:entry", args=[collector.token])
    nonce = nonce_of(client.get(entry + "?lang=fr"))
    fails_once(monkeypatch, answering, "response_start", OperationalError("server closed"))

    held = client.post(entry, {"consent": "yes", "nonce": nonce, "lang": "fr"})

    assert held.status_code == 503
    assert '<html lang="fr"' in held.content.decode()
    action, fields = held_form(held)
    assert fields["nonce"] == [nonce] and fields["consent"] == ["yes"]
    assert not Response.objects.exists()
    assert shown_page(client.post(action, fields)) == 1
    assert shown_page(client.post(action, fields)) == 1  # the same start, not a second one
    assert Response.objects.count() == 1


def test_when_the_response_cannot_even_be_read_the_page_is_still_kept(
    client, collector, monkeypatch
):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    fails_once(monkeypatch, selectors, "response_with_collector", InterfaceError("connection lost"))

    held = client.post(page_url(collector) + "?lang=en", PAGE_2)

    assert held.status_code == 503
    assert "Not saved yet" in held.content.decode()
    action, fields = held_form(held)
    assert shown_page(client.post(action, fields)) == 3
    assert Response.objects.get().answers["meaning"] == "Variety of life"


def test_what_was_typed_comes_back_exactly_and_harmless(client, collector, monkeypatch):
    start(client, collector)
    client.post(page_url(collector), PAGE_1)
    typed = '"><script>alert(1)</script> & é 生物 \u202eltr'
    fails_once(monkeypatch, answering, "response_save_page", OperationalError("busy"))

    held = client.post(page_url(collector) + "?lang=en", {**PAGE_2, "meaning": typed})

    assert "<script>alert(1)" not in held.content.decode()
    action, fields = held_form(held)
    assert fields["meaning"] == [typed]
    client.post(action, fields)
    assert Response.objects.get().answers["meaning"] == typed


def test_a_deletion_asked_while_the_database_is_away_is_kept_too(client, collector, monkeypatch):
    start(client, collector)
    response = Response.objects.get()
    withdraw = reverse("respond:withdraw")
    nonce = nonce_of(client.get(withdraw + "?lang=es"))
    fails_once(monkeypatch, answering, "response_withdraw", OperationalError("read-only"))

    held = client.post(withdraw + "?lang=es", {"nonce": nonce, "code": response.receipt_code})

    assert held.status_code == 503
    assert '<html lang="es"' in held.content.decode()
    action, fields = held_form(held)
    assert fields["code"] == [response.receipt_code]
    client.post(action, fields)
    assert not Response.objects.exists()


def test_mistakes_of_ours_and_failed_reads_keep_the_error_page(client, collector, monkeypatch):
    """Only a form is held: a broken query is a bug to see, and a page read loses nothing."""
    start(client, collector)
    fails_once(monkeypatch, answering, "response_save_page", IntegrityError("a bug"))
    with pytest.raises(IntegrityError):
        client.post(page_url(collector), PAGE_1)

    fails_once(monkeypatch, selectors, "response_with_collector", OperationalError("away"))
    with pytest.raises(OperationalError):
        client.get(page_url(collector) + "?p=1")


def test_a_link_opened_while_the_database_is_away_shows_its_welcome_page(
    client, collector, monkeypatch, settings
):
    # A failover of a few seconds met whoever opened the link then with an error page,
    # once this process's copy of the link was older than LINK_CACHE_SECONDS.
    entry = reverse("respond:entry", args=[collector.token])
    assert client.get(entry + "?lang=fr").status_code == 200  # the link read once
    settings.LINK_CACHE_SECONDS = 0

    def away(*args, **kwargs):
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(selectors._COLLECTOR_LOADER, "load", away)
    welcome = Client().get(entry + "?lang=fr")
    assert welcome.status_code == 200
    assert 'name="consent"' in welcome.content.decode()
    # A link this process never read cannot be shown: that is still the error page.
    selectors.forget_links()
    with pytest.raises(OperationalError):
        Client().get(entry)
