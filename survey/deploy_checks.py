"""Deployment checks for the answering flow (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

# Caches whose counts stay inside one server process.
_PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.security, deploy=True)
def shared_rate_limits(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Rate limits and the small sum's single use are counted in the cache.

    With a cache of each process's own, n gunicorn workers allow n times the
    limit, and a sum solved in one worker can be used again in another.
    """
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in _PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            "Respondent rate limits and one-time sums are counted in a cache that each "
            "server process keeps for itself.",
            hint="Set REDIS_URL so that every process shares one count.",
            id="survey.W001",
        )
    ]


@checks.register(deploy=True)
def respondent_text_sources(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The platform texts an agency translates are read from the answering flow's sources."""
    from survey.interface_texts import missing_sources

    missing = missing_sources()
    if not missing:
        return []
    return [
        checks.Error(
            "The answering flow's source files are missing: " + ", ".join(missing) + ".",
            hint="Deploy the project's .py and template files, not compiled files alone: "
            "the platform texts that agencies translate into national languages are read "
            "from them.",
            id="survey.E001",
        )
    ]
