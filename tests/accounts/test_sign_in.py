"""Staff sign in with their email address; there is no open registration."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_every_demo_account_can_sign_in(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for account in DEMO_ACCOUNTS:
        client.logout()
        response = client.post(
            "/en/accounts/login/", {"login": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
        assert response["Location"] == "/en/"
        home = client.get("/en/")
        assert "Welcome" in home.content.decode()


def test_loading_the_demo_twice_changes_nothing(db):
    from accounts.models import Agency, Membership, User
    from survey.models import Question, SurveyVersion

    def snapshot():
        return (
            list(User.objects.order_by("pk").values_list("pk", "email", "password")),
            list(Agency.objects.values_list("pk", "name")),
            list(Membership.objects.values_list("pk", "user_id", "agency_id", "role")),
            list(SurveyVersion.objects.values_list("pk", "status", "content_hash")),
            Question.objects.count(),
        )

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = snapshot()
    assert first[3][0][1] == "published"  # the demo survey is published
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == first


def test_a_wrong_password_is_refused(client, user_factory):
    user = user_factory()
    response = client.post("/en/accounts/login/", {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def told_too_many(client, email: str, attempts: int = 6) -> list[bool]:
    """Whether each of `attempts` sign-ins with a wrong password was told to stop."""
    pages = [
        client.post("/en/accounts/login/", {"login": email, "password": "wrong"})
        for _ in range(attempts)
    ]
    return ["Too many failed login attempts" in page.content.decode() for page in pages]


def test_failed_sign_ins_are_rate_limited(client, user_factory):
    user = user_factory()
    assert told_too_many(client, user.email) == [False] * 5 + [True]


def test_the_correct_password_is_refused_too_once_locked_out(client, user_factory, password):
    user = user_factory()
    for _ in range(5):
        client.post("/en/accounts/login/", {"login": user.email, "password": "wrong"})
    response = client.post("/en/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code != 302
    assert "_auth_user_id" not in client.session


def test_there_is_no_open_registration(client, db):
    assert "/accounts/signup/" not in client.get("/en/accounts/login/").content.decode()
    response = client.get("/en/accounts/signup/")
    assert "closed" in response.content.decode().lower()
    client.post(
        "/en/accounts/signup/",
        {
            "email": "x@example.org",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    from accounts.models import User

    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.parametrize("lang", ["en", "ar", "zh-hans"])
def test_the_sign_in_page_speaks_the_visitors_language(client, db, lang):
    response = client.get(f"/{lang}/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'lang="{lang}"' in body
    assert ('dir="rtl"' in body) == (lang == "ar")


def test_a_forgotten_password_is_reset_through_an_emailed_link(client, user_factory):
    import re

    from django.core import mail

    user = user_factory()
    client.post("/en/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/en/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    done = client.post(
        action, {"password1": "brand-new-phrase-77", "password2": "brand-new-phrase-77"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-phrase-77")


def test_a_new_email_address_must_be_verified_before_use(client, user_factory, login):
    from allauth.account.models import EmailAddress
    from django.core import mail

    user = user_factory()
    login(user)
    client.post("/en/accounts/email/", {"action_add": "", "email": "second@example.org"})
    address = EmailAddress.objects.get(email="second@example.org")
    assert not address.verified
    assert "second@example.org" in mail.outbox[-1].to
