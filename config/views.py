"""The site's own small views, which need nothing from the apps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for where a page names no icon (error pages, feeds).

    Without it each such request rendered a whole 404 page, for every new visitor.
    """
    answer = HttpResponseRedirect(static("img/favicon.svg"))
    patch_cache_control(answer, max_age=86400)
    return answer
