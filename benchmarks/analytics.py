"""Analytics benchmark: frame, raking and the indicator table on N stored responses.

    python benchmarks/analytics.py --responses N     (default 1,000,000)

Creates N complete responses to the Aichi Target 1 module in the database
(PostgreSQL when DATABASE_URL points to it, a SQLite file otherwise), then
times: building the frame from the database, raking on three margins, and the
indicator table (7 indicators by 4 breakdowns), first from the database and
then again from the cached frame ("warm"). It also times the lower bound: a
plain pandas weighted group-by mean over the same frame. Last line:

    build_s=<x> rake_s=<x> table_s=<x> warm_s=<x> ratio=<x> peak_mb=<x>

warm_s = the whole computation (frame, raking, table) from the cached frame.
ratio = warm_s / plain pandas weighted group-by time (the lower bound).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 20_000  # distinct random responses; the rest are copies made in SQL
sys.path.insert(0, str(ROOT))

from benchmarks.demo_database import demo_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    args = parser.parse_args()
    demo_database("analytics.sqlite3")
    import numpy as np
    import pandas as pd
    from django.db import connection
    from django.utils import timezone

    from analytics import frames
    from analytics.demo import DEMO_MARGINS
    from analytics.indicators import BREAKDOWNS, indicator_table
    from analytics.selectors import standard_indicators
    from analytics.weighting import rake
    from survey.answering import compiled_for
    from survey.demo import PROFILE_SHARES
    from survey.models import Collector, Response, ResponseStatus
    from survey.signals import responses_changed

    collector = Collector.objects.get(token="demo-public-link")
    round_ = collector.round
    compiled = compiled_for(round_.version)
    existing = Response.objects.filter(round=round_, status=ResponseStatus.COMPLETE).count()
    wanted = args.responses
    print(
        f"database: {connection.vendor}; responses wanted: {wanted:,}; already stored: {existing:,}"
    )
    rng = np.random.default_rng(2026)
    shares = PROFILE_SHARES
    started = time.perf_counter()
    # Distinct random responses up to SEED rows; the rest are SQL copies of them (same
    # answers documents, new identifiers), which keeps the set-up minutes, not an hour.
    seeded = min(wanted, SEED)
    batch = 10_000
    languages = list(compiled.languages)
    groups = ["general_public", "youth", "women", "iplc", "business", "educators"]
    now = timezone.now()
    already = Response.objects.filter(round=round_, start_nonce__startswith="b").count()
    for offset in range(already, seeded, batch):
        size = min(batch, seeded - offset)
        picks = {}
        for question in compiled.questions.values():
            options = [o.code for o in question.options]
            if question.type == "single" and options:
                share = shares.get(question.code)
                picks[question.code] = (
                    rng.choice(list(share), size, p=list(share.values()))
                    if share
                    else rng.choice(options, size)
                )
            elif question.type == "matrix":
                for row in question.rows:
                    picks[f"{question.code}_{row.code}"] = rng.choice(options, size)
            elif question.type == "multiple" and options:
                picks[question.code] = rng.random((size, len(options))) < 0.3
                picks[question.code + "#options"] = options
        language = rng.choice(languages, size)
        group = rng.choice(groups, size)
        rows = []
        for i in range(size):
            answers = {}
            for code, values in picks.items():
                if code.endswith("#options"):
                    continue
                if values.ndim == 2:
                    options = picks[code + "#options"]
                    answers[code] = [o for o, f in zip(options, values[i], strict=True) if f] or [
                        options[0]
                    ]
                else:
                    answers[code] = str(values[i])
            rows.append(
                Response(
                    round=round_,
                    version=round_.version,
                    collector=collector,
                    start_nonce=f"b{offset + i}",
                    language=str(language[i]),
                    target_group=str(group[i]),
                    status=ResponseStatus.COMPLETE,
                    answers=answers,
                    receipt_code=f"B{offset + i:012d}",
                    started_at=now,
                    submitted_at=now,
                    duration_seconds=300,
                )
            )
        Response.objects.bulk_create(rows, batch_size=batch)
    table = Response._meta.db_table
    fields = [
        f.column
        for f in Response._meta.concrete_fields
        if f.column not in {"id", "start_nonce", "receipt_code"}
    ]
    copy = 0
    stored = Response.objects.filter(round=round_, status=ResponseStatus.COMPLETE).count()
    while stored < wanted:
        copy += 1
        size = min(seeded, wanted - stored)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(fields)}, start_nonce, receipt_code) "
                f"SELECT {', '.join(fields)}, 'c{copy}-' || id, 'C{copy}-' || id FROM {table} "
                "WHERE round_id = %s AND start_nonce LIKE 'b%%' ORDER BY id LIMIT %s",
                [round_.pk, size],
            )
        stored = Response.objects.filter(round=round_, status=ResponseStatus.COMPLETE).count()
    with connection.cursor() as cursor:
        # A steady state, as autovacuum leaves it: planner statistics and hint bits set.
        cursor.execute(
            f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else "ANALYZE"
        )
    responses_changed(round_.pk)
    print(f"created responses in {time.perf_counter() - started:.1f}s (not part of the figures)")

    indicators = list(standard_indicators())
    margins = {k: DEMO_MARGINS[k] for k in ("age_group", "sex", "residence")}

    frames.forget_frames()
    t0 = time.perf_counter()
    frame = frames.round_frame(round_.pk)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    weights = rake(frame, margins)
    rake_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    table = indicator_table(
        [round_.pk],
        indicators,
        by=["target_group", "age_group", "sex", "language"],
        weights=weights,
    )
    table_s = time.perf_counter() - t0
    # Warm: the whole computation again (frame, raking, table) with the frame cached.
    t0 = time.perf_counter()
    warm_frame = frames.round_frame(round_.pk)
    warm = indicator_table(
        [round_.pk],
        indicators,
        by=["target_group", "age_group", "sex", "language"],
        weights=rake(warm_frame, margins),
        frame=warm_frame,
    )
    warm_s = time.perf_counter() - t0
    assert len(warm) == len(table)

    # The floor: plain pandas, the weighted group-by mean of one indicator per breakdown,
    # timed once and scaled to seven indicators (weights given, no intervals).
    t0 = time.perf_counter()
    success = frame["bio_heard"].isin(["heard_know", "heard_not_know"]).to_numpy(float)
    sums = pd.DataFrame(
        {"w": weights.to_numpy(), "wx": success * weights.to_numpy()}, index=frame.index
    )
    for breakdown in ("target_group", "age_group", "sex", "language"):
        grouped = sums.groupby(frame[BREAKDOWNS[breakdown]], observed=True, sort=False).sum()
        means = grouped["wx"] / grouped["w"]
    floor_s = (time.perf_counter() - t0) * len(indicators)
    del means
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"frame: {len(frame):,} rows x {frame.shape[1]} columns")
    print(
        f"build from the database {build_s:.2f}s; rake on 3 margins {rake_s:.2f}s; indicator table (7 x 4 breakdowns) {table_s:.2f}s; warm (frame from cache, rake, table) {warm_s:.2f}s"
    )
    print(f"plain pandas weighted group-by, 7 indicators x 4 breakdowns: {floor_s:.3f}s")
    print(
        f"build_s={build_s:.2f} rake_s={rake_s:.2f} table_s={table_s:.2f} warm_s={warm_s:.2f} ratio={warm_s / floor_s:.1f} peak_mb={peak_mb:.0f}"
    )


if __name__ == "__main__":
    main()
