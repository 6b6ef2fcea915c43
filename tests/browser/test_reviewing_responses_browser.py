"""An analyst reviews the flagged responses on a phone, in Arabic and in Chinese."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from accounts.models import Role
from survey.demo import demo_round_load, demo_survey_load
from survey.models import ResponseReview, ReviewDecision
from tests.browser.helpers import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_an_analyst_leaves_a_speeder_out_after_one_refusal_and_every_page_passes_axe(
    phone, agency, member_factory, password, lang
):
    round_ = demo_round_load(survey=demo_survey_load(agency=agency)).round
    analyst = member_factory(Role.ANALYST, agency=agency)
    sign_in(phone, analyst, password, lang)
    with translation.override(lang):
        queue = ngettext(
            "Review the %(count)s not yet reviewed", "Review the %(count)s not yet reviewed", 4
        ) % {"count": 4}
        leave_out = str(ReviewDecision.LEAVE_OUT.label)
        reason, save = gettext("Reason"), gettext("Save the decision")
        fix = gettext("Please correct the marked fields")
        done = gettext(
            "The response is left out of the results: the indicators no longer count it."
        )

    phone.goto(f"/{lang}/surveys/{round_.version.survey_id}/rounds/{round_.pk}/")
    phone.get_by_role("link", name=queue).click()
    assert phone.locator("tbody tr").count() == 4
    assert phone.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert _no_sideways_scroll(phone)
    assert serious_violations(phone) == []

    phone.locator("tbody tr a").first.click()
    phone.get_by_label(leave_out).check()
    phone.get_by_role("button", name=save).click()
    expect(phone.get_by_role("alert")).to_contain_text(fix)
    expect(phone.get_by_label(leave_out)).to_be_checked()  # the choice made is still there
    assert _no_sideways_scroll(phone)
    assert serious_violations(phone) == []

    phone.get_by_label(reason).fill("38 s for 17 questions")
    phone.get_by_role("button", name=save).click()
    expect(phone.get_by_text(done)).to_be_visible()
    assert serious_violations(phone) == []
    review = ResponseReview.objects.get()
    assert (review.decision, review.note, review.reviewed_by) == (
        ReviewDecision.LEAVE_OUT,
        "38 s for 17 questions",
        analyst,
    )
