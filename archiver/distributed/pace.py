"""Each site's pace held across the nodes of a Redis job, not node by node.

Scrapy's downloader keeps a site's delay and concurrency in a slot of its own process, so N
nodes on one site would hit it N times harder. SharedPaceDownloader asks the job for a turn on
the site (RedisJob.take_turn, one Lua script on the Redis server's clock) at the moment it would
start a fetch, instead of looking at its slot's clock: the slot's delay (AutoThrottle's, when
on) and concurrency become the whole job's. The turn ends with the fetch. Why a shared budget
rather than sites given to nodes by hash: docs/scaling.md.
"""

from __future__ import annotations

import itertools
from time import monotonic
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import deferred_from_coro

from archiver.distributed.link import Unreachable
from archiver.distributed.node import JobNode

# How long a slot waits before asking again when its site's fetches are all under way (on
# this node or another): a round trip to Redis each time, about 0.1 ms on loopback.
POLL_SECONDS = 0.05
# How long it waits when Redis does not answer (RedisLink spaces the real tries out).
OUTAGE_POLL_SECONDS = 0.25
TURN = "archiver_turn"  # request.meta: the turn its fetch holds


class SharedPaceDownloader(Downloader):
    """Scrapy's downloader, whose slots start a fetch only on a turn the job gives them."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        node = crawler.get_extension(JobNode)
        if node is None:
            raise RuntimeError("SharedPaceDownloader needs the JobNode extension")
        self.node = node
        self._turn_numbers = itertools.count()
        self._polling: set[Slot] = set()  # slots waiting for a fetch to end, not for a delay
        self.handlers = _TurnEndingHandlers(self.handlers, self._end_turn)  # type: ignore[assignment]

    def _process_queue(self, slot: Slot) -> None:
        """Start the slot's next fetches while the job gives turns on the site; else wait as
        long as the job says (the site's delay), or poll (its fetches all under way, or Redis
        not answering). A node that gave up on Redis finishes its fetches at its own pace."""
        if self.node.stopping:
            super()._process_queue(slot)
            return
        while not slot.latercall and slot.queue and slot.free_transfer_slots() > 0:
            request, queue_dfd = slot.queue[0]
            site = request.meta[self.DOWNLOAD_SLOT]
            turn = f"{self.node.job.node}:{next(self._turn_numbers)}"
            try:
                wait = self.node.job.take_turn(site, slot.download_delay(), slot.concurrency, turn)
            except Unreachable:
                wait = OUTAGE_POLL_SECONDS
            if wait is not None:
                if wait < 0:
                    self._polling.add(slot)
                slot.latercall = call_later(
                    wait if wait > 0 else POLL_SECONDS, self._latercall, slot
                )
                return
            slot.queue.popleft()
            slot.lastseen = monotonic()  # for the slot's garbage collection
            request.meta[TURN] = turn
            self.node.turns[turn] = site
            deferred_from_coro(self._wait_for_download(slot, request, queue_dfd))

    def _latercall(self, slot: Slot) -> None:
        self._polling.discard(slot)
        super()._latercall(slot)

    def _end_turn(self, request: Request) -> None:
        """A fetch is over, before its slot looks for the next one: end its turn, and stop
        a poll of its slot, which may now take the turn at once."""
        turn = request.meta.pop(TURN, None)
        site = self.node.turns.pop(turn, None) if turn else None
        if site is None:
            return
        self.node.end_turn(site, turn)
        slot = self.slots.get(site)
        if slot is not None and slot in self._polling and slot.latercall:
            slot.latercall.cancel()
            slot.latercall = None
            self._polling.discard(slot)


class _TurnEndingHandlers:
    """The download handlers, ending a fetch's turn as soon as the fetch is over."""

    def __init__(self, handlers: Any, end_turn: Any) -> None:
        self._handlers = handlers
        self._end_turn = end_turn

    async def download_request_async(self, request: Request) -> Response:
        try:
            return await self._handlers.download_request_async(request)  # type: ignore[no-any-return]
        finally:
            self._end_turn(request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handlers, name)
