"""A manager invites a colleague by email; the link lets them set a password, once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role, StaffInvitation, User

pytestmark = pytest.mark.django_db


def _invite(client, agency, email="new.colleague@example.org", role=Role.DESIGNER, lang="en"):
    return client.post(
        f"/{lang}/agencies/{agency.pk}/members/invite/", {"email": email, "role": role}
    )


def _link_from_last_email() -> str:
    return re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_manager_invites_a_colleague_who_sets_a_password_and_joins(
    agency, member_factory, login, client
):
    manager = member_factory(Role.MANAGER, agency=agency)
    response = _invite(login(manager), agency)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.colleague@example.org"]
    assert agency.name in mail.outbox[0].subject
    link = _path(_link_from_last_email())
    invitation = StaffInvitation.objects.get()
    assert link.split("/")[-2] not in invitation.token_hash  # only a hash is stored

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "new.colleague@example.org" in page.content.decode()
    joined = client.post(
        link,
        {
            "full_name": "Nadia Colleague",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert joined.status_code == 302
    user = User.objects.get(email="new.colleague@example.org")
    assert user.full_name == "Nadia Colleague"
    assert user.check_password("a-long-pass-phrase-9")
    assert Membership.objects.get(user=user, agency=agency).role == Role.DESIGNER
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("accounts:agency_detail", args=[agency.pk])).status_code == 200


def test_an_invitation_works_only_once(agency, member_factory, login, client):
    _invite(login(member_factory(Role.MANAGER, agency=agency)), agency)
    link = _path(_link_from_last_email())
    client.logout()
    data = {"password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"}
    assert client.post(link, data).status_code == 302
    client.logout()

    again = client.post(link, {**data, "password1": "another-pass-phrase-9"})
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert User.objects.get(email="new.colleague@example.org").check_password(
        "a-long-pass-phrase-9"
    )


def test_an_invitation_expires(agency, member_factory, login, client, settings):
    _invite(login(member_factory(Role.MANAGER, agency=agency)), agency)
    link = _path(_link_from_last_email())
    StaffInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.logout()
    response = client.post(
        link, {"password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"}
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="new.colleague@example.org").exists()


def test_invitations_expire_after_the_configured_number_of_days(
    agency, member_factory, login, settings
):
    settings.STAFF_INVITATION_MAX_AGE_DAYS = 3
    _invite(login(member_factory(Role.MANAGER, agency=agency)), agency)
    invitation = StaffInvitation.objects.get()
    assert timedelta(days=2, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=3)


def test_a_withdrawn_or_replaced_invitation_stops_working(agency, member_factory, login, client):
    manager_client = login(member_factory(Role.MANAGER, agency=agency))
    _invite(manager_client, agency)
    first_link = _path(_link_from_last_email())
    _invite(manager_client, agency, role=Role.ANALYST)
    second_link = _path(_link_from_last_email())
    assert client.get(first_link).status_code == 410

    invitation = StaffInvitation.objects.get(role=Role.ANALYST)
    manager_client.post(reverse("accounts:invitation_revoke", args=[agency.pk, invitation.pk]))
    client.logout()
    response = client.get(second_link)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_a_forged_link_is_refused_politely(client, db):
    response = client.get("/en/invitation/not-a-real-token/")
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_bad_passwords_are_explained_and_the_name_is_kept(
    lang, agency, member_factory, login, client
):
    _invite(login(member_factory(Role.MANAGER, agency=agency)), agency, lang=lang)
    link = _path(_link_from_last_email())
    client.logout()
    response = client.post(
        link, {"full_name": "Keep Me", "password1": "short", "password2": "different"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Keep Me"' in body
    assert 'aria-invalid="true"' in body
    assert not User.objects.filter(email="new.colleague@example.org").exists()
    if lang == "ar":
        assert 'dir="rtl"' in body


def test_an_existing_user_signs_in_and_accepts(agency, other_agency, member_factory, login, client):
    colleague = member_factory(Role.VIEWER, agency=other_agency, email="known@example.org")
    _invite(login(member_factory(Role.MANAGER, agency=agency)), agency, email="known@example.org")
    link = _path(_link_from_last_email())
    client.logout()

    page = client.get(link)
    assert "Sign in to accept" in page.content.decode()
    assert client.post(link).status_code == 302  # to the login page
    assert not Membership.objects.filter(user=colleague, agency=agency).exists()

    login(colleague)
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=colleague, agency=agency).role == Role.DESIGNER


def test_the_invite_form_rejects_a_bad_address_and_keeps_the_input(agency, member_factory, login):
    client = login(member_factory(Role.MANAGER, agency=agency))
    response = _invite(client, agency, email="not-an-address", role="manager")
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert 'value="not-an-address"' in response.content.decode()
    assert not StaffInvitation.objects.exists()
    assert not mail.outbox


def test_the_invitation_email_is_written_in_the_inviters_language(agency, member_factory, login):
    _invite(login(member_factory(Role.MANAGER, agency=agency)), agency, lang="fr")
    assert "Vous êtes invité à rejoindre" in mail.outbox[0].subject
    assert "Ouvrez ce lien" in mail.outbox[0].body
    assert "/fr/invitation/" in mail.outbox[0].body
