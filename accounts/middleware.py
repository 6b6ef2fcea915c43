from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils.translation import gettext as _

from accounts.models import Membership, Role

# Pages a user without a second factor may still reach: enrolment itself,
# signing out, and the rest of the account settings.
_ALLOWED_URL_NAMES_PREFIXES = ("account_", "mfa_")


def mfa_required_for(user) -> bool:
    """Managers and the secretariat must use a second factor when REQUIRE_STAFF_MFA is on."""
    if not settings.REQUIRE_STAFF_MFA or not user.is_authenticated:
        return False
    if user.is_secretariat or user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role=Role.MANAGER).exists()


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)  # none on the answering flow (config.middleware)
        if settings.REQUIRE_STAFF_MFA and user is not None and user.is_authenticated:
            response = self._enforce(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _enforce(self, request: HttpRequest) -> HttpResponse | None:
        if request.path.startswith(
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL
        ):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if (match.url_name or "").startswith(_ALLOWED_URL_NAMES_PREFIXES):
            return None
        if not mfa_required_for(request.user):
            return None
        if Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
            return None
        messages.warning(
            request,
            _(
                "Your role requires two-factor authentication. "
                "Set up an authenticator app to continue."
            ),
        )
        return redirect("mfa_activate_totp")
