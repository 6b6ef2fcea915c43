"""Every page names the site's icon; browsers that ask /favicon.ico get it too, not a 404 page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

ICON = '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'


def test_respondent_and_staff_pages_name_the_icon(client, collector):
    for address in (
        reverse("respond:entry", args=[collector.token]),
        reverse("respond:withdraw"),
        "/en/accounts/login/",
    ):
        assert ICON in client.get(address).content.decode(), address


def test_favicon_ico_leads_to_the_icon(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 302
    assert answer["Location"] == "/static/img/favicon.svg"
    assert "max-age=86400" in answer["Cache-Control"]
    icon = finders.find("img/favicon.svg")
    assert icon and Path(icon).read_text().startswith("<svg")
