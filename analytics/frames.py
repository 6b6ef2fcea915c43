"""One pandas DataFrame per round: a row per complete response, a column per answer.

Multiple-choice and ranking answers become one boolean column per choice
(`steps/recycle`), which the vectorised expression evaluator reads directly.
Frames are cached in the process per (round, stamp); the stamp changes when a
response is completed or deleted, so a stale frame is never served.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

import pandas as pd

from survey import selectors
from survey.checks import answer_keys, iter_questions

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
    choice_keys: dict[str, list[str]] = {}
    numbers: set[str] = set()
    scalar_keys: list[str] = []
    for key, (code, _type) in answer_keys(survey_dict).items():
        question = next(q for q in iter_questions(survey_dict) if q["code"] == code)
        if key == code and question["type"] in _MULTI:
            choices = lists.get(question.get("choice_list") or "", [])
            if (question.get("settings") or {}).get("other"):
                choices = [*choices, "other"]
            choice_keys[key] = choices
        elif question["type"] not in {"note", "matrix"} or key != code:
            scalar_keys.append(key)
            if key == code and question["type"] in _NUMBER:
                numbers.add(key)
    raw = selectors.completed_responses_csv(
        round_id=round_id, scalar_keys=scalar_keys, choice_keys=choice_keys
    )
    dtypes: dict[str, Any] = {key: "string" for key in scalar_keys if key not in numbers}
    dtypes.update(dict.fromkeys(numbers, "float64"))
    dtypes.update({"language": "string", "target_group": "string", "flagged": "int8"})
    flags = [f"{key}/{choice}" for key, choices in choice_keys.items() for choice in choices]
    dtypes.update(dict.fromkeys(flags, "int8"))
    frame = pd.read_csv(
        io.BytesIO(raw), dtype=dtypes, keep_default_na=False, na_values={k: [""] for k in dtypes}
    )
    for column in [*flags, "flagged"]:
        frame[column] = frame[column].astype(bool)
    frame["round_id"] = round_id
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True, format="mixed")
    return frame
