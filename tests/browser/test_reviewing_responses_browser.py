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


def _demo_round_and_its_analyst(phone, agency, member_factory, password, lang):
    """The demo round, its four speeders awaiting review, and an analyst signed in on the phone."""
    round_ = demo_round_load(survey=demo_survey_load(agency=agency)).round
    analyst = member_factory(Role.ANALYST, agency=agency)
    sign_in(phone, analyst, password, lang)
    return round_, analyst


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_an_analyst_leaves_a_speeder_out_after_one_refusal_and_every_page_passes_axe(
    phone, agency, member_factory, password, lang
):
    round_, analyst = _demo_round_and_its_analyst(phone, agency, member_factory, password, lang)
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


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_an_analyst_keeps_all_four_speeders_in_one_decision(
    phone, agency, member_factory, password, lang
):
    round_, analyst = _demo_round_and_its_analyst(phone, agency, member_factory, password, lang)
    with translation.override(lang):
        leave_out, keep = str(ReviewDecision.LEAVE_OUT.label), str(ReviewDecision.KEEP.label)
        apply = ngettext("Apply to %(count)s response", "Apply to %(count)s responses", 4) % {
            "count": 4
        }
        fix, show = gettext("Please correct the marked fields"), gettext("Show")
        done = ngettext(
            "%(count)d response is kept in the results, and no longer counts as flagged.",
            "%(count)d responses are kept in the results, and no longer count as flagged.",
            4,
        ) % {"count": 4}

    phone.goto(f"/{lang}/surveys/{round_.version.survey_id}/rounds/{round_.pk}/responses/")
    phone.get_by_label(show).select_option("awaiting")
    phone.get_by_role("button", name=show, exact=True).click()
    # Leaving four out without a reason is refused, and the choice stays.
    phone.get_by_label(leave_out).check()
    phone.get_by_role("button", name=apply).click()
    expect(phone.get_by_role("alert")).to_contain_text(fix)
    expect(phone.get_by_label(leave_out)).to_be_checked()
    assert _no_sideways_scroll(phone)
    assert serious_violations(phone) == []

    phone.get_by_label(keep).check()
    phone.get_by_role("button", name=apply).click()
    expect(phone.get_by_text(done)).to_be_visible()
    assert "show=awaiting" in phone.url  # the list the analyst was reading, empty now
    assert phone.locator("tbody tr").count() == 0
    assert serious_violations(phone) == []
    assert (
        ResponseReview.objects.filter(decision=ReviewDecision.KEEP, reviewed_by=analyst).count()
        == 4
    )
