"""A node's connection to its job's Redis server, which may go away while the nodes crawl.

A Redis server restarted (on its append-only file or its snapshot) or a network cut leaves a
node's calls failing with connection errors. RedisLink turns them into Unreachable, which the
node's callers catch: they keep what they could not write down (the links found, the leases to
finish, the turns to end) and write it once Redis answers again. The first failure is one line
in the log; while Redis is away, calls fail at once but for one try now and then, with backoff,
so that the crawl neither blocks on connection timeouts nor floods the server or the log. Past
ARCHIVE_REDIS_RETRY seconds the node gives up (node.py stops it).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from time import monotonic
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

FIRST_BACKOFF = 0.1  # seconds before the first try after a failure, doubled at each failure


class Unreachable(Exception):
    """The job's Redis server does not answer now."""


def shown_url(url: str) -> str:
    """The Redis URL without its user and password, for the log and messages."""
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


class RedisLink:
    """Calls to the Redis server at `url`, and since when it has not answered."""

    def __init__(self, url: str, retry_seconds: float, most_backoff: float) -> None:
        import redis

        self.url = shown_url(url)
        self.retry_seconds = retry_seconds
        self.most_backoff = max(most_backoff, FIRST_BACKOFF)
        self.down_since: float | None = None  # monotonic() of the first failure
        self.back_since = -math.inf  # monotonic() of the end of the last outage
        self._next_try = 0.0
        self._backoff = FIRST_BACKOFF
        self._errors = (redis.ConnectionError, redis.TimeoutError)  # BusyLoadingError too

    def call(self, operation: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """operation(*args, **kwargs), or Unreachable when Redis does not answer (or was not
        answering and it is not yet time to try again)."""
        now = monotonic()
        if self.down_since is not None and now < self._next_try:
            raise Unreachable(self.url)
        try:
            result = operation(*args, **kwargs)
        except self._errors as error:
            self._failed(now, error)
            raise Unreachable(self.url) from None
        if self.down_since is not None:
            logger.warning(
                "Redis at %s answers again, after %.1f s", self.url, now - self.down_since
            )
            self.down_since, self.back_since = None, now
            self._backoff = FIRST_BACKOFF
        return result

    def _failed(self, now: float, error: Exception) -> None:
        if self.down_since is None:
            self.down_since = now
            logger.warning(
                "Redis at %s does not answer (%s): waiting for it, %g s at most "
                "(ARCHIVE_REDIS_RETRY)",
                self.url, error, self.retry_seconds,
            )  # fmt: skip
        self._next_try = now + self._backoff
        self._backoff = min(self._backoff * 2, self.most_backoff)

    def down_for(self) -> float:
        """Seconds since Redis stopped answering; 0 while it answers."""
        return 0.0 if self.down_since is None else monotonic() - self.down_since

    def given_up(self) -> bool:
        """Redis has not answered for longer than the node waits for it."""
        return self.down_since is not None and self.down_for() > self.retry_seconds
