"""Fault benchmark: respondents answer while PostgreSQL and Redis go away and come back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python benchmarks/faults.py

It needs PostgreSQL (DATABASE_URL; the demo is loaded into it, as intake.py
does) and Redis (REDIS_URL, default redis://127.0.0.1:6379/14, emptied first).
Runs the real server as intake.py does (gunicorn on loopback), but it reaches
PostgreSQL and Redis through TCP relays in this process. During the run the
relays take turns to cut every connection and refuse new ones for a moment,
as a database restart or failover and a Redis restart would. The simulated
respondents do what people do: a "Not saved yet" page is sent again with its
button after a pause, and a page that failed to load is loaded again.

Prints what was cut and how often, the forms sent again, the pages loaded
again, and the goals: no form answered with an error page, no response lost,
none counted twice. A respondent whose form gets an error page stops there
(counted as giving up): a person might press Back and send it again, if the
browser kept what was typed, or leave. The last line reads:

    completed=<n> lost=<n> duplicates=<n> form_errors=<n> resent=<n> reloaded=<n>
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.intake import (
    ROOT,
    TOKEN,
    Browser,
    answers_for,
    prepare_database,
    run_manage,
    start_server,
    thanked,
)

PAUSE = 0.3  # how long a simulated person waits before pressing again


class Relay:
    """A TCP relay to `upstream` that can cut its connections and refuse new ones for a while."""

    def __init__(self, name: str, upstream: tuple[str, int]) -> None:
        self.name = name
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()
        self.down = False
        self.cuts = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _address = self.listener.accept()
            if self.down:
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.open.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for each in (source, target):
                self._close(each)

    def _close(self, each: socket.socket) -> None:
        with self.lock:
            self.open.discard(each)
        with contextlib.suppress(OSError):
            each.shutdown(socket.SHUT_RDWR)
        each.close()

    def cut(self, seconds: float) -> None:
        """Every connection dropped, and none let through for `seconds`."""
        self.down = True
        self.cuts += 1
        with self.lock:
            doomed = list(self.open)
        for each in doomed:
            self._close(each)
        time.sleep(seconds)
        self.down = False


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = 0
        self.completed = 0
        self.resent = 0
        self.reloaded = 0
        self.form_errors = 0
        self.failed = 0

    def add(self, field: str) -> None:
        with self.lock:
            setattr(self, field, getattr(self, field) + 1)


_HELD_FORM = re.compile(r'<form method="post" action="([^"]+)">(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def held_form(page: str) -> tuple[str, dict[str, list[str]]] | None:
    """A "Not saved yet" page's form: where it goes, and everything it holds."""
    found = _HELD_FORM.search(page)
    if found is None:
        return None
    fields: dict[str, list[str]] = {}
    for name, value in _HIDDEN.findall(found.group(2)):
        fields.setdefault(html.unescape(name), []).append(html.unescape(value))
    return html.unescape(found.group(1)), fields


def load(browser: Browser, path: str, tally: Tally) -> str:
    """A page read, and read again (as a person reloads) while it fails."""
    for _ in range(200):
        status, _location, page = browser.request("GET", path)
        if status == 200:
            return page
        tally.add("reloaded")
        time.sleep(PAUSE)
    raise RuntimeError(f"{path} never loaded")


def send(browser: Browser, path: str, body: dict, tally: Tally) -> tuple[int, str, str]:
    """A form sent, and sent again from its "Not saved yet" page while that comes back."""
    for _ in range(200):
        status, location, page = browser.request("POST", path, body)
        if status != 503:
            if status >= 500:
                tally.add("form_errors")
                raise RuntimeError(f"a form got an error page ({status})")
            return status, location, page
        held = held_form(page)
        if held is None:
            tally.add("form_errors")
            raise RuntimeError("a 503 without the form it should hold")
        path, body = held
        tally.add("resent")
        time.sleep(PAUSE)
    raise RuntimeError(f"{path} was never saved")


def respondent(port: int, tally: Tally) -> None:
    browser = Browser(port)
    try:
        welcome = load(browser, f"/r/{TOKEN}/?lang=en", tally)
        nonce = re.search(r'name="nonce" value="([^"]+)"', welcome).group(1)
        status, location, page = send(
            browser, f"/r/{TOKEN}/", {"consent": "yes", "nonce": nonce, "lang": "en"}, tally
        )
        tally.add("started")
        for _step in range(30):
            if thanked(status, location, page):
                tally.add("completed")
                return
            if status != 200:
                raise RuntimeError(f"a page answered {status}")
            status, location, page = send(browser, f"/r/{TOKEN}/page/", answers_for(page), tally)
        raise RuntimeError("never reached the end")
    except Exception as error:
        tally.add("failed")
        print(f"respondent: {error}", file=sys.stderr)


def _count(env: dict[str, str], query: str) -> int:
    out = run_manage(env, "shell", "-c", f"from survey.models import Response as R; print({query})")
    return int(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--outage", type=float, default=2.0, help="seconds each cut lasts")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the relay stands in front of it.")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    db = urllib.parse.urlsplit(database)
    cache = urllib.parse.urlsplit(redis_url)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "PYTHONPATH": str(ROOT),
        "REDIS_URL": redis_url,
    }
    prepare_database(env)
    run_manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
    token_filter = f"collector__token='{TOKEN}'"
    before_complete = _count(env, f"R.objects.filter({token_filter}, status='complete').count()")
    before_all = _count(env, f"R.objects.filter({token_filter}).count()")

    relays = [
        Relay("PostgreSQL", (db.hostname or "127.0.0.1", db.port or 5432)),
        Relay("Redis", (cache.hostname or "127.0.0.1", cache.port or 6379)),
    ]
    served = {
        **env,
        "DATABASE_URL": through(database, relays[0].port),
        "REDIS_URL": through(redis_url, relays[1].port),
    }
    # Quiet: the cuts make it log errors on purpose.
    server = start_server(served, args.port, workers=2, threads=4, quiet=True)
    tally = Tally()
    stop = threading.Event()

    def cutter() -> None:
        turn = 0
        while not stop.wait(args.outage):  # as long up as down
            relays[turn % len(relays)].cut(args.outage)
            turn += 1

    try:
        threading.Thread(target=cutter, daemon=True).start()
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            for _ in range(args.respondents):
                pool.submit(respondent, args.port, tally)
        seconds = time.perf_counter() - started
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    complete = _count(env, f"R.objects.filter({token_filter}, status='complete').count()")
    complete -= before_complete
    started_responses = _count(env, f"R.objects.filter({token_filter}).count()") - before_all
    lost = tally.completed - complete
    duplicates = started_responses - tally.started
    print(
        f"database: postgresql through a relay, cache: redis through a relay; "
        f"respondents={args.respondents} concurrency={args.concurrency}, {seconds:.1f}s"
    )
    print(
        f"cuts of {args.outage:.1f}s each: "
        + ", ".join(f"{relay.name} {relay.cuts}" for relay in relays)
    )
    print(
        f"forms sent again from a 'Not saved yet' page: {tally.resent}; "
        f"pages loaded again after an error page: {tally.reloaded}"
    )
    print(
        f"respondents who started: {tally.started}, finished: {tally.completed}, "
        f"gave up: {tally.failed}; stored: {complete} complete, {started_responses} started"
    )
    print(
        f"completed={tally.completed} lost={lost} duplicates={duplicates} "
        f"form_errors={tally.form_errors} resent={tally.resent} reloaded={tally.reloaded}"
    )


def through(url: str, port: int) -> str:
    """The same address, reached at 127.0.0.1:<port> (a relay)."""
    parts = urllib.parse.urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{port}" if credentials else f"127.0.0.1:{port}"
    return parts._replace(netloc=netloc).geturl()


if __name__ == "__main__":
    main()
