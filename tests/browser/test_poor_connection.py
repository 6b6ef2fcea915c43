"""On a phone with a poor connection or little memory, what was typed on a page is not lost
before the page is sent."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from survey.models import Response, ResponseStatus
from tests.browser.test_answering_browser import _consent, _survey_with_a_constraint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFLINE = (
    "You seem to be offline, so nothing was sent. Your answers are still here: send them again "
    "when you are connected."
)


def _page_1_answered(phone, collector, lang: str) -> None:
    _consent(phone, collector, lang)
    phone.check("input[name=bio_heard][value=heard_know]")
    phone.fill("textarea[name=bio_meaning]", "The variety of life")
    phone.check("input[name=bio_importance][value=very_important]")


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans"])
def test_offline_the_page_stays_with_what_was_typed_and_says_why(phone, agency, lang):
    collector = _survey_with_a_constraint(agency)
    _page_1_answered(phone, collector, lang)
    with translation.override(lang):
        said = gettext(OFFLINE)
    assert lang == "en" or said != OFFLINE  # translated

    phone.context.set_offline(True)
    phone.click("button[name=next-page]")

    note = phone.locator(".connection-note")
    expect(note).to_have_text(said)
    assert note.get_attribute("role") == "status"  # read out without moving the focus
    direction = note.evaluate("element => getComputedStyle(element).direction")
    assert direction == ("rtl" if lang == "ar" else "ltr")
    expect(phone.locator("textarea[name=bio_meaning]")).to_have_value("The variety of life")
    expect(phone.locator("input[name=bio_heard][value=heard_know]")).to_be_checked()
    expect(phone.locator("button[name=next-page]")).to_be_enabled()
    assert "bio_heard" not in Response.objects.get().answers  # nothing went

    phone.context.set_offline(False)
    expect(note).to_have_text("")
    phone.click("button[name=next-page]")
    phone.locator("input[name=bio_informed]").first.wait_for()  # page 2
    assert Response.objects.get().answers["bio_meaning"] == "The variety of life"


def test_a_page_stuck_on_a_slow_connection_can_be_sent_again(phone, agency):
    collector = _survey_with_a_constraint(agency)
    phone.clock.install()
    _page_1_answered(phone, collector, "en")
    # The form goes nowhere, as on a connection where nothing comes back.
    phone.evaluate(
        "window.hang = event => event.preventDefault();"
        "document.querySelector('form').addEventListener('submit', window.hang)"
    )
    next_button = phone.locator("button[name=next-page]")

    next_button.click()
    phone.clock.run_for(1)
    expect(next_button).to_be_disabled()  # a second click does nothing yet
    phone.clock.run_for(9_000)
    expect(next_button).to_be_disabled()
    phone.clock.run_for(1_000)
    expect(next_button).to_be_enabled()  # ten seconds without an answer: it may be pressed

    # Back from the browser's error page can show the page as it was left.
    next_button.click()
    phone.clock.run_for(1)
    expect(next_button).to_be_disabled()
    phone.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(next_button).to_be_enabled()

    phone.evaluate("document.querySelector('form').removeEventListener('submit', window.hang)")
    next_button.click()
    phone.locator("input[name=bio_informed]").first.wait_for()  # page 2
    stored = Response.objects.get()
    assert stored.answers["bio_meaning"] == "The variety of life"
    assert stored.page == 2


def _drafts(phone) -> list[str]:
    return phone.evaluate(
        "Object.keys(sessionStorage).filter(key => key.startsWith('cepa-draft:'))"
    )


def test_what_was_typed_comes_back_when_the_phone_loads_the_page_again(phone, agency):
    """A phone short of memory drops a tab in the background and loads it again on return."""
    collector = _survey_with_a_constraint(agency)
    _page_1_answered(phone, collector, "en")  # typed, not sent

    phone.reload()

    expect(phone.locator("textarea[name=bio_meaning]")).to_have_value("The variety of life")
    expect(phone.locator("textarea[name=bio_meaning]")).to_be_visible()  # its follow-up rule
    expect(phone.locator("input[name=bio_heard][value=heard_know]")).to_be_checked()
    expect(phone.locator("input[name=bio_importance][value=very_important]")).to_be_checked()
    assert "bio_heard" not in Response.objects.get().answers  # it was never sent
    assert len(_drafts(phone)) == 1

    phone.click("button[name=next-page]")
    phone.locator("input[name=bio_informed]").first.wait_for()  # page 2
    assert Response.objects.get().answers["bio_meaning"] == "The variety of life"
    assert _drafts(phone) == []  # saved on the server now; nothing stays in the tab
    phone.check("input[name=bio_informed][value=fairly_well]")
    phone.reload()
    expect(phone.locator("input[name=bio_informed][value=fairly_well]")).to_be_checked()

    # Finished (here by the server alone): the thank-you page with its receipt clears the tab.
    Response.objects.update(
        status=ResponseStatus.COMPLETE, receipt_code="ABCD-EFGH", submitted_at=timezone.now()
    )
    assert len(_drafts(phone)) == 1
    phone.goto(f"/r/{collector.token}/done/")
    expect(phone.locator(".receipt")).to_have_text("ABCD-EFGH")
    assert _drafts(phone) == []
