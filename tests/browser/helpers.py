"""Steps the browser stories share: signing in, and asking axe what is serious."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe


def sign_in(page, user, password: str, lang: str = "en") -> None:
    """Through the sign-in form in `lang`, landing on the home page."""
    page.goto(f"/{lang}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"**/{lang}/")


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
