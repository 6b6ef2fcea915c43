"""Intake benchmark: N simulated respondents answer the demo survey through gunicorn.

    python benchmarks/intake.py --respondents N --concurrency C

Runs against the real server (gunicorn on loopback) on PostgreSQL when
DATABASE_URL points to it, on a fresh SQLite file otherwise. Prints completed
responses per second, latency percentiles per request kind, errors, and the
same figures for a bare Django view that inserts one row per request, under the
same concurrency, and (on Linux) the server's CPU time per request of each. The
timed part alternates survey and bare phases (--rounds, default 4) so that a
machine that slows down or speeds up during the run weighs on both alike; each
round's own ratio is printed to show that spread. The last line reads:

    ratio=<x> p95_ms=<y> errors=<n> lost=<n>

ratio = survey page submissions per second / bare inserts per second.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TOKEN = "demo-public-link"


def run_manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def prepare_database(env: dict[str, str]) -> None:
    """Tables, the demo survey with its public link, and the bare view's table."""
    run_manage(env, "migrate", "--noinput")
    run_manage(env, "load_demo")
    run_manage(
        env,
        "shell",
        "-c",
        "from django.db import connection\nwith connection.cursor() as c:\n    c.execute('CREATE TABLE IF NOT EXISTS bench_row (id %s PRIMARY KEY, payload TEXT)' % ('BIGSERIAL' if connection.vendor == 'postgresql' else 'INTEGER'))",
    )


class Browser:
    """A minimal HTTP client with a cookie jar, one per simulated respondent."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, response.getheader("Location") or "", text


# A follow-up the page keeps hidden until a choice on the same page shows it
# (data-show-on, data-show-values). respond.js, which runs in most respondents'
# browsers, shows it as soon as the choice is made and names it in "live-shown", so
# the page is sent once; a follow-up left hidden is not sent. This client does what
# respond.js does, and leaves out the no-script field the script removes: the next
# page comes in the answer to each POST, as for most respondents (a browser running
# no script gets a redirect and a GET instead, and the page once more to show the
# follow-up).
_FOLLOW_UP = re.compile(
    r'<div class="q [^"]*" id="q-([^"]*)" data-show-on="([^"]*)" '
    r'data-show-values="([^"]*)" hidden>.*?\n</div>',
    re.S,
)


def answers_for(html: str) -> dict[str, list[str]]:
    """Plausible answers for whatever the page shows: the first option of each group."""
    follow_ups = list(_FOLLOW_UP.finditer(html))
    data = _fields(_FOLLOW_UP.sub("", html))
    shown = []
    for block in follow_ups:
        code, on, values = block.groups()
        if data.get(on, [""])[0] in json.loads(unescape(values)):
            shown.append(code)
            data.update({k: v for k, v in _fields(block.group(0)).items() if k not in data})
    if follow_ups:
        data["live-shown"] = [" ".join(shown)]
    page = re.search(r'name="page-number" value="(\d+)"', html)
    if page:
        data["page-number"] = [page.group(1)]
    data["response-state"] = [re.search(r'name="response-state" value="([^"]+)"', html).group(1)]
    data["next-page"] = ["1"]
    return data


def _fields(html: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for _kind, name, value in re.findall(
        r'<input type="(radio|checkbox)" name="([^"]+)" id="[^"]*" value="([^"]*)"', html
    ):
        if name not in data:
            data[name] = [value]
    for name in re.findall(r'<textarea name="([^"]+)"', html):
        data[name] = ["The variety of life on Earth"]
    for name in re.findall(r'<select name="([^"]+)"', html):
        data.setdefault(name, ["1"])
    return data


def thanked(status: int, location: str, html: str) -> bool:
    """The thank-you page came: in the answer to the last page, or (a page sent again
    after the response was complete) by a redirect to it."""
    return (status == 200 and " data-sent" in html) or (
        status == 302 and location.endswith("/done/")
    )


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.errors = 0
        self.completed = 0

    def requests(self) -> int:
        with self.lock:
            return sum(len(v) for v in self.latency.values())

    def timed(self, kind: str, call):
        start = time.perf_counter()
        result = call()
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.latency.setdefault(kind, []).append(elapsed)
        return result


def respondent(
    port: int, recorder: Recorder, browser: Browser | None = None, *, stop_after: str = ""
) -> None:
    """One person through the whole survey; or, with stop_after "welcome" or "consent",
    one who leaves there (intake_instructions.py --by-kind counts those requests alone).
    """
    browser = browser or Browser(port)
    try:
        status, _location, html = recorder.timed(
            "welcome", lambda: browser.request("GET", f"/r/{TOKEN}/?lang=en")
        )
        if stop_after == "welcome":
            if status != 200:
                raise RuntimeError(f"welcome answered {status}")
            return
        nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
        # The consent answers with page 1, each saved page with the next one, the last
        # with the thank-you page: one request a page.
        status, location, html = recorder.timed(
            "start",
            lambda: browser.request(
                "POST",
                f"/r/{TOKEN}/",
                {"consent": "yes", "nonce": nonce, "lang": "en"},
            ),
        )
        if status != 200 or 'name="page-number"' not in html:
            raise RuntimeError(f"start answered {status}")
        if stop_after == "consent":
            return
        for _step in range(30):
            body = answers_for(html)
            status, location, html = recorder.timed(
                "page_post", lambda body=body: browser.request("POST", f"/r/{TOKEN}/page/", body)
            )
            if thanked(status, location, html):
                with recorder.lock:
                    recorder.completed += 1
                return
            if status != 200 or 'name="page-number"' not in html:
                raise RuntimeError(f"save answered {status}")
        raise RuntimeError("never reached the end")
    except Exception as error:
        with recorder.lock:
            recorder.errors += 1
        print(f"error: {error}", file=sys.stderr)


def bare(port: int, recorder: Recorder, count: int, browser: Browser | None = None) -> None:
    browser = browser or Browser(port)
    for number in range(count):
        try:
            status, _l, _t = recorder.timed(
                "bare",
                lambda number=number: browser.request("POST", "/bench/insert/", {"n": str(number)}),
            )
            if status != 200:
                raise RuntimeError(status)
        except Exception:
            with recorder.lock:
                recorder.errors += 1


def percentiles(values: list[float]) -> str:
    if not values:
        return "n=0"
    ordered = sorted(values)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return f"n={len(ordered)} p50={pick(0.5):.1f}ms p95={pick(0.95):.1f}ms p99={pick(0.99):.1f}ms"


def complete_count(env: dict[str, str]) -> int:
    out = run_manage(
        env,
        "shell",
        "-c",
        "from survey.models import Response as R; print(R.objects.filter(collector__token='demo-public-link', status='complete').count())",
    )
    return int(out.strip().splitlines()[-1])


def server_cpu_seconds(pid: int) -> float | None:
    """CPU time (user and system) of a process and its children, from /proc (Linux only)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0.0
        for each in [pid, *map(int, children)]:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    except OSError:
        return None
    return total / os.sysconf("SC_CLK_TCK")


def start_server(
    env: dict[str, str], port: int, *, workers: int, threads: int, quiet: bool = False
) -> subprocess.Popen:
    """gunicorn serving the project on loopback, returned once it answers.

    quiet: its error log is dropped (a benchmark that causes errors on purpose).
    """
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL if quiet else None,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/r/withdraw/")
            break
        except OSError:
            time.sleep(0.1)
    return server


class Round(NamedTuple):
    """One survey phase and the bare phase run right after it."""

    posts: int
    survey_seconds: float
    survey_cpu: float | None  # the server's CPU seconds (None off Linux)
    bare_requests: int
    bare_seconds: float
    bare_cpu: float | None


def _difference(later: float | None, earlier: float | None) -> float | None:
    return None if later is None or earlier is None else later - earlier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers (default: 2, one per core)"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="alternate the survey and bare phases this many times (default: 4)",
    )
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "PYTHONPATH": str(ROOT),
    }
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        db = Path(tempfile.mkdtemp()) / "intake.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{db}"
    engine = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    threads = args.threads if engine == "postgresql" else 1
    print(
        f"database: {engine}; respondents={args.respondents} concurrency={args.concurrency} gunicorn workers={args.workers} threads={threads}"
    )
    probe = socket.socket()
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
    try:
        probe.bind(("127.0.0.1", args.port))
    except OSError:
        sys.exit(f"Port {args.port} is in use (another benchmark?): stop it or pass --port.")
    finally:
        probe.close()
    prepare_database(env)
    before = complete_count(env)

    server = start_server(env, args.port, workers=args.workers, threads=threads)
    try:
        # Warm-up, not timed: each worker compiles the survey and opens its database
        # connection on its first requests, which is start-up cost, not throughput.
        warm = Recorder()
        with ThreadPoolExecutor(args.concurrency) as pool:
            for _ in range(2 * args.concurrency):
                pool.submit(respondent, args.port, warm)
            for _ in range(args.concurrency):
                pool.submit(bare, args.port, warm, 5)
        if warm.errors:
            print(f"warm-up errors: {warm.errors}", file=sys.stderr)
        survey, baseline = Recorder(), Recorder()
        rounds: list[Round] = []
        sizes = [
            args.respondents // args.rounds + (1 if i < args.respondents % args.rounds else 0)
            for i in range(args.rounds)
        ]
        survey_cpu = bare_cpu = 0.0
        for size in sizes:
            requests_before = survey.requests()
            posts_before = len(survey.latency.get("page_post", []))
            bare_before = len(baseline.latency.get("bare", []))
            server_before = server_cpu_seconds(server.pid)
            cpu = time.process_time()
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                for _ in range(size):
                    pool.submit(respondent, args.port, survey)
            survey_seconds = time.perf_counter() - started
            survey_cpu += time.process_time() - cpu
            server_survey = server_cpu_seconds(server.pid)
            # The bare view gets as many requests as the survey round made, at the same
            # concurrency, right after it: both see the machine in the same state.
            per_client = max(1, (survey.requests() - requests_before) // args.concurrency)
            cpu = time.process_time()
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                for _ in range(args.concurrency):
                    pool.submit(bare, args.port, baseline, per_client)
            bare_seconds = time.perf_counter() - started
            bare_cpu += time.process_time() - cpu
            server_bare = server_cpu_seconds(server.pid)
            rounds.append(
                Round(
                    len(survey.latency.get("page_post", [])) - posts_before,
                    survey_seconds,
                    _difference(server_survey, server_before),
                    len(baseline.latency.get("bare", [])) - bare_before,
                    bare_seconds,
                    _difference(server_bare, server_survey),
                )
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    after = complete_count(env)
    lost = survey.completed + warm.completed - (after - before)
    survey_seconds = sum(r.survey_seconds for r in rounds)
    bare_seconds = sum(r.bare_seconds for r in rounds)
    posts = sum(r.posts for r in rounds)
    bare_requests = sum(r.bare_requests for r in rounds)
    survey_rate = posts / survey_seconds
    bare_rate = bare_requests / bare_seconds
    print(
        f"survey: {survey.completed} completed in {survey_seconds:.1f}s = {survey.completed / survey_seconds:.1f} responses/s; {posts} page submissions = {survey_rate:.1f}/s"
    )
    # The consent is a form the respondent sends too: this counts it, for comparison.
    # The ratio on the last line counts question pages only.
    starts = len(survey.latency.get("start", []))
    print(
        f"  with the consent counted as a page submission: {(posts + starts) / survey_seconds:.1f}/s, "
        f"ratio {(posts + starts) / survey_seconds / bare_rate:.2f}"
    )
    for kind in ("welcome", "start", "page_post"):
        print(f"  {kind:<10} {percentiles(survey.latency.get(kind, []))}")
    print(
        f"bare insert view: {bare_requests} requests in {bare_seconds:.1f}s = {bare_rate:.1f}/s; {percentiles(baseline.latency.get('bare', []))}"
    )
    # Each round's own ratio shows how much the machine moved during the run: a
    # spread wider than the gap to a goal means one run cannot settle it.
    per_round = [(r.posts / r.survey_seconds) / (r.bare_requests / r.bare_seconds) for r in rounds]
    print(
        f"rounds: {len(rounds)} alternating survey and bare phases; ratio per round "
        + " ".join(f"{x:.2f}" for x in per_round)
    )
    print(
        f"client CPU (this process): survey {survey_cpu:.1f}s of {survey_seconds:.1f}s, bare {bare_cpu:.1f}s of {bare_seconds:.1f}s"
    )
    if all(r.survey_cpu is not None and r.bare_cpu is not None for r in rounds):
        print(
            f"server CPU per request: survey {1000 * sum(r.survey_cpu for r in rounds) / survey.requests():.3f} ms, "
            f"bare {1000 * sum(r.bare_cpu for r in rounds) / bare_requests:.3f} ms"
        )
    print(
        f"stored complete responses: {after - before} ({warm.completed} from the warm-up); errors: survey {survey.errors}, bare {baseline.errors}"
    )
    posts_sorted = sorted(survey.latency.get("page_post", [0]))
    p95 = posts_sorted[min(len(posts_sorted) - 1, int(0.95 * len(posts_sorted)))]
    print(
        f"ratio={survey_rate / bare_rate:.2f} p95_ms={p95:.0f} errors={survey.errors + baseline.errors + warm.errors} lost={lost}"
    )


if __name__ == "__main__":
    main()
