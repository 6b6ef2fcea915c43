from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.exceptions import AccountsError
from accounts.forms import AcceptInvitationForm, AgencyForm, InviteForm, RoleForm, TimeZoneForm
from accounts.models import Membership, StaffInvitation
from accounts.permissions import Action
from accounts.timezones import agency_time_zone


def _send_invitation(request: HttpRequest, invitation: StaffInvitation, token: str) -> None:
    services.staff_invitation_send(
        invitation=invitation,
        token=token,
        accept_url=request.build_absolute_uri(reverse("accounts:invitation_accept", args=[token])),
        language=get_language(),
    )


def home(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.user.is_authenticated:
        context["my_roles"] = selectors.user_agency_roles(user=request.user)
        context["my_agencies"] = selectors.agencies_for(user=request.user)
    return render(request, "accounts/home.html", context)


@login_required
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = selectors.agency_access(user=request.user, agency_id=agency_id)
    context = {
        "access": access,
        "agency": access.agency,
        "can_manage": access.can(Action.MANAGE),
        "members": selectors.agency_members(agency=access.agency),
        "role_form": RoleForm(),
        "time_zone": agency_time_zone(access.agency),
        "time_zone_form": TimeZoneForm(agency=access.agency),
    }
    if access.can(Action.MANAGE):
        context["invitations"] = selectors.agency_invitations(agency=access.agency)[:50]
    with timezone.override(context["time_zone"]):  # invitations' expiry dates
        return render(request, "accounts/agency_detail.html", context)


@login_required
@require_POST
def agency_time_zone_change(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = selectors.agency_access(user=request.user, agency_id=agency_id, action=Action.MANAGE)
    form = TimeZoneForm(request.POST, agency=access.agency)
    if form.is_valid():
        services.agency_set_time_zone(
            agency=access.agency, time_zone=form.cleaned_data["time_zone"]
        )
        messages.success(request, _("The time zone is changed."))
    else:
        messages.error(request, _("Choose one of the listed time zones."))
    return redirect("accounts:agency_detail", agency_id=access.agency.pk)


@login_required
def member_invite(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = selectors.agency_access(user=request.user, agency_id=agency_id, action=Action.MANAGE)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation, token = services.staff_invitation_create(
            agency=access.agency,
            invited_by=request.user,
            **form.cleaned_data,
        )
        _send_invitation(request, invitation, token)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:agency_detail", agency_id=access.agency.pk)
    return render(request, "accounts/member_invite.html", {"agency": access.agency, "form": form})


@login_required
@require_POST
def member_change_role(request: HttpRequest, agency_id: int, membership_id: int) -> HttpResponse:
    access = selectors.agency_access(user=request.user, agency_id=agency_id, action=Action.MANAGE)
    membership = get_object_or_404(Membership, pk=membership_id, agency=access.agency)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed roles."))
    else:
        try:
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
            messages.success(request, _("Role changed."))
        except AccountsError as error:
            messages.error(request, error.message)
    return redirect("accounts:agency_detail", agency_id=access.agency.pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, agency_id: int, membership_id: int) -> HttpResponse:
    access = selectors.agency_access(user=request.user, agency_id=agency_id, action=Action.MANAGE)
    membership = get_object_or_404(Membership, pk=membership_id, agency=access.agency)
    try:
        services.membership_remove(membership=membership)
        messages.success(
            request, _("%(user)s no longer belongs to this agency.") % {"user": membership.user}
        )
    except AccountsError as error:
        messages.error(request, error.message)
    return redirect("accounts:agency_detail", agency_id=access.agency.pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, agency_id: int, invitation_id: int) -> HttpResponse:
    access = selectors.agency_access(user=request.user, agency_id=agency_id, action=Action.MANAGE)
    invitation = get_object_or_404(StaffInvitation, pk=invitation_id, agency=access.agency)
    services.staff_invitation_revoke(invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("accounts:agency_detail", agency_id=access.agency.pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.staff_invitation_for_token(token=token)
    except AccountsError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": error.message}, status=410
        )
    existing = selectors.user_for_email(email=invitation.email)
    signed_in_as_invitee = (
        request.user.is_authenticated and request.user.email.lower() == invitation.email
    )
    form = None
    if existing is None:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()):
        if existing is not None and not signed_in_as_invitee:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            user = services.staff_invitation_accept(
                token=token,
                password=form.cleaned_data["password1"] if form else None,
                full_name=form.cleaned_data["full_name"] if form else "",
                user=request.user if signed_in_as_invitee else None,
            )
        except AccountsError as error:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": error.message}, status=410
            )
        if not signed_in_as_invitee:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(agency)s.") % {"agency": invitation.agency.name})
        return redirect("accounts:agency_detail", agency_id=invitation.agency_id)
    context = {
        "invitation": invitation,
        "form": form,
        "existing": existing,
        "signed_in_as_invitee": signed_in_as_invitee,
    }
    return render(request, "accounts/invitation_accept.html", context)


@login_required
def secretariat_agencies(request: HttpRequest) -> HttpResponse:
    if not request.user.is_secretariat:
        raise Http404
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency, invitation, token = services.agency_register(
            invited_by=request.user, **form.cleaned_data
        )
        _send_invitation(request, invitation, token)
        messages.success(
            request,
            _("%(agency)s registered; its first manager has been invited.")
            % {"agency": agency.name},
        )
        return redirect("accounts:secretariat_agencies")
    agencies = selectors.secretariat_agencies(user=request.user)
    return render(
        request, "accounts/secretariat_agencies.html", {"agencies": agencies, "form": form}
    )
