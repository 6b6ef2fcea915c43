"""Settings for benchmarks/intake.py: production settings, served over plain HTTP on loopback."""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-" + "b" * 40)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from config.settings import *  # noqa: F403
from config.settings import DATABASES

ROOT_URLCONF = "benchmarks.bench_urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True  # no collectstatic needed for the benchmark
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Every simulated respondent comes from 127.0.0.1: the per-address limits would stop them.
RESPONDENT_RATE_LIMITS = {"start": (10**9, 3600), "save": (10**9, 60), "withdraw": (10, 3600)}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
