"""The shared layout works for a person on a phone, by keyboard, and with a screen reader."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.browser.helpers import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["en", "ar", "zh-hans"])
def test_the_home_page_passes_axe_on_a_phone(phone, lang):
    phone.goto(f"/{lang}/")
    assert phone.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert serious_violations(phone) == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_sign_in_page_with_an_error_passes_axe(phone, lang, user_factory):
    user = user_factory()
    phone.goto(f"/{lang}/accounts/login/")
    phone.fill("input[name=login]", user.email)
    phone.fill("input[name=password]", "wrong password")
    phone.locator("form button[type=submit]").first.click()
    phone.wait_for_load_state()
    assert serious_violations(phone) == []


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(desktop):
    desktop.goto("/en/")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = desktop.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0  # visible once focused
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("lang", ["en", "ar", "ru"])
def test_pages_reflow_without_horizontal_scrolling_at_320_css_pixels(browser, live_server, lang):
    # 320 CSS px is a 1280 px window at 400% zoom (WCAG 1.4.10), stricter than 200%.
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=live_server.url)
    page = context.new_page()
    for path in (f"/{lang}/", f"/{lang}/accounts/login/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
    context.close()


def test_the_language_switcher_keeps_the_page_and_turns_it_right_to_left(phone):
    phone.goto("/en/accounts/login/")
    phone.locator(".language-switcher a[hreflang=ar]").click()
    phone.wait_for_url("**/ar/accounts/login/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator("html").get_attribute("lang") == "ar"


def test_a_manager_signs_in_and_sees_the_agency_page_which_passes_axe(
    desktop, member_factory, agency, password
):
    manager = member_factory(Role.MANAGER, agency=agency)
    member_factory(Role.VIEWER, agency=agency)
    sign_in(desktop, manager, password, "ar")
    desktop.get_by_role("link", name=agency.name).click()
    desktop.wait_for_url(f"**/ar/agencies/{agency.pk}/")
    assert desktop.locator("h1").inner_text().startswith(agency.name)
    assert serious_violations(desktop) == []


@pytest.mark.parametrize(("lang", "arrow"), [("en", "←"), ("ar", "→")])
def test_back_links_point_back_in_the_reading_direction(
    phone, member_factory, agency, password, lang, arrow
):
    viewer = member_factory(Role.VIEWER, agency=agency)
    sign_in(phone, viewer, password, lang)
    phone.goto(f"/{lang}/agencies/{agency.pk}/surveys/")
    back = phone.locator("p.back a")
    assert back.inner_text() == agency.name  # the arrow is drawn, not read aloud
    drawn = back.evaluate("a => getComputedStyle(a, '::before').content")
    assert drawn.startswith(f'"{arrow}')
    assert back.bounding_box()["height"] >= 44
