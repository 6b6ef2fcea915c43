"""Indicators from responses: frames, standard definitions, breakdowns, suppression, the command."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import frames
from analytics.frames import round_frame
from analytics.indicators import indicator_table, table_as_json
from analytics.models import Indicator
from analytics.standard import STANDARD_INDICATORS
from survey import services
from survey.checks import answer_keys
from survey.demo import demo_survey_dict
from survey.expressions import parse, references
from survey.logic import PAGE_FIELD
from survey.models import Response, ResponseStatus
from survey.serialization import survey_from_dict

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_round(agency):
    from analytics.demo import demo_margins_load
    from survey.demo import demo_round_load, demo_survey_load

    survey = demo_survey_load(agency=agency)
    collector = demo_round_load(survey=survey)
    demo_margins_load(agency=agency)
    return collector.round


def test_the_standard_indicators_are_loaded_and_use_only_bank_codes():
    assert Indicator.objects.filter(agency=None).count() == len(STANDARD_INDICATORS) == 7
    keys = set(answer_keys(demo_survey_dict())) | {"bio_meaning_code"}
    for definition in STANDARD_INDICATORS:
        for text in (definition["numerator"], definition["denominator"]):
            assert references(parse(text)) <= keys, definition["code"]
        assert set(definition["name"]) == {"en", "fr", "es", "ru", "ar", "zh-Hans"}


def test_the_frame_has_a_row_per_complete_response_and_a_column_per_choice(demo_round):
    frame = round_frame(demo_round.pk)
    assert len(frame) == 300
    assert frame["bio_steps/reduce_waste"].dtype == bool
    assert {
        frames.RESPONSE_ID,
        frames.LANGUAGE,
        frames.TARGET_GROUP,
        frames.SUBMITTED_AT,
        frames.DURATION_SECONDS,
        frames.FLAGGED,
    } <= set(frame.columns)
    assert (
        frame["bio_heard"].isin(["heard_know", "heard_not_know", "never_heard", "dont_know"]).all()
    )


def test_the_cached_frame_follows_new_and_deleted_responses(
    demo_round, django_capture_on_commit_callbacks
):
    first = round_frame(demo_round.pk)
    assert round_frame(demo_round.pk) is not first  # a shallow copy of the cached frame
    response = Response.objects.filter(round=demo_round).first()
    with django_capture_on_commit_callbacks(execute=True):
        response.delete()
    assert len(round_frame(demo_round.pk)) == len(first) - 1
    with django_capture_on_commit_callbacks(execute=True):
        Response.objects.create(
            round=demo_round,
            version=demo_round.version,
            collector=demo_round.collectors.first(),
            start_nonce="new",
            language="en",
            status=ResponseStatus.COMPLETE,
            answers={"bio_heard": "never_heard"},
            receipt_code="NEW1",
            submitted_at=pd.Timestamp("2030-01-01", tz="UTC"),
        )
    assert len(round_frame(demo_round.pk)) == len(first)


def test_a_completed_page_flow_refreshes_the_frame(demo_round, django_capture_on_commit_callbacks):
    """Completion is a queryset update (no model signal): it must drop the stamp too."""
    from survey.answering import compiled_for, response_save_page, response_start

    before = len(round_frame(demo_round.pk))
    collector = demo_round.collectors.first()
    response = response_start(collector=collector, language="en", nonce="n1", ip_hash="h")
    compiled = compiled_for(demo_round.version)
    with django_capture_on_commit_callbacks(execute=True):
        for _page in range(20):
            outcome = response_save_page(
                response=response,
                compiled=compiled,
                page=response.page,
                post=_first_answers(compiled, response),
            )
            if outcome.finished:
                break
    assert outcome.finished
    assert len(round_frame(demo_round.pk)) == before + 1


def test_the_indicator_table_matches_a_hand_count(demo_round):
    frame = round_frame(demo_round.pk)
    table = indicator_table([demo_round.pk], Indicator.objects.filter(agency=None))
    row = table[(table.indicator == "awareness_term") & (table.breakdown == "all")].iloc[0]
    answered = frame["bio_heard"].notna()
    heard = frame["bio_heard"].isin(["heard_know", "heard_not_know"])
    assert row.value == pytest.approx(heard[answered].mean())
    assert row.n == answered.sum()


@pytest.mark.parametrize("crossed", [True, False], ids=["one-pass", "per-breakdown"])
def test_every_cell_of_every_breakdown_matches_a_direct_estimate(demo_round, monkeypatch, crossed):
    """The one-pass table gives, cell by cell, what `proportion` gives on that subset."""
    from analytics import indicators
    from analytics.demo import DEMO_MARGINS
    from analytics.estimates import proportion
    from analytics.indicators import success_series
    from analytics.weighting import rake

    if not crossed:
        monkeypatch.setattr(indicators._CrossCells, "MAX_COMBINATIONS", 1)
    monkeypatch.setattr(indicators, "min_cell_size", lambda: 0)
    frame = round_frame(demo_round.pk)
    weights = rake(frame, {k: DEMO_MARGINS[k] for k in ("age_group", "sex")})
    chosen = list(Indicator.objects.filter(agency=None))
    by = ["target_group", "age_group", "sex", "language", "region"]
    table = indicator_table([demo_round.pk], chosen, by=by, weights=weights)
    for indicator in chosen:
        success = success_series(indicator, frame)
        for breakdown in ["all", *by]:
            column = None if breakdown == "all" else frame[indicators.BREAKDOWNS[breakdown]]
            cells = table[(table.indicator == indicator.code) & (table.breakdown == breakdown)]
            assert len(cells) == (1 if column is None else column.nunique())
            for row in cells.itertuples():
                subset = np.ones(len(frame), bool) if column is None else column == row.category
                expected = proportion(success[subset], weights[subset])
                assert row.n == expected.n
                if expected.n:
                    assert row.value == pytest.approx(expected.value, abs=1e-12)
                    assert row.lower == pytest.approx(expected.lower, abs=1e-12)
                    assert row.n_eff == pytest.approx(expected.n_eff, rel=1e-12)


def test_weighted_estimates_move_towards_the_population(demo_round):
    from analytics.demo import DEMO_MARGINS

    unweighted = indicator_table(
        [demo_round.pk], Indicator.objects.filter(code="awareness_term"), by=["sex"]
    )
    weighted = indicator_table(
        [demo_round.pk],
        Indicator.objects.filter(code="awareness_term"),
        by=["sex"],
        weights="raking",
        margins=DEMO_MARGINS,
    )
    all_u = unweighted[unweighted.breakdown == "all"].iloc[0]
    all_w = weighted[weighted.breakdown == "all"].iloc[0]
    assert all_w.n == all_u.n and all_w.n_eff < all_u.n_eff and all_w.deff > 1
    assert 0 < all_w.lower < all_w.value < all_w.upper < 1


def test_small_cells_are_suppressed_everywhere(demo_round, capsys):
    table = indicator_table([demo_round.pk], Indicator.objects.filter(agency=None), by=["sex"])
    small = table[table.suppressed]
    assert set(small.category) >= {"other", "no_answer"}
    assert small[["value", "lower", "upper", "n", "n_eff", "deff"]].isna().all().all()
    call_command("indicators", str(demo_round.pk), "--by", "sex", "--format", "json")
    rows = json.loads(capsys.readouterr().out)["rows"]
    for row in rows:
        if row["suppressed"]:
            assert [row[k] for k in ("value", "lower", "upper", "n", "n_eff", "deff")] == [None] * 6


def _synthetic_frame(groups: list[str], answers: list[bool]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sex": groups,
            "bio_heard": ["heard_know" if a else "never_heard" for a in answers],
            frames.FLAGGED: False,
        }
    )


@given(
    st.lists(
        st.tuples(st.sampled_from(["female", "male", "other"]), st.booleans()),
        min_size=1,
        max_size=120,
    )
)
@settings(max_examples=40, deadline=None)
def test_suppression_never_leaks_a_small_cell_in_any_output(rows):
    frame = _synthetic_frame([g for g, _a in rows], [a for _g, a in rows])
    indicator = type("I", (), STANDARD_INDICATORS[0])
    table = indicator_table([0], [indicator], by=["sex"], frame=frame)
    counts = frame["sex"].value_counts().to_dict()
    for row in table.to_dict("records"):
        size = len(frame) if row["breakdown"] == "all" else counts[row["category"]]
        if size < 30:
            assert row["suppressed"] and pd.isna(row["value"]) and pd.isna(row["n"])
            assert pd.isna(row["lower"]) and pd.isna(row["upper"]) and pd.isna(row["n_eff"])
    payload = json.dumps(table_as_json(table, round_ids=[0], weights="none"))
    for row in json.loads(payload)["rows"]:
        if row["suppressed"]:
            assert row["value"] is None and row["lower"] is None and row["n"] is None


def test_the_command_prints_table_json_and_csv(demo_round, capsys):
    call_command("indicators", str(demo_round.pk), "--weights", "raking")
    table = capsys.readouterr().out
    assert "awareness_term" in table and "%" in table
    call_command("indicators", str(demo_round.pk), "--format", "csv", "--by", "target_group")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["indicator"] == "awareness_term" and rows[0]["breakdown"] == "all"
    assert float(rows[0]["value"]) == pytest.approx(
        np.mean(round_frame(demo_round.pk)["bio_heard"].isin(["heard_know", "heard_not_know"]))
    )


def test_a_survey_without_the_bank_codes_gives_empty_not_wrong_indicators(agency):
    from survey import fieldwork
    from tests.survey.factories import every_feature

    version = services.survey_publish(
        version=survey_from_dict(every_feature(), agency=agency, by=None), by=None
    )
    round_ = fieldwork.round_create(version=version, label="Other survey")
    table = indicator_table([round_.pk], Indicator.objects.filter(agency=None))
    assert table.suppressed.all()


def _first_answers(compiled, response) -> dict:
    """A respondent who picks the first option everywhere on the current page."""
    from django.http import QueryDict

    post = QueryDict(mutable=True)
    post[PAGE_FIELD] = str(response.page)
    section = compiled.visible_sections(response.answers)[response.page - 1]
    for question in compiled.visible_questions(section, response.answers):
        first = question.options[0].code if question.options else "1"
        if question.type == "matrix":
            for row in question.rows:
                post[f"{question.code}__{row.code}"] = first
        elif question.type == "ranking":
            for rank, option in enumerate(question.options, 1):
                post[f"{question.code}__{option.code}"] = str(rank)
        elif question.type != "note":
            post[question.code] = "The variety of life" if question.type.endswith("text") else first
    return post


def test_questions_coded_like_a_responses_own_fields_keep_their_own_answers(
    agency, client, member_factory, login
):
    # "Which language do you speak at home?" coded `language`, the agency's own target
    # group question coded `target_group`: beside the language each response was
    # answered in and the target group its link set. With the same column names the
    # round's indicators page was a server error.
    from django.urls import reverse

    from accounts.models import Role
    from survey import fieldwork
    from tests.survey.factories import choice, q, survey_dict

    own_fields = ["response_id", "round_id", "collector_id", "duration_seconds", "submitted_at"]
    data = survey_dict(
        q("language", "single", choice_list="spoken"),
        q("target_group", "single", choice_list="work"),
        q("flagged", "single", choice_list="yes_no"),
        *(q(code, "integer") for code in own_fields),
        lists=[
            {"name": "spoken", "choices": [choice("wolof"), choice("french")]},
            {"name": "work", "choices": [choice("farmer"), choice("fisher")]},
            {"name": "yes_no", "choices": [choice("yes"), choice("no")]},
        ],
    )
    version = services.survey_publish(
        version=survey_from_dict(data, agency=agency, by=None), by=None
    )
    round_ = fieldwork.round_create(version=version, label="Home languages")
    schools = fieldwork.collector_create(round_=round_, name="Schools", preset_target_group="youth")
    now = pd.Timestamp("2026-05-22", tz="UTC")
    Response.objects.bulk_create(
        Response(
            round=round_,
            version=version,
            collector=schools,
            target_group="youth",
            language="fr" if number % 4 else "en",
            status=ResponseStatus.COMPLETE,
            answers={
                "language": "wolof" if number % 2 else "french",
                "target_group": "fisher",
                "flagged": "no",
                **dict.fromkeys(own_fields, 7),
            },
            start_nonce=f"n{number}",
            receipt_code=f"{number:010X}",
            started_at=now,
            submitted_at=now,
            duration_seconds=600,
        )
        for number in range(80)
    )
    frame = round_frame(round_.pk)
    assert (frame["language"] == "wolof").sum() == 40
    assert set(frame[frames.LANGUAGE]) == {"en", "fr"}
    assert set(frame["target_group"]) == {"fisher"} and set(frame[frames.TARGET_GROUP]) == {"youth"}
    assert set(frame["flagged"]) == {"no"} and not frame[frames.FLAGGED].any()
    assert all((frame[code] == 7).all() for code in own_fields)
    assert (frame[frames.DURATION_SECONDS] == 600).all()
    assert frame[frames.COLLECTOR_ID].eq(schools.pk).all()

    home_wolof = type(
        "I",
        (),
        {
            "code": "home_wolof",
            "numerator": "${language} = 'wolof'",
            "denominator": "${language} != ''",
        },
    )
    table = indicator_table([round_.pk], [home_wolof], by=["language", "target_group"])
    shares = {(row.breakdown, row.category): row.value for row in table.itertuples()}
    assert shares[("all", "all")] == pytest.approx(0.5)
    assert shares[("language", "fr")] == pytest.approx(40 / 60)  # numbers 1-3 of each four
    assert shares[("target_group", "youth")] == pytest.approx(0.5)
    login(member_factory(Role.ANALYST, agency=agency))
    url = reverse("analytics:round_indicators", args=[round_.pk])
    assert client.get(f"{url}?by=language&by=target_group").status_code == 200
