"""What members of the public see at /r/<collector token>/. No account, no JavaScript needed.

No cookie needed either. A survey embedded in another site's page (the embed
snippet) gets no cookie of its own in any browser today, so every form of the
answering flow carries its own signed token instead of Django's CSRF token:
- the welcome form a signed nonce, which also makes a double-clicked start one
  response;
- question pages and "continue later" the response's state: its id, signed
  (SECRET_KEY) for this link, as the resume cookie is.
A forged request cannot carry the state of someone else's response, so these
tokens protect against cross-site requests as the CSRF token did; a POST
without one still goes through Django's CSRF check. Where the browser keeps
no cookie, the links between pages carry the state too (never otherwise).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, NamedTuple
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

# Lazy: messages are worded when the page is rendered, in the respondent's language.
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.selectors import signed_in_member
from survey import answering, invitations, review, selectors
from survey.answering import Refusal
from survey.exceptions import DATABASE_AWAY
from survey.i18n import (
    LANGUAGE_NAMES,
    choose_language,
    from_keyboard,
    interface_language_for,
    is_rtl,
    language_label,
    match_language,
    normalize_language,
)
from survey.interface_texts import respondent_interface, survey_interface
from survey.logic import (
    BACK_BUTTON,
    LATER_BUTTON,
    NEXT_BUTTON,
    NO_SCRIPT_FIELD,
    PAGE_FIELD,
    STATE_FIELD,
)
from survey.models import Collector, CollectorKind, Response, ResponseStatus
from survey.page_render import (
    TEST_LINK,
    TEST_SIGNED_IN,
    respondent_page,
    thank_you_page,
    ui_part,
    welcome_page,
)

logger = logging.getLogger(__name__)

COOKIE_SALT = "cepa.response"
# In a link to the welcome page: show it even though this browser's cookie names a
# response (another person on a shared device begins their own).
RESTART = "restart"
# Added by the welcome page's redirect when the link's cookie names a response: the
# page it leads to says whose answers these are, for a device someone else used first.
RESUMED = "resumed"
COOKIE_AGE = 60 * 60 * 24 * 30
# HEAD is a GET whose page is left out: link checkers, URL shorteners and a
# ministry's IT staff (curl -I) ask only whether a link works. Refused (405), a
# survey link looked broken to them. A HEAD changes nothing, as a GET.
SHOWN_OR_SENT = ["GET", "HEAD", "POST"]
READING = ("GET", "HEAD")


def _collector(token: str) -> Collector:
    collector = selectors.collector_by_token(token=token)
    if collector is None:
        raise Http404
    return collector


class _Links(NamedTuple):
    page: str
    later: str
    done: str
    entry: str
    stop: str  # stop and delete the answers given so far

    def page_in(self, language: str) -> str:
        return f"{self.page}?lang={language}"

    def afresh_in(self, language: str) -> str:
        """The welcome page for another person on this device (answering.can_start_afresh)."""
        return f"{self.entry}?lang={language}&{RESTART}=1"


@lru_cache(maxsize=4096)
def _links_under(token: str, prefix: str) -> _Links:
    del prefix  # part of the cache key: reverse() writes it in
    return _Links(
        reverse("respond:page", args=[token]),
        reverse("respond:later", args=[token]),
        reverse("respond:done", args=[token]),
        reverse("respond:entry", args=[token]),
        reverse("respond:stop", args=[token]),
    )


def _links(token: str) -> _Links:
    """A link's addresses, worked out once: every page a respondent sees needs them."""
    return _links_under(token, get_script_prefix())


def _interface(language: str, compiled: Any = None) -> Any:
    """Buttons and messages in the respondent's language, or as near as the survey has it.

    Often that is the language already active (from the browser), and then
    respondent_interface switches nothing.
    """
    if compiled is None:
        return respondent_interface(language, "")
    return survey_interface(compiled, language)


NONCE_SALT = "cepa.respond.nonce"
# Set with the welcome page: when it comes back with the consent, this browser
# keeps cookies, and the links between pages need not carry the state.
COOKIE_CHECK = "cepa_ok"


def _nonce_signer() -> signing.Signer:
    return _signer(NONCE_SALT, settings.SECRET_KEY)


def _new_nonce() -> str:
    return _nonce_signer().sign(secrets.token_hex(16))


def _nonce(request: HttpRequest) -> str | None:
    """The random part of the signed nonce posted with the form, if it is one of ours."""
    try:
        return _nonce_signer().unsign(request.POST.get("nonce", "")[:200])
    except signing.BadSignature:
        return None


def _state_signer(token: str) -> signing.Signer:
    return _signer(f"cepa.state.{token}", settings.SECRET_KEY)


@lru_cache(maxsize=4096)
def _signer(salt: str, secret_key: str) -> signing.Signer:
    """Made once per salt (the nonce's, each link's state): every page checks one and writes one."""
    del secret_key  # part of the cache key: another key, another signer
    return signing.Signer(salt=salt)


def _state_for(token: str, response_pk: int) -> str:
    return _state_signer(token).sign(str(response_pk))


def _unsigned_state(token: str, raw: str) -> str | None:
    try:
        return _state_signer(token).unsign(raw)
    except signing.BadSignature:
        return None


def _posted_state(request: HttpRequest, token: str) -> str | None:
    """The response id from the state sent with the form (POST) or the link (GET), if valid.

    Checked once per request (the token check and the view both ask).
    """
    known = getattr(request, "_cepa_posted", None)
    if known is None or known[0] != token:
        # Links carry it as ?state=; forms as a field no question code can clash with.
        if request.method == "POST":
            raw = request.POST.get(STATE_FIELD, "")[:200]
        else:
            raw = request.GET.get("state", "")[:200]
        known = (token, _unsigned_state(token, raw) if raw else None, raw)
        request._cepa_posted = known
    return known[1]


def _state_of(request: HttpRequest, token: str, response: Response) -> str:
    """The signed state for the next form: the one this request came with, when it has one.

    The page goes back only to whoever sent that state; signing afresh would
    give the same access for the cost of an HMAC.
    """
    if _posted_state(request, token) == str(response.pk):
        return request._cepa_posted[2]
    return _state_for(token, response.pk)


def _carried_state(request: HttpRequest, token: str, response: Response) -> str:
    """The state the links of the next page must carry: none when this browser keeps cookies."""
    if _cookie_name(token) in request.COOKIES or COOKIE_CHECK in request.COOKIES:
        return ""
    return _state_of(request, token, response)


def _page_address(token: str, language: str, page_number: int, carry: str, typed: str = "") -> str:
    """Where a page is read with a GET: what the browser's history keeps of it.

    `typed` names what was typed on a page sent back with errors (answering.typed_page).
    """
    address = f"{_links(token).page_in(language)}&p={page_number}"
    return _carry(f"{address}&typed={typed}" if typed else address, carry)


def _carry(url: str, state: str) -> str:
    """A link that brings the response's state along (empty state: the link as it is)."""
    if not state:
        return url
    return f"{url}{'&' if '?' in url else '?'}state={quote(state, safe='')}"


def _own_form_token(
    kind: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Accept a POST that carries the flow's own signed token of `kind`; others get Django's check.

    "nonce" (welcome and deletion forms) proves only that the form came from
    this site: fine where nothing of the sender's is at stake. "state" names the
    response itself, so only the person answering has it: where a response is
    changed or its link mailed, nothing less will do.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                if kind == "nonce":
                    ours = _nonce(request) is not None
                else:
                    ours = _posted_state(request, kwargs["token"]) is not None
                if not ours:
                    # `view` is the undecorated function: Django checks it as not exempt.
                    refused = CsrfViewMiddleware(view).process_view(request, view, (), {})
                    if refused is not None:
                        return refused
            return view(request, *args, **kwargs)

        return csrf_exempt(checked)

    return decorate


# The page form's fields before they were renamed apart from question codes
# (survey.logic.STATE_FIELD...): a page loaded before an upgrade and sent after it.
_FIELDS_BEFORE_RENAME = {
    "state": STATE_FIELD,
    "page": PAGE_FIELD,
    "next": NEXT_BUTTON,
    "back": BACK_BUTTON,
    "later": LATER_BUTTON,
}


def _loaded_before_the_rename(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A form from a page loaded before the upgrade is read under the new names.

    Without this, each person with a survey page open during an upgrade met a
    refusal ("your browser did not send this site's cookie") at their next
    press. Only a form without the new state field is read so: the page's own
    answers keep their names (a question coded state kept its clash there, as
    it had before).
    """

    @wraps(view)
    def read(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and STATE_FIELD not in request.POST and "state" in request.POST:
            renamed = request.POST.copy()
            for old, new in _FIELDS_BEFORE_RENAME.items():
                if old in renamed:
                    renamed.setlist(new, renamed.pop(old))
            request.POST = renamed
        return view(request, *args, **kwargs)

    return read


def _kept_if_not_saved(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A form the database could not take comes back as a page that sends it again.

    Why: the respondent would otherwise meet an error page, and what they had
    typed on this page would be gone; most would not type it twice. Everything
    posted waits in that page, hidden, behind one button. Sending it twice is
    safe: a page is saved by its number and a start by its nonce, both posted.
    A GET loses nothing: it gets the error page, with a button to load the page
    again (survey.refusal_views.server_error).
    """

    @wraps(view)
    def kept(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DATABASE_AWAY:
            if request.method != "POST":
                raise
            logger.exception("A respondent's form was not saved; they can send it again")
            return _not_saved(request)

    return kept


def asked_interface_language(request: HttpRequest) -> str:
    """The interface language for a respondent's page that cannot read its survey.

    The language the address or form asks for (survey pages pass theirs on,
    ?lang=), when the interface has it; else the browser's. So a person who
    answers in Arabic on an English phone stays in Arabic, without the database.
    """
    asked = normalize_language((request.GET.get("lang") or request.POST.get("lang", ""))[:16])
    return normalize_language(interface_language_for(asked, translation.get_language() or "en"))


def _not_saved(request: HttpRequest) -> HttpResponse:
    """The page that holds an unsaved form; it needs nothing from the database."""
    page = _render(
        request,
        "survey/respond/not_saved.html",
        asked_interface_language(request),
        {
            "action": request.get_full_path(),
            "posted": [(name, value) for name, values in request.POST.lists() for value in values],
        },
        status=503,
    )
    page["Retry-After"] = "10"
    return page


# Respondent pages load their script, style sheet and icon from this site and
# nothing else, run no inline script and send forms only here. Agencies' texts
# are escaped when written into a page; should a way around that ever be found,
# this header keeps a script that got in from running, or from sending answers
# elsewhere. No frame-ancestors: the embed snippet puts these pages on any site.
RESPONDENT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)


def _private(response: HttpResponse, language: str) -> HttpResponse:
    """Respondent pages must never be kept by a browser or proxy cache: they hold answers,
    the receipt code, or the link that opens a response ("continue later").

    Their language is the survey's, not the browser's that LocaleMiddleware
    would otherwise name in Content-Language.
    """
    response["Cache-Control"] = "no-store, private"
    response["Content-Language"] = language
    response["Content-Security-Policy"] = RESPONDENT_CSP
    return response


@lru_cache(maxsize=4096)
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


def _testing(request: HttpRequest, collector: Collector) -> str:
    """Whether what this browser sends is a test, left out of the results: how, or "".

    TEST_LINK: the collector is a staff test link. TEST_SIGNED_IN: a browser
    signed in to the agency that runs the survey. Respondents have no account,
    so no session cookie: for them this is one lookup in the request's cookies
    (survey.review.response_leave_out_as_test).
    """
    if collector.kind == CollectorKind.TEST:
        return TEST_LINK
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not session_key:
        return ""
    survey = collector.round.version.survey  # read once, on the link's shared instances
    if signed_in_member(session_key=session_key, agency_id=survey.agency_id):
        return TEST_SIGNED_IN
    return ""


def _current_response(request: HttpRequest, token: str) -> Response | None:
    """The response this browser is answering: from the form or link's state, else the cookie."""
    pk = _posted_state(request, token)
    if pk is None:
        pk = request.get_signed_cookie(_cookie_name(token), default=None, salt=COOKIE_SALT)
    if pk is None:
        return None
    response = selectors.response_with_collector(response_id=pk, collector_token=token)
    if response is not None and response.status == ResponseStatus.ERASED:
        # Erased when its round ended: should the round be extended, this browser
        # begins anew, as after a withdrawal.
        return None
    return response


def _language(request: HttpRequest, collector: Collector, compiled: Any) -> str:
    asked = match_language(
        compiled.languages, (request.GET.get("lang") or request.POST.get("lang") or "")[:16]
    )
    if asked:
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
    with _interface(language, context.get("compiled")):
        context["ui_language"] = translation.get_language()
        context["ui_attr"] = ui_part(language)
        return _private(render(request, template, context, status=status), language)


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


def _resumed_address(token: str, request: HttpRequest, response: Response) -> str:
    """Where the link leads a browser that already has a response: its page, or the thanks."""
    if response.status == ResponseStatus.COMPLETE:
        return f"{_links(token).done}?lang={response.language}"
    # A link may ask for a language (?lang=): pass it on to the page.
    answered = answering.compiled_for(response.version)  # the round's may be newer
    asked = match_language(answered.languages, request.GET.get("lang", "")[:16])
    return _links(token).page_in(asked or response.language)


@xframe_options_exempt
@require_http_methods(SHOWN_OR_SENT)
@_own_form_token("nonce")
@_kept_if_not_saved
def entry(request: HttpRequest, token: str) -> HttpResponse:
    """Welcome, privacy notice and consent; or straight back to the page where one stopped."""
    collector = _collector(token)
    compiled = answering.compiled_for(collector.round.version)
    language = _language(request, collector, compiled)
    response = _current_response(request, token)
    restart = RESTART in request.GET
    if response is not None and request.method in READING and not restart:
        carry = _carried_state(request, token, response)
        if carry:  # the state came in the address, not from a cookie kept on this device
            return HttpResponseRedirect(_carry(_resumed_address(token, request, response), carry))
        # Whoever opens the link on this device may not be who answered here before:
        # the page they land on says so, and how to begin anew.
        return HttpResponseRedirect(f"{_resumed_address(token, request, response)}&{RESUMED}=1")
    invitation = None
    invitation_pk = request.get_signed_cookie(
        _cookie_name(collector.token, "i"), default=None, salt=COOKIE_SALT
    )
    if invitation_pk:
        invitation = answering.invitation_of(collector=collector, invitation_id=invitation_pk)
    error = ""
    consent = ask_sum = False
    if request.method == "POST":
        if request.POST.get("website"):  # the honeypot: people never see this field
            return HttpResponseRedirect(_links(token).done)
        consent = bool(request.POST.get("consent"))
        sum_token = request.POST.get("challenge_token", "")
        # A sum was on the page (the collector asks for one, or the connection was busy):
        # a wrong answer gets a new sum, and the consent stays ticked.
        ask_sum = collector.challenge or bool(sum_token)
        error = answering.consent_problem(
            collector=collector,
            consent=consent,
            challenge_token=sum_token,
            challenge_answer=request.POST.get("challenge", ""),
            start_key=_nonce(request) or "",
        )
        if not error:
            try:
                ip_hash = answering.check_start_rate(request.META, challenge_solved=bool(sum_token))
            except answering.ChallengeNeeded:
                error, ask_sum = answering.BUSY_CONNECTION, True
            except Refusal as refusal:
                return _refusal(request, refusal, language, compiled)
        if not error:
            try:
                response = answering.response_start(
                    collector=collector,
                    language=language,
                    nonce=_nonce(request) or secrets.token_hex(16),
                    ip_hash=ip_hash,
                    invitation=invitation,
                )
            except Refusal as refusal:
                return _refusal(request, refusal, language, compiled)
            carry = _carried_state(request, token, response)
            if response.status == ResponseStatus.COMPLETE:
                answer = HttpResponseRedirect(_carry(_links(token).done, carry))
            elif NO_SCRIPT_FIELD in request.POST:
                answer = HttpResponseRedirect(
                    _page_address(token, response.language, response.page, carry)
                )
            else:
                # Page 1 comes in the answer to the consent: no redirect round trip.
                answer = _page(
                    request,
                    token,
                    response,
                    compiled,
                    response.language,
                    {},
                    {},
                    response.page,
                    carry,
                )
            _remember(request, answer, _cookie_name(token), response.pk)
            return answer
    try:
        answering.check_respondent_can_start(collector, invitation)
    except Refusal as refusal:
        return _refusal(request, refusal, language, compiled)
    with _interface(language, compiled):
        html = welcome_page(
            compiled,
            language=language,
            nonce=_new_nonce(),
            error=error,
            challenge=answering.challenge_new() if collector.challenge or ask_sum else None,
            consent=consent,
            test=_testing(request, collector),
        )
    if restart:  # its language links must not lead back to the answers already here
        html = html.replace('href="?lang=', f'href="?{RESTART}=1&amp;lang=')
    welcome = _private(HttpResponse(html), language)
    if COOKIE_CHECK not in request.COOKIES:
        welcome.set_cookie(
            COOKIE_CHECK, "1", max_age=COOKIE_AGE, samesite="Lax", secure=request.is_secure()
        )
    return welcome


@xframe_options_exempt
@require_http_methods(SHOWN_OR_SENT)
@_loaded_before_the_rename
@_own_form_token("state")
@_kept_if_not_saved
def page(request: HttpRequest, token: str) -> HttpResponse:
    response = _current_response(request, token)
    if response is None:
        return redirect("respond:entry", token=token)
    carry = _carried_state(request, token, response)
    if response.status == ResponseStatus.COMPLETE:
        return HttpResponseRedirect(_carry(_links(token).done, carry))
    # The version this person began: the round may have moved to a newer one since
    # (fieldwork.round_move_to_version), and its pages are not the ones they saw.
    compiled = answering.compiled_for(response.version)
    language = response.language
    asked = match_language(compiled.languages, request.GET.get("lang", "")[:16])
    if asked and asked != language:
        language = asked
        answering.response_set_language(response=response, language=language)
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}
    page_number = response.page
    try:
        answering.check_can_continue(response)
        if request.method in READING and "p" in request.GET:  # back or forward in the history
            page_number = answering.page_to_show(
                response=response, compiled=compiled, asked=request.GET["p"][:9]
            )
            kept = answering.typed_page(response=response, key=request.GET.get("typed", ""))
            if kept is not None and kept.page == page_number:
                errors, raw = kept.errors, kept.raw
        if request.method == "POST":
            try:
                posted_page = int(request.POST.get(PAGE_FIELD, response.page))
            except ValueError:
                posted_page = response.page
            try:
                answering.check_rate("save", request.META)
            except Refusal as refusal:
                # Too many pages from this address: nothing is saved, but the page comes
                # back with what was typed, to send again in a moment.
                with _interface(language, compiled):
                    raw = compiled.page_as_typed(
                        response.answers, posted_page, request.POST, language
                    )
                page = _page(
                    request,
                    token,
                    response,
                    compiled,
                    language,
                    {},
                    raw,
                    posted_page,
                    carry,
                    notice=refusal.message,
                )
                page.status_code = 429
                return page
            # Errors are worded as the page is checked: in the respondent's language,
            # not the browser's (a person may pick Arabic on an English phone).
            with _interface(language, compiled):
                outcome = answering.response_save_page(
                    response=response,
                    compiled=compiled,
                    page=posted_page,
                    post=request.POST,
                    going_back=BACK_BUTTON in request.POST,
                    pausing=LATER_BUTTON in request.POST,
                )
            if outcome.finished:
                test = _testing(request, response.collector)
                if test:
                    review.response_leave_out_as_test(response=response)
                thanks = _carry(_links(token).done, carry)
                if NO_SCRIPT_FIELD in request.POST:
                    return HttpResponseRedirect(thanks)
                # The thank-you page comes in the answer, as each next page does: one
                # round trip fewer on a poor connection, at the moment of the survey's
                # message. respond.js gives it the thank-you page's address.
                return _thank_you(
                    request, token, response.collector, response, address=thanks, test=test
                )
            if LATER_BUTTON in request.POST:  # this page's answers are saved first
                return HttpResponseRedirect(_carry(_links(token).later, carry))
            # The next page (or this one with its errors) comes in the answer to the POST:
            # one round trip a page instead of two on a poor connection. respond.js turns
            # the entry into a plain GET of this page (?p=), so reload does not resubmit
            # and the browser's back button goes to the page before. A browser running
            # no script gets the GET by a redirect instead; a page with errors is kept
            # for that GET with what was typed.
            errors, raw, page_number = outcome.errors, outcome.raw, outcome.next_page or page_number
            if NO_SCRIPT_FIELD in request.POST:
                typed = ""
                if errors or raw:
                    typed = answering.typed_page_keep(
                        response=response, page=page_number, errors=errors, raw=raw
                    )
                if typed or not (errors or raw):
                    return HttpResponseRedirect(
                        _page_address(token, language, page_number, carry, typed)
                    )
                # Not kept (the cache is out of reach): the page with its errors comes in
                # the answer to the POST. A reload then asks to send the form again,
                # which is better than the page without its errors.
    except Refusal as refusal:
        return _refusal(request, refusal, language, compiled)
    afresh = ""
    if RESUMED in request.GET and answering.can_start_afresh(response.collector):
        afresh = _links(token).afresh_in(language)
    return _page(
        request, token, response, compiled, language, errors, raw, page_number, carry, afresh=afresh
    )


def _page(
    request: HttpRequest,
    token: str,
    response: Response,
    compiled: Any,
    language: str,
    errors: dict[str, str],
    raw: dict[str, Any],
    page_number: int,
    carry: str,
    notice: str = "",
    afresh: str = "",
) -> HttpResponse:
    """A question page; `carry` (the state) goes into its links when the browser keeps no cookie.

    `afresh`: the address where another person on this device begins their own
    answers, offered when the link brought this browser back to a response.
    """
    pages = compiled.visible_sections(response.answers)
    page_number = max(1, min(page_number, len(pages)))
    section = pages[page_number - 1]
    links = _links(token)
    with _interface(language, compiled):
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
            state=carry or _state_of(request, token, response),
            action_url=links.page_in(language),
            notice=str(notice),
            afresh_url=afresh,
            stop_url=links.stop,
        )
    if carry:  # the language links and the one to stop bring the state along too,
        for address in (links.page, links.stop):
            html = html.replace(
                f'href="{address}?lang=',
                f'href="{address}?state={quote(carry, safe="")}&amp;lang=',
            )
        # and so does the address respond.js gives this page in the history.
        html = html.replace('<form method="post"', '<form data-carry method="post"', 1)
    return _private(HttpResponse(html), language)


def embed_script(request: HttpRequest) -> HttpResponse:
    """/r/embed.js, which embed snippets load: the script at its current static address.

    Snippets pasted into other sites name this address, which never changes;
    the script's own address changes with its content (hashed static files),
    so that browsers keep it for long yet get a new one at once.
    """
    answer = HttpResponseRedirect(static("js/embed.js"))
    patch_cache_control(answer, public=True, max_age=86400)
    return answer


@xframe_options_exempt
def done(request: HttpRequest, token: str) -> HttpResponse:
    collector = _collector(token)
    response = _current_response(request, token)
    test = _testing(request, collector) if response is not None else ""
    return _thank_you(request, token, collector, response, test=test)


def _thank_you(
    request: HttpRequest,
    token: str,
    collector: Collector,
    response: Response | None,
    address: str = "",
    test: str = "",
) -> HttpResponse:
    """The thank-you page; `address`: its own, when it comes in the answer to the last page.

    `test`: how what was sent is a test (_testing), or "".
    """
    # The thank-you message of the version answered (the round may have moved on since).
    compiled = answering.compiled_for(response.version if response else collector.round.version)
    language = response.language if response else _language(request, collector, compiled)
    complete = response is not None and response.status == ResponseStatus.COMPLETE
    # The link brought this browser here: its answers were sent before, maybe by
    # someone else, who may begin their own (answering.can_start_afresh).
    reopened = RESUMED in request.GET
    with _interface(language, compiled):
        html = thank_you_page(
            compiled,
            language=language,
            receipt=response.receipt_code
            if complete and answering.receipt_shown(response, reopened=reopened)
            else "",
            complete=complete,
            answered_before=complete and reopened,
            afresh_url=_links(token).afresh_in(language)
            if answering.can_start_afresh(collector)
            else "",
            address=address,
            test=test if complete else "",
        )
    return _private(HttpResponse(html), language)


@xframe_options_exempt
@require_http_methods(SHOWN_OR_SENT)
@_loaded_before_the_rename
@_own_form_token("state")
@_kept_if_not_saved
def later(request: HttpRequest, token: str) -> HttpResponse:
    """A link to continue on another day or device, shown and, if asked, emailed (not kept)."""
    _collector(token)  # an unknown link: not found
    response = _current_response(request, token)
    if response is None or response.status == ResponseStatus.COMPLETE:
        return redirect("respond:entry", token=token)
    carry = _carried_state(request, token, response)
    compiled = answering.compiled_for(response.version)
    resume = answering.response_resume_link(response=response)
    link = request.build_absolute_uri(reverse("respond:resume", args=[token, resume]))
    sent = False
    error = address = ""
    if request.method == "POST":
        # ｎａｍｅ＠ｅｘａｍｐｌｅ．ｏｒｇ, typed in full width, is the same address.
        address = from_keyboard(request.POST.get("email", "")).strip()[:254]
        try:
            validate_email(address)
            answering.check_rate("mail", request.META)
        except ValidationError:
            error = _("Enter a valid email address.")  # shown with what was typed
        except Refusal as refusal:
            error = refusal.message
        else:
            if answering.resume_link_email(response=response, link=link, address=address):
                sent = True
                address = ""  # not kept, not even in the page
            else:  # the address stays in the field, to send again later
                error = _(
                    "The email could not be sent just now. Please copy the link above, "
                    "or try again in a few minutes."
                )
    return _render(
        request,
        "survey/respond/later.html",
        response.language,
        {
            "compiled": compiled,
            "link": link,
            "until": answering.continue_until(response.collector.round),
            "sent": sent,
            "error": error,
            "address": address,
            "state": carry or _state_of(request, token, response),
            "state_field": STATE_FIELD,
            "back_url": _carry(_links(token).page, carry),
            "stop_url": _carry(_links(token).stop, carry),
        },
    )


@xframe_options_exempt
@require_http_methods(SHOWN_OR_SENT)
@_own_form_token("state")
@_kept_if_not_saved
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop before the end and have the answers given so far deleted.

    The receipt code that deletes answers comes only once they are sent: before
    that, the "Delete my answers" link of a question page leads here. It asks
    first (a press deletes for good) and needs the response's own state.
    """
    _collector(token)  # an unknown link: not found
    response = _current_response(request, token)
    receipt_form = f"{reverse('respond:withdraw')}?lang={asked_interface_language(request)}"
    if response is None or response.status == ResponseStatus.COMPLETE:
        return HttpResponseRedirect(receipt_form)  # sent, or nothing begun: the receipt's way
    compiled = answering.compiled_for(response.version)
    if request.method == "POST":
        if not answering.response_delete_unfinished(response=response):
            return HttpResponseRedirect(receipt_form)  # sent meanwhile, from another tab
        page = _render(
            request,
            "survey/respond/stop.html",
            response.language,
            {"compiled": compiled, "deleted": True},
        )
        page.delete_cookie(_cookie_name(token))
        return page
    carry = _carried_state(request, token, response)
    return _render(
        request,
        "survey/respond/stop.html",
        response.language,
        {
            "compiled": compiled,
            "state": carry or _state_of(request, token, response),
            "state_field": STATE_FIELD,
            "back_url": _carry(_links(token).page_in(response.language), carry),
            "stop_url": _carry(_links(token).stop, carry),
        },
    )


def resume(request: HttpRequest, token: str, resume_token: str) -> HttpResponse:
    collector = _collector(token)
    response = answering.response_for_resume(collector=collector, token=resume_token)
    if response is None:
        return redirect("respond:entry", token=token)
    # Opened where no cookie of ours came (another device, or inside another site's
    # page), the first page carries the state: the cookie may not be kept.
    carry = _carried_state(request, token, response)
    redirect_to = HttpResponseRedirect(_carry(_links(token).page_in(response.language), carry))
    _remember(request, redirect_to, _cookie_name(token), response.pk)
    return redirect_to


def message_page(
    request: HttpRequest,
    message: str,
    detail: str,
    kind: str,
    status: int,
    *,
    language: str = "",
    again: str = "",
) -> HttpResponse:
    """A respondent's page with one message, in the browser's language, outside any survey.

    For an unknown invitation, and for the pages the site shows on a respondent's
    address (survey.refusal_views): no survey is known there, so no agency's texts apply.
    `again`: an address to load again, offered as a button.
    """
    return _render(
        request,
        "survey/respond/message.html",
        language or translation.get_language() or "en",
        {"message": message, "detail": detail, "kind": kind, "again": again},
        status=status,
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = answering.invitation_for_token(token=token)
    if found is None:
        # Mistyped, or replaced by a reminder's link: say what to do, not just "not found".
        return message_page(
            request,
            _(
                "This invitation link does not work. If we sent you a newer email, "
                "please use the link in it."
            ),
            "",
            kind="unknown_invitation",
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


# Mail programs' "unsubscribe" button posts to this address with no form token of
# ours (RFC 8058); the signed address itself is what only the person was sent.
@csrf_exempt
@require_http_methods(SHOWN_OR_SENT)
@_kept_if_not_saved
def invitation_stop(request: HttpRequest, signed: str) -> HttpResponse:
    """No more emails about this survey: a page that asks, and the one-click answer."""
    found = invitations.invitation_for_stop_token(signed)
    if found is None:
        return message_page(
            request,
            _("This link does not work. Please check that the whole address was copied."),
            "",
            kind="unknown_stop",
            status=404,
        )
    compiled = answering.compiled_for(found.collector.round.version)
    language = _language(request, found.collector, compiled)
    if request.method == "POST":
        invitations.invitation_decline(invitation=found)
    return _render(
        request,
        "survey/respond/stop_emails.html",
        language,
        {"compiled": compiled, "done": request.method == "POST" or found.declined_at is not None},
    )


@xframe_options_exempt
@require_http_methods(SHOWN_OR_SENT)
@_own_form_token("nonce")
@_kept_if_not_saved
def withdraw(request: HttpRequest) -> HttpResponse:
    """Anyone holding a receipt code may have that response deleted.

    The survey pages link here with their interface language (?lang=), so a
    person who answered in Arabic on an English phone is not switched to English.
    """
    language = asked_interface_language(request)
    languages = [(code, *language_label(code)) for code in LANGUAGE_NAMES]
    deleted = False
    error = code = ""
    if request.method == "POST":
        code = request.POST.get("code", "").strip()[:32]  # shown again with its error
        if not answering.receipt_code_read(code):
            error = _("Enter the code from your receipt.")
        else:
            try:
                answering.check_rate("withdraw", request.META)
            except Refusal as refusal:
                return _refusal(request, refusal, language)
            if answering.response_withdraw(receipt_code=code):
                deleted, code = True, ""
            else:
                error = _("No answers match this code. Check the code on your receipt.")
    return _render(
        request,
        "survey/respond/withdraw.html",
        language,
        {
            "deleted": deleted,
            "error": error,
            "code": code,
            "languages": languages,
            "nonce": _new_nonce(),
        },
    )
