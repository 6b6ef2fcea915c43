"""One pandas DataFrame per round: a row per complete response, a column per answer.

Multiple-choice and ranking answers become one boolean column per choice
(`steps/recycle`), which the vectorised expression evaluator reads directly.
Frames are cached in the process per (round, stamp); the stamp changes when a
response is completed or deleted, so a stale frame is never served.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from survey import selectors
from survey.checks import iter_questions

META = [
    "response_id",
    "round_id",
    "collector_id",
    "language",
    "target_group",
    "submitted_at",
    "duration_seconds",
    "quality_flags",
]
_MULTI = {"multiple", "ranking"}
_NUMBER = {"integer", "decimal", "rating"}


def round_frame(round_id: int) -> pd.DataFrame:
    stamp = selectors.completed_responses_stamp(round_id=round_id)
    return _cached_frame(round_id, stamp).copy(deep=False)


@lru_cache(maxsize=8)
def _cached_frame(round_id: int, stamp: tuple[int, str]) -> pd.DataFrame:
    del stamp  # part of the cache key only
    return build_frame(round_id)


def build_frame(round_id: int) -> pd.DataFrame:
    survey_dict = selectors.round_questions(round_id=round_id)
    lists = {cl["name"]: [c["code"] for c in cl["choices"]] for cl in survey_dict["choice_lists"]}
    multi: dict[str, list[str]] = {}
    numbers: set[str] = set()
    for question in iter_questions(survey_dict):
        if question["type"] in _MULTI:
            multi[question["code"]] = lists.get(question.get("choice_list") or "", [])
            if (question.get("settings") or {}).get("other"):
                multi[question["code"]] = [*multi[question["code"]], "other"]
        elif question["type"] in _NUMBER:
            numbers.add(question["code"])

    meta_rows: list[tuple] = []
    answers: list[dict[str, Any]] = []
    for row in selectors.completed_responses(round_id=round_id):
        meta_rows.append(row[:-1])
        answers.append(row[-1])
    meta = pd.DataFrame(meta_rows, columns=META)
    data = pd.DataFrame.from_records(answers) if answers else pd.DataFrame(index=range(0))
    columns: dict[str, Any] = {}
    for code in data.columns:
        series = data[code]
        if code in multi:
            chosen = series.map(lambda v: set(v) if isinstance(v, list) else set())
            for choice in multi[code]:
                columns[f"{code}/{choice}"] = chosen.map(lambda s, c=choice: c in s).astype(bool)
        elif code in numbers:
            columns[code] = pd.to_numeric(series, errors="coerce").astype("float64")
        else:
            columns[code] = series.astype("string")  # pd.NA when unanswered
    frame = pd.concat([meta, pd.DataFrame(columns, index=meta.index)], axis=1)
    frame["flagged"] = (
        frame["quality_flags"].map(lambda flags: bool(flags))
        if len(frame)
        else pd.Series(dtype=bool)
    )
    return frame
