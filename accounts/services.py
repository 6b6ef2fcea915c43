"""Writes for accounts: invitations, memberships, agencies."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.exceptions import (
    InvitationExpired,
    InvitationInvalid,
    InvitationRevoked,
    InvitationUsed,
    LastManager,
)
from accounts.models import Agency, Country, Membership, Role, StaffInvitation, User
from accounts.timezones import is_time_zone


def countries_load(*, using: str = "default", **_signal_kwargs: object) -> int:
    """Add any ISO 3166-1 country that is missing; returns how many were added."""
    from accounts.countries import iso_countries

    existing = set(Country.objects.using(using).values_list("alpha2", flat=True))
    missing = [Country(**row.__dict__) for row in iso_countries() if row.alpha2 not in existing]
    Country.objects.using(using).bulk_create(missing)
    return len(missing)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def staff_invitation_create(
    *, agency: Agency, email: str, role: str, invited_by: User | None
) -> tuple[StaffInvitation, str]:
    """Create an invitation and return it with its clear token (shown once, then only hashed).

    A pending invitation to the same address for the same agency is withdrawn,
    so only the newest link works.
    """
    email = User.objects.normalize_email(email).lower()
    now = timezone.now()
    StaffInvitation.objects.pending().filter(agency=agency, email__iexact=email).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = StaffInvitation.objects.create(
        agency=agency,
        email=email,
        role=role,
        token_hash=_hash_token(token),
        invited_by=invited_by,
        expires_at=now + timedelta(days=settings.STAFF_INVITATION_MAX_AGE_DAYS),
    )
    return invitation, token


def staff_invitation_send(
    *, invitation: StaffInvitation, token: str, accept_url: str, language: str
) -> None:
    """Email the invitation link, written in the inviter's interface language."""
    with translation.override(language):
        context = {
            "invitation": invitation,
            "accept_url": accept_url,
            "agency": invitation.agency,
            "role": invitation.get_role_display(),
            "max_age_days": settings.STAFF_INVITATION_MAX_AGE_DAYS,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )


def staff_invitation_for_token(*, token: str) -> StaffInvitation:
    """The usable invitation behind a link, or a translated reason why it is not usable."""
    invitation = (
        StaffInvitation.objects.select_related("agency__country")
        .filter(token_hash=_hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid
    if invitation.accepted_at is not None:
        raise InvitationUsed
    if invitation.revoked_at is not None:
        raise InvitationRevoked
    if invitation.expires_at <= timezone.now():
        raise InvitationExpired
    return invitation


@transaction.atomic
def staff_invitation_accept(
    *, token: str, password: str | None = None, full_name: str = "", user: User | None = None
) -> User:
    """Use an invitation once: create (or reuse) the account and grant the role.

    The invitation proves that the person reads that mailbox, so the address is
    marked verified. The row is locked so two clicks cannot both succeed.
    """
    invitation = staff_invitation_for_token(token=token)
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationUsed
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name.strip()
        )
    elif password:
        user.set_password(password)
        if full_name.strip():
            user.full_name = full_name.strip()
        user.save()
    EmailAddress.objects.update_or_create(
        user=user,
        email=invitation.email,
        defaults={"verified": True, "primary": not EmailAddress.objects.filter(user=user).exists()},
    )
    Membership.objects.update_or_create(
        user=user, agency=invitation.agency, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def staff_invitation_revoke(*, invitation: StaffInvitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def _ensure_another_manager(membership: Membership) -> None:
    others = (
        Membership.objects.filter(agency=membership.agency, role=Role.MANAGER)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise LastManager


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if membership.role == Role.MANAGER and role != Role.MANAGER:
        _ensure_another_manager(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.MANAGER:
        _ensure_another_manager(membership)
    membership.delete()


def agency_set_time_zone(*, agency: Agency, time_zone: str) -> Agency:
    """Rounds already set keep their moments; only how they are read and shown changes."""
    if not is_time_zone(time_zone):
        raise ValueError(time_zone)
    agency.time_zone = time_zone
    agency.save(update_fields=["time_zone"])
    return agency


@transaction.atomic
def agency_register(
    *,
    country: Country,
    name: str,
    manager_email: str,
    invited_by: User | None,
    acronym: str = "",
    website: str = "",
) -> tuple[Agency, StaffInvitation, str]:
    """Register an agency with an invitation for its first manager (agencies never start empty)."""
    agency = Agency.objects.create(
        country=country, name=name.strip(), acronym=acronym.strip(), website=website.strip()
    )
    invitation, token = staff_invitation_create(
        agency=agency, email=manager_email, role=Role.MANAGER, invited_by=invited_by
    )
    return agency, invitation, token
