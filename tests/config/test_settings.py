"""Settings come from the environment and refuse unsafe production set-ups."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_silent_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k7#Qz!9vR2@pL5$wX8^mN3&bT6*yH1(jF4)dG0_sA-=eC+uI{oP}",
        ALLOWED_HOSTS="survey.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_rate_limits_are_counted_per_process():
    result = _manage(
        "check",
        "--deploy",
        DEBUG="0",
        SECRET_KEY="k7#Qz!9vR2@pL5$wX8^mN3&bT6*yH1(jF4)dG0_sA-=eC+uI{oP}",
        ALLOWED_HOSTS="survey.example.org",
        REDIS_URL="",
    )
    assert "survey.W001" in result.stdout + result.stderr
    assert "Set REDIS_URL" in result.stdout + result.stderr


def test_a_malformed_boolean_is_reported_by_name():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def _python_with_settings(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Python code run with the production settings (DEBUG on), the database set by `env`."""
    base = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DB_SERVER_SIDE_BINDING"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_database_url_selects_postgresql():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])"
    )
    result = _python_with_settings(code, DATABASE_URL="postgres://postgres@127.0.0.1:5432/cepa")
    assert result.stdout.split() == ["django.db.backends.postgresql", "cepa"], result.stderr


def _database_options(**env: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "options = settings.DATABASES['default'].get('OPTIONS', {}); "
        "print(options.get('server_side_binding'), options.get('prepare_threshold'))"
    )
    result = _python_with_settings(code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_binds_parameters_on_the_server_unless_a_pooler_forbids_it():
    url = "postgres://postgres@127.0.0.1:5432/cepa"
    assert _database_options(DATABASE_URL=url) == "True 5"
    assert _database_options(DATABASE_URL=url, DB_SERVER_SIDE_BINDING="0") == "None None"
    assert _database_options(DATABASE_URL="sqlite:///x.sqlite3") == "None None"


def test_on_a_sqlite_file_a_long_read_does_not_hold_up_a_respondents_save(tmp_path):
    """An analytics extraction keeps a read open; a save meanwhile goes through at once."""
    code = """
import sqlite3, time, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
    cursor.execute("CREATE TABLE answers (text TEXT)")
reading = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
reading.execute("BEGIN")
reading.execute("SELECT count(*) FROM answers").fetchone()
started = time.perf_counter()
with connection.cursor() as cursor:
    cursor.execute("INSERT INTO answers VALUES ('saved')")
print(round(time.perf_counter() - started))
reading.execute("COMMIT")
"""
    result = _python_with_settings(code, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    # Without the write-ahead log the insert waits for the read, then fails.
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.split() == ["wal", "0"]


def test_a_statement_repeated_on_a_connection_is_prepared_on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's driver caches its statements by itself")
    with connection.cursor() as cursor:
        for number in range(6):
            cursor.execute("SELECT %s::int + 1", [number])
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["SELECT $1::int + 1%"],
        )
        assert cursor.fetchone()[0] == 1


def test_check_deploy_names_missing_answering_flow_sources(monkeypatch):
    from survey import deploy_checks, interface_texts

    assert deploy_checks.respondent_text_sources() == []
    monkeypatch.setattr(interface_texts, "_SOURCES", (*interface_texts._SOURCES, "survey/gone.py"))
    [error] = deploy_checks.respondent_text_sources()
    assert error.id == "survey.E001" and "survey/gone.py" in error.msg
