"""What members of the public see at /r/<collector token>/. No account, no JavaScript needed."""

from __future__ import annotations

import hashlib
import secrets
from contextlib import nullcontext
from functools import lru_cache
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CSRF_TOKEN_LENGTH, get_token
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import translation

# Lazy: messages are worded when the page is rendered, in the respondent's language.
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from survey import answering, selectors
from survey.answering import Refusal
from survey.i18n import (
    LANGUAGE_NAMES,
    choose_language,
    interface_language_for,
    is_rtl,
    language_name,
    normalize_language,
)
from survey.models import Collector, Response, ResponseStatus
from survey.page_render import respondent_page, welcome_page

COOKIE_SALT = "cepa.response"
COOKIE_AGE = 60 * 60 * 24 * 30


def _collector(token: str) -> Collector:
    collector = selectors.collector_by_token(token=token)
    if collector is None:
        raise Http404
    return collector


class _Links(NamedTuple):
    page: str
    later: str
    done: str

    def page_in(self, language: str) -> str:
        return f"{self.page}?lang={language}"


@lru_cache(maxsize=4096)
def _links_under(token: str, prefix: str) -> _Links:
    del prefix  # part of the cache key: reverse() writes it in
    return _Links(
        reverse("respond:page", args=[token]),
        reverse("respond:later", args=[token]),
        reverse("respond:done", args=[token]),
    )


def _links(token: str) -> _Links:
    """A link's addresses, worked out once: every page a respondent sees needs them."""
    return _links_under(token, get_script_prefix())


def _interface(language: str) -> Any:
    """Buttons and messages in the respondent's language, when the interface has it.

    Often that is the language already active (from the browser), and switching
    to it and back would be two activations for nothing on every page.
    """
    wanted = interface_language_for(language, "en")
    return nullcontext() if wanted == translation.get_language() else translation.override(wanted)


def _form_token(request: HttpRequest) -> str:
    """The CSRF token for the next form.

    A POST reaches these views only after the CSRF middleware has matched the
    masked token of its form with the cookie, so that same token serves the next
    page. The page goes only to whoever sent it, so this is as safe as a new
    mask, and it spares 32 reads of the system's random source and a Set-Cookie
    on every page. A GET, or a token sent in a header, gets a new one.
    """
    if request.method == "POST":
        posted = request.POST.get("csrfmiddlewaretoken", "")
        if len(posted) == CSRF_TOKEN_LENGTH and posted.isalnum() and posted.isascii():
            return posted
    return get_token(request)


def _private(response: HttpResponse) -> HttpResponse:
    """Pages with a respondent's answers must never be kept by a browser or proxy cache."""
    response["Cache-Control"] = "no-store, private"
    return response


def _cookie_name(token: str, kind: str = "r") -> str:
    # One cookie per link: a browser may answer several surveys, each with its own response.
    return f"cepa_{kind}{hashlib.sha256(token.encode()).hexdigest()[:12]}"


def _remember(request: HttpRequest, response: HttpResponse, name: str, value: object) -> None:
    """A signed, HTTP-only cookie: the browser's only tie to its answers."""
    response.set_signed_cookie(
        name,
        value,
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _current_response(request: HttpRequest, token: str) -> Response | None:
    pk = request.get_signed_cookie(_cookie_name(token), default=None, salt=COOKIE_SALT)
    if pk is None:
        return None
    return selectors.response_with_collector(response_id=pk, collector_token=token)


def _language(request: HttpRequest, collector: Collector, compiled: Any) -> str:
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    if asked in compiled.languages:
        return asked
    return choose_language(
        compiled.languages,
        preset=collector.preset_language,
        accept_language=request.headers.get("Accept-Language", ""),
        default=compiled.default_language,
    )


def _render(
    request: HttpRequest, template: str, language: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.update(
        {
            "language": language,
            "content_dir": "rtl" if is_rtl(language) else "ltr",
        }
    )
    with _interface(language):
        context["ui_language"] = translation.get_language()
        return render(request, template, context, status=status)


def _refusal(
    request: HttpRequest, refusal: Refusal, language: str, compiled: Any = None
) -> HttpResponse:
    status = 429 if refusal.kind == "rate_limited" else 200
    return _render(
        request,
        "survey/respond/message.html",
        language,
        {"message": refusal.message, "kind": refusal.kind, "compiled": compiled},
        status=status,
    )


@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, token: str) -> HttpResponse:
    """Welcome, privacy notice and consent; or straight back to the page where one stopped."""
    collector = _collector(token)
    compiled = answering.compiled_for(collector.round.version)
    language = _language(request, collector, compiled)
    response = _current_response(request, token)
    if response is not None and request.method == "GET" and "restart" not in request.GET:
        if response.status == ResponseStatus.COMPLETE:
            return HttpResponseRedirect(_links(token).done)
        # Page 1 is shown at this address (it answers the consent), so its language
        # links land here: pass the language asked for on to the page.
        asked = request.GET.get("lang", "")
        language = asked if asked in compiled.languages else response.language
        return HttpResponseRedirect(_links(token).page_in(language))
    invitation = None
    invitation_pk = request.get_signed_cookie(
        _cookie_name(collector.token, "i"), default=None, salt=COOKIE_SALT
    )
    if invitation_pk:
        invitation = answering.invitation_of(collector=collector, invitation_id=invitation_pk)
    error = ""
    if request.method == "POST":
        if request.POST.get("website"):  # the honeypot: people never see this field
            return HttpResponseRedirect(_links(token).done)
        error = answering.consent_problem(
            collector=collector,
            consent=bool(request.POST.get("consent")),
            challenge_token=request.POST.get("challenge_token", ""),
            challenge_answer=request.POST.get("challenge", ""),
        )
        if not error:
            try:
                ip_hash = answering.check_rate("start", request.META)
                response = answering.response_start(
                    collector=collector,
                    language=language,
                    nonce=(request.POST.get("nonce") or secrets.token_hex(16))[:32],
                    ip_hash=ip_hash,
                    invitation=invitation,
                )
            except Refusal as refusal:
                return _refusal(request, refusal, language, compiled)
            if response.status == ResponseStatus.COMPLETE:
                answer = HttpResponseRedirect(_links(token).done)
            else:
                # Page 1 comes in the answer to the consent: no redirect round trip.
                answer = _page(
                    request, token, response, compiled, response.language, {}, {}, response.page
                )
            _remember(request, answer, _cookie_name(token), response.pk)
            return answer
    try:
        answering.check_can_start(collector)
    except Refusal as refusal:
        return _refusal(request, refusal, language, compiled)
    with _interface(language):
        html = welcome_page(
            compiled,
            language=language,
            nonce=secrets.token_hex(16),
            csrf_token=get_token(request),
            error=error,
            challenge=answering.challenge_new() if collector.challenge else None,
        )
    return _private(HttpResponse(html))


@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, token: str) -> HttpResponse:
    response = _current_response(request, token)
    if response is None:
        return redirect("respond:entry", token=token)
    collector = response.collector
    if response.status == ResponseStatus.COMPLETE:
        return HttpResponseRedirect(_links(token).done)
    compiled = answering.compiled_for(collector.round.version)
    language = response.language
    if request.GET.get("lang") in compiled.languages and request.GET["lang"] != language:
        language = request.GET["lang"]
        answering.response_set_language(response=response, language=language)
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}
    page_number = response.page
    try:
        answering.check_can_continue(response)
        if request.method == "POST":
            answering.check_rate("save", request.META)
            try:
                posted_page = int(request.POST.get("page", response.page))
            except ValueError:
                posted_page = response.page
            # Errors are worded as the page is checked: in the respondent's language,
            # not the browser's (a person may pick Arabic on an English phone).
            with _interface(language):
                outcome = answering.response_save_page(
                    response=response,
                    compiled=compiled,
                    page=posted_page,
                    post=request.POST,
                    going_back="back" in request.POST,
                )
            if outcome.finished:
                return HttpResponseRedirect(_links(token).done)
            # The next page (or this one with its errors) comes in the answer to the POST:
            # one round trip a page instead of two on a poor connection. respond.js turns
            # the entry into a plain GET, so reload and the browser's back do not resubmit.
            errors, raw, page_number = outcome.errors, outcome.raw, outcome.next_page or page_number
    except Refusal as refusal:
        return _refusal(request, refusal, language, compiled)
    return _page(request, token, response, compiled, language, errors, raw, page_number)


def _page(
    request: HttpRequest,
    token: str,
    response: Response,
    compiled: Any,
    language: str,
    errors: dict[str, str],
    raw: dict[str, Any],
    page_number: int,
) -> HttpResponse:
    pages = compiled.visible_sections(response.answers)
    page_number = max(1, min(page_number, len(pages)))
    section = pages[page_number - 1]
    links = _links(token)
    with _interface(language):
        html = respondent_page(
            compiled,
            section=section,
            page=compiled.page_questions(section, response.answers),
            language=language,
            answers=response.answers,
            errors=errors,
            raw=raw,
            seed=str(response.pk),
            page_number=page_number,
            page_count=len(pages),
            csrf_token=_form_token(request),
            action_url=links.page_in(language),
            later_url=links.later,
        )
    return _private(HttpResponse(html))


@xframe_options_exempt
def done(request: HttpRequest, token: str) -> HttpResponse:
    collector = _collector(token)
    compiled = answering.compiled_for(collector.round.version)
    response = _current_response(request, token)
    language = response.language if response else _language(request, collector, compiled)
    return _render(
        request,
        "survey/respond/done.html",
        language,
        {
            "compiled": compiled,
            "receipt": response.receipt_code
            if response and response.status == ResponseStatus.COMPLETE
            else "",
            "token": token,
        },
    )


@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def later(request: HttpRequest, token: str) -> HttpResponse:
    """A link to continue on another day or device, shown and, if asked, emailed (not kept)."""
    collector = _collector(token)
    response = _current_response(request, token)
    if response is None or response.status == ResponseStatus.COMPLETE:
        return redirect("respond:entry", token=token)
    compiled = answering.compiled_for(collector.round.version)
    resume = answering.response_resume_link(response=response)
    link = request.build_absolute_uri(reverse("respond:resume", args=[token, resume]))
    sent = False
    error = address = ""
    if request.method == "POST":
        address = request.POST.get("email", "").strip()[:254]
        try:
            validate_email(address)
        except ValidationError:
            error = _("Enter a valid email address.")  # shown with what was typed
        else:
            answering.resume_link_email(response=response, link=link, address=address)
            sent = True
            address = ""  # not kept, not even in the page
    return _render(
        request,
        "survey/respond/later.html",
        response.language,
        {
            "compiled": compiled,
            "link": link,
            "sent": sent,
            "error": error,
            "address": address,
            "token": token,
        },
    )


def resume(request: HttpRequest, token: str, resume_token: str) -> HttpResponse:
    collector = _collector(token)
    response = answering.response_for_resume(collector=collector, token=resume_token)
    if response is None:
        return redirect("respond:entry", token=token)
    redirect_to = HttpResponseRedirect(_links(token).page_in(response.language))
    _remember(request, redirect_to, _cookie_name(token), response.pk)
    return redirect_to


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = answering.invitation_for_token(token=token)
    if found is None:
        # Mistyped, or replaced by a reminder's link: say what to do, not just "not found".
        return _render(
            request,
            "survey/respond/message.html",
            translation.get_language() or "en",
            {
                "message": _(
                    "This invitation link does not work. If we sent you a newer email, "
                    "please use the link in it."
                ),
                "kind": "unknown_invitation",
            },
            status=404,
        )
    collector = found.collector
    compiled = answering.compiled_for(collector.round.version)
    language = _language(request, collector, compiled)
    if found.used_at is not None:
        return _refusal(
            request,
            Refusal("used", _("This invitation has already been used. Thank you for taking part!")),
            language,
            compiled,
        )
    redirect_to = redirect("respond:entry", token=collector.token)
    _remember(request, redirect_to, _cookie_name(collector.token, "i"), found.pk)
    existing = answering.response_for_invitation(invitation=found)
    if existing is not None:
        _remember(request, redirect_to, _cookie_name(collector.token), existing.pk)
    return redirect_to


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest) -> HttpResponse:
    """Anyone holding a receipt code may have that response deleted.

    The survey pages link here with their interface language (?lang=), so a
    person who answered in Arabic on an English phone is not switched to English.
    """
    browser = translation.get_language() or "en"
    language = normalize_language(
        interface_language_for(normalize_language(request.GET.get("lang", "")[:16]), browser)
    )
    languages = [(code, language_name(code)) for code in LANGUAGE_NAMES]
    message = ""
    if request.method == "POST":
        try:
            answering.check_rate("withdraw", request.META)
        except Refusal as refusal:
            return _refusal(request, refusal, language)
        if answering.response_withdraw(receipt_code=request.POST.get("code", "")[:16]):
            message = _("Your answers have been deleted.")
        else:
            message = _("No answers match this code. Check the code on your receipt.")
    return _render(
        request,
        "survey/respond/withdraw.html",
        language,
        {"message": message, "languages": languages},
    )
