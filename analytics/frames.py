"""One pandas DataFrame per round: a row per complete response, a column per answer.

Multiple-choice and ranking answers become one boolean column per choice
(`steps/recycle`), which the vectorised expression evaluator reads directly.
Frames are cached in the process per (round, stamp); the stamp changes when a
response is completed or deleted, so a stale frame is never served.
"""

from __future__ import annotations

import io
import logging
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings

from survey import selectors
from survey.checks import answer_keys, iter_questions
from survey.selectors import MASK_BITS, response_field

# The response's own fields, named as no question code can be ("@language"): a
# question may be coded "language" or "target_group", and has its own column.
RESPONSE_ID = response_field("response_id")
ROUND_ID = response_field("round_id")
COLLECTOR_ID = response_field("collector_id")
LANGUAGE = response_field("language")
TARGET_GROUP = response_field("target_group")
SUBMITTED_AT = response_field("submitted_at")
DURATION_SECONDS = response_field("duration_seconds")
FLAGGED = response_field("flagged")
_SUBMITTED_EPOCH = response_field("submitted_epoch")
META = [
    RESPONSE_ID,
    ROUND_ID,
    COLLECTOR_ID,
    LANGUAGE,
    TARGET_GROUP,
    SUBMITTED_AT,
    DURATION_SECONDS,
    FLAGGED,
]
logger = logging.getLogger(__name__)


MAX_CACHED_ROUNDS = 8
_FRAMES: OrderedDict[int, tuple[str, pd.DataFrame]] = OrderedDict()
_FRAMES_LOCK = threading.Lock()


def round_frame(round_id: int) -> pd.DataFrame:
    """The round's frame, rebuilt only when its complete responses changed.

    One frame per round is kept (a new stamp replaces the old frame at once, so
    a busy fieldwork day does not pile up stale million-row frames), for the
    MAX_CACHED_ROUNDS rounds used last. Callers get a shallow copy: adding a
    column never touches the cached frame.
    """
    stamp = selectors.completed_responses_stamp(round_id=round_id)
    with _FRAMES_LOCK:
        cached = _FRAMES.get(round_id)
        if cached is not None and cached[0] == stamp:
            _FRAMES.move_to_end(round_id)
            return cached[1].copy(deep=False)
    frame = build_frame(round_id)
    with _FRAMES_LOCK:
        _FRAMES[round_id] = (stamp, frame)
        _FRAMES.move_to_end(round_id)
        while len(_FRAMES) > MAX_CACHED_ROUNDS:
            _FRAMES.popitem(last=False)
    return frame.copy(deep=False)


def forget_frames() -> None:
    with _FRAMES_LOCK:
        _FRAMES.clear()


def build_frame(round_id: int) -> pd.DataFrame:
    """Answers from a list become categoricals, so that comparisons and group-bys
    work on small integer codes rather than strings (a million rows in milliseconds)."""
    survey_dict = selectors.round_questions(round_id=round_id)
    lists = {cl["name"]: [c["code"] for c in cl["choices"]] for cl in survey_dict["choice_lists"]}
    questions = {q["code"]: q for q in iter_questions(survey_dict)}
    choice_keys: dict[str, list[str]] = {}
    coded_keys: dict[str, list[str]] = {}
    numbers: set[str] = set()
    text_keys: list[str] = []
    for key, (code, answer_type) in answer_keys(survey_dict).items():
        if answer_type.kind == "none":  # notes, and matrices (their rows hold the answers)
            continue
        question = questions[code]
        choices = lists.get(question.get("choice_list") or "", [])
        if (question.get("settings") or {}).get("other") and "other" not in choices:
            choices = [*choices, "other"]
        if answer_type.kind == "list":
            choice_keys[key] = choices
        elif answer_type.kind == "choice" and choices:
            coded_keys[key] = choices
        else:
            text_keys.append(key)
            if answer_type.kind == "number":
                numbers.add(key)
    raw = selectors.completed_responses_csv(
        round_id=round_id,
        text_keys=text_keys,
        coded_keys=coded_keys,
        choice_keys=choice_keys,
        parallel_workers=int(getattr(settings, "ANALYTICS_PARALLEL_WORKERS", 2)),
    )
    dtypes: dict[str, Any] = {key: "string" for key in text_keys if key not in numbers}
    dtypes.update(dict.fromkeys(numbers, "float64"))
    dtypes.update(dict.fromkeys(coded_keys, "float32"))
    masks = {
        key: [f"{key}#{chunk}" for chunk in range(max(1, -(-len(choices) // MASK_BITS)))]
        for key, choices in choice_keys.items()
    }
    dtypes.update({name: "int64" for names in masks.values() for name in names})
    dtypes.update(
        {
            LANGUAGE: "category",
            TARGET_GROUP: "category",
            FLAGGED: "int8",
            _SUBMITTED_EPOCH: "float64",
        }
    )
    frame = pd.read_csv(
        io.BytesIO(raw), dtype=dtypes, keep_default_na=False, na_values={k: [""] for k in dtypes}
    )
    columns: dict[str, Any] = {}
    for key, choices in coded_keys.items():
        positions = frame[key].to_numpy()
        unknown = int((positions == 0).sum())
        if unknown:
            logger.warning(
                "Round %s: %s answers to %s are not in its list.", round_id, unknown, key
            )
        codes = np.nan_to_num(positions, nan=0).astype(np.int16) - 1
        columns[key] = pd.Categorical.from_codes(codes, categories=choices)
    for key, choices in choice_keys.items():
        for chunk, name in enumerate(masks[key]):
            bits = frame[name].to_numpy()
            for bit, choice in enumerate(choices[chunk * MASK_BITS : (chunk + 1) * MASK_BITS]):
                columns[f"{key}/{choice}"] = (bits >> bit) & 1 == 1
    columns[FLAGGED] = frame[FLAGGED].to_numpy() == 1
    columns[ROUND_ID] = round_id
    columns[SUBMITTED_AT] = pd.to_datetime(frame[_SUBMITTED_EPOCH], unit="s", utc=True)
    dropped = [name for names in masks.values() for name in names] + [_SUBMITTED_EPOCH]
    frame = frame.drop(columns=dropped).assign(**columns)
    return frame[[c for c in META if c in frame] + [c for c in frame if c not in META]]
