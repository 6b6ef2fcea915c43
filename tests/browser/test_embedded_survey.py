"""A ministry puts the survey on its own website with the embed snippet; people answer inside it.

Inside another site's page the browser keeps no cookie of the survey's own
(SameSite rules in every browser; Safari blocks all such cookies), so the
answering flow must work without any.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from survey import fieldwork
from survey.models import Collector, Response, ResponseStatus
from tests.browser.test_answering_browser import _survey_with_a_constraint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ministry_site() -> Iterator[tuple[str, dict[str, str]]]:
    """Another website on this machine ("localhost", another port), serving one page.

    A real server, not a page made up by the browser test: Chromium refuses to
    let a page of unknown address frame a loopback one.
    """
    page: dict[str, str] = {"html": ""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page["html"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}/biodiversity", page
    server.shutdown()
    server.server_close()


@pytest.fixture
def embedded(
    browser, live_server, agency, settings, ministry_site
) -> Iterator[tuple[Collector, str, Callable[..., Page]]]:
    """(collector, the survey's site, open): open(around, query) shows on a phone the
    ministry's page `around`, whose "{snippet}" is the snippet as the round page gives it."""
    collector = _survey_with_a_constraint(agency)
    # Two sites: the ministry's at "localhost", the survey's at "127.0.0.1".
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    survey_site = live_server.url.replace("localhost", "127.0.0.1")
    host, served = ministry_site
    contexts = []

    def open_page(around: str, query: str = "", title: str = "Survey") -> Page:
        snippet = fieldwork.embed_snippet(f"{survey_site}/r/{collector.token}/{query}", title)
        served["html"] = around.replace("{snippet}", snippet)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(host)
        return page

    yield collector, survey_site, open_page
    for context in contexts:
        context.close()


def test_a_whole_survey_answered_inside_another_sites_page(embedded):
    collector, survey_site, open_page = embedded
    page = open_page("<!DOCTYPE html><html lang='ar'><body><h1>وزارة</h1>{snippet}</body></html>")
    context = page.context
    survey = page.frame_locator("iframe")
    survey.locator("#consent").check()
    survey.locator("button[type=submit]").click()

    # Page 1, then a change of language in mid-survey: the answers so far stay.
    survey.locator("input[name=bio_heard][value=heard_know]").check()
    survey.locator("textarea[name=bio_meaning]").fill("The variety of life")
    survey.locator("input[name=bio_importance][value=very_important]").check()
    survey.locator("button[name=next-page]").click()
    survey.locator("input[name=bio_informed]").first.wait_for()
    survey.locator("a[hreflang=ar]").click()
    # The same page comes back in Arabic: wait for it, as its fields are those of the last.
    expect(survey.locator("html")).to_have_attribute("dir", "rtl")
    for row in ("health", "economy", "intrinsic", "culture"):
        survey.locator(f"input[name=bio_values__{row}][value='4']").check()
    survey.locator("input[name=bio_informed][value=fairly_well]").check()

    # "Continue later" saves the page and shows a link; "back to the survey" returns
    # to the same page, its answers there.
    survey.locator("button[name=continue-later]").click()
    link = survey.locator("p.card a")
    assert f"/r/{collector.token}/resume/" in link.inner_text()
    survey.locator("a.button").click()
    assert survey.locator("input[name=bio_informed][value=fairly_well]").is_checked()
    # The link itself, followed right there, also comes back to this page.
    survey.locator("button[name=continue-later]").click()
    link.click()
    assert survey.locator("input[name=bio_informed][value=fairly_well]").is_checked()
    survey.locator("button[name=next-page]").click()
    # The back button goes to the page before inside the frame too: its address in the
    # history carries the state, as no cookie does.
    survey.locator("input[name=bio_steps]").first.wait_for()
    frame = page.frames[1]
    assert "state=" in frame.evaluate("location.search")
    frame.evaluate("history.back()")
    expect(survey.locator("input[name=page-number]")).to_have_value("2")
    assert survey.locator("input[name=bio_informed][value=fairly_well]").is_checked()
    frame.evaluate("history.forward()")
    expect(survey.locator("input[name=page-number]")).to_have_value("3")

    survey.locator("input[name=bio_steps][value=plant_native]").check()
    survey.locator("input[name=bio_willing][value=very_willing]").check()
    survey.locator("input[name=bio_sources][value=school]").check()
    survey.locator("button[name=next-page]").click()
    survey.locator("input[name=age_group][value='25_39']").check()
    survey.locator("input[name=birth_year]").fill("1990")
    survey.locator("input[name=sex][value=female]").check()
    survey.locator("input[name=residence][value=urban]").check()
    survey.locator("button[name=next-page]").click()

    receipt = survey.locator(".receipt")
    receipt.wait_for()
    response = Response.objects.get(collector=collector)
    assert response.status == ResponseStatus.COMPLETE
    assert response.receipt_code in html.unescape(receipt.inner_text())
    assert response.language == "ar"
    assert response.answers["bio_meaning"] == "The variety of life"
    assert response.answers["birth_year"] == 1990
    # The awareness moment's links leave the ministry's frame rather than open inside it.
    assert survey.locator(".action-links a").first.get_attribute("target") == "_top"
    # Nothing of the survey's was kept in the browser: the flow did without cookies.
    assert context.cookies(survey_site) == []


FRAME_TOP = "document.querySelector('iframe').getBoundingClientRect().top"


def _frame_fits(page) -> None:
    """Wait until the frame is as tall as the survey page it shows."""
    height = page.frames[1].evaluate("document.documentElement.getBoundingClientRect().height")
    page.wait_for_function(
        "h => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - h) <= 1",
        arg=height,
    )


def test_the_frame_takes_each_pages_height_and_shows_a_new_page_from_its_top(embedded):
    # On a phone a frame of fixed height is a page scrolled inside a page; and after Next
    # at the bottom of a long page the next one began out of sight, above the screen.
    collector, _site, open_page = embedded
    page = open_page(
        "<!DOCTYPE html><html lang='zh-Hans'><body><h1>生态环境部</h1>"
        "<p style='height:400px'>……</p>{snippet}<footer style='height:900px'>……</footer>"
        "</body></html>",
        query="?lang=zh-hans",
        title="调查",
    )
    survey = page.frame_locator("iframe")
    survey.locator("#consent").wait_for()
    _frame_fits(page)
    assert page.evaluate("document.querySelector('iframe').getBoundingClientRect().height") != 720
    survey.locator("#consent").check()
    survey.locator("button[type=submit]").click()

    survey.locator("input[name=bio_heard][value=heard_know]").check()
    survey.locator("textarea[name=bio_meaning]").fill("生命的多样性")
    survey.locator("input[name=bio_importance][value=very_important]").check()
    survey.locator("button[name=next-page]").click()  # scrolled to: the frame's top is far above
    survey.locator("input[name=bio_informed]").first.wait_for()
    page.wait_for_function(f"{FRAME_TOP} > -2 && {FRAME_TOP} < 844")
    _frame_fits(page)
    assert Response.objects.get(collector=collector).page == 2
