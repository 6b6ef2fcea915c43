"""A member acts only for their own agency, and only as far as their role allows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import selectors
from accounts.models import Membership, Role, StaffInvitation
from accounts.permissions import Action

pytestmark = pytest.mark.django_db


def _other_agency_urls(other_agency, membership, invitation) -> list[tuple[str, str]]:
    aid = other_agency.pk
    return [
        ("get", reverse("accounts:agency_detail", args=[aid])),
        ("get", reverse("accounts:member_invite", args=[aid])),
        ("post", reverse("accounts:member_invite", args=[aid])),
        ("post", reverse("accounts:member_change_role", args=[aid, membership.pk])),
        ("post", reverse("accounts:member_remove", args=[aid, membership.pk])),
        ("post", reverse("accounts:invitation_revoke", args=[aid, invitation.pk])),
        ("post", reverse("accounts:agency_time_zone", args=[aid])),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_a_member_of_agency_a_gets_404_for_everything_of_agency_b(
    role, agency, other_agency, member_factory, login
):
    user = member_factory(role, agency=agency)
    b_manager = member_factory(Role.MANAGER, agency=other_agency)
    b_membership = Membership.objects.get(user=b_manager)
    invitation, _token = _invite(other_agency, b_manager)
    client = login(user)

    for method, url in _other_agency_urls(other_agency, b_membership, invitation):
        response = getattr(client, method)(url, {"role": Role.VIEWER, "email": "x@example.org"})
        assert response.status_code == 404, (method, url)

    b_membership.refresh_from_db()
    invitation.refresh_from_db()
    assert b_membership.role == Role.MANAGER
    assert invitation.revoked_at is None
    assert StaffInvitation.objects.filter(agency=other_agency).count() == 1


def test_an_agency_id_that_is_not_a_number_or_does_not_exist_is_404(member_factory, login, agency):
    client = login(member_factory(Role.MANAGER, agency=agency))
    assert client.get(f"/en/agencies/{agency.pk + 999}/").status_code == 404
    assert client.get("/en/agencies/abc/").status_code == 404


def test_a_tampered_membership_id_from_another_agency_is_404(
    agency, other_agency, member_factory, login
):
    manager = member_factory(Role.MANAGER, agency=agency)
    foreign = Membership.objects.get(user=member_factory(Role.MANAGER, agency=other_agency))
    response = login(manager).post(
        reverse("accounts:member_change_role", args=[agency.pk, foreign.pk]), {"role": "viewer"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == Role.MANAGER


@pytest.mark.parametrize("role", [Role.VIEWER, Role.DESIGNER, Role.ANALYST])
def test_roles_below_manager_see_their_agency_but_cannot_change_members(
    role, agency, member_factory, login
):
    user = member_factory(role, agency=agency)
    manager = member_factory(Role.MANAGER, agency=agency)
    manager_membership = Membership.objects.get(user=manager)
    invitation, _token = _invite(agency, manager)
    client = login(user)

    page = client.get(reverse("accounts:agency_detail", args=[agency.pk]))
    assert page.status_code == 200
    assert b"Invite a colleague" not in page.content
    assert b"<select" not in page.content

    attempts = [
        client.get(reverse("accounts:member_invite", args=[agency.pk])),
        client.post(
            reverse("accounts:member_invite", args=[agency.pk]),
            {"email": "new@example.org", "role": Role.MANAGER},
        ),
        client.post(
            reverse("accounts:member_change_role", args=[agency.pk, manager_membership.pk]),
            {"role": Role.VIEWER},
        ),
        client.post(reverse("accounts:member_remove", args=[agency.pk, manager_membership.pk])),
        client.post(reverse("accounts:invitation_revoke", args=[agency.pk, invitation.pk])),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)

    manager_membership.refresh_from_db()
    invitation.refresh_from_db()
    assert manager_membership.role == Role.MANAGER
    assert invitation.revoked_at is None
    assert not StaffInvitation.objects.filter(email="new@example.org").exists()
    assert Membership.objects.filter(agency=agency).count() == 2


def test_the_selector_answers_which_agencies_and_which_role(
    agency, other_agency, user_factory, agency_factory
):
    user = user_factory()
    Membership.objects.create(user=user, agency=agency, role=Role.DESIGNER)
    Membership.objects.create(user=user, agency=other_agency, role=Role.VIEWER)
    agency_factory(name="Not mine")

    assert selectors.user_agency_roles(user=user) == {
        agency.pk: Role.DESIGNER,
        other_agency.pk: Role.VIEWER,
    }
    assert set(selectors.agencies_for(user=user)) == {agency, other_agency}
    assert list(selectors.agencies_for(user=user, action=Action.DESIGN)) == [agency]
    assert list(selectors.agencies_for(user=user, action=Action.MANAGE)) == []


def test_an_inactive_user_acts_for_no_agency(agency, member_factory):
    user = member_factory(Role.MANAGER, agency=agency)
    user.is_active = False
    user.save()
    assert selectors.user_agency_roles(user=user) == {}
    assert not selectors.agencies_for(user=user).exists()


def test_only_the_secretariat_sees_every_agency(agency, other_agency, user_factory, login):
    plain = user_factory()
    assert login(plain).get(reverse("accounts:secretariat_agencies")).status_code == 404
    secretariat = user_factory(is_secretariat=True)
    page = login(secretariat).get(reverse("accounts:secretariat_agencies"))
    assert page.status_code == 200
    assert agency.name in page.content.decode()
    assert other_agency.name in page.content.decode()


def test_the_admin_is_for_superusers_only(member_factory, user_factory, login, agency):
    manager = member_factory(Role.MANAGER, agency=agency, is_staff=True)
    response = login(manager).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    superuser = user_factory(is_staff=True, is_superuser=True)
    assert login(superuser).get("/admin/").status_code == 200


def test_the_last_manager_cannot_be_demoted_or_removed(agency, member_factory, login):
    manager = member_factory(Role.MANAGER, agency=agency)
    membership = Membership.objects.get(user=manager)
    client = login(manager)
    response = client.post(
        reverse("accounts:member_change_role", args=[agency.pk, membership.pk]),
        {"role": Role.VIEWER},
        follow=True,
    )
    assert "at least one manager" in response.content.decode()
    client.post(reverse("accounts:member_remove", args=[agency.pk, membership.pk]))
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER


def test_a_manager_changes_a_role_and_an_unknown_role_is_refused(agency, member_factory, login):
    manager = member_factory(Role.MANAGER, agency=agency)
    viewer = Membership.objects.get(user=member_factory(Role.VIEWER, agency=agency))
    client = login(manager)
    url = reverse("accounts:member_change_role", args=[agency.pk, viewer.pk])

    page = client.post(url, {"role": "overlord"}, follow=True)
    assert "Choose one of the listed roles" in page.content.decode()
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER

    client.post(url, {"role": Role.ANALYST})
    viewer.refresh_from_db()
    assert viewer.role == Role.ANALYST


def _invite(agency, by):
    from accounts.services import staff_invitation_create

    return staff_invitation_create(
        agency=agency, email="colleague@example.org", role=Role.DESIGNER, invited_by=by
    )
