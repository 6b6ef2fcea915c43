"""Reviewing complete responses: an analyst reads one, then keeps it or leaves it out.

Quality flags (too fast, straight-lining, likely duplicate) are only suspicions:
a careful reader who knows the subject can be quick, and a duplicate may be two
people on one school network. The agency decides, response by response, and
the decision is recorded with who took it, when and why. Analytics reads
complete responses less those left out (survey.selectors.completed_responses_csv).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import BigIntegerField, Count, F, Max, QuerySet, Sum, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext, pgettext

from accounts.models import User
from survey.answering import compiled_for
from survey.exceptions import SurveyError
from survey.fieldwork import QUALITY_FLAG_REASONS, QUALITY_FLAGS
from survey.i18n import match_language
from survey.logic import OTHER, CompiledQuestion, CompiledSurvey
from survey.models import (
    CollectorKind,
    QuestionType,
    Response,
    ResponseReview,
    ResponseStatus,
    ReviewDecision,
    ReviewEvent,
    ReviewEventKind,
    Round,
    TargetGroup,
)
from survey.signals import responses_changed

PAGE_SIZE = 50
NOTE_MAX_LENGTH: int = ResponseReview._meta.get_field("note").max_length  # type: ignore[assignment]
NOTE_NEEDED = gettext_lazy(
    "Say why the response is left out: whoever reads the results later will ask."
)

# Which complete responses the list shows.
SHOW_ALL = "all"
SHOW_AWAITING = "awaiting"
SHOWS = {
    SHOW_ALL: gettext_lazy("All complete responses"),
    SHOW_AWAITING: gettext_lazy("Flagged, awaiting review"),
    ReviewDecision.KEEP.value: gettext_lazy("Kept after review"),
    ReviewDecision.LEAVE_OUT.value: gettext_lazy("Left out of the results"),
}

# A decision as the list and its file name it: what was done, not what to do.
DECIDED = {
    ReviewEventKind.KEEP.value: ReviewEventKind.KEEP.label,
    ReviewEventKind.LEAVE_OUT.value: ReviewEventKind.LEAVE_OUT.label,
}

# The flag filter's values beside the flags' own codes.
NOT_FLAGGED = "none"
ANY_FLAG = "any"

# The list's order: the fastest first finds the hurried responses the speeder flag,
# set at a third of the median, lets through.
ORDERS = {
    "newest": (gettext_lazy("Newest first"), ("-submitted_at", "-pk")),
    "fastest": (gettext_lazy("Fastest first"), ("duration_seconds", "-submitted_at", "-pk")),
    "slowest": (gettext_lazy("Slowest first"), ("-duration_seconds", "-submitted_at", "-pk")),
}


def _complete(round_: Round) -> QuerySet[Response]:
    return Response.objects.filter(round=round_, status=ResponseStatus.COMPLETE)


def _awaiting(responses: QuerySet[Response]) -> QuerySet[Response]:
    """Flagged, and nobody has decided yet."""
    return responses.exclude(quality_flags=[]).filter(review__isnull=True)


def round_responses(*, order: str = "newest", page: Any = 1, **filters: Any) -> Page:
    """One page of the round's complete responses, as the filters narrow them and `order` sorts them.

    `filters`: _matching's.
    """
    responses = _matching(**filters).select_related("collector", "review")
    return Paginator(_ordered(responses, order), PAGE_SIZE).get_page(page)


def _ordered(responses: QuerySet[Response], order: str) -> QuerySet[Response]:
    _label, ordering = ORDERS.get(order, ORDERS["newest"])
    return responses.order_by(*ordering)


def _matching(
    *,
    round_: Round,
    show: str = SHOW_ALL,
    collector_id: int | None = None,
    language: str = "",
    target_group: str | None = None,
    flag: str = "",
) -> QuerySet[Response]:
    """The round's complete responses the filters leave: what the list shows, on every page.

    `target_group`: None for all, "" for responses without one. `flag`: a
    quality flag's code, ANY_FLAG, NOT_FLAGGED, or "" for all.
    """
    responses = _complete(round_)
    if flag == NOT_FLAGGED:
        responses = responses.filter(quality_flags=[])
    elif flag == ANY_FLAG:
        responses = responses.exclude(quality_flags=[])
    elif flag:
        # SQLite cannot look inside a JSON list in a query, but both databases write
        # the list as text the same way, each code in quotes.
        responses = responses.annotate(flags_text=Cast("quality_flags", TextField())).filter(
            flags_text__contains=f'"{flag}"'
        )
    if show == SHOW_AWAITING:
        responses = _awaiting(responses)
    elif show in ReviewDecision.values:
        responses = responses.filter(review__decision=show)
    if collector_id is not None:
        responses = responses.filter(collector_id=collector_id)
    if language:
        responses = responses.filter(language=language)
    if target_group is not None:
        responses = responses.filter(target_group=target_group)
    return responses


@dataclass
class ReviewCounts:
    awaiting: int = 0  # flagged, nobody has decided yet
    kept: int = 0
    left_out: int = 0


def review_counts(*, round_: Round) -> ReviewCounts:
    """What is left to review, and what was decided: the round page's and the list's summary."""
    counts = ReviewCounts(awaiting=_awaiting(_complete(round_)).count())
    # Only complete responses are reviewed (response_review_set), and they stay complete.
    for decision, number in (
        ResponseReview.objects.filter(response__round=round_)
        .values_list("decision")
        .annotate(number=Count("pk"))
        .order_by()
    ):
        if decision == ReviewDecision.KEEP:
            counts.kept = number
        elif decision == ReviewDecision.LEAVE_OUT:
            counts.left_out = number
    return counts


def response_to_review(*, round_: Round, response_id: Any) -> Response:
    """A complete response of the round, or 404: an unfinished one is not the agency's to read."""
    try:
        pk = int(response_id)
    except (TypeError, ValueError):
        raise Http404 from None
    found = _complete(round_).select_related("collector", "review__reviewed_by").filter(pk=pk)
    response = found.first()
    if response is None:
        raise Http404
    return response


def next_awaiting(*, response: Response, **filters: Any) -> Response | None:
    """The next flagged response nobody has decided on, down the list from this one.

    `filters`: those of the list the reviewer came from (the next one of the same
    collector, say), whatever review state that list showed.
    """
    filters = {**filters, "round_": response.round, "show": SHOW_ALL}
    queue = _awaiting(_matching(**filters)).exclude(pk=response.pk).order_by("-submitted_at", "-pk")
    return queue.filter(submitted_at__lte=response.submitted_at).first() or queue.first()


def same_answers_before(*, response: Response) -> Response | None:
    """For a likely duplicate: the first response of the round with the same answers and connection."""
    if not response.fingerprint:
        return None
    return (
        Response.objects.filter(
            round_id=response.round_id,
            fingerprint=response.fingerprint,
            status=ResponseStatus.COMPLETE,
        )
        .exclude(pk=response.pk)
        .order_by("submitted_at", "pk")
        .first()
    )


def response_review_set(
    *, response: Response, decision: str, note: str, by: User | None
) -> ResponseReview:
    """Record the agency's decision on a complete response; a later decision replaces it."""
    if response.status != ResponseStatus.COMPLETE:
        raise SurveyError(_("Only a complete response can be reviewed."))
    if decision not in ReviewDecision.values:
        raise SurveyError(_("Choose whether to keep the response or to leave it out."))
    note = _checked_note(decision, note)
    when = timezone.now()
    with transaction.atomic():
        review, _created = ResponseReview.objects.update_or_create(
            response=response,
            defaults={"decision": decision, "note": note, "reviewed_by": by, "reviewed_at": when},
        )
        ReviewEvent.objects.create(
            response=response, decision=decision, note=note, reviewed_by=by, reviewed_at=when
        )
    return review


def _checked_note(decision: str, note: str) -> str:
    note = note.strip()
    if decision == ReviewDecision.LEAVE_OUT and not note:
        raise SurveyError(str(NOTE_NEEDED))
    if len(note) > NOTE_MAX_LENGTH:
        raise SurveyError(
            _("Use at most %(limit)d characters (you typed %(count)d).")
            % {"limit": NOTE_MAX_LENGTH, "count": len(note)}
        )
    return note


def response_review_clear(*, response: Response, by: User | None) -> None:
    """Undo a decision: the response counts again as it did before review.

    The round's cached frames follow through survey.signals, as for any decision.
    """
    with transaction.atomic():
        deleted, _by_model = ResponseReview.objects.filter(response=response).delete()
        if deleted:
            ReviewEvent.objects.create(
                response=response, decision=ReviewEventKind.UNDO, reviewed_by=by
            )


def earlier_decisions(*, response: Response) -> list[ReviewEvent]:
    """The decisions taken on the response before the one in force, newest first."""
    events = list(
        ReviewEvent.objects.filter(response=response)
        .select_related("reviewed_by")
        .order_by("-reviewed_at", "-pk")
    )
    current = getattr(response, "review", None)
    if current is None:
        return events
    # The decision in force is written with its event, at the same instant.
    return [
        e for e in events if (e.decision, e.reviewed_at) != (current.decision, current.reviewed_at)
    ]


# ------------------------------------------------------------------ the list as a file

# A spreadsheet runs a cell that starts with one of these as a formula: a reason or a
# collector name typed as "=HYPERLINK(…)" must open as the text it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Lines:
    """csv.writer's file: each row written comes back as its line, to stream it."""

    def write(self, line: str) -> str:
        return line


def responses_csv(*, zone: str, order: str = "newest", **filters: Any) -> Iterator[str]:
    """The list, every page of it, as CSV lines for a methods note: who was left out and why.

    `filters`: round_responses's. The labels are read now, in the reader's
    language; the lines are written while the file streams, after the view has
    returned. Times in `zone` (the agency's), with their offset. The first line
    starts with a byte order mark, so that a spreadsheet reads Arabic and Chinese
    as UTF-8.
    """
    header = [
        _("Response"),
        _("Sent"),
        _("Time taken (seconds)"),
        _("Language"),
        _("Collector"),
        _("Target group"),
        _("Quality flags"),
        _("Review"),
        _("Reason"),
        _("Reviewed by"),
        _("Reviewed at"),
    ]
    flags = {code: str(label) for code, label in QUALITY_FLAGS.items()}
    decisions = {code: str(label) for code, label in DECIDED.items()}
    groups = {code: str(label) for code, label in TargetGroup.choices}
    awaiting = _("Awaiting review")
    here = ZoneInfo(zone)
    responses = _ordered(
        _matching(**filters).select_related("collector", "review__reviewed_by"), order
    )

    def when(moment: datetime | None) -> str:
        return moment.astimezone(here).isoformat(timespec="seconds") if moment else ""

    def lines() -> Iterator[str]:
        writer = csv.writer(_Lines())
        yield "\ufeff" + writer.writerow(header)
        for response in responses.iterator(chunk_size=2000):
            decided = getattr(response, "review", None)
            state = decisions[decided.decision] if decided else ""
            if decided is None and response.quality_flags:
                state = awaiting
            row = [
                response.pk,
                when(response.submitted_at),
                "" if response.duration_seconds is None else response.duration_seconds,
                response.language,
                _cell(response.collector.name),
                groups.get(response.target_group, ""),
                ", ".join(flags.get(code, code) for code in response.quality_flags),
                state,
                _cell(note_for_reader(decided.note)) if decided else "",
                decided.reviewed_by.email if decided and decided.reviewed_by else "",
                when(decided.reviewed_at) if decided else "",
            ]
            yield writer.writerow(row)

    return lines()


def csv_filename(round_: Round, today: date) -> str:
    name = slugify(round_.label, allow_unicode=True) or f"round-{round_.pk}"
    return f"responses-{name}-{today.isoformat()}.csv"


# ------------------------------------------------------------------ one decision for many

# A round of thousands can have hundreds flagged, and some call for one decision:
# the likely duplicates of one school's collector (pupils on one network), or every
# response a faulty collector let in. The reviewer narrows the list with its filters
# and decides for all it shows, on every page; "undo" takes the decisions back.
NARROW_FIRST = gettext_lazy(
    "To decide for many responses at once, narrow the list first: one collector, one "
    "language, one kind of flag, or only those awaiting review."
)
UNDO = ReviewEventKind.UNDO.value
DECISIONS_FOR_ALL = {
    ReviewDecision.KEEP.value: ReviewDecision.KEEP.label,
    ReviewDecision.LEAVE_OUT.value: ReviewDecision.LEAVE_OUT.label,
    UNDO: gettext_lazy("Undo their decisions: they count as before review"),
}


@dataclass(frozen=True)
class Selection:
    """The responses the filters leave, as the reviewer saw them when deciding for all."""

    count: int
    decided: int  # already have a decision, which one for all replaces
    state: str  # changes when a response joins or leaves the list
    narrowed: bool  # by at least one filter: never the whole round by a slip


def _narrowed(filters: dict[str, Any]) -> bool:
    return (
        filters.get("show", SHOW_ALL) != SHOW_ALL
        or filters.get("collector_id") is not None
        or bool(filters.get("language"))
        or filters.get("target_group") is not None
        or bool(filters.get("flag"))
    )


# An id scattered (Knuth's multiplicative hash, modulo a prime under 2**20), then
# squared: unlike the ids themselves or any hash linear in them, two swapped for two
# others keep its sum only by chance. Under 2**40 each, a million of them stay
# inside a 64-bit integer (SQLite stops at an overflow).
_SCATTERED_ID = F("pk") * 2654435761 % 1048573
_MIXED_ID = _SCATTERED_ID * _SCATTERED_ID


def selection(**filters: Any) -> Selection:
    """`filters`: round_responses's, without the order and the page."""
    found = _matching(**filters).aggregate(
        count=Count("pk"),
        decided=Count("review"),
        newest=Max("pk"),
        ids=Sum("pk"),
        mixed=Sum(_MIXED_ID, output_field=BigIntegerField()),
    )
    # A response that arrives, or one decided elsewhere that leaves the list, changes
    # the count or the sum of the ids; one leaving as another joins changes the sum.
    # Two leaving as two others join can keep the sum (10 + 14 for 11 + 13), not
    # also that of _MIXED_ID.
    state = f"{found['count']}-{found['newest'] or 0}-{found['ids'] or 0}-{found['mixed'] or 0}"
    return Selection(found["count"], found["decided"], state, _narrowed(filters))


def responses_review_all(
    *, decision: str, note: str, by: User | None, state: str, **filters: Any
) -> int:
    """Decide for every complete response the filters leave; how many it changed.

    `state`: selection()'s, as the reviewer saw it. If responses joined or left
    the list since, nothing is decided (SurveyError): the reviewer sees the new
    list and decides again. A decision already taken is replaced.
    """
    if decision not in DECISIONS_FOR_ALL:
        raise SurveyError(_("Choose what to do with the responses listed."))
    if not _narrowed(filters):
        raise SurveyError(NARROW_FIRST)
    note = "" if decision == UNDO else _checked_note(decision, note)
    round_: Round = filters["round_"]
    with transaction.atomic():
        now = selection(**filters)
        if now.state != state:
            raise SurveyError(
                ngettext(
                    "The list changed while you read it: %(count)d response now matches. "
                    "Check it, then decide again.",
                    "The list changed while you read it: %(count)d responses now match. "
                    "Check them, then decide again.",
                    now.count,
                )
                % {"count": now.count}
            )
        matching = _matching(**filters)
        when = timezone.now()
        if decision == UNDO:
            reviews = ResponseReview.objects.filter(response__in=matching)
            # Only the responses that had a decision: an undo of nothing is no event.
            decided = list(reviews.values_list("response_id", flat=True))
            # One statement: QuerySet.delete() would send a signal, and read the
            # response back, for each review. responses_changed below does the signal's work.
            reviews._raw_delete(ResponseReview.objects.db)
        else:
            decided = list(matching.values_list("pk", flat=True))
            ResponseReview.objects.bulk_create(
                [
                    ResponseReview(
                        response_id=pk,
                        decision=decision,
                        note=note,
                        reviewed_by=by,
                        reviewed_at=when,
                    )
                    for pk in decided
                ],
                batch_size=500,
                update_conflicts=True,
                unique_fields=["response"],
                update_fields=["decision", "note", "reviewed_by", "reviewed_at"],
            )
        ReviewEvent.objects.bulk_create(
            [
                ReviewEvent(
                    response_id=pk, decision=decision, note=note, reviewed_by=by, reviewed_at=when
                )
                for pk in decided
            ],
            batch_size=500,
        )
        responses_changed(round_.pk)
    return len(decided)  # for an undo, those that had a decision


def decision_for_all_message(decision: str, count: int) -> str:
    if decision == UNDO:
        return ngettext(
            "The decision on %(count)d response is undone: it counts as before review.",
            "The decisions on %(count)d responses are undone: they count as before review.",
            count,
        ) % {"count": count}
    if decision == ReviewDecision.LEAVE_OUT:
        return ngettext(
            "%(count)d response is left out of the results: the indicators no longer count it.",
            "%(count)d responses are left out of the results: the indicators no longer count them.",
            count,
        ) % {"count": count}
    return ngettext(
        "%(count)d response is kept in the results, and no longer counts as flagged.",
        "%(count)d responses are kept in the results, and no longer count as flagged.",
        count,
    ) % {"count": count}


# ------------------------------------------------------------------ the agency's own tests

# Stored as written here, in English, and put in the reader's language when shown
# (note_for_reader): the respondent's browser, whose language was active when the
# note was made, is not the analyst's.
TEST_NOTE = gettext_noop(
    "Sent from a browser signed in to the agency: most likely a test. "
    "Keep it if it is a real answer."
)
TEST_LINK_NOTE = gettext_noop(
    "Sent through the agency's test link: most likely a test. Keep it if it is a real answer."
)
_AUTOMATIC_NOTES = frozenset({TEST_NOTE, TEST_LINK_NOTE})


def note_for_reader(note: str) -> str:
    """A decision's reason as the reader should see it: the notes the platform wrote
    in the reader's language, those an analyst typed as typed."""
    return _(note) if note in _AUTOMATIC_NOTES else note


def response_leave_out_as_test(*, response: Response) -> None:
    """Leave out a response sent through a staff test link, or by a signed-in member
    of the agency: staff open their link to test it, and their answers would
    count as the public's.

    Nobody is named: the agency's staff answer anonymously too. A response
    already decided on (a second click on the last page) keeps its decision.
    """
    if not ResponseReview.objects.filter(response=response).exists():
        note = TEST_LINK_NOTE if response.collector.kind == CollectorKind.TEST else TEST_NOTE
        response_review_set(
            response=response, decision=ReviewDecision.LEAVE_OUT, note=note, by=None
        )


def decision_message(decision: str) -> str:
    if decision == ReviewDecision.LEAVE_OUT:
        return _("The response is left out of the results: the indicators no longer count it.")
    return _("The response is kept in the results, and no longer counts as flagged.")


# ------------------------------------------------------------------ the answers, as read


@dataclass
class AnswerRow:
    """One question and its answer as the reviewer reads them; `values` empty when unanswered."""

    code: str
    label: str
    values: list[str] = field(default_factory=list)
    # Typed by the respondent (shown as written, in its own direction), not a choice label.
    typed: bool = False
    computed: bool = False  # a calculated or preset value, not asked


@dataclass
class AnswerSection:
    title: str
    rows: list[AnswerRow]


def answer_sections(*, response: Response, language: str) -> tuple[str, list[AnswerSection]]:
    """(content language, the response's answers page by page), in `language` when the survey has it.

    The response's own version: a round moved to a newer one keeps its earlier
    responses under the wording they were given.
    """
    compiled = compiled_for(response.version)
    content = match_language(compiled.languages, language) or compiled.default_language
    return content, readable_answers(compiled, response.answers or {}, content)


@dataclass
class ReviewPage:
    """What the reviewer reads beside the decision form."""

    content_language: str
    sections: list[AnswerSection]
    flags: list[FlagShown]
    duplicate_of: Response | None  # for a likely duplicate, the response it repeats
    next_awaiting: Response | None
    earlier: list[ReviewEvent]  # decisions taken before the one in force, newest first


@dataclass
class FlagShown:
    code: str
    label: str
    reason: str


def review_page(
    *, response: Response, language: str, listed: dict[str, Any] | None = None
) -> ReviewPage:
    """`listed`: the filters of the list the reviewer came from (next_awaiting's)."""
    content, sections = answer_sections(response=response, language=language)
    duplicate = "duplicate" in response.quality_flags
    return ReviewPage(
        content_language=content,
        sections=sections,
        flags=[
            FlagShown(
                code,
                str(QUALITY_FLAGS.get(code, code)),
                str(QUALITY_FLAG_REASONS.get(code, "")),
            )
            for code in response.quality_flags
        ],
        duplicate_of=same_answers_before(response=response) if duplicate else None,
        next_awaiting=next_awaiting(response=response, **(listed or {})),
        earlier=earlier_decisions(response=response),
    )


def readable_answers(
    compiled: CompiledSurvey, answers: dict[str, Any], language: str
) -> list[AnswerSection]:
    """Every question of the questionnaire with its answer, choice codes turned into their labels."""
    sections = []
    for section in compiled.sections:
        rows = [
            _answer_row(compiled, question, answers, language)
            for question in section.questions
            if question.type != QuestionType.NOTE
        ]
        if rows:
            sections.append(AnswerSection(compiled.text(section.title, language), rows))
    return sections


def _answer_row(
    compiled: CompiledSurvey, question: CompiledQuestion, answers: dict[str, Any], language: str
) -> AnswerRow:
    code, qtype = question.code, question.type
    row = AnswerRow(code=code, label=compiled.text(question.data.get("text"), language) or code)
    row.computed = not question.is_displayed
    labels = {o.code: compiled.text(o.label, language) or o.code for o in question.options}

    def label_of(choice: Any) -> str:
        if choice == OTHER and question.has_other:
            return _("Other: %(text)s") % {"text": answers.get(f"{code}_{OTHER}", "")}
        return labels.get(str(choice), str(choice))

    if qtype == QuestionType.MATRIX:
        # "Statement: answer" as the indicators page writes "Sex: Female" (Chinese "：").
        separator = pgettext("between a breakdown and its category, as in Sex: Female", ": ")
        for matrix_row in question.rows:
            value = answers.get(f"{code}_{matrix_row.code}")
            if value is not None:
                row_label = compiled.text(matrix_row.label, language) or matrix_row.code
                row.values.append(f"{row_label}{separator}{label_of(value)}")
        return row
    value = answers.get(code)
    if value is None or value == "" or value == []:
        return row
    if qtype == QuestionType.RANKING and isinstance(value, list):
        row.values = [f"{place}. {label_of(choice)}" for place, choice in enumerate(value, 1)]
    elif isinstance(value, list):
        row.values = [label_of(choice) for choice in value]
    elif question.options:
        row.values = [label_of(value)]
    else:
        row.values = [str(value)]
        row.typed = qtype in {QuestionType.TEXT, QuestionType.LONG_TEXT}
    return row
