"""Reads for questionnaires, always scoped through the agency membership selector."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import Action
from accounts.selectors import AgencyAccess, agency_access
from survey.models import Choice, ChoiceList, Question, Section, Survey, SurveyVersion


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


def completed_responses_stamp(*, round_id: int) -> tuple[int, str]:
    """(count, latest submission) of a round's complete responses: changes whenever one is
    completed or deleted, so analytics can cache per stamp without explicit invalidation."""
    from django.db.models import Count, Max

    from survey.models import Response, ResponseStatus

    row = Response.objects.filter(round_id=round_id, status=ResponseStatus.COMPLETE).aggregate(
        count=Count("pk"), latest=Max("submitted_at")
    )
    return row["count"], row["latest"].isoformat() if row["latest"] else ""


def round_questions(*, round_id: int) -> dict[str, Any]:
    """The questionnaire dict of a round's version, for labelling and typing frame columns."""
    from survey.models import Round
    from survey.serialization import survey_to_dict

    return survey_to_dict(Round.objects.select_related("version").get(pk=round_id).version)


def round_agency_id(*, round_id: int) -> int:
    from survey.models import Round

    return Round.objects.values_list("version__survey__agency_id", flat=True).get(pk=round_id)


def agency_answer_categories(*, agency_id: int) -> dict[str, set[str]]:
    """Choice codes per single-choice question code across the agency's published versions."""
    from survey.models import Choice, Question, VersionStatus

    categories: dict[str, set[str]] = {}
    questions = Question.objects.filter(
        version__survey__agency_id=agency_id,
        version__status=VersionStatus.PUBLISHED,
        choice_list__isnull=False,
    ).values_list("code", "choice_list_id")
    by_list: dict[int, list[str]] = {}
    for list_id, code in Choice.objects.filter(
        choice_list_id__in={list_id for _code, list_id in questions}
    ).values_list("choice_list_id", "code"):
        by_list.setdefault(list_id, []).append(code)
    for code, list_id in questions:
        categories.setdefault(code, set()).update(by_list.get(list_id, []))
    return categories


def completed_responses_csv(
    *, round_id: int, scalar_keys: list[str], choice_keys: dict[str, list[str]]
) -> bytes:
    """A round's complete responses as CSV, one column per answer key, extracted in SQL.

    Multiple-choice answers come as one 0/1 column per choice (`key/choice`).
    PostgreSQL streams the result with COPY, so a million responses never pass
    through Python objects one by one; SQLite uses its JSON functions.
    """
    import csv
    import io

    from django.db import connection

    from survey.models import Response, ResponseStatus

    table = Response._meta.db_table
    postgres = connection.vendor == "postgresql"
    quote = connection.ops.quote_name
    params: list[Any] = []
    columns = [
        f"{table}.{quote('id')} AS response_id",
        *(
            f"{table}.{name} AS {name}"
            for name in (
                "collector_id",
                "language",
                "target_group",
                "submitted_at",
                "duration_seconds",
            )
        ),
    ]
    if postgres:
        columns.append(f"(jsonb_array_length({table}.quality_flags) > 0)::int AS flagged")
    else:
        columns.append("(json_array_length(quality_flags) > 0) AS flagged")
    record: list[str] = []  # PostgreSQL: the answers are decoded once per row
    for key in scalar_keys:
        if postgres:
            columns.append(f"a.{quote(key)} AS {quote(key)}")
            record.append(f"{quote(key)} text")
        else:
            columns.append(f"json_extract(answers, %s) AS {quote(key)}")
            params.append(f'$."{key}"')
    for key, choices in choice_keys.items():
        if postgres:
            record.append(f"{quote(key)} jsonb")
        for choice in choices:
            name = quote(f"{key}/{choice}")
            if postgres:
                columns.append(f"COALESCE(a.{quote(key)} ? %s, false)::int AS {name}")
                params.append(choice)
            else:
                columns.append(
                    f"EXISTS (SELECT 1 FROM json_each(answers, %s) WHERE value = %s) AS {name}"  # noqa: S608
                )
                params.extend([f'$."{key}"', choice])
    where = f"{table}.round_id = %s AND {table}.status = %s"
    params.extend([round_id, ResponseStatus.COMPLETE])
    # Column names are quoted identifiers; every value is a query parameter.
    source = table
    if postgres and record:
        source = f"{table} CROSS JOIN LATERAL jsonb_to_record(answers) AS a({', '.join(record)})"
    sql = f"SELECT {', '.join(columns)} FROM {source} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        if postgres:
            raw = cursor.connection.cursor()
            query = raw.mogrify(sql, params)
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
