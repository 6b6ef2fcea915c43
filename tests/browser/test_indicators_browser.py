"""An analyst reads a round's indicators on a phone, in Arabic and in Chinese."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accounts.models import Role
from survey.demo import demo_round_load, demo_survey_load
from tests.browser.helpers import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_an_analyst_picks_a_breakdown_by_its_name_and_the_page_passes_axe(
    phone, agency, member_factory, password, lang
):
    round_ = demo_round_load(survey=demo_survey_load(agency=agency)).round
    analyst = member_factory(Role.ANALYST, agency=agency)
    sign_in(phone, analyst, password, lang)
    phone.goto(f"/{lang}/rounds/{round_.pk}/indicators/")
    with translation.override(lang):
        sex, show = gettext("Sex"), gettext("Show")
    phone.get_by_label(sex, exact=True).check()
    phone.get_by_role("button", name=show).click()
    expect(phone.get_by_label(sex, exact=True)).to_be_checked()
    assert phone.locator("td", has_text=sex).count() >= 2  # a row for each category
    assert phone.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert serious_violations(phone) == []
