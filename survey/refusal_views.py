"""Site-wide refusal pages, in the visitor's language, with a way back.

They live in survey, not config, because the respondent's versions are the
answering flow's own pages (message_page); config names them by their dotted
paths (config.urls handlers, settings.CSRF_FAILURE_VIEW) and imports no app.

Django's own pages for a refused form or request are English developer prose
("CSRF cookie not set") without the site's layout; people do meet them. A
survey link that leads nowhere is met by members of the public, not staff.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults

from config.middleware import is_respondent_path
from survey.respond_views import asked_interface_language, message_page

logger = logging.getLogger(__name__)


def _back(request: HttpRequest) -> str:
    """The page the refused form came from, when it is one of ours."""
    came_from = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(
        came_from, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return came_from
    return ""


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by Django's CSRF check (settings.CSRF_FAILURE_VIEW).

    People meet this, not only forged requests: a form left open while they
    signed in again in another tab (signing in changes the token), or a browser
    that keeps no cookies. What they typed cannot be kept, so the page says how
    to send it again.
    """
    no_cookie = reason == REASON_NO_CSRF_COOKIE
    if is_respondent_path(request):
        # A respondent's page has no staff header; the survey's own links lead on.
        return message_page(
            request,
            _("This form could not be sent"),
            _(
                "Your browser did not send this site's cookie. Allow cookies for this site, "
                "then load the form again and send it."
            )
            if no_cookie
            else _(
                "Load the form again and send it once more. What you typed in it was not saved."
            ),
            kind="csrf",
            status=403,
        )
    return render(
        request, "403_csrf.html", {"back": _back(request), "no_cookie": no_cookie}, status=403
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django refuses before any view sees it (config.urls.handler400).

    For example a form far larger than any page of ours sends
    (DATA_UPLOAD_MAX_MEMORY_SIZE), or with thousands of fields.
    """
    if is_respondent_path(request):
        return message_page(
            request,
            _("This request could not be read"),
            _(
                "What was sent is too large or not in a form this site accepts. "
                "Nothing of it was saved."
            ),
            kind="bad_request",
            status=400,
        )
    return render(request, "400.html", {"back": _back(request)}, status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 (config.urls.handler404): on a survey link, a page for its respondent.

    A link copied from a poster with a character missing must not send a member
    of the public to a staff page that offers the sign-in.
    """
    if is_respondent_path(request):
        return message_page(
            request,
            _("This survey link does not work"),
            _(
                "Check that the address is complete, exactly as it was given to you, or scan "
                "the code again. If it is complete, the survey may have been withdrawn by the "
                "agency that ran it."
            ),
            kind="unknown_link",
            status=404,
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 (config.urls.handler500): on a respondent's address, their layout and language.

    Django's page (templates/500.html) is bare HTML, in the browser's language,
    made to show whatever broke. A respondent whose page failed to load (while
    the database restarted, say) gets the survey's layout instead, in the
    language their pages asked for, and a button to load the page again; it
    needs nothing from the database. Should it fail too, Django's page shows.
    """
    if is_respondent_path(request):
        try:
            return message_page(
                request,
                _("Something went wrong"),
                _("The error has been recorded. Please try again in a moment."),
                kind="server_error",
                status=500,
                language=asked_interface_language(request),
                again=request.get_full_path() if request.method == "GET" else "",
            )
        except Exception:
            logger.exception("The respondent's error page failed; Django's own was shown")
    return defaults.server_error(request)
