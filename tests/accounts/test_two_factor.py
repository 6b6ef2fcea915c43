"""Staff can protect their account with an authenticator app; managers may be required to."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Role

pytestmark = pytest.mark.django_db


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _enrol(client, password) -> str:
    # allauth asks for the password again before a second factor can be added.
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": password})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response.status_code == 302
    return secret


def _sign_in(client, user, password):
    return client.post("/en/accounts/login/", {"login": user.email, "password": password})


def test_a_user_enrols_totp_and_is_then_asked_for_a_code_at_sign_in(
    client, member_factory, agency, password
):
    user = member_factory(Role.DESIGNER, agency=agency)
    assert _sign_in(client, user, password)["Location"] == "/en/"
    secret = _enrol(client, password)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("account_logout"))
    cache.clear()  # the enrolment code may not be reused, but the next period's may

    response = _sign_in(client, user, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone is not enough

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    done = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert done.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize(
    ("role", "forced"),
    [(Role.MANAGER, True), ("secretariat", True), (Role.DESIGNER, False), (Role.VIEWER, False)],
)
def test_managers_and_the_secretariat_must_enrol_when_required(
    role, forced, settings, client, member_factory, user_factory, agency, password
):
    settings.REQUIRE_STAFF_MFA = True
    if role == "secretariat":
        user = user_factory(is_secretariat=True)
    else:
        user = member_factory(role, agency=agency)
    _sign_in(client, user, password)

    response = client.get(reverse("accounts:home"))
    if forced:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
        _enrol(client, password)
        assert client.get(reverse("accounts:home")).status_code == 200
    else:
        assert response.status_code == 200


def test_without_the_requirement_nobody_is_forced(
    settings, client, member_factory, agency, password
):
    settings.REQUIRE_STAFF_MFA = False
    manager = member_factory(Role.MANAGER, agency=agency)
    _sign_in(client, manager, password)
    assert client.get(reverse("accounts:home")).status_code == 200
