"""Whatever a robot or a broken browser sends to a public address, the answer is a page.

Each field and parameter of the answering flow, the deletion page and the
invitation links gets values no form sends: a NUL (PostgreSQL refuses it in any
query), numbers too large for the database, other scripts' digits, impossible
dates, markup and very long text. None may end in a server error; a person who
mistyped gets a message instead.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from survey.logic import BACK_BUTTON, PAGE_FIELD, STATE_FIELD
from tests.survey.test_answering import PAGE_1, PAGE_2, PAGE_3, page_url, start

pytestmark = [
    pytest.mark.django_db,
    # A cache key Redis would take but memcached not: junk put into a key as it came.
    pytest.mark.filterwarnings("error::django.core.cache.backends.base.CacheKeyWarning"),
]

JUNK = [
    "",
    " ",
    "\x00",
    "4F09\x00C2A71B",
    "9" * 40,
    "-1",
    "1e9",
    "NaN",
    "inf",
    "٣",
    "１",
    "2026-13-45",
    "99999-01-01",
    "[]",
    "<script>x</script>",
    "%00",
    "x" * 5000,
]


def _server_errors(client: Client, requests: list[tuple[str, str, dict]]) -> list:
    failed = []
    for method, url, data in requests:
        answer = getattr(client, method)(url, data)
        if answer.status_code >= 500:
            failed.append((method, url, data, answer.status_code))
    return failed


def _segment(junk: str) -> str:
    """The junk as one part of an address, as a browser would send it."""
    return quote(junk or "x", safe="")


@pytest.fixture
def browser(settings) -> Client:
    """A browser whose server errors come back as pages (as a real one would see them).

    It sends more pages a minute than the rate limit lets through, which would
    answer them all with the same refusal, whatever they hold.
    """
    settings.RESPONDENT_RATE_LIMITS = {"save": (10**6, 60)}
    return Client(raise_request_exception=False)


def test_the_welcome_page_and_the_consent_take_any_junk(browser, collector):
    entry = reverse("respond:entry", args=[collector.token])
    requests = []
    for junk in JUNK:
        requests += [
            ("get", entry, {"lang": junk, "state": junk}),
            ("post", entry, {"consent": junk, "nonce": junk, "lang": junk}),
            ("post", entry, {"consent": "yes", "challenge": junk, "challenge_token": junk}),
        ]
    assert _server_errors(browser, requests) == []


def test_the_form_fields_of_a_page_take_any_junk(browser, collector):
    start(browser, collector)
    url = page_url(collector)
    requests = []
    for junk in JUNK:
        requests += [
            ("get", url, {"p": junk, "lang": junk, "typed": junk, "state": junk}),
            ("post", url, {**PAGE_1, PAGE_FIELD: junk}),
            ("post", url, {**PAGE_1, STATE_FIELD: junk}),
            ("post", url, {**PAGE_1, BACK_BUTTON: junk, "live-shown": junk}),
        ]
    assert _server_errors(browser, requests) == []


@pytest.mark.parametrize(("number", "answers"), [(1, PAGE_1), (2, PAGE_2), (3, PAGE_3)])
def test_every_answer_takes_any_junk(settings, collector, number, answers):
    # Each value goes to a respondent of its own (the last page, once sent, is done),
    # all from one address: more starts than the limit lets through without a sum.
    settings.RESPONDENT_RATE_LIMITS = {"save": (10**6, 60), "start": (10**6, 3600)}
    failed = []
    for field in answers:
        if field == PAGE_FIELD:
            continue
        for junk in JUNK:
            browser = Client(raise_request_exception=False)
            start(browser, collector)
            for earlier in (PAGE_1, PAGE_2)[: number - 1]:
                browser.post(page_url(collector), earlier)
            failed += _server_errors(
                browser, [("post", page_url(collector), {**answers, field: junk})]
            )
    assert failed == []


def test_the_continue_later_resume_and_thank_you_addresses_take_any_junk(browser, collector):
    start(browser, collector)
    requests = []
    for junk in JUNK:
        requests += [
            ("post", reverse("respond:later", args=[collector.token]), {"email": junk}),
            ("get", f"/r/{collector.token}/resume/{_segment(junk)}/", {}),
            ("get", reverse("respond:done", args=[collector.token]), {"lang": junk}),
            ("get", reverse("respond:stop", args=[collector.token]), {"lang": junk}),
            ("get", reverse("respond:stop", args=[collector.token]), {"state": junk}),
        ]
    assert _server_errors(browser, requests) == []


def test_a_receipt_code_of_any_shape_gets_a_message_not_an_error(browser, collector):
    # "4F09\x00C2A71B": a NUL in the code went to PostgreSQL, which refused the query.
    url = reverse("respond:withdraw")
    page = browser.post(url, {"code": "4F09\x00C2A71B"}).content.decode()
    assert "No answers match this code." in page
    # (Past ten tries an hour the address is refused with a page of its own.)
    assert _server_errors(browser, [("post", url, {"code": junk}) for junk in JUNK]) == []


def test_invitation_and_stop_links_take_any_junk(browser, db):
    requests = []
    for junk in JUNK:
        requests += [
            ("get", f"/i/{_segment(junk)}/", {}),
            ("get", f"/i/stop/{_segment(junk)}/", {}),
            ("post", f"/i/stop/{_segment(junk)}/", {}),
        ]
    assert _server_errors(browser, requests) == []
