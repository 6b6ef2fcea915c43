"""Links on the thank-you page: where a respondent can act for biodiversity next.

The thank-you page is the awareness moment: the survey has just asked about
biodiversity, and a link to a local nature group, a pledge or a citizen-science
project turns that into a step. A link is also the one text that takes a
respondent off the platform, so the designer's form, the file imports (JSON,
XLSForm), the publish checks and the page itself apply this one rule: plain
web addresses only, never `javascript:` or `data:`.

Each link is `{"url": "https://…", "label": {language: text}}`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

MAX_LINKS = 5
URL_MAX = 500
LABEL_MAX = 200

_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def link_problem(url: str) -> str | None:
    """Why this address may not be shown to respondents, or None when it may."""
    if len(url) > URL_MAX:
        return _("The address is longer than %(count)d characters.") % {"count": URL_MAX}
    try:
        _WEB_ADDRESS(url)
    except ValidationError:
        return _("Enter a full web address that starts with https:// or http://.")
    return None


def link_owner(number: int) -> str:
    """How messages name link `number` (counted from 1, as the designer sees them)."""
    return _("Thank-you link %(number)d") % {"number": number}


def is_safe_link(url: Any) -> bool:
    return isinstance(url, str) and link_problem(url) is None


def links_from(value: Any) -> list[dict[str, Any]]:
    """The links of an imported file in canonical form; ValueError says what is wrong.

    A file written before links existed has none. Labels are checked for their
    shape only: a missing translation is a publish problem, as for every text.
    """
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(_("The thank-you links must be a list."))
    if len(value) > MAX_LINKS:
        raise ValueError(
            _("The most thank-you links a survey can have is %(count)d.") % {"count": MAX_LINKS}
        )
    links = []
    for number, link in enumerate(value, start=1):
        where = link_owner(number)
        if not isinstance(link, dict):
            raise ValueError(_("%(where)s is not a link.") % {"where": where})
        url = link.get("url")
        label = link.get("label")
        if not isinstance(url, str) or not isinstance(label, dict):
            raise ValueError(_("%(where)s needs an address and a text.") % {"where": where})
        problem = link_problem(url.strip())
        if problem:
            raise ValueError(f"{where}: {problem}")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in label.items()):
            raise ValueError(_("%(where)s needs an address and a text.") % {"where": where})
        if any(len(text) > LABEL_MAX for text in label.values()):
            raise ValueError(
                _("%(where)s: the text is longer than %(count)d characters.")
                % {"where": where, "count": LABEL_MAX}
            )
        links.append({"url": url.strip(), "label": {k: v.strip() for k, v in label.items()}})
    return links
