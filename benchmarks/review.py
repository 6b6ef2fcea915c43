"""Review benchmark: one decision for many responses, the list's file, and the list's reads.

    python benchmarks/review.py --responses N     (default 100,000)

Stores N complete responses in the demo round (PostgreSQL when DATABASE_URL
points to it, a SQLite file otherwise; copies of the demo's sample responses),
then times, on those of the public link: leaving them all out in one decision,
keeping them, undoing the decisions, writing the list as CSV, and the reads
the responses page makes (a page in two orders, the selection the decision
form confirms, the round's review counts). A decision for many runs in one
request: it must stay well inside a server's request timeout (gunicorn's
default is 30 s). Last line:

    decide_s=<x> undo_s=<x> csv_s=<x> page_ms=<x>

decide_s: the slower of "leave out" and "keep"; page_ms: the slowest read of the page.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.demo_database import demo_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    args = parser.parse_args()
    demo_database("review.sqlite3")
    from django.db import connection

    from accounts.models import User
    from survey import review
    from survey.demo import DEMO_COLLECTOR_TOKEN
    from survey.models import Collector, Response, ResponseStatus

    collector = Collector.objects.get(token=DEMO_COLLECTOR_TOKEN)
    round_ = collector.round
    complete = Response.objects.filter(round=round_, status=ResponseStatus.COMPLETE)
    seeds = list(complete.filter(collector=collector))
    batch: list[Response] = []
    for number in range(max(0, args.responses - complete.count())):
        response = copy.copy(seeds[number % len(seeds)])
        response.pk = None
        response.receipt_code = f"B{number:09d}"
        response.start_nonce = f"bench-{number}"
        response.resume_hash = None
        response.fingerprint = None
        batch.append(response)
        if len(batch) == 5000:
            Response.objects.bulk_create(batch)
            batch = []
    Response.objects.bulk_create(batch)
    with connection.cursor() as cursor:  # statistics, as autovacuum would have them by now
        cursor.execute("ANALYZE")
    analyst = User.objects.filter(email="analyst@demo.example.org").first()
    filters = {"round_": round_, "collector_id": collector.pk}  # a narrowed list
    listed = review.selection(**filters).count
    print(
        f"database: {connection.vendor}; complete responses: {complete.count():,}; "
        f"through the public link: {listed:,}"
    )

    timings: dict[str, float] = {}
    for decision, note in (("leave_out", "benchmark"), ("keep", ""), (review.UNDO, "")):
        state = review.selection(**filters).state
        started = time.perf_counter()
        changed = review.responses_review_all(
            decision=decision, note=note, by=analyst, state=state, **filters
        )
        timings[decision] = time.perf_counter() - started
        print(f"  {decision:<10} {changed:,} responses in {timings[decision]:.2f} s")
    started = time.perf_counter()
    lines = sum(1 for _line in review.responses_csv(zone="UTC", **filters))
    csv_s = time.perf_counter() - started
    print(f"  csv        {lines - 1:,} rows in {csv_s:.2f} s")

    reads = {
        "page, newest first": lambda: list(review.round_responses(round_=round_)),
        "page, fastest first, flagged": lambda: list(
            review.round_responses(round_=round_, order="fastest", flag=review.ANY_FLAG)
        ),
        "selection (awaiting)": lambda: review.selection(round_=round_, show="awaiting"),
        "review counts": lambda: review.review_counts(round_=round_),
    }
    slowest = 0.0
    for label, read in reads.items():
        started = time.perf_counter()
        read()
        elapsed = 1000 * (time.perf_counter() - started)
        slowest = max(slowest, elapsed)
        print(f"  {label:<30} {elapsed:.0f} ms")
    decide = max(timings["leave_out"], timings["keep"])
    print(
        f"decide_s={decide:.2f} undo_s={timings[review.UNDO]:.2f} csv_s={csv_s:.2f} "
        f"page_ms={slowest:.0f}"
    )


if __name__ == "__main__":
    main()
