"""Rounds and collectors: how a published version reaches people (invitations: survey.invitations)."""

from __future__ import annotations

import io
import secrets
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from survey import invitations
from survey.answering import collector_limit_reached, compiled_for, round_target_stops_starts
from survey.exceptions import SurveyError
from survey.i18n import has_text, normalize_language, text_for
from survey.logic import page_at
from survey.models import (
    Collector,
    CollectorKind,
    Invitation,
    Question,
    Response,
    ResponseStatus,
    Round,
    RoundStatus,
    SurveyVersion,
    TargetGroup,
    VersionStatus,
)
from survey.selectors import forget_completed_responses_stamp


def round_create(*, version: SurveyVersion, label: str, **fields: Any) -> Round:
    if version.status != VersionStatus.PUBLISHED:
        raise SurveyError(_("Only a published version can be fielded."))
    round_ = Round.objects.create(version=version, label=label.strip(), **fields)
    collector_create(round_=round_, name=_("Public link"), kind="link")
    return round_


def round_set_status(*, round_: Round, status: str) -> Round:
    if status not in RoundStatus.values:
        raise SurveyError
    if round_.status == RoundStatus.CLOSED:
        raise SurveyError(_("A closed round stays closed; open a new round instead."))
    round_.status = status
    round_.status_changed_at = timezone.now()
    round_.save(update_fields=["status", "status_changed_at"])
    if status == RoundStatus.CLOSED:  # no more invitations nor reminders: their addresses go
        invitations.invitations_end(round_=round_)
    return round_


@dataclass(frozen=True)
class ClosingEffects:
    """What closing a round ends, told to the designer before it happens: it cannot be undone."""

    in_progress: int  # people mid-survey, who may still finish within the grace period
    grace_minutes: int
    unanswered_invitations: int  # their links stop working
    kept_addresses: int  # erased at once
    waiting_invitations: int  # not sent yet: cancelled


def round_closing_effects(*, round_: Round) -> ClosingEffects:
    counts = Invitation.objects.filter(collector__round=round_).aggregate(
        unanswered=Count("pk", filter=Q(sent_at__isnull=False, used_at__isnull=True)),
        kept=Count("pk", filter=invitations.KEPT),
        waiting=Count("pk", filter=Q(sent_at__isnull=True)),
    )
    return ClosingEffects(
        in_progress=Response.objects.filter(
            round=round_, status=ResponseStatus.IN_PROGRESS
        ).count(),
        grace_minutes=round_.grace_minutes,
        unanswered_invitations=counts["unanswered"],
        kept_addresses=counts["kept"],
        waiting_invitations=counts["waiting"],
    )


ROUND_CHANGEABLE = (
    "label",
    "opens_at",
    "closes_at",
    "target_responses",
    "stop_at_target",
    "grace_minutes",
)


def round_update(*, round_: Round, **fields: Any) -> Round:
    """Rename a round, move its dates (fieldwork is often extended), change its target.

    Until it is closed; the sample type stays, as the round's analysis relies on
    it. Respondents' pages see new dates at once in this process and within
    LINK_CACHE_SECONDS in the others (the round's save signal).
    """
    unknown = set(fields) - set(ROUND_CHANGEABLE)
    if unknown:
        raise TypeError(f"round_update cannot change {sorted(unknown)}")
    if round_.status == RoundStatus.CLOSED:
        raise SurveyError(_("A closed round stays closed; open a new round instead."))
    opens = fields.get("opens_at", round_.opens_at)
    closes = fields.get("closes_at", round_.closes_at)
    if closes is not None and closes <= opens:
        raise SurveyError(_("The round must close after it opens."))
    for name, value in fields.items():
        setattr(round_, name, value.strip() if name == "label" else value)
    round_.save(update_fields=list(fields))
    return round_


@dataclass(frozen=True)
class VersionMove:
    """A newer published version a round could move to, and what the move leaves behind."""

    version: SurveyVersion
    dropped_questions: list[str]  # codes of the round's version that this one lacks
    dropped_languages: list[str]


def round_version_move(*, round_: Round) -> VersionMove | None:
    """The newest published version of the round's survey, if newer than its own.

    A page where many stop, a question people misread, a missing language: the
    agency mends it in a new version while fieldwork runs, and the links and QR
    codes already printed must keep working. What the move leaves behind is
    said first: answers to a dropped question stay stored, but leave the
    round's frames, indicators and exports, which follow the round's version.
    """
    if round_.status == RoundStatus.CLOSED:
        return None
    newest = (
        SurveyVersion.objects.filter(
            survey_id=round_.version.survey_id,
            status=VersionStatus.PUBLISHED,
            number__gt=round_.version.number,
        )
        .order_by("-number")
        .first()
    )
    if newest is None:
        return None
    codes: dict[int, list[str]] = {round_.version.pk: [], newest.pk: []}
    for version_id, code in (
        Question.objects.filter(version__in=list(codes))
        .order_by("version_id", "section__order", "order", "pk")
        .values_list("version_id", "code")
    ):
        codes[version_id].append(code)
    return VersionMove(
        newest,
        [code for code in codes[round_.version.pk] if code not in codes[newest.pk]],
        [code for code in round_.version.languages if code not in newest.languages],
    )


def rounds_behind(*, version: SurveyVersion) -> int:
    """Rounds of the survey still running on an earlier version: said when a version is
    published, since a mended questionnaire helps only the rounds moved to it."""
    return (
        Round.objects.filter(
            version__survey_id=version.survey_id, version__number__lt=version.number
        )
        .exclude(status=RoundStatus.CLOSED)
        .count()
    )


def round_move_to_version(*, round_: Round, version_id: object) -> SurveyVersion:
    """New respondents answer that version through the round's links; those who began finish theirs.

    Each response keeps the version it was started on (Response.version), and the
    answering pages read that one, so a person in mid-survey is not moved onto
    pages they never saw. The round's analytics frame is rebuilt on its next read.
    `version_id` comes from a form: anything but a newer published version of
    the round's survey is refused.
    """
    if round_.status == RoundStatus.CLOSED:
        raise SurveyError(_("A closed round stays closed; open a new round instead."))
    try:
        pk = int(str(version_id))
    except ValueError:
        pk = None
    version = SurveyVersion.objects.filter(
        pk=pk,
        survey_id=round_.version.survey_id,
        status=VersionStatus.PUBLISHED,
        number__gt=round_.version.number,
    ).first()
    if version is None:
        raise SurveyError(_("A round can move only to a newer published version of its survey."))
    round_.version = version
    round_.save(update_fields=["version"])
    round_id = round_.pk
    transaction.on_commit(lambda: forget_completed_responses_stamp(round_id=round_id))
    return version


@dataclass(frozen=True)
class RoundState:
    """Where fieldwork stands for respondents, which the stored status alone does not say."""

    code: str  # open, full, scheduled, paused, ended, closed: also the badge's CSS class
    label: str


def round_state(*, round_: Round, completed: int, now: datetime | None = None) -> RoundState:
    """completed: the round's completed responses toward its target (a staff test
    link's left out), which the caller has counted already.

    "Full" is a round set to stop at its target that has reached it: its links
    refuse new starts (answering.round_full), so "Open" would mislead the agency.
    """
    now = now or timezone.now()
    if round_.status == RoundStatus.CLOSED:
        return RoundState("closed", _("Closed"))
    if round_.closes_at and round_.closes_at <= now:
        return RoundState("ended", _("Ended on its closing date"))
    if round_.opens_at > now:
        return RoundState("scheduled", _("Not open yet"))
    if round_.status == RoundStatus.PAUSED:
        return RoundState("paused", _("Paused"))
    if round_target_stops_starts(round_, completed):
        return RoundState("full", _("Full"))
    return RoundState("open", _("Open"))


def survey_rounds(*, survey_id: int) -> list[tuple[Round, RoundState]]:
    """A survey's rounds with where each stands, for the list on the version page.

    The stored status alone says "Open" for a round past its closing date or
    at its target; one query counts the completed responses of all of them.
    """
    rounds = (
        Round.objects.filter(version__survey_id=survey_id)
        .select_related("version")
        .annotate(
            completed=Count(
                "responses",
                filter=Q(responses__status=ResponseStatus.COMPLETE)
                & ~Q(responses__collector__kind=CollectorKind.TEST),
            )
        )
        .order_by("-opens_at", "-pk")  # newest first, as Round.Meta orders them
    )
    now = timezone.now()
    return [
        (round_, round_state(round_=round_, completed=round_.completed, now=now))
        for round_ in rounds
    ]


def collector_create(*, round_: Round, name: str, kind: str = "link", **fields: Any) -> Collector:
    return Collector.objects.create(
        round=round_, name=name.strip(), kind=kind, token=secrets.token_urlsafe(16), **fields
    )


def collector_rename(*, collector: Collector, name: str) -> Collector:
    """A new name for a collector ("Instagram campain" mistyped): its link stays the same."""
    name = name.strip()
    if not name:
        raise SurveyError(_("A collector needs a name."))
    collector.name = name
    collector.save(update_fields=["name"])
    return collector


def collector_set_limit(*, collector: Collector, limit: int | None) -> Collector:
    """How many completed responses the collector takes before it stops new starts.

    For a quota sample, or to keep one channel (a school's QR code, say) from
    outweighing the others. None: no limit.
    """
    if limit is not None and limit < 1:
        raise SurveyError(_("A limit is a number of responses, 1 or more."))
    collector.response_limit = limit
    collector.save(update_fields=["response_limit"])
    return collector


def collector_set_active(*, collector: Collector, active: bool) -> Collector:
    collector.active = active
    collector.paused_at = None if active else timezone.now()
    collector.save(update_fields=["active", "paused_at"])
    return collector


def collector_delete_tries(*, collector: Collector) -> int:
    """Delete every response begun or sent through a staff test link; how many.

    Before launch the team tries the pages; the public's fieldwork should then
    start from clean tables (started, completed, per day, where people stop).
    Only a test link's: the public's answers are deleted only by their senders
    (answering.response_withdraw) or when a round ends unfinished.
    """
    if collector.kind != CollectorKind.TEST:
        raise SurveyError(_("Only the responses of a staff test link can be deleted here."))
    with transaction.atomic():
        # Their decisions and history go with them (on_delete=CASCADE), and the
        # analytics' stamps are refreshed by the delete signal.
        _total, deleted = Response.objects.filter(collector=collector).delete()
    return deleted.get(Response._meta.label, 0)


@dataclass
class ProgressRow:
    label: str
    started: int
    completed: int
    flagged: int = 0  # completed and flagged for quality
    key: Any = None  # what the row counts: a collector's id, for a link to its responses
    tries: bool = False  # a staff test link's: its responses do not count toward the target

    @property
    def rate(self) -> float | None:
        return round(100 * self.completed / self.started, 1) if self.started else None


def round_progress(*, round_: Round) -> dict[str, Any]:
    """Started, completed and completion rate, per collector, target group and language; median duration.

    Every collector is listed, those nobody has used yet too: a channel at zero
    is what an agency most needs to see while there is time to act. Per language,
    most used first: a language whose completion rate lags the others points to
    its translation. Collectors
    are counted by id, as two may share a name. Per version too, once the round
    has moved to a newer one: answers to a reworded question may not compare.
    """
    complete = Q(status=ResponseStatus.COMPLETE)
    responses = Response.objects.filter(round=round_)
    # One pass over the round's responses gives the tables: per collector, per target
    # group, per version, and the totals (three queries took three times as long).
    counted: Counter[int] = Counter()
    finished: Counter[int] = Counter()
    group_started: Counter[str] = Counter()
    group_completed: Counter[str] = Counter()
    version_started: Counter[int] = Counter()
    version_completed: Counter[int] = Counter()
    language_started: Counter[str] = Counter()
    language_completed: Counter[str] = Counter()
    erased = 0
    for row in (
        responses.values("collector_id", "target_group", "version_id", "language")
        .annotate(
            started=Count("pk"),
            completed=Count("pk", filter=complete),
            erased=Count("pk", filter=Q(status=ResponseStatus.ERASED)),
        )
        .order_by()
    ):
        erased += row["erased"]
        counted[row["collector_id"]] += row["started"]
        finished[row["collector_id"]] += row["completed"]
        group_started[row["target_group"]] += row["started"]
        group_completed[row["target_group"]] += row["completed"]
        version_started[row["version_id"]] += row["started"]
        version_completed[row["version_id"]] += row["completed"]
        language_started[row["language"]] += row["started"]
        language_completed[row["language"]] += row["completed"]
    collectors = list(round_.collectors.order_by("name", "pk"))
    # A staff test link's tries are not the public's: they count in its own row and
    # the totals (they were started and sent), not toward the target or the median.
    tries = sum(finished[c.pk] for c in collectors if c.kind == CollectorKind.TEST)
    toward_target = finished.total() - tries
    durations = list(
        responses.filter(complete)
        .exclude(duration_seconds=None)
        .exclude(collector__kind=CollectorKind.TEST)
        .values_list("duration_seconds", flat=True)
    )
    median = int(statistics.median(durations)) if durations else None
    # Flagged responses are few: read only theirs, and count them here (SQLite cannot
    # look inside a JSON list in a query).
    flagged: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    for collector_id, flags in (
        responses.filter(complete)
        .exclude(quality_flags=[])
        .values_list("collector_id", "quality_flags")
    ):
        if flags:
            flagged[collector_id] += 1
            kinds.update(set(flags))
    return {
        "total": ProgressRow("", counted.total(), finished.total(), flagged.total()),
        "collectors": [
            ProgressRow(
                collector.name,
                counted[collector.pk],
                finished[collector.pk],
                flagged[collector.pk],
                key=collector.pk,
                tries=collector.kind == CollectorKind.TEST,
            )
            for collector in collectors
        ],
        "flags": [
            (code, label, kinds[code]) for code, label in QUALITY_FLAGS.items() if kinds[code]
        ],
        "groups": [
            ProgressRow(target_group_label(group), group_started[group], group_completed[group])
            for group in sorted(group_started)
        ],
        # Label: the language's code, which the page names (in its own script).
        "languages": [
            ProgressRow(code, language_started[code], language_completed[code])
            # Most used first; a tie by code, not by the order the database grouped in.
            for code, _count in sorted(language_started.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "versions": _per_version(version_started, version_completed),
        "erased": erased,  # unfinished when the round ended (responses_erase_unfinished)
        "median_seconds": median,
        "median_text": duration_text(median) if median is not None else "",
        "target": round_.target_responses,
        "target_share": round(100 * toward_target / round_.target_responses, 1)
        if round_.target_responses
        else None,
        # Past it, a round set to stop at its target refuses new starts (answering.round_full).
        "target_reached": bool(round_.target_responses)
        and toward_target >= round_.target_responses,
        "toward_target": toward_target,  # the completed responses, a test link's tries left out
    }


def _per_version(started: Counter[int], completed: Counter[int]) -> list[ProgressRow]:
    """A row per version the round's responses were given on; none while there is one."""
    if len(started) < 2:
        return []
    numbers = dict(SurveyVersion.objects.filter(pk__in=list(started)).values_list("pk", "number"))
    return [
        ProgressRow(_("Version %(number)s") % {"number": numbers[pk]}, started[pk], completed[pk])
        for pk in sorted(started, key=numbers.__getitem__)
    ]


@dataclass
class StopRow:
    """Responses still in progress on one page of the questionnaire."""

    number: int  # the page's place in the questionnaire, as the designer numbers it
    title: str
    title_language: str  # the reader's, or the survey's default where it lacks that one
    answering: int  # saved a page within STOPPED_AFTER: may still be answering
    stopped: int  # nothing saved for STOPPED_AFTER or longer


# How long a response may rest before the round page counts it as stopped.
STOPPED_AFTER = timedelta(hours=24)


def round_stops(*, round_: Round, now: datetime | None = None) -> list[StopRow]:
    """Unfinished responses by the page they are on: where people give up.

    A page where many stop is often too long or unclear, and can still be
    mended in a new version while the round runs. The page is found from each
    response's own answers, since relevance can skip pages for some people and
    not for others; a response's page number alone would mix pages up.
    """
    now = now or timezone.now()
    compiled = compiled_for(round_.version)
    if not compiled.pageable:
        return []
    answering: Counter[str] = Counter()
    stopped: Counter[str] = Counter()
    # Those on the round's version: after a move to a newer one, the pages of those
    # still on the old one are not these pages. Those erased after the round ended
    # (responses_erase_unfinished) have stopped, on the questionnaire's page they name.
    unfinished = Response.objects.filter(
        round=round_,
        version=round_.version,
        status__in=[ResponseStatus.IN_PROGRESS, ResponseStatus.ERASED],
    )
    erased = Q(status=ResponseStatus.ERASED)
    if all(section.relevance is None for section in compiled.pageable):
        # Everybody sees every page: the page number says it, and SQL counts.
        old = Q(updated_at__lte=now - STOPPED_AFTER) | erased
        for row in unfinished.values("page").annotate(
            answering=Count("pk", filter=~old), stopped=Count("pk", filter=old)
        ):
            code = page_at(compiled.pageable, row["page"]).code
            answering[code] += row["answering"]
            stopped[code] += row["stopped"]
    else:
        for page, answers, updated_at, status in unfinished.values_list(
            "page", "answers", "updated_at", "status"
        ).iterator(chunk_size=2000):
            if status == ResponseStatus.ERASED:
                stopped[page_at(compiled.pageable, page).code] += 1
                continue
            pages = compiled.visible_sections(answers or {})
            if not pages:
                continue
            code = page_at(pages, page).code
            (stopped if now - updated_at >= STOPPED_AFTER else answering)[code] += 1
    language = normalize_language(translation.get_language() or compiled.default_language)
    return [
        StopRow(
            number,
            text_for(section.title, language, compiled.default_language),
            language if has_text(section.title, language) else compiled.default_language,
            answering[section.code],
            stopped[section.code],
        )
        for number, section in enumerate(compiled.pageable, start=1)
        if answering[section.code] or stopped[section.code]
    ]


def _ended_at(round_: Round, now: datetime) -> datetime | None:
    """When the round stopped taking new starts for good: closed, or past its closing date."""
    moments = []
    if round_.status == RoundStatus.CLOSED and round_.status_changed_at:
        moments.append(round_.status_changed_at)
    if round_.closes_at and round_.closes_at <= now:
        moments.append(round_.closes_at)
    return min(moments) if moments else None


def responses_erase_unfinished(*, now: datetime | None = None) -> int:
    """Erase the answers of responses nobody can finish any more; the number erased.

    Once a round has ended and its grace period has passed, an unfinished
    response can neither be finished nor used: indicators and exports read
    complete responses only, and its person, who gets the receipt code at the
    end, cannot have it deleted. Keeping it would keep answers, free texts
    included, for no purpose, against the privacy notice's promise. The row
    stays, marked ERASED, so the round still counts it as started; its page
    becomes the questionnaire's page where it stopped (relevance may have
    skipped pages for it), for round_stops once its answers are gone. Run daily
    by `manage.py forget_ended`.
    """
    now = now or timezone.now()
    erased = 0
    ended = Round.objects.filter(
        Q(status=RoundStatus.CLOSED) | Q(closes_at__lte=now),
        responses__status=ResponseStatus.IN_PROGRESS,
    ).distinct()
    for round_ in ended:
        ended_at = _ended_at(round_, now)
        if ended_at is not None and now > ended_at + timedelta(minutes=round_.grace_minutes):
            erased += _erase_unfinished(round_)
    return erased


def _erase_unfinished(round_: Round) -> int:
    unfinished = Response.objects.filter(round=round_, status=ResponseStatus.IN_PROGRESS)
    versions = SurveyVersion.objects.in_bulk(
        set(unfinished.values_list("version_id", flat=True).order_by())
    )
    stopped_on: dict[int, list[int]] = {}  # the questionnaire's page: the responses there
    for pk, version_id, page, answers in unfinished.values_list(
        "pk", "version_id", "page", "answers"
    ).iterator(chunk_size=2000):
        compiled = compiled_for(versions[version_id])
        pages = compiled.visible_sections(answers or {})
        number = compiled.pageable.index(page_at(pages, page)) + 1 if pages else page
        stopped_on.setdefault(number, []).append(pk)
    erased = 0
    for number, pks in stopped_on.items():
        for start in range(0, len(pks), 500):
            # Still unfinished: whoever sent their last page meanwhile keeps their answers.
            erased += Response.objects.filter(
                pk__in=pks[start : start + 500], status=ResponseStatus.IN_PROGRESS
            ).update(
                status=ResponseStatus.ERASED,
                answers={},
                page=number,
                ip_hash="",
                resume_hash=None,
                # Its invitation, answered by no one, may serve a new start if the
                # round is extended (one response per invitation).
                invitation=None,
            )
    return erased


@dataclass
class DayRow:
    day: date
    completed: int
    busiest: int  # the most completed on one day of those shown: the scale of the bars


def round_days(*, round_: Round, zone: str, days: int = 14) -> list[DayRow]:
    """Responses completed on each of the last `days` days (in the agency's time zone).

    Days without any are listed too: a gap after a campaign post is the news.
    Empty before the first completed response. One query, a count per day over
    the (round, status, submitted_at) index: no date function runs per row
    (SQLite's runs in Python, 0.45 s for 132,000 responses).
    """
    tz = ZoneInfo(zone)
    today = timezone.now().astimezone(tz).date()
    shown = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    bounds = [datetime.combine(day, time.min, tzinfo=tz) for day in shown]
    bounds.append(datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz))
    counts = Response.objects.filter(
        round=round_,
        status=ResponseStatus.COMPLETE,
        submitted_at__gte=bounds[0],
        submitted_at__lt=bounds[-1],
    ).aggregate(
        **{
            f"day_{n}": Count(
                "pk", filter=Q(submitted_at__gte=bounds[n], submitted_at__lt=bounds[n + 1])
            )
            for n in range(days)
        }
    )
    completed = [counts[f"day_{n}"] for n in range(days)]
    first = next((n for n, count in enumerate(completed) if count), None)
    if first is None:
        return []
    busiest = max(completed)
    # A round younger than `days` starts on its first day with a response.
    return [DayRow(shown[n], completed[n], busiest) for n in range(first, days)]


QUALITY_FLAGS = {  # answering.quality_flags's codes, as the agency reads them
    "speeder": gettext_lazy("too fast"),
    "straight_lining": gettext_lazy("straight-lining"),
    "duplicate": gettext_lazy("likely duplicate"),
}
# And what each means, in a sentence, where one response is reviewed (survey.review).
QUALITY_FLAG_REASONS = {
    "speeder": gettext_lazy(
        "Too fast: sent in under a third of the median time of the responses before it."
    ),
    "straight_lining": gettext_lazy(
        "Straight-lining: every row of a table of statements has the same answer."
    ),
    "duplicate": gettext_lazy(
        "Likely duplicate: the same answers were sent from the same connection the same day."
    ),
}


def target_group_label(code: str) -> str:
    """A target group's name in the reader's language; responses from no preset group say so."""
    if not code:
        return _("No target group set")
    return str(TargetGroup(code).label) if code in TargetGroup.values else code


def duration_text(seconds: int) -> str:
    """'9 min 1 s' rather than '541 s': how long people take, as the agency reads it."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    if not minutes:
        text = _("%(seconds)d s") % {"seconds": rest}
    else:
        text = _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": rest}
    return text.replace(" ", "\N{NO-BREAK SPACE}")  # one value: never split over two lines


@dataclass
class CollectorRow:
    """One collector as the round page shows it."""

    collector: Collector
    url: str  # "" for email collectors: only their invitations' own links open the survey
    embed: str
    invitations: invitations.InvitationSummary | None = None  # email collectors only
    emails: list[invitations.EmailPreview] | None = None  # email collectors only
    completed: int = 0  # its completed responses (round_progress counted them)

    @property
    def full(self) -> bool:
        return collector_limit_reached(self.collector, self.completed)

    @property
    def tries(self) -> bool:
        """A staff test link: its card explains it and offers to delete its responses."""
        return self.collector.kind == CollectorKind.TEST


def collector_rows(
    *, round_: Round, link_for: Any, invitation_link_for: Any, progress: dict[str, Any]
) -> list[CollectorRow]:
    """The round's collectors with their public link, embed snippet and invitations.

    `progress`: round_progress's for the round, whose per-collector counts the
    cards show beside a limit (not counted a second time).
    """
    completed = {row.key: row.completed for row in progress["collectors"]}
    rows = []
    for collector in round_.collectors.select_related("round__version"):
        if collector.kind == CollectorKind.EMAIL:
            rows.append(
                CollectorRow(
                    collector,
                    "",
                    "",
                    invitations.invitation_summary(collector=collector),
                    invitations.email_previews(collector=collector, link_for=invitation_link_for),
                )
            )
        else:
            url = link_for(collector.token)
            rows.append(CollectorRow(collector, url, embed_snippet(url, embed_title(collector))))
        rows[-1].completed = completed.get(collector.pk, 0)
    return rows


def embed_title(collector: Collector) -> str:
    """The frame's name on the host site: the survey's public title, not the collector's.

    A screen reader announces a frame by its title; the collector's name is the
    agency's own label ("Schools in Region X, 2nd mailing"), not meant for the
    public. In the collector's preset language, the one the frame opens in.
    """
    version = collector.round.version
    language = collector.preset_language or version.default_language
    return text_for(version.title, language, version.default_language) or collector.name


QR_QUIET_ZONE = 4  # modules of white around the code: what the QR standard asks for scanning
QR_PNG_PIXELS = 1000  # at least: 8.5 cm wide printed at 300 dpi, enough for a poster or flyer


def qr_code(url: str, kind: str) -> tuple[bytes, str]:
    """The QR code of a link as SVG or PNG, made locally with segno, ready to print."""
    import segno

    code = segno.make(url, error="m")
    out = io.BytesIO()
    if kind == "svg":
        code.save(out, kind="svg", scale=8, border=QR_QUIET_ZONE, title=url)
        return out.getvalue(), "image/svg+xml"
    width, _height = code.symbol_size(scale=1, border=QR_QUIET_ZONE)
    scale = -(-QR_PNG_PIXELS // width)  # whole pixels per module, rounded up
    code.save(out, kind="png", scale=scale, border=QR_QUIET_ZONE)
    return out.getvalue(), "image/png"


def qr_filename(round_: Round, collector: Collector, kind: str) -> str:
    """'qr-baseline-2026-schools-in-region-x.png': many codes printed apart stay told apart."""
    from django.utils.text import slugify

    name = slugify(f"{round_.label} {collector.name}", allow_unicode=True)[:80] or str(collector.pk)
    return f"qr-{name}.{kind}"


def embed_snippet(url: str, title: str) -> str:
    """The frame, and the script that fits its height to each page (static/js/embed.js).

    The script comes from the survey's own site at an address that never changes
    (/r/embed.js), as snippets stay pasted in other sites for years. A site that
    strips scripts keeps the frame at its fixed height.
    """
    parts = urlsplit(url)
    script = f"{parts.scheme}://{parts.netloc}{reverse('respond:embed_script')}"
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="720" '
        'style="border:0;max-width:640px" loading="lazy"></iframe>\n'
        f'<script src="{escape(script)}" async></script>'
    )
