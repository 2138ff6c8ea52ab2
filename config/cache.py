"""The Redis cache, degrading instead of failing: when Redis cannot be reached every read is a
miss and every write does nothing (add() reports success), so pages, sign-in and submissions
keep working while it is down. What the cache holds here is either rebuilt on a miss (public
pages) or a rate limit, which then fails open (docs/architecture.md, "Faults").

Short socket timeouts (settings CACHES OPTIONS) bound the cost of one failed call; after a
failure the process leaves Redis alone for DEGRADED_SECONDS, so an outage costs one failed
connection attempt per process every few seconds, not one per cache call."""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

DEGRADED_SECONDS = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

# Per process and server (Django keeps one cache object per thread): monotonic time until
# which calls skip Redis.
_degraded_until: dict[str, float] = {}
_lock = threading.Lock()


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis (and its table of response callbacks) on
    every call, about half the cost of serving a cached page; a redis.Redis over a
    connection pool is safe to share, so one per pool is kept."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return clients[index]


class DegradingRedisCache(RedisCache):
    """RedisCache whose calls answer as for a missing key while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def _skip(self) -> bool:
        return time.monotonic() < _degraded_until.get(self._location_key, 0.0)

    @property
    def _location_key(self) -> str:
        return ",".join(self._servers)

    def _unreachable(self, operation: str, exc: Exception) -> None:
        with _lock:
            already = self._skip()
            _degraded_until[self._location_key] = time.monotonic() + DEGRADED_SECONDS
        if not already:
            log.warning(
                "cache: Redis unreachable during %s (%s: %s); treating the cache as empty "
                "for %.0f s",
                operation,
                type(exc).__name__,
                exc,
                DEGRADED_SECONDS,
            )

    def _call(self, operation: str, fallback, method, *args):
        """`method` (RedisCache's own) with `args`, or `fallback` while Redis is unreachable."""
        if self._skip():
            return fallback
        try:
            return method(self, *args)
        except UNREACHABLE as exc:
            self._unreachable(operation, exc)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, as for a key that was missing: a lock taken with add() (allauth's rate
        # limits) is granted rather than waited for.
        return self._call("add", True, RedisCache.add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, RedisCache.get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, RedisCache.set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, RedisCache.touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, RedisCache.delete, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, RedisCache.get_many, list(keys), version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, RedisCache.has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, RedisCache.incr, key, delta, version)
        if value is missing:  # as for a key that is not there
            raise ValueError(f"Key '{key}' not found")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys that could not be stored, as Django's contract asks.
        return self._call("set_many", list(data), RedisCache.set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, RedisCache.delete_many, list(keys), version)

    def clear(self):
        return self._call("clear", False, RedisCache.clear)
