"""Django's Redis cache, made to step aside when Redis cannot be reached.

Why: everything the platform keeps in the cache can be lost without losing
anything that matters (rate-limit counters, one-time sums, a copy of a median,
analytics stamps that are rebuilt when missing). Yet with Django's own backend
a Redis that is down, restarting or out of reach turns every respondent's
page into an error page, since each page counts itself against the rate
limit. A survey campaign must not stop for that.

So when Redis fails, this backend behaves for a while as a cache that has just
been emptied: reads miss, writes go nowhere, `add` succeeds, `incr` finds no
counter. The failure is logged once, and Redis is left alone for
`RETRY_SECONDS` (per process) so that pages do not each wait for it to time
out; then it is tried again. Rate limits are off meanwhile: that is the price
of answering on, and the log says so. If Redis kept its data (out of reach,
not restarted), a response completed meanwhile may reach analytics up to a
minute late: the stamp it should have dropped lives that long.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from time import monotonic
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long a process leaves an unreachable Redis alone before trying it again.
RETRY_SECONDS = 10.0

# What a Redis out of reach raises: its own errors, and socket errors on the way.
_UNREACHABLE = (RedisError, OSError)

# When each Redis (by its address) may be tried again, shared by a process's threads.
_resting_until: dict[str, float] = {}
_lock = threading.Lock()


def _no_counter(key: str, delta: int) -> int:
    raise ValueError(f"Key '{key}' not found.")  # what Django says of a missing counter


# Each operation of Django's client, and what an emptied cache would answer to it.
_EMPTY_ANSWERS: dict[str, Callable[..., Any]] = {
    "add": lambda key, value, timeout: True,
    "get": lambda key, default: default,
    "set": lambda key, value, timeout: None,
    "touch": lambda key, timeout: False,
    "delete": lambda key: False,
    "get_many": lambda keys: {},
    "has_key": lambda key: False,
    "incr": _no_counter,
    "set_many": lambda data, timeout: None,
    "delete_many": lambda keys: None,
    "clear": lambda: False,
}


def _guarded(name: str) -> Callable[..., Any]:
    reach = getattr(RedisCacheClient, name)
    empty = _EMPTY_ANSWERS[name]

    def operation(self: RedisCacheClient, *args: Any, **kwargs: Any) -> Any:
        server = self._servers[0]  # the one written to, whose outage matters
        if _resting_until.get(server, 0.0) > monotonic():
            return empty(*args, **kwargs)
        try:
            return reach(self, *args, **kwargs)
        except _UNREACHABLE as error:
            _rest(server, error)
            return empty(*args, **kwargs)

    operation.__name__ = name
    return operation


def _rest(server: str, error: Exception) -> None:
    with _lock:
        first = _resting_until.get(server, 0.0) <= monotonic()
        _resting_until[server] = monotonic() + RETRY_SECONDS
    if first:
        logger.error(
            "Redis cache at %s cannot be reached (%s): pages go on without it, "
            "and without rate limits, for %d s before it is tried again",
            _address(server),
            error,
            RETRY_SECONDS,
        )


class ResilientRedisCacheClient(RedisCacheClient):
    """Each operation either reaches Redis or answers as an empty cache would."""


for _name in _EMPTY_ANSWERS:
    setattr(ResilientRedisCacheClient, _name, _guarded(_name))


def _address(server: str) -> str:
    """The server's address without its password, for the log."""
    scheme, sep, rest = server.partition("://")
    return f"{scheme}{sep}{rest.rpartition('@')[2]}" if sep else server


class ResilientRedisCache(RedisCache):
    """settings.CACHES backend: Django's RedisCache with the client above."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
