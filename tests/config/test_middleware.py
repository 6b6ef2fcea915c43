"""The public answering flow runs without sessions, users or messages; staff pages keep them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from config.middleware import RESPONDENT_PREFIXES
from survey import respond_urls

pytestmark = pytest.mark.django_db


def test_a_respondent_gets_no_session_user_or_messages(client, collector):
    entry = reverse("respond:entry", args=[collector.token])
    welcome = client.get(entry)
    assert welcome.status_code == 200
    request = welcome.wsgi_request
    assert not hasattr(request, "session")
    assert not hasattr(request, "user")
    assert not hasattr(request, "_messages")
    assert "sessionid" not in welcome.cookies
    unknown = client.get(reverse("respond:invitation", args=["no-such-invitation"]))
    assert unknown.status_code == 404 and not hasattr(unknown.wsgi_request, "user")
    withdraw = client.get(reverse("respond:withdraw"))
    assert withdraw.status_code == 200 and not hasattr(withdraw.wsgi_request, "session")
    # The site's own 404 page renders there too, without the user its templates may ask about.
    missing = client.get(reverse("respond:entry", args=["no-such-link"]))
    assert missing.status_code == 404 and b"</html>" in missing.content


def test_staff_who_open_their_public_link_stay_signed_in(
    client, agency, member_factory, login, collector, settings
):
    settings.REQUIRE_STAFF_MFA = True  # the second-factor check must not trip on a respondent page
    login(member_factory(Role.DESIGNER, agency=agency))
    assert client.get(reverse("respond:entry", args=[collector.token])).status_code == 200
    rounds = client.get(
        reverse("survey:round", args=[collector.round.version.survey_id, collector.round_id])
    )
    assert rounds.status_code == 200
    assert rounds.wsgi_request.user.is_authenticated
    assert hasattr(rounds.wsgi_request, "session") and hasattr(rounds.wsgi_request, "_messages")


def _language_headers(client, collector) -> list[tuple[int, str, str]]:
    entry = reverse("respond:entry", args=[collector.token])
    seen = []
    for url, language in [
        (entry, "ar"),
        (entry + "?lang=fr", "zh-hans"),
        (reverse("respond:withdraw"), "ru"),
        (reverse("respond:invitation", args=["nope"]), "es"),
        (reverse("respond:entry", args=["no-such-link"]), "ar"),
    ]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        seen.append((response.status_code, response["Content-Language"], response["Vary"]))
    return seen


def test_the_lighter_locale_middleware_answers_respondents_as_djangos_own(collector, settings):
    ours = _language_headers(Client(), collector)
    # An Arabic browser on a survey in English and French gets English, and is told so.
    assert ours[0][1] == "en" and "Accept-Language" in ours[0][2]
    settings.MIDDLEWARE = [
        "django.middleware.locale.LocaleMiddleware" if m.endswith(".LocaleMiddleware") else m
        for m in settings.MIDDLEWARE
    ]
    assert _language_headers(Client(), collector) == ours


def test_every_address_of_the_answering_flow_is_known_to_the_middleware():
    for pattern in respond_urls.urlpatterns:
        arguments = dict.fromkeys(pattern.pattern.converters, "x")
        path = reverse(f"respond:{pattern.name}", kwargs=arguments)
        assert path.startswith(RESPONDENT_PREFIXES), path
