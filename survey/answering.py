"""The public answering flow: starting, saving each page, submitting, withdrawing.

Respondents have no account. A signed cookie ties a browser to its in-progress
response; nothing else identifies them. Every page save is one bounded set of
queries whatever the number of responses already stored, and the compiled
questionnaire of a published (immutable) version is cached in the process.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import smtplib
import statistics
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.mail import send_mail
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from survey import selectors
from survey.i18n import from_keyboard, interface_has
from survey.interface_texts import survey_interface
from survey.logic import CompiledSurvey, compile_survey
from survey.models import (
    Collector,
    CollectorKind,
    Invitation,
    QuestionType,
    Response,
    ResponseStatus,
    Round,
    RoundStatus,
    SurveyVersion,
)
from survey.serialization import survey_to_dict
from survey.signals import responses_changed

logger = logging.getLogger(__name__)

_COMPILED: dict[tuple[int, str], CompiledSurvey] = {}


def compiled_for(version: SurveyVersion) -> CompiledSurvey:
    """The questionnaire of a published version, compiled once per process."""
    key = (version.pk, version.content_hash)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = compile_survey(survey_to_dict(version))
        if version.content_hash:
            _COMPILED[key] = compiled
    return compiled


# ------------------------------------------------------------------ privacy


def keyed_hash(value: str, *, rotate_daily: bool = True) -> str:
    """A keyed hash (HMAC-SHA256); with daily rotation, yesterday's hashes do not link to today's."""
    key = settings.SECRET_KEY
    if rotate_daily:
        key = f"{key}:{timezone.now().date().isoformat()}"
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def client_ip_hash(meta: dict[str, Any]) -> str:
    address = meta.get("REMOTE_ADDR", "")
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        address = forwarded.split(",")[0].strip() or address
    return keyed_hash(address)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ------------------------------------------------------------------ availability


class Refusal(Exception):
    """Why a respondent cannot go on, in words meant for them.

    The message is lazy: it is worded when the page is rendered, in the
    respondent's language rather than the browser's.
    """

    def __init__(self, kind: str, message: Any) -> None:
        self.kind = kind
        self.message = message
        super().__init__(message)


def _closed_since(round_: Round, collector: Collector) -> Any:
    """When new starts stopped (None while open): the earliest of close, pause or end date."""
    now = timezone.now()
    moments = []
    # A paused round still takes a staff test link's tries (check_can_start).
    paused_for_it = round_.status == RoundStatus.CLOSED or collector.kind != CollectorKind.TEST
    if round_.status != RoundStatus.OPEN and round_.status_changed_at and paused_for_it:
        moments.append(round_.status_changed_at)
    if round_.closes_at and round_.closes_at <= now:
        moments.append(round_.closes_at)
    if not collector.active:
        moments.append(collector.paused_at or now)
    return min(moments) if moments else None


class _AgencyMoment:
    """A round's moment in the agency's time zone, as the designer set it.

    Worded when read, in the language active then: a lazy text is worded as the
    page is rendered, in the respondent's language. The zone is read once.
    """

    def __init__(self, round_: Round, moment: datetime) -> None:
        self._round, self._moment, self._zone = round_, moment, ""

    @property
    def zone_name(self) -> str:
        if not self._zone:  # a page says it twice (title and heading): one query
            self._zone = selectors.time_zone_of(version_id=self._round.version_id)
        return self._zone

    @property
    def zone(self) -> str:
        return self.zone_name.replace("_", " ")

    @property
    def date(self) -> str:
        with timezone.override(self.zone_name):
            local = timezone.localtime(self._moment)
        # The interface's languages have date formats and month names; a national
        # language has neither (Django would mix its fallback's month names into an
        # English order: "déc. 1, 2026, 9 matin"), so it gets the date in figures.
        if interface_has(translation.get_language() or ""):
            return formats.date_format(local, "DATETIME_FORMAT")
        return local.strftime("%Y-%m-%d %H:%M")


def _opening(round_: Round) -> Any:
    """When a round not yet open opens, worded when the page is rendered, in its language.

    A QR code on a poster put up before the launch is scanned early: the person
    needs the day to come back, not "later"; in the agency's time zone, as the
    designer set it.
    """
    moment = _AgencyMoment(round_, round_.opens_at)

    def text() -> str:
        return gettext("This survey opens on %(date)s (%(zone)s time). Please come back then.") % {
            "date": moment.date,
            "zone": moment.zone,
        }

    return lazy(text, str)()


def continue_until(round_: Round) -> Any:
    """Until when a person who stops may come back to finish, said where they stop.

    Their answers are erased once the round has ended (fieldwork.
    responses_erase_unfinished): a date on the "continue later" page and in its
    email lets them plan, rather than find a closed survey. Empty when the
    round has no closing date. Worded when rendered, as _opening.
    """
    if round_.closes_at is None:
        return ""
    moment = _AgencyMoment(round_, round_.closes_at)

    def text() -> str:
        return gettext(
            "You can continue until %(date)s (%(zone)s time), when the survey closes."
        ) % {"date": moment.date, "zone": moment.zone}

    return lazy(text, str)()


def check_can_start(collector: Collector) -> None:
    """Refused (Refusal) unless the round takes new starts through this collector.

    A staff test link takes them before the round opens and while it is paused,
    which is when an agency tries the real pages; never after the round ends.
    The round's target does not stop it (its tries are not the public's
    answers); a limit of its own does.
    """
    round_ = collector.round
    now = timezone.now()
    testing = collector.kind == CollectorKind.TEST
    if round_.opens_at > now and not testing:
        raise Refusal("not_open", _opening(round_))
    if round_.status == RoundStatus.CLOSED or (round_.closes_at and round_.closes_at <= now):
        raise Refusal("closed", _("This survey is closed. Thank you for your interest."))
    if (round_.status == RoundStatus.PAUSED and not testing) or not collector.active:
        raise Refusal("paused", _("This survey is paused for now. Please come back later."))
    if collector_full(collector):
        raise Refusal(
            "full",
            _(
                "This link has all the answers it was meant to collect. "
                "Thank you for your interest."
            ),
        )
    if not testing and round_full(round_):
        raise Refusal(
            "full",
            _(
                "This survey has all the answers it was meant to collect. "
                "Thank you for your interest."
            ),
        )


def collector_full(collector: Collector) -> bool:
    """Whether the collector's completed responses have reached its limit (none: never).

    Counted when a person would start: those who already began can still finish
    (as when a round closes), so the count can pass the limit by a few. Without a
    limit nothing is counted: the answering path reads one attribute.
    """
    if not collector.response_limit:
        return False
    completed = Response.objects.filter(collector_id=collector.pk, status=ResponseStatus.COMPLETE)
    return collector_limit_reached(collector, completed.count())


def collector_limit_reached(collector: Collector, completed: int) -> bool:
    """The rule of collector_full, for a page that has counted the completed responses."""
    return bool(collector.response_limit) and completed >= collector.response_limit


def round_full(round_: Round) -> bool:
    """Whether a round that stops at its target has reached it (see collector_full)."""
    if not (round_.stop_at_target and round_.target_responses):
        return False
    completed = Response.objects.filter(round_id=round_.pk, status=ResponseStatus.COMPLETE).exclude(
        collector__kind=CollectorKind.TEST
    )  # tries are not the public's answers
    return round_target_stops_starts(round_, completed.count())


def round_target_stops_starts(round_: Round, completed: int) -> bool:
    """The rule of round_full, for a page that has counted the completed responses."""
    target = round_.target_responses
    return round_.stop_at_target and bool(target) and completed >= target


def check_respondent_can_start(collector: Collector, invitation: Invitation | None) -> None:
    """check_can_start, and an email collector's own rule: only its invitations start.

    Its address (/r/<token>/) is where an invitation link leads, so it shows in
    the browser and can be passed on; without this, whoever it reached could
    answer as often as they liked, among people the agency chose to invite.
    """
    check_can_start(collector)
    if collector.kind == CollectorKind.EMAIL and invitation is None:
        raise Refusal(
            "invitation_only",
            _(
                "This survey is answered by invitation only. Please open it with the link "
                "in the email you received."
            ),
        )


def can_start_afresh(collector: Collector) -> bool:
    """Whether another person on the same device may begin their own answers here.

    A household often shares one phone, and a class or a stand at an event one
    tablet: the link's cookie would take the next person to the first one's
    thank-you page, or into their unfinished answers. A public link, QR code or
    embed that takes new starts lets them begin anew (the cookie is a
    convenience, not a limit: a private window always could). An email
    collector's invitation is one person's, so there the answer is no.
    """
    if collector.kind == CollectorKind.EMAIL:
        return False
    try:
        check_can_start(collector)
    except Refusal:
        return False
    return True


# How long after sending the thank-you page still shows the receipt code: a reload
# or a slow connection's retry keeps it, a later visit does not.
RECEIPT_SHOWN_FOR = timedelta(minutes=30)


def receipt_shown(response: Response, *, reopened: bool) -> bool:
    """Whether the thank-you page shows this response's receipt code.

    The code is enough to delete the answers (response_withdraw), and a shared
    phone or a stand's tablet keeps the thank-you page in its cookie and
    history: so only the person who has just sent the answers sees it, not
    whoever opens the link again (reopened) or the page later.
    """
    if reopened or response.status != ResponseStatus.COMPLETE or not response.receipt_code:
        return False
    sent = response.submitted_at
    return sent is not None and timezone.now() - sent <= RECEIPT_SHOWN_FOR


def check_can_continue(response: Response) -> None:
    """People mid-survey may finish within the grace period after a pause or the close."""
    collector = response.collector
    since = _closed_since(collector.round, collector)
    if since is None:
        return
    if timezone.now() > since + timedelta(minutes=collector.round.grace_minutes):
        raise Refusal(
            "closed",
            _("This survey closed and the time to finish has passed. Thank you for your time."),
        )


# ------------------------------------------------------------------ rate limits


def rate_count(kind: str, ip_hash: str, *, seconds: int) -> int:
    """Count an event for this address hash; the events in this window so far, this one too.

    The counter usually exists (it counts every page), so one increment is
    tried first and the counter made only when missing: one cache call, not two.
    """
    # 128 bits of the hash are plenty for a counter, and a shorter key is cheaper to check.
    key = f"cepa:rl:{kind}:{ip_hash[:32]}:{int(timezone.now().timestamp()) // seconds}"
    try:
        return cache.incr(key)
    except ValueError:  # no counter yet in this window
        return 1 if cache.add(key, 1, timeout=seconds) else cache.incr(key)


def limit(kind: str) -> tuple[int, int]:
    """(events, seconds) allowed per address hash; RESPONDENT_RATE_LIMITS overrides."""
    defaults = {"start": (30, 3600), "save": (120, 60), "withdraw": (10, 3600), "mail": (5, 3600)}
    return tuple(getattr(settings, "RESPONDENT_RATE_LIMITS", {}).get(kind, defaults[kind]))


_TOO_MANY = {
    "start": _("Too many surveys were started from this connection. Please try again later."),
    "save": _("Too many pages were sent from this connection. Please wait a minute and try again."),
    "withdraw": _("Too many attempts. Please try again later."),
    "mail": _(
        "Too many emails were asked for from this connection. Please copy the link instead, "
        "or try again in an hour."
    ),
}


# Past the start limit, people may still start by answering the small sum, up to
# this many times the limit: a class, an office or a mobile network shares one
# address, and a robot is what the limit is for.
START_HARD_FACTOR = 10


class ChallengeNeeded(Exception):
    """Many starts from this address: this one goes on once the small sum is answered."""


def check_start_rate(meta: dict[str, Any], *, challenge_solved: bool) -> str:
    """Count a start for the request's address; its hash.

    Past the limit a start needs the small sum (ChallengeNeeded); far past it,
    a Refusal.
    """
    ip_hash = client_ip_hash(meta)
    allowed, window = limit("start")
    count = rate_count("start", ip_hash, seconds=window)
    if count > allowed * START_HARD_FACTOR:
        raise Refusal("rate_limited", _TOO_MANY["start"])
    if count > allowed and not challenge_solved:
        raise ChallengeNeeded
    return ip_hash


def check_rate(kind: str, meta: dict[str, Any]) -> str:
    """Count one `kind` event for the request's address; its hash, or a Refusal past the limit."""
    ip_hash = client_ip_hash(meta)
    allowed, window = limit(kind)
    if rate_count(kind, ip_hash, seconds=window) > allowed:
        raise Refusal("rate_limited", _TOO_MANY[kind])
    return ip_hash


# ------------------------------------------------------------------ start


def response_start(
    *,
    collector: Collector,
    language: str,
    nonce: str,
    ip_hash: str,
    invitation: Invitation | None = None,
) -> Response:
    """The in-progress response for this start (a double click gives the same one)."""
    check_respondent_can_start(collector, invitation)
    # No look-up first: the unique (collector, nonce) constraint catches a double click.
    if invitation is not None:
        if invitation.used_at is not None:
            raise Refusal(
                "used", _("This invitation has already been used. Thank you for taking part!")
            )
        previous = response_for_invitation(invitation=invitation)
        if previous is not None:
            return previous
    response = Response(
        round_id=collector.round_id,
        version_id=collector.round.version_id,
        collector=collector,
        invitation=invitation,
        start_nonce=nonce[:32],
        language=language,
        target_group=collector.preset_target_group,
        ip_hash=ip_hash,
        receipt_code=secrets.token_hex(5).upper(),
    )
    if _insert_unless_taken(response):
        return response
    # The same start arrived twice (a double click, a retried request): the first one won.
    found = Response.objects.filter(collector=collector, start_nonce=nonce[:32]).first()
    if found is None and invitation is not None:
        found = response_for_invitation(invitation=invitation)
    if found is None:  # another unique value was taken (a receipt code drawn twice)
        raise IntegrityError("response_start: a unique value was taken; start again")
    return found


_INSERTS: dict[str, tuple[str, list[Any]]] = {}


def _insert_unless_taken(response: Response) -> bool:
    """Insert a new response; False when a unique value (start nonce, invitation) is taken.

    One INSERT ... ON CONFLICT DO NOTHING written by hand: a start needs neither
    the ORM's query building (several times the cost of the INSERT) nor a
    savepoint to survive a duplicate. Values are prepared by the model fields, as
    the ORM would; in-progress responses have no save signals to miss.
    """
    connection = connections[DEFAULT_DB_ALIAS]  # the proxy costs a lookup per attribute
    plan = _INSERTS.get(connection.vendor)
    if plan is None:
        quote = connection.ops.quote_name
        fields = [f for f in Response._meta.concrete_fields if not f.primary_key]
        plan = (
            f"INSERT INTO {quote(Response._meta.db_table)} "  # noqa: S608 (names, not values)
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            f"ON CONFLICT DO NOTHING RETURNING {quote(Response._meta.pk.column)}",
            fields,
        )
        _INSERTS[connection.vendor] = plan
    sql, fields = plan
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [f.get_db_prep_save(f.pre_save(response, add=True), connection) for f in fields]
        )
        row = cursor.fetchone()
    if row is None:
        return False
    response.pk = row[0]
    response._state.adding = False
    response._state.db = connection.alias
    return True


# ------------------------------------------------------------------ pages


@dataclass
class PageOutcome:
    errors: dict[str, str]
    raw: dict[str, Any]
    next_page: int | None  # None: the survey is finished
    finished: bool = False


def response_save_page(
    *,
    response: Response,
    compiled: CompiledSurvey,
    page: int,
    post: Any,
    going_back: bool = False,
    pausing: bool = False,
) -> PageOutcome:
    """Validate and keep one page; answers hidden by relevance are dropped, never stored.

    Saving is idempotent: the page number comes from the form, so a repeated
    POST saves the same answers again and lands on the same next page.
    """
    if response.status == ResponseStatus.COMPLETE:
        return PageOutcome({}, {}, None, finished=True)
    check_can_continue(response)
    step = compiled.submit_page(
        response.answers, page, post, response.language, going_back=going_back, pausing=pausing
    )
    if step.finished:
        _complete(response, step.answers, compiled)
        return PageOutcome({}, {}, None, finished=True)
    _store(response, step.answers, step.page)
    return PageOutcome(step.errors, step.raw, step.page)


@dataclass
class TypedPage:
    """A page that came back with errors, kept for a browser that reads it with a GET."""

    page: int
    errors: dict[str, str]
    raw: dict[str, Any]


# How long a page sent back with errors waits for a browser running no script to read
# it (at once, then again with Back or reload): long enough for a person, not for ever.
TYPED_SECONDS = 3600
# The keys typed_page_keep makes (token_urlsafe(9)).
_TYPED_KEY = re.compile(r"[A-Za-z0-9_-]{12}")


def typed_page_keep(
    *, response: Response, page: int, errors: dict[str, str], raw: dict[str, Any]
) -> str:
    """Keep what was typed on a page with errors; the key its address carries ("" if not kept).

    A browser without script cannot turn the answer to a POST into a plain
    history entry, so it is sent to a GET of the page instead; the invalid
    values typed (which are not saved as answers) wait in the cache for it: the
    shared one, as another server process may answer that GET. With it out of
    reach (config.cache) nothing waits there, and that GET would show the page
    without its errors; so the keep is read back, and "" tells the caller to
    answer the POST with the page itself.
    """
    key = secrets.token_urlsafe(9)
    kept = {
        "page": page,
        "errors": {k: str(v) for k, v in errors.items()},
        "raw": raw,
        "answers": _answers_digest(response.answers),
    }
    cache_key = _typed_cache_key(response.pk, key)
    shared = caches["shared"]
    shared.set(cache_key, kept, timeout=TYPED_SECONDS)
    return key if shared.get(cache_key) is not None else ""


def typed_page(*, response: Response, key: str) -> TypedPage | None:
    """A page kept by typed_page_keep for this response, while it is kept and still true.

    Once anything has been saved since (the page corrected, another page sent),
    its errors are old news: Back then shows the page as saved.
    """
    if not _TYPED_KEY.fullmatch(key):  # not one of typed_page_keep's: nothing kept under it
        return None
    kept = caches["shared"].get(_typed_cache_key(response.pk, key))
    if not kept or kept["answers"] != _answers_digest(response.answers):
        return None
    return TypedPage(kept["page"], kept["errors"], kept["raw"])


def _answers_digest(answers: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(answers, sort_keys=True, default=str).encode()).hexdigest()


def _typed_cache_key(response_pk: int, key: str) -> str:
    return f"cepa:typed:{response_pk}:{key}"


_UPDATES: dict[tuple[str, tuple[str, ...]], tuple[str, list[Any]]] = {}


def _update_in_progress(response: Response, **values: Any) -> int:
    """Set fields of a response still in progress; the number of rows changed (0 or 1).

    One UPDATE written by hand (and its SQL written once per set of fields): it
    runs on every page of every respondent, where building the ORM query cost
    more than running it. Values are prepared by the model fields themselves, as
    the ORM would. The status condition keeps a completed response from being
    reopened and makes completion happen once, whatever the number of clicks.
    """
    connection = connections[DEFAULT_DB_ALIAS]  # the proxy costs a lookup per attribute
    key = (connection.vendor, tuple(values))
    plan = _UPDATES.get(key)
    if plan is None:
        quote = connection.ops.quote_name
        fields = [Response._meta.get_field(name) for name in values]
        plan = (
            f"UPDATE {quote(Response._meta.db_table)} SET "  # noqa: S608 (names, not values)
            + ", ".join(f"{quote(field.column)} = %s" for field in fields)
            + f" WHERE {quote('id')} = %s AND {quote('status')} = %s",
            fields,
        )
        _UPDATES[key] = plan
    sql, fields = plan
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                *(field.get_db_prep_save(values[field.name], connection) for field in fields),
                response.pk,
                ResponseStatus.IN_PROGRESS,
            ],
        )
        changed = cursor.rowcount
    if changed:
        for name, value in values.items():
            setattr(response, name, value)
    return changed


def _store(response: Response, answers: dict[str, Any], page: int) -> None:
    _update_in_progress(response, answers=answers, page=page, updated_at=timezone.now())


def _complete(response: Response, answers: dict[str, Any], compiled: CompiledSurvey) -> None:
    now = timezone.now()
    duration = int((now - response.started_at).total_seconds())
    fingerprint = answers_fingerprint(response.ip_hash, answers)
    flags = quality_flags(
        response=response,
        answers=answers,
        compiled=compiled,
        duration=duration,
        fingerprint=fingerprint,
    )
    # A single UPDATE is atomic on its own; marking the invitation used goes with it.
    with transaction.atomic() if response.invitation_id else nullcontext():
        updated = _update_in_progress(
            response,
            answers=answers,
            status=ResponseStatus.COMPLETE,
            submitted_at=now,
            updated_at=now,
            duration_seconds=duration,
            quality_flags=flags,
            fingerprint=fingerprint or None,
            page=len(compiled.visible_sections(answers)),
        )
        if updated:
            responses_changed(response.round_id)
        if updated and response.invitation_id:
            # Answered: no reminder will follow, so an address kept for one goes now.
            Invitation.objects.filter(pk=response.invitation_id, used_at__isnull=True).update(
                used_at=now, email=""
            )
    if not updated:  # another request completed it first: show what it stored
        response.refresh_from_db()


MEDIAN_SECONDS = 60  # how long a round's median duration is reused for the speeder flag


def median_duration(round_id: int) -> float | None:
    """The median duration of the round's last 1,000 complete responses (None under 5).

    Cached for a minute: completing a response must not cost a sort over the round.
    A staff test link's tries are not the public's pace (a colleague clicking
    through in a minute, before the opening, would set the bar for the first
    respondents): left out.
    """
    key = f"survey:median-duration:{round_id}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    durations = list(
        Response.objects.filter(round_id=round_id, status=ResponseStatus.COMPLETE)
        .exclude(duration_seconds=None)
        .exclude(collector__kind=CollectorKind.TEST)
        .order_by("-submitted_at")
        .values_list("duration_seconds", flat=True)[:1000]
    )
    median = statistics.median(durations) if len(durations) >= 5 else 0.0
    cache.set(key, median, MEDIAN_SECONDS)
    return median or None


def answers_fingerprint(ip_hash: str, answers: dict[str, Any]) -> str:
    """Same connection (same day) and same answers give the same fingerprint."""
    if not ip_hash:
        return ""
    canonical = json.dumps(answers, sort_keys=True, ensure_ascii=False, default=str)
    return keyed_hash(f"{ip_hash}\x00{canonical}", rotate_daily=False)


def quality_flags(
    *,
    response: Response,
    answers: dict[str, Any],
    compiled: CompiledSurvey,
    duration: int,
    fingerprint: str | None = None,
) -> list[str]:
    """Too fast (under a third of the median so far), straight-lining on matrices, duplicate."""
    flags = []
    median = median_duration(response.round_id)
    if median is not None and duration < median / 3:
        flags.append("speeder")
    if straight_lined(compiled, answers):
        flags.append("straight_lining")
    if fingerprint is None:
        fingerprint = answers_fingerprint(response.ip_hash, answers)
    if fingerprint and _fingerprint_seen(response, fingerprint):
        flags.append("duplicate")
    return flags


def straight_lined(compiled: CompiledSurvey, answers: dict[str, Any]) -> bool:
    """One answer down every row of a table of three statements or more."""
    for question in compiled.questions.values():
        if question.type == QuestionType.MATRIX and len(question.rows) >= 3:
            values = [answers.get(f"{question.code}_{row.code}") for row in question.rows]
            if all(values) and len(set(values)) == 1:
                return True
    return False


def _fingerprint_seen(response: Response, fingerprint: str) -> bool:
    """An indexed probe, written by hand: it runs once per completed response.

    Only completion writes a fingerprint, so no status condition: with one,
    SQLite preferred the (round, status, submitted_at) index and read every
    complete response of the round, a cost that grew with the round.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {quote(Response._meta.db_table)} WHERE round_id = %s "  # noqa: S608
            f"AND fingerprint = %s AND {quote('id')} <> %s LIMIT 1",
            [response.round_id, fingerprint, response.pk or 0],
        )
        return cursor.fetchone() is not None


# ------------------------------------------------------------------ resume and withdraw


def response_resume_link(*, response: Response) -> str:
    """The response's 'continue later' token: the same each time it is asked for.

    A person may copy the link to a laptop, then open "Continue later" again on
    the phone, or mistype the address to mail it to: a fresh token each time
    would quietly kill the link already taken away. So the token is a keyed
    hash of the response (SECRET_KEY, as for the resume cookie, which gives the
    same access), and only its hash is stored, so the database alone cannot
    open a response.
    """
    token = salted_hmac("cepa.resume", str(response.pk), algorithm="sha256").hexdigest()[:32]
    hashed = token_hash(token)
    if response.resume_hash != hashed:  # the first time, or after SECRET_KEY changed
        Response.objects.filter(pk=response.pk).update(resume_hash=hashed)
        response.resume_hash = hashed
    return token


def resume_link_email(*, response: Response, link: str, address: str) -> bool:
    """Send the 'continue later' link in the respondent's language; the address is not kept.

    False when the mail server would not take it (down, refusing, out of reach):
    the respondent still has the link on the page, so that is said, not an
    error page; the failure is logged for whoever runs the mail server.
    """
    with survey_interface(compiled_for(response.version), response.language):
        body = render_to_string(
            "survey/respond/later_email.txt",
            {"link": link, "until": continue_until(response.collector.round)},
        )
        try:
            send_mail(str(_("Continue the survey later")), body, None, [address])
        except (smtplib.SMTPException, OSError):
            logger.exception("A 'continue later' email could not be sent")
            return False
    return True


def page_to_show(*, response: Response, compiled: CompiledSurvey, asked: str) -> int:
    """The page a history entry asks for (the browser's back or forward button), if it may be seen.

    Any page up to the first one still needing an answer: those are the pages
    "Next" could reach. Asking to see one changes nothing; the response stays
    on its page for "continue later" and resuming.
    """
    try:
        number = int(asked)
    except ValueError:
        return response.page
    gap = compiled.first_gap(response.answers, response.language)
    last = gap[0] if gap else len(compiled.visible_sections(response.answers))
    return number if 1 <= number <= last else response.page


def response_set_language(*, response: Response, language: str) -> None:
    """The respondent switched language mid-survey: later pages and emails follow it."""
    Response.objects.filter(pk=response.pk).update(language=language)
    response.language = language


def response_for_invitation(*, invitation: Invitation) -> Response | None:
    return Response.objects.filter(invitation=invitation).first()


def invitation_of(*, collector: Collector, invitation_id: Any) -> Invitation | None:
    """The invitation a browser's cookie names, if it belongs to this collector."""
    try:
        pk = int(invitation_id)
    except (TypeError, ValueError):
        return None
    return collector.invitations.filter(pk=pk).first()


def response_for_resume(*, collector: Collector, token: str) -> Response | None:
    return Response.objects.filter(
        collector=collector, resume_hash=token_hash(token), status=ResponseStatus.IN_PROGRESS
    ).first()


_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
# What response_start writes (token_hex(5).upper()): anything else is no code of ours,
# and is not looked up (PostgreSQL refuses a NUL in a query: an error page).
_RECEIPT_CODE = re.compile(r"[0-9A-F]{10}")


def receipt_code_read(typed: str) -> str:
    """The receipt code a person typed, as stored.

    Codes are ten hexadecimal capitals; people copy them from a screenshot or a
    printout with spaces or dashes, in small letters, or read 0 as O and 1 as I
    or l. None of those letters is in a code, so reading them so finds no other
    person's answers.
    """
    # Typed in full width (a Chinese input method) or with Arabic digits: the same code.
    kept = "".join(char for char in from_keyboard(typed).upper() if char not in " -\t")
    return kept.translate(_READ_AS)


def response_withdraw(*, receipt_code: str) -> bool:
    """Delete a response on its respondent's request; True when one was found."""
    code = receipt_code_read(receipt_code)
    if not _RECEIPT_CODE.fullmatch(code):
        return False
    deleted, _detail = Response.objects.filter(receipt_code=code).delete()
    return bool(deleted)


def response_delete_unfinished(*, response: Response) -> bool:
    """Delete a response its respondent stops before sending; True when one was deleted.

    Only while unfinished: once sent, answers are deleted with the receipt code
    (response_withdraw), which only their sender saw.
    """
    deleted, _detail = Response.objects.filter(
        pk=response.pk, status=ResponseStatus.IN_PROGRESS
    ).delete()
    return bool(deleted)


def invitation_for_token(*, token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("collector__round")
        .filter(token_hash=token_hash(token))
        .first()
    )


# ------------------------------------------------------------------ proof of humanity


def challenge_new() -> tuple[str, int, int]:
    """A small sum for the welcome page: (signed token, a, b). No outside service."""
    from django.core import signing

    a, b = secrets.randbelow(8) + 2, secrets.randbelow(8) + 2
    return signing.dumps({"s": a + b, "n": secrets.token_hex(8)}, salt="cepa.challenge"), a, b


def consent_problem(
    *,
    collector: Collector,
    consent: bool,
    challenge_token: str,
    challenge_answer: str,
    start_key: str = "",
) -> Any:
    """Why the welcome form cannot start a response (a lazy message), or "" when it can."""
    if not consent:
        return _("Please tick the box to say you agree to take part.")
    if (collector.challenge or challenge_token) and not challenge_passed(
        challenge_token, challenge_answer[:10], start_key=start_key
    ):
        return _("Please give the result of the small sum.")
    return ""


BUSY_CONNECTION = _(
    "Many people are starting this survey from the same connection (a school, an office or "
    "a mobile network). To go on, please answer the small sum below."
)


def challenge_passed(token: str, answer: str, *, start_key: str = "") -> bool:
    """The sum is right, and has not opened another start.

    A solved sum opens one start: a script that solved one cannot start again
    and again with it. It is remembered for its hour with the start it opened
    (the welcome form's nonce), so the same start sent twice, a double click,
    still passes.
    """
    from django.core import signing

    try:
        payload = signing.loads(token, salt="cepa.challenge", max_age=3600)
        expected, number = payload["s"], payload["n"]
    except (signing.BadSignature, KeyError, TypeError):
        return False
    # int() reads any script's digits: ١٢ typed on an Arabic keyboard, １２ from a
    # Chinese input method in full width, as well as 12.
    try:
        if int(answer.strip()) != expected:
            return False
    except ValueError:
        return False
    key = f"cepa:sum:{number}"
    if cache.add(key, start_key or secrets.token_hex(8), timeout=3600):
        return True
    return bool(start_key) and cache.get(key) == start_key
