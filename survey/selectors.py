"""Reads for questionnaires: staff reads scoped through the agency membership selector,
analytics reads of complete responses, and the public answering flow's hot reads."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from accounts.models import Agency, User
from accounts.permissions import Action
from accounts.selectors import AgencyAccess, agency_access
from accounts.timezones import agency_time_zone
from survey.exceptions import DATABASE_AWAY
from survey.i18n import match_language, text_for
from survey.models import (
    Choice,
    ChoiceList,
    Collector,
    Question,
    ResponseReview,
    ReviewDecision,
    Round,
    SampleType,
    Section,
    Survey,
    SurveyVersion,
    VersionStatus,
)


def surveys_of_agency(*, access: AgencyAccess) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(agency=access.agency)
        .annotate(version_count=Count("versions"))
        .prefetch_related(Prefetch("versions", queryset=SurveyVersion.objects.order_by("-number")))
    )


def survey_for(
    *, user: User, survey_id: Any, action: Action = Action.VIEW
) -> tuple[Survey, AgencyAccess]:
    """The survey if the user's role in its agency allows `action` (404 when not theirs)."""
    try:
        pk = int(survey_id)
    except (TypeError, ValueError):
        raise Http404 from None
    survey = Survey.objects.select_related("agency__country").filter(pk=pk).first()
    if survey is None:
        raise Http404
    access = agency_access(user=user, agency_id=survey.agency_id, action=action)
    return survey, access


def _in_survey(queryset: QuerySet, survey: Survey, pk: Any, path: str) -> Any:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = queryset.filter(pk=number, **{path: survey}).first()
    if found is None:
        raise Http404
    return found


def version_of(*, survey: Survey, version_id: Any) -> SurveyVersion:
    return _in_survey(SurveyVersion.objects.all(), survey, version_id, "survey")


def section_of(*, version: SurveyVersion, section_id: Any) -> Section:
    return _in_survey(Section.objects.all(), version.survey, section_id, "version__survey")


def question_of(*, version: SurveyVersion, question_id: Any) -> Question:
    question = _in_survey(Question.objects.all(), version.survey, question_id, "version__survey")
    if question.version_id != version.pk:
        raise Http404
    return question


def choice_list_of(*, version: SurveyVersion, list_id: Any) -> ChoiceList:
    choice_list = _in_survey(ChoiceList.objects.all(), version.survey, list_id, "version__survey")
    if choice_list.version_id != version.pk:
        raise Http404
    return choice_list


def choice_of(*, choice_list: ChoiceList, choice_id: Any) -> Choice:
    try:
        number = int(choice_id)
    except (TypeError, ValueError):
        raise Http404 from None
    choice = Choice.objects.filter(pk=number, choice_list=choice_list).first()
    if choice is None:
        raise Http404
    return choice


def version_structure(*, version: SurveyVersion) -> list[tuple[Section, list[Question]]]:
    """Pages with their questions, in order, for the designer."""
    sections = list(version.sections.order_by("order", "pk"))
    questions = version.questions.select_related("choice_list", "rows_list").order_by("order", "pk")
    grouped: dict[int, list[Question]] = {s.pk: [] for s in sections}
    for question in questions:
        grouped[question.section_id].append(question)
    return [(s, grouped[s.pk]) for s in sections]


def choice_lists_of(*, version: SurveyVersion) -> QuerySet[ChoiceList]:
    return version.choice_lists.annotate(choice_count=Count("choices", distinct=True)).order_by(
        "name"
    )


# ------------------------------------------------------------------ for analytics


STAMP_SECONDS = 60  # the longest a frame may lag when the cache is not shared between processes


def _stamp_key(round_id: int) -> str:
    return f"survey:complete-responses:{round_id}"


def completed_responses_stamp(*, round_id: int) -> str:
    """A token that changes whenever a complete response of the round is added or deleted.

    Why a cache token and not COUNT/MAX over the responses: at a million responses
    that query costs a quarter of a second on every read, the token one cache read.
    `survey.signals` drops the token after every completion and deletion commits;
    a missing token is replaced by a new one, so a lost or expired cache entry only
    causes a rebuild, never stale figures.
    """
    import secrets

    from django.core.cache import caches

    # Shared: a process's own copy would keep its frames after another process saw a
    # response completed (config.cache).
    shared = caches["shared"]
    key = _stamp_key(round_id)
    token = shared.get(key)
    if token is None:
        shared.add(key, secrets.token_hex(8), STAMP_SECONDS)
        token = shared.get(key) or secrets.token_hex(8)
    return token


def forget_completed_responses_stamp(*, round_id: int) -> None:
    from django.core.cache import caches

    caches["shared"].delete(_stamp_key(round_id))


def round_questions(*, round_id: int) -> dict[str, Any]:
    """The questionnaire dict of a round's version, for labelling and typing frame columns."""
    from survey.models import Round
    from survey.serialization import survey_to_dict

    return survey_to_dict(Round.objects.select_related("version").get(pk=round_id).version)


def round_agency_id(*, round_id: int) -> int | None:
    """The agency running the round (None when there is no such round)."""
    from survey.models import Round

    return (
        Round.objects.filter(pk=round_id)
        .values_list("version__survey__agency_id", flat=True)
        .first()
    )


def collector_names(*, round_ids: Sequence[int]) -> dict[str, str]:
    """{collector id as text: the name the agency gave it}, for tables broken down by collector."""
    found = Collector.objects.filter(round_id__in=round_ids).values_list("pk", "name")
    return {str(pk): name for pk, name in found}


def round_heading(*, round_id: int) -> dict[str, Any]:
    """What names a round on another app's page: its label, survey and sample type.

    `opt_in`: an open web sample, whose estimates describe only those who chose to answer.
    `left_out`: complete responses the agency left out after review (survey.review),
    which no figure counts: a reader of the figures must be able to see that.
    """
    round_ = Round.objects.select_related("version__survey").get(pk=round_id)
    return {
        "round_id": round_.pk,
        "label": round_.label,
        "survey_id": round_.version.survey_id,
        "survey_name": round_.version.survey.name,
        "sample_type_name": round_.get_sample_type_display(),
        "opt_in": round_.sample_type == SampleType.OPEN,
        "left_out": ResponseReview.objects.filter(
            response__round_id=round_id, decision=ReviewDecision.LEAVE_OUT
        ).count(),
    }


def agency_choice_labels(
    *, agency_id: int, question_codes: Iterable[str], language: str
) -> dict[str, dict[str, str]]:
    """{question code: {choice code: label}} across the agency's published versions.

    For what is the agency's, not one survey's (its population margins): the
    codes an uploaded file may use, and each choice named in `language` when
    its survey has it (match_language), else in that survey's default language;
    the newest version's label wins.
    """
    rows = (
        Choice.objects.filter(
            choice_list__questions__code__in=list(question_codes),
            choice_list__version__survey__agency_id=agency_id,
            choice_list__version__status=VersionStatus.PUBLISHED,
        )
        .order_by("choice_list__version__published_at", "choice_list__version_id")
        .values_list(
            "choice_list__questions__code",
            "code",
            "label",
            "choice_list__version__languages",
            "choice_list__version__default_language",
        )
    )
    labels: dict[str, dict[str, str]] = {}
    for question, code, label, languages, default in rows:
        content = match_language(languages, language) or default
        labels.setdefault(question, {})[code] = text_for(label, content, default) or code
    return labels


MASK_BITS = 31  # choices per bit-mask column (a PostgreSQL integer)


def response_field(name: str) -> str:
    """A response's own field (its language, target group...) as a column of completed_responses_csv.

    Named as no question code can be (codes are letters, digits and "_"): a
    question coded "language" (the language spoken at home) or "target_group"
    has a column of its own beside the response's. With the same name the two
    collided, and a round's indicators failed with a server error.
    """
    return f"@{name}"


def completed_responses_csv(
    *,
    round_id: int,
    text_keys: list[str],
    coded_keys: dict[str, list[str]],
    choice_keys: dict[str, list[str]],
    parallel_workers: int = 0,
) -> bytes:
    """A round's complete responses as CSV, extracted in SQL, in as few bytes as possible.

    Why this shape: at a million responses the cost is formatting and parsing
    text, so answers come compactly.
    - `text_keys`: the answer as stored (free text, numbers, dates).
    - `coded_keys` (one answer from a list): its 1-based position in the list;
      empty when unanswered, 0 for a value the list lacks.
    - `choice_keys` (several answers from a list): bit masks, one column
      `key#k` per 31 choices, bit i set when choice 31*k+i was chosen.
    - `submitted_epoch`: seconds since 1970 (UTC), cheaper to parse than text.
    PostgreSQL streams the result with COPY, decodes each answers document once
    (jsonb_to_record) and may use `parallel_workers` parallel workers; SQLite
    uses its JSON functions.
    """
    import csv
    import io

    from django.db import connection, transaction

    from survey.models import Response, ResponseStatus

    table = Response._meta.db_table
    postgres = connection.vendor == "postgresql"
    quote = connection.ops.quote_name
    params: list[Any] = []

    def field(name: str) -> str:
        return quote(response_field(name))

    columns = [
        f"{table}.{quote('id')} AS {field('response_id')}",
        *(
            f"{table}.{name} AS {field(name)}"
            for name in ("collector_id", "language", "target_group", "duration_seconds")
        ),
    ]
    # A response kept after review is no longer flagged; one left out is not read at all.
    review = quote(ResponseReview._meta.db_table)
    unreviewed = "review.decision IS NULL"
    if postgres:
        columns.append(f"extract(epoch from {table}.submitted_at) AS {field('submitted_epoch')}")
        columns.append(
            f"(jsonb_array_length({table}.quality_flags) > 0 AND {unreviewed})::int"
            f" AS {field('flagged')}"
        )
    else:
        columns.append(
            f"(julianday({table}.submitted_at) - 2440587.5) * 86400.0 AS {field('submitted_epoch')}"
        )
        columns.append(
            f"(json_array_length({table}.quality_flags) > 0 AND {unreviewed}) AS {field('flagged')}"
        )
    record: list[str] = []  # PostgreSQL: the answers are decoded once per row

    def value_of(key: str) -> str:
        if postgres:
            return f"a.{quote(key)}"
        params.append(f'$."{key}"')
        return "json_extract(answers, %s)"

    for key in text_keys:
        if postgres:
            record.append(f"{quote(key)} text")
        columns.append(f"{value_of(key)} AS {quote(key)}")
    for key, choices in coded_keys.items():
        if postgres:
            record.append(f"{quote(key)} text")
            columns.append(
                f"CASE WHEN a.{quote(key)} IS NULL THEN NULL "
                f"ELSE COALESCE(array_position(%s::text[], a.{quote(key)}), 0) END AS {quote(key)}"
            )
            params.append(list(choices))
        else:
            present = value_of(key)
            whens = " ".join("WHEN %s THEN %s" for _c in choices)
            value = value_of(key)
            params_for_case = [x for i, c in enumerate(choices, 1) for x in (c, i)]
            params.extend(params_for_case)
            columns.append(
                f"CASE WHEN {present} IS NULL THEN NULL ELSE COALESCE(CASE {value} {whens} END, 0) END"
                f" AS {quote(key)}"
            )
    for key, choices in choice_keys.items():
        if postgres:
            record.append(f"{quote(key)} jsonb")
        for chunk in range(0, max(len(choices), 1), MASK_BITS):
            bits = []
            for bit, choice in enumerate(choices[chunk : chunk + MASK_BITS]):
                if postgres:
                    bits.append(f"(COALESCE(a.{quote(key)} ? %s, false)::int << {bit})")
                    params.append(choice)
                else:
                    bits.append(
                        f"(EXISTS (SELECT 1 FROM json_each(answers, %s) WHERE value = %s) << {bit})"  # noqa: S608
                    )
                    params.extend([f'$."{key}"', choice])
            columns.append(f"({' | '.join(bits) or '0'}) AS {quote(f'{key}#{chunk // MASK_BITS}')}")
    where = (
        f"{table}.round_id = %s AND {table}.status = %s"
        " AND (review.decision IS NULL OR review.decision <> %s)"
    )
    params.extend([round_id, ResponseStatus.COMPLETE, ReviewDecision.LEAVE_OUT])
    # Column names are quoted identifiers; every value is a query parameter.
    source = f"{table} LEFT JOIN {review} review ON review.{quote('response_id')} = {table}.{quote('id')}"
    if postgres and record:
        source += f" CROSS JOIN LATERAL jsonb_to_record({table}.answers) AS a({', '.join(record)})"
    sql = f"SELECT {', '.join(columns)} FROM {source} WHERE {where}"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            raw = cursor.connection.cursor()
            if parallel_workers > 0:
                # The extraction is one big scan: let PostgreSQL split it between workers.
                raw.execute(
                    "SELECT set_config('max_parallel_workers_per_gather', %s, true), "
                    "set_config('parallel_setup_cost', '0', true), "
                    "set_config('parallel_tuple_cost', '0', true)",
                    [str(int(parallel_workers))],
                )
            # COPY takes no parameters: the values are written into the query, by a
            # client-binding cursor (the connection's own may bind on the server).
            from psycopg import ClientCursor

            query = ClientCursor(cursor.connection).mogrify(sql, params)
            out = io.BytesIO()
            with raw.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
                for block in copy:
                    out.write(block)
            return out.getvalue()
        cursor.execute(sql, params)
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow([c[0] for c in cursor.description])
        writer.writerows(cursor.fetchall())
        return text.getvalue().encode("utf-8")


# ------------------------------------------------------------------ for the answering flow


class _JoinedLoader:
    """One hand-written SQL query (a join or a single table) that returns model
    instances, for the hottest reads.

    Why: every page a respondent sends loads its response, and a link's first
    request in a while its collector with the round (for the pause and close
    rules). The ORM builds such a query anew each time, more than the query itself
    costs. Here the SQL is built once per database vendor, each value goes
    through the same converters the ORM would apply, and `Model.from_db` builds
    the instances, so they behave like ORM-loaded ones. `models` are (model name,
    alias) in join order; `tail` is the FROM ... WHERE part, with {table:<model>}
    and {q:<name>} placeholders for quoted names.
    """

    def __init__(self, models: list[tuple[str, str]], tail: str) -> None:
        self.models = models
        self.tail = tail
        self._plans: dict[str, tuple[str, list[tuple[Any, list[str], list[Any]]]]] = {}

    def _plan(self, connection: Any) -> tuple[str, list[tuple[Any, list[str], list[Any]]]]:
        from django.apps import apps

        plan = self._plans.get(connection.vendor)
        if plan is not None:
            return plan
        quote = connection.ops.quote_name
        columns: list[str] = []
        models: list[tuple[Any, list[str], list[Any]]] = []
        tables = {}
        for name, alias in self.models:
            model = apps.get_model("survey", name)
            tables[name] = quote(model._meta.db_table)
            fields = model._meta.concrete_fields
            converters = []  # (position in the model's values, converters, column)
            for position, field in enumerate(fields):
                column = field.get_col(alias)
                found = connection.ops.get_db_converters(column) + field.get_db_converters(
                    connection
                )
                if found:
                    converters.append((position, found, column))
                columns.append(f"{alias}.{quote(field.column)}")
            models.append((model, [f.attname for f in fields], converters))
        tail = self.tail
        for name, table in tables.items():
            tail = tail.replace(f"{{table:{name}}}", table)
        for word in ("id", "token", "round_id", "collector_id"):
            tail = tail.replace(f"{{q:{word}}}", quote(word))
        sql = f"SELECT {', '.join(columns)} {tail}"
        self._plans[connection.vendor] = (sql, models)
        return sql, models

    def load(self, *params: Any) -> list[Any] | None:
        from django.db import DEFAULT_DB_ALIAS, connections

        connection = connections[DEFAULT_DB_ALIAS]  # the proxy costs a lookup per attribute
        sql, models = self._plan(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        instances = []
        offset = 0
        for model, attnames, converters in models:
            values = list(row[offset : offset + len(attnames)])
            offset += len(attnames)
            for position, found, column in converters:
                for converter in found:
                    values[position] = converter(values[position], column, connection)
            instances.append(model.from_db(connection.alias, attnames, values))
        return instances


_RESPONSE_LOADER = _JoinedLoader(
    [("Response", "r")],
    "FROM {table:Response} r WHERE r.{q:id} = %s AND r.{q:collector_id} = %s",
)
_COLLECTOR_LOADER = _JoinedLoader(
    [("Collector", "c"), ("Round", "o")],
    "FROM {table:Collector} c JOIN {table:Round} o ON o.{q:id} = c.{q:round_id} "
    "WHERE c.{q:token} = %s",
)
_VERSIONS: dict[int, Any] = {}
# A link's collector and round as this process last read them: (read at, collector).
_LINKS: dict[str, tuple[float, Any]] = {}
_LINKS_MAX = 4096


def _published_version(version_id: int) -> Any:
    """A round's version is published, so its content is frozen: read once per process.

    The answering path reads only that content (through its pk and content hash);
    a later change of status, such as retiring the version, is not seen here.
    """
    from survey.models import SurveyVersion, VersionStatus

    version = _VERSIONS.get(version_id)
    if version is None:
        version = SurveyVersion.objects.get(pk=version_id)
        if version.status == VersionStatus.PUBLISHED:
            _VERSIONS[version_id] = version
    return version


def forget_published_versions() -> None:
    """For tests, whose rolled-back ids can come again with other content."""
    _VERSIONS.clear()
    _LINKS.clear()


def time_zone_of(*, survey_id: int | None = None, version_id: int | None = None) -> str:
    """The time zone of the agency owning a survey (or a version): its rounds' dates are in it."""
    agencies = Agency.objects.select_related("country")
    if survey_id is not None:
        agency = agencies.filter(surveys__pk=survey_id).first()
    else:
        agency = agencies.filter(surveys__versions__pk=version_id).first()
    return agency_time_zone(agency) if agency is not None else "UTC"


def forget_links() -> None:
    """A collector or round changed (pause, close, dates): read links afresh in this process."""
    _LINKS.clear()


def collector_by_token(*, token: str) -> Any:
    """The collector of a public link with its round and version (None when unknown).

    Every page of every respondent needs the link's collector and round (for the
    pause and close rules), and they change a few times a round. So a process
    keeps what it read for LINK_CACHE_SECONDS: a change made here is seen at
    once (`forget_links`, from the models' save signals); one made in another
    process within that time. The instances are shared: read them, never change them.

    While the database is out of reach (a restart or failover), a link read
    before is served as last read rather than an error page: a person opening
    it meets the welcome page, and what they then send waits on a "Not saved
    yet" page until the database is back (survey.respond_views).
    """
    from django.conf import settings

    now = time.monotonic()
    seen = _LINKS.get(token)
    if seen is not None and now - seen[0] < settings.LINK_CACHE_SECONDS:
        return seen[1]
    try:
        found = _COLLECTOR_LOADER.load(token[:64])
    except DATABASE_AWAY:
        if seen is None:
            raise
        return seen[1]
    if found is None:
        _LINKS.pop(token, None)
        return None
    collector, round_ = found
    round_.version = _published_version(round_.version_id)
    collector.round = round_
    if len(_LINKS) >= _LINKS_MAX:
        _LINKS.clear()
    _LINKS[token] = (now, collector)
    return collector


def response_with_collector(*, response_id: Any, collector_token: str) -> Any:
    """The response with its collector, round and version, if it belongs to this link.

    Reading it through the link's collector means an id from another round or
    link finds nothing.
    """
    try:
        pk = int(response_id)
    except (TypeError, ValueError):
        return None
    collector = collector_by_token(token=collector_token)
    if collector is None:
        return None
    found = _RESPONSE_LOADER.load(pk, collector.pk)
    if found is None:
        return None
    (response,) = found
    round_ = collector.round
    response.collector = collector
    if response.round_id == round_.pk:
        response.round = round_
    # A response started before the round moved to a newer version keeps its own:
    # frozen too, so read once per process like the round's.
    response.version = (
        round_.version
        if response.version_id == round_.version_id
        else _published_version(response.version_id)
    )
    return response
