"""The extraction worker: a second process that reads the crawl's pages.

Scrapy runs a crawl on one thread, and reading pages (decoding, parsing, extracting) is most of
its CPU. With the worker, the crawl process fetches, normalizes and stores while the worker
reads, so that a crawl uses two cores. It fetches no faster than the politeness settings allow:
the worker changes where pages are read, not how many are requested.

The worker is archiver/reading.py run as a program, started through the reactor as a fresh
interpreter (a fork of the crawl would share its sockets and its SQLite files).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import pickle
import signal
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from twisted.internet import task
from twisted.internet.defer import Deferred, succeed
from twisted.internet.protocol import ProcessProtocol

from archiver.reading import LENGTH_SIZE, PageReading, frame

# Pipes of 1 MiB rather than Linux's 64 KiB: with 64 KiB, the worker stopped on a full stdout
# after four or five readings whenever the crawl process was busy (writing a batch), and the
# crawl then had no readings to go on with.
logger = logging.getLogger(__name__)
_SET_PIPE_SIZE = getattr(fcntl, "F_SETPIPE_SZ", 1031)
_PIPE_BYTES = 1 << 20


class WorkerDied(Exception):
    """The worker ended before answering: killed, out of memory, crashed or held too long by a
    page, or unable to start.

    `reason` is what fetch_errors records: "extraction_crashed", "extraction_timeout", or
    "unavailable" for a worker that died before it was ready. `culprit` is true for the page
    the worker was reading; the pages queued behind it did nothing wrong.
    """

    def __init__(self, message: str, reason: str, culprit: bool) -> None:
        super().__init__(message)
        self.reason = reason
        self.culprit = culprit


def worker_wanted(setting: Any, processes: int = 1) -> bool:
    """ARCHIVE_EXTRACT_WORKER: True or False, or "auto": a worker for each of the crawl's
    `processes` (--processes) when the machine has a core for every process, workers included."""
    if isinstance(setting, str) and setting.strip().lower() == "auto":
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        return cores >= 2 * processes
    if isinstance(setting, str):
        return setting.strip().lower() in ("1", "true", "yes", "on")
    return bool(setting)


class _Pipes(ProcessProtocol):
    """The crawl's end of one worker process: cuts its stdout into readings."""

    def __init__(self, worker: ExtractionWorker) -> None:
        self.worker = worker
        self.received = bytearray()

    def childDataReceived(self, childFD: int, data: bytes) -> None:
        received = self.received
        received += data
        while len(received) >= LENGTH_SIZE:
            end = LENGTH_SIZE + int.from_bytes(received[:LENGTH_SIZE], "big")
            if len(received) < end:
                return
            reading = pickle.loads(bytes(received[LENGTH_SIZE:end]))
            del received[:end]
            self.worker.deliver(self, reading)

    def childConnectionLost(self, childFD: int) -> None:
        if childFD == 1:  # the worker's stdout closed: it is ending, whatever the reason
            self.worker.lost(self)


class ExtractionWorker:
    """The crawl's handle on the worker: `read` sends a page and gives a Deferred of its
    reading. When the worker dies, the pages it held fail with WorkerDied, and the next `read`
    starts a new one. A worker that reads one page for longer than `timeout` seconds is killed
    (0: no limit). It stops when the spider closes."""

    def __init__(
        self,
        profiles_dir: str | None,
        gc_threshold: int,
        stats: StatsCollector | None = None,
        timeout: float = 0.0,
    ) -> None:
        self.profiles_dir = profiles_dir
        self.gc_threshold = gc_threshold
        self.stats = stats
        self.timeout = timeout
        self.pipes: _Pipes | None = None
        self.waiting: deque[Deferred[PageReading]] = deque()
        self.pids: list[int] = []  # of every worker started, for stop() to wait for
        self.ready = False  # whether the running worker has its imports done
        self.reading_since: float | None = None  # when it began the page it is reading
        self.timed_out = False  # whether the watch killed the running worker
        self.unavailable = False  # a worker died before it was ready: the crawl reads its pages
        self.watch: task.LoopingCall | None = None  # kills a worker held too long by a page

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionWorker:
        settings = crawler.settings
        worker = cls(
            settings.get("ARCHIVE_PROFILES"),
            settings.getint("ARCHIVE_GC_THRESHOLD", 0),
            crawler.stats,
            settings.getfloat("ARCHIVE_EXTRACT_TIMEOUT", 0.0),
        )
        crawler.signals.connect(worker.stop, signal=signals.spider_closed)
        return worker

    def start(self) -> None:
        from twisted.internet import reactor

        pipes = _Pipes(self)
        args = [sys.executable, "-m", "archiver.reading", "--gc-threshold", str(self.gc_threshold)]
        if self.profiles_dir:
            args += ["--profiles", str(self.profiles_dir)]
        # the worker imports this very package, wherever the crawl found it
        package_root = str(Path(__file__).resolve().parent.parent)
        paths = [package_root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        process = reactor.spawnProcess(  # type: ignore[attr-defined]
            pipes, sys.executable, args, env=env, childFDs={0: "w", 1: "r", 2: 2}
        )
        for pipe in process.pipes.values():  # see _PIPE_BYTES
            with contextlib.suppress(OSError):
                fcntl.fcntl(pipe.fileno(), _SET_PIPE_SIZE, _PIPE_BYTES)
        self.pipes = pipes
        self.pids.append(process.pid)
        self.ready, self.reading_since, self.timed_out = False, None, False
        self._count("archiver/extract_workers_started")
        if self.timeout > 0 and self.watch is None:
            self.watch = task.LoopingCall(self._watch)
            self.watch.start(min(1.0, max(0.05, self.timeout / 4)), now=False)

    def _count(self, stat: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(stat)

    def read(
        self, body: bytes, content_type: str | None, url: str, fetched_at: str
    ) -> Deferred[PageReading]:
        if self.pipes is None:
            self.start()
        assert self.pipes is not None and self.pipes.transport is not None
        reading: Deferred[PageReading] = Deferred()
        self.waiting.append(reading)
        if self.ready and len(self.waiting) == 1:
            self.reading_since = time.monotonic()
        self.pipes.transport.write(frame((body, content_type, url, fetched_at)))
        return reading

    def deliver(self, pipes: _Pipes, reading: PageReading | None) -> None:
        """A reading, or None: the worker saying it is ready."""
        if pipes is not self.pipes:
            return
        if reading is None:
            self.ready = True
        elif self.waiting:
            self.waiting.popleft().callback(reading)
        self.reading_since = time.monotonic() if self.waiting else None

    def _watch(self) -> None:
        """Kill a worker held too long by one page: the crawl goes on without that page."""
        since = self.reading_since
        if self.pipes is not None and since is not None and time.monotonic() - since > self.timeout:
            self.timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pids[-1], signal.SIGKILL)

    def lost(self, pipes: _Pipes) -> None:
        if pipes is not self.pipes:
            return  # a worker already stopped or replaced
        self.pipes = None
        self._count("archiver/extract_worker_died")
        if not self.ready:
            self.unavailable = True
            logger.error(
                "The extraction worker died before it was ready: the crawl reads its pages"
            )
            why = "the extraction worker died before it was ready"
            self._fail_waiting(why, "unavailable", blame=False)
        elif self.timed_out:
            why = f"reading this page took the extraction worker over {self.timeout:g} s"
            self._fail_waiting(why, "extraction_timeout", blame=True)
        else:
            why = "the extraction worker died while reading this page"
            self._fail_waiting(why, "extraction_crashed", blame=True)

    def _fail_waiting(self, why: str, reason: str, blame: bool) -> None:
        """Fail every page waiting; with `blame`, the first is the one the worker was reading."""
        waiting, self.waiting = self.waiting, deque()
        for number, reading in enumerate(waiting):
            reading.errback(WorkerDied(why, reason, culprit=blame and number == 0))

    def stop(self, timeout: float = 10.0) -> Deferred[None]:
        """Close the worker's stdin and wait until it has ended, so that no process is left
        behind and its CPU time counts in the crawl's own."""
        pipes, self.pipes = self.pipes, None
        self.unavailable = True  # a page still to read is read in the crawl process
        if self.watch is not None and self.watch.running:
            self.watch.stop()
        self._fail_waiting("the crawl closed before this page was read", "unavailable", blame=False)
        if pipes is not None and pipes.transport is not None:
            pipes.transport.closeStdin()
        return self._reap(time.monotonic() + timeout)

    def _reap(self, deadline: float) -> Deferred[None]:
        from twisted.internet import reactor

        while self.pids:
            try:
                ended, _ = os.waitpid(self.pids[0], os.WNOHANG)
            except ChildProcessError:
                ended = self.pids[0]  # the reactor reaped it already
            if ended:
                self.pids.pop(0)
            elif time.monotonic() > deadline:
                os.kill(self.pids[0], signal.SIGKILL)
                deadline = float("inf")
            else:
                return task.deferLater(reactor, 0.01, self._reap, deadline)
        return succeed(None)
