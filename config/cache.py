"""Django's Redis cache, made to step aside when Redis cannot be reached.

Why: everything the platform keeps in the cache can be lost without losing
anything that matters (rate-limit counters, one-time sums, a copy of a median,
analytics stamps that are rebuilt when missing). Yet with Django's own backend
a Redis that is down, restarting or out of reach turns every respondent's
page into an error page, since each page counts itself against the rate
limit. A survey campaign must not stop for that.

So when Redis fails, the failure is logged once, and Redis is left alone for
`RETRY_SECONDS` (per process) so that pages do not each wait for it to time
out; then it is tried again. Meanwhile each cache answers in one of two ways:

- `LOCAL_FALLBACK: True` (the default cache: rate limits, ours and allauth's,
  the small sum's single use, used sign-in codes): from the server process's
  own memory. Limits still hold, counted by each process alone (n gunicorn
  workers let n times the limit through); without it a robot would have had
  no limit at all for as long as Redis was away. Counts made meanwhile stay
  in that process and are not carried to Redis when it is back.
- otherwise (the "shared" cache: what every process must see alike or not at
  all, such as a page's typed answers waiting for the next request, which
  another process may serve, or the stamps that tell each process's analytics
  that new responses came): as a cache that has just been emptied. Reads miss,
  writes go nowhere, `add` succeeds, `incr` finds no counter.

If Redis kept its data (out of reach, not restarted), a response completed
meanwhile may reach analytics up to a minute late: the stamp it should have
dropped lives that long.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from time import monotonic
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long a process leaves an unreachable Redis alone before trying it again.
RETRY_SECONDS = 10.0

# How many entries a process keeps in its own memory while Redis is away: a counter per
# address and window is small, and those used least lately are dropped first when full.
FALLBACK_ENTRIES = 20_000

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

    def operation(self: ResilientRedisCacheClient, *args: Any, **kwargs: Any) -> Any:
        server = self._servers[0]  # the one written to, whose outage matters
        if _resting_until.get(server, 0.0) <= monotonic():
            try:
                return reach(self, *args, **kwargs)
            except _UNREACHABLE as error:
                _rest(server, error)
        if self.fallback is not None:
            return getattr(self.fallback, name)(*args, **kwargs)
        return empty(*args, **kwargs)

    operation.__name__ = name
    return operation


def _rest(server: str, error: Exception) -> None:
    with _lock:
        first = _resting_until.get(server, 0.0) <= monotonic()
        _resting_until[server] = monotonic() + RETRY_SECONDS
    if first:
        logger.error(
            "Redis cache at %s cannot be reached (%s): pages go on without it, rate limits "
            "counted by each server process alone, for %d s before it is tried again",
            _address(server),
            error,
            RETRY_SECONDS,
        )


class ResilientRedisCacheClient(RedisCacheClient):
    """Each operation either reaches Redis or answers from `fallback`, or as an empty cache would."""

    fallback: BaseCache | None = None


for _name in _EMPTY_ANSWERS:
    setattr(ResilientRedisCacheClient, _name, _guarded(_name))


def _address(server: str) -> str:
    """The server's address without its password, for the log."""
    scheme, sep, rest = server.partition("://")
    return f"{scheme}{sep}{rest.rpartition('@')[2]}" if sep else server


class ResilientRedisCache(RedisCache):
    """settings.CACHES backend: Django's RedisCache with the client above.

    `"LOCAL_FALLBACK": True` in its settings: while Redis is away, it answers
    from the process's own memory (the module docstring says when that is right).
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
        self._local_fallback = bool(params.get("LOCAL_FALLBACK"))

    @cached_property
    def _cache(self) -> ResilientRedisCacheClient:
        client = self._class(self._servers, **self._options)
        if self._local_fallback:
            # Django makes a cache object per thread; a LocMemCache keeps its entries by
            # name, so the threads of a process share one count.
            client.fallback = LocMemCache(
                f"cepa-redis-fallback:{_address(self._servers[0])}",
                {"OPTIONS": {"MAX_ENTRIES": FALLBACK_ENTRIES}},
            )
        return client
