"""Instructions per intake request, counted by valgrind: a figure that does not move with the machine.

    python benchmarks/intake_instructions.py --respondents N   # about 4 minutes for 100
    python benchmarks/intake_instructions.py --by-kind           # and each kind of request

The ratio printed by intake.py moves by ±0.05 to ±0.1 between runs of the same code
on a shared two-core machine (another tenant, the CPU's clock), which is as much
as most single changes gain. This script runs the same simulated respondents
and bare inserts as intake.py, in one process through the WSGI application
(no gunicorn, no sockets, SQLite), under `valgrind --tool=callgrind`, and
prints instructions per request, so two commits can be compared whatever else
the machine is doing. The survey's count repeats between runs of the same code
(2.902 and 2.904 M per request with 40 respondents); the bare view's moved by
a tenth (1.265 and 1.146 M), for a reason not found yet, so a ratio moves with
it: compare commits on the survey's count, or on several runs. It counts
the Django side and the simulated client together; gunicorn's own work and the
kernel's, which are the same for both kinds of request, are left out.

With --by-kind it also counts respondents who stop after the welcome page and
after the consent, and prints what a welcome page, a consent and a question
page each cost, in instructions and in bare requests: where a change to the
answering path saves, and what the ratio's last line (question pages only)
leaves out.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.intake import Recorder, bare, prepare_database, respondent  # noqa: E402

WARM_RESPONDENTS = 20


class WSGIBrowser:
    """intake.Browser's interface, calling the WSGI application in this process."""

    def __init__(self, app) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        path, _sep, query = path.partition("?")
        data = urllib.parse.urlencode(body, doseq=True).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8765",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8765",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        if body is not None:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(data))
        started: dict = {}

        def start_response(status, headers, exc_info=None):
            started["status"], started["headers"] = int(status.split()[0]), headers

        chunks = self.app(environ, start_response)
        text = b"".join(chunks).decode("utf-8", "replace")
        chunks.close()
        location = ""
        for header, value in started["headers"]:
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
            elif header.lower() == "location":
                location = value
        return started["status"], location, text


def drive(kind: str, respondents: int) -> None:
    """Warm up, then (unless respondents is 0) the timed part: run under valgrind."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    app = WSGIHandler()
    recorder = Recorder()
    for _ in range(WARM_RESPONDENTS):
        respondent(0, recorder, WSGIBrowser(app))
    bare(0, recorder, 50, WSGIBrowser(app))
    warm_requests = recorder.requests()
    warm_posts = len(recorder.latency.get("page_post", []))
    if kind == "survey":
        for _ in range(respondents):
            respondent(0, recorder, WSGIBrowser(app))
    elif kind in ("welcome", "consent"):  # respondents who leave there
        for _ in range(respondents):
            respondent(0, recorder, WSGIBrowser(app), stop_after=kind)
    else:
        bare(0, recorder, respondents, WSGIBrowser(app))
    if recorder.errors:
        sys.exit(f"{recorder.errors} errors")
    posts = len(recorder.latency.get("page_post", [])) - warm_posts
    print(f"requests={recorder.requests() - warm_requests} posts={posts}")


def counted(valgrind: str, env: dict[str, str], kind: str, count: int) -> tuple[int, int, int]:
    """(instructions, requests, page submissions) of one run under callgrind."""
    out = Path(tempfile.mkdtemp()) / "callgrind.out"
    result = subprocess.run(
        [
            valgrind,
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--drive",
            kind,
            "--respondents",
            str(count),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    instructions = int(re.search(r"Collected : (\d+)", result.stderr).group(1))
    found = re.search(r"requests=(\d+) posts=(\d+)", result.stdout)
    shutil.rmtree(out.parent)
    return instructions, int(found.group(1)), int(found.group(2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100)
    parser.add_argument(
        "--by-kind",
        action="store_true",
        help="also the welcome page, the consent and a question page each (two more runs)",
    )
    parser.add_argument(
        "--drive", choices=["survey", "bare", "welcome", "consent"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.drive:
        drive(args.drive, args.respondents)
        return
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        sys.exit("valgrind is needed (apt-get install -y valgrind).")
    folder = Path(tempfile.mkdtemp())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{folder / 'intake.sqlite3'}",
        # What would make two runs of the same code differ: string hashing, and the
        # link cache expiring by the clock (valgrind runs some fifty times slower).
        "PYTHONHASHSEED": "0",
        "LINK_CACHE_SECONDS": "3600",
    }
    prepare_database(env)
    # Each kind runs twice, warm-up only and warm-up plus the measured part; the
    # difference is the measured part alone (start-up and imports cancel out).
    survey_base, _r, _p = counted(valgrind, env, "survey", 0)
    survey_total, survey_requests, posts = counted(valgrind, env, "survey", args.respondents)
    bare_base, _r, _p = counted(valgrind, env, "bare", 0)
    bare_total, bare_requests, _p = counted(valgrind, env, "bare", survey_requests)
    survey_per = (survey_total - survey_base) / survey_requests
    bare_per = (bare_total - bare_base) / bare_requests
    print(
        f"survey: {args.respondents} respondents, {survey_requests} requests, "
        f"{survey_per / 1e6:.3f} M instructions per request, "
        f"{(survey_total - survey_base) / posts / 1e6:.3f} M per page submission"
    )
    print(
        f"bare insert view: {bare_requests} requests, {bare_per / 1e6:.3f} M instructions per request"
    )
    print(f"instructions per survey request / per bare request = {survey_per / bare_per:.3f}")
    if args.by_kind:
        # Respondents who stop after the welcome page, then after the consent: the
        # differences give each kind of request its own count.
        welcome_total, _r, _p = counted(valgrind, env, "welcome", args.respondents)
        consent_total, _r, _p = counted(valgrind, env, "consent", args.respondents)
        kinds = {
            "welcome page (GET)": (welcome_total - survey_base) / args.respondents,
            "consent (POST, answered with page 1)": (consent_total - welcome_total)
            / args.respondents,
            "question page (POST)": (survey_total - consent_total) / posts,
        }
        for name, per in kinds.items():
            print(f"  {name}: {per / 1e6:.3f} M instructions, {per / bare_per:.2f} bare requests")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
