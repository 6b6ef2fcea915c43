"""Django's middleware, made lighter on the public answering flow, where respondents are.

Respondents have no account, no session and no flash messages: their only tie
to their answers is a signed value, in a cookie or in the form
(survey.respond_views). On the answering
flow's addresses these three middleware (and the staff second-factor check,
which needs a user) would only build objects that nothing reads, on every
page of every respondent: 6.5% of the instructions of a respondent request
(benchmarks/intake_instructions.py: 3.445 M before, 3.220 M after; the lighter
LocaleMiddleware below then 3.094 M). The classes below are Django's own,
passing those requests straight on; everywhere else they behave exactly as
Django's, and Django's system checks accept them as such (they are subclasses).

What this means for the respondent views: `request.session`, `request.user`
and `django.contrib.messages` are not there. Templates still render: Django's
auth and messages context processors cope with a request without them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import middleware as auth_middleware
from django.contrib.messages import middleware as messages_middleware
from django.contrib.sessions import middleware as sessions_middleware
from django.http import HttpRequest, HttpResponse
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The answering flow (survey.respond_urls): /r/<link>/..., /r/withdraw/, /i/<invitation>/.
RESPONDENT_PREFIXES = ("/r/", "/i/")


def is_respondent_path(request: HttpRequest) -> bool:
    return request.path_info.startswith(RESPONDENT_PREFIXES)


def _not_for_respondents(base: type) -> type:
    def __call__(self: Any, request: HttpRequest) -> HttpResponse:
        if is_respondent_path(request):
            return self.get_response(request)
        return base.__call__(self, request)

    return type(base.__name__, (base,), {"__call__": __call__, "__module__": __name__})


SessionMiddleware: type = _not_for_respondents(sessions_middleware.SessionMiddleware)
AuthenticationMiddleware: type = _not_for_respondents(auth_middleware.AuthenticationMiddleware)
MessageMiddleware: type = _not_for_respondents(messages_middleware.MessageMiddleware)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, with what is always true of the answering flow's addresses written in.

    Respondent addresses never carry a language prefix (they are outside
    i18n_patterns), so Django's three path checks per request, and its 404
    redirect to a prefixed address, always come out the same there: the
    language is the browser's (cookie or Accept-Language), and the response
    varies on Accept-Language. Those checks were 4% of the instructions of a
    respondent request; elsewhere this is Django's middleware unchanged.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not is_respondent_path(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not is_respondent_path(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
