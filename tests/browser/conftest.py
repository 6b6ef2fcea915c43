"""Playwright driving Debian's Chromium against pytest-django's live server.

Browser tests never skip: without Chromium they fail with a message saying how
to get it (`make test` installs it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make chromium` (apt-get install chromium) "
            "or set CHROMIUM_PATH.",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls made
    # by test set-up are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _refused_by_the_pages_policy(page: Page) -> list[str]:
    """What the browser refused under a page's Content-Security-Policy, as it says so.

    Respondent pages send one (survey.respond_views.RESPONDENT_CSP): a script,
    style or form it blocks would leave a page half working, with nothing but
    this console line to say why.
    """
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, is_mobile=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    refused = _refused_by_the_pages_policy(page)
    yield page
    context.close()
    assert refused == []


@pytest.fixture
def phone_without_javascript(browser: Browser, live_server) -> Iterator[Page]:
    """A phone whose browser runs no script (switched off, or too old for ours)."""
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    refused = _refused_by_the_pages_policy(page)
    yield page
    context.close()
    assert refused == []


@pytest.fixture
def desktop(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
