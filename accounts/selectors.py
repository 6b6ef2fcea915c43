"""Who may act for which agency. Every page that touches agency data asks here.

Agencies a user has no role in are reported as missing (404), not forbidden,
so that nobody learns which other agencies or objects exist.
"""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Agency, Membership, Role, StaffInvitation, User
from accounts.permissions import Action, role_allows, roles_allowing


def user_agency_roles(*, user: User) -> dict[int, str]:
    """Which agencies this user may act for, and in which role: {agency_id: role}."""
    if not user.is_authenticated or not user.is_active:
        return {}
    return dict(Membership.objects.filter(user=user).values_list("agency_id", "role"))


def agencies_for(*, user: User, action: Action = Action.VIEW) -> QuerySet[Agency]:
    """The agencies whose data this user may work with for `action`."""
    if not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    return (
        Agency.objects.filter(memberships__user=user, memberships__role__in=roles_allowing(action))
        .select_related("country")
        .distinct()
    )


class AgencyAccess:
    """An agency together with the requesting user's role in it."""

    def __init__(self, agency: Agency, role: str) -> None:
        self.agency = agency
        self.role = role

    def can(self, action: Action) -> bool:
        return role_allows(self.role, action)

    @property
    def role_label(self) -> str:
        """The role's name in the reader's language (the code is English)."""
        return str(Role(self.role).label) if self.role in Role.values else self.role


def agency_access(
    *, user: User, agency_id: int | str, action: Action = Action.VIEW
) -> AgencyAccess:
    """The agency if the user has a role in it that allows `action`.

    No role at all: Http404, so the agency's existence stays hidden. A member
    whose role does not allow the action: PermissionDenied (403), since they
    already know the agency and deserve to be told why they cannot act.
    """
    try:
        agency_pk = int(agency_id)
    except (TypeError, ValueError):
        raise Http404 from None
    membership = (
        Membership.objects.select_related("agency__country")
        .filter(user_id=user.pk, agency_id=agency_pk, user__is_active=True)
        .first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise Http404
    if not role_allows(membership.role, action):
        raise PermissionDenied
    return AgencyAccess(membership.agency, membership.role)


def agency_members(*, agency: Agency) -> QuerySet[Membership]:
    return Membership.objects.filter(agency=agency).select_related("user").order_by("user__email")


def agency_invitations(*, agency: Agency) -> QuerySet[StaffInvitation]:
    return StaffInvitation.objects.filter(agency=agency).select_related("invited_by")


def secretariat_agencies(*, user: User) -> QuerySet[Agency]:
    """Every agency, for the secretariat's cross-country view; nothing for anyone else."""
    if not (user.is_authenticated and user.is_active and user.is_secretariat):
        return Agency.objects.none()
    return Agency.objects.select_related("country").order_by("country__name", "name")


def user_for_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def signed_in_member(*, session_key: str, agency_id: int) -> bool:
    """Whether a browser's session is that of a signed-in member of the agency.

    For the answering flow, which runs without the session and authentication
    middleware (config.middleware): it asks only when the browser sends a
    session cookie, which staff have and respondents, who have no account, do
    not. The session is checked as Django checks it on every staff page: a
    session from before a password change does not count.
    """
    if not session_key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = auth.get_user(SimpleNamespace(session=store))  # reads only the request's session
    return bool(
        user.is_authenticated
        and Membership.objects.filter(user_id=user.pk, agency_id=agency_id).exists()
    )
