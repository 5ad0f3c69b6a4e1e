"""The extraction worker: a second process that reads the crawl's pages.

Scrapy runs a crawl on one thread, and reading pages (decoding, parsing, extracting) is most of
its CPU. With the worker, the crawl process fetches, normalizes and stores while the worker
reads, so that a crawl uses two cores. It fetches no faster than the politeness settings allow:
the worker changes where pages are read, not how many are requested.

The worker runs archiver/reading.py's main(), in a fresh interpreter started through the reactor
(a fork of the crawl would share its sockets and its SQLite files). It times each page on its own
CPU clock (ARCHIVE_EXTRACT_TIMEOUT) and answers with what it read; the crawl kills it only when
it stops answering altogether, for twice that time and a grace period.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import sys
import time
from collections import deque
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task
from twisted.internet.defer import Deferred
from twisted.internet.protocol import ProcessProtocol

from archiver.crawl.reading import LENGTH_SIZE, PageReading, frame

logger = logging.getLogger(__name__)
# SIGINT and SIGTERM reach the whole process group: the worker ignores them, before its imports,
# and ends when the crawl, having stopped, closes its stdin.
_ENTRY = (
    "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "from archiver.crawl.reading import main; main()"
)
# Pipes of 1 MiB rather than Linux's 64 KiB: with 64 KiB, the worker stopped on a full stdout
# after four or five readings whenever the crawl process was busy (writing a batch), and the
# crawl then had no readings to go on with.
_SET_PIPE_SIZE = 1031  # F_SETPIPE_SZ, Linux only
_PIPE_BYTES = 1 << 20


class WorkerDied(Exception):
    """The worker ended before answering: killed, out of memory, crashed or held too long by a
    page, or unable to start.

    `reason` is what fetch_errors records: "extraction_crashed", "extraction_timeout" (killed
    for answering nothing for too long), or "unavailable" for a worker that died before it was
    ready or was stopped. `culprit` is true for the page the worker was reading; the pages
    queued behind it did nothing wrong.
    """

    def __init__(self, message: str, reason: str, culprit: bool) -> None:
        super().__init__(message)
        self.reason = reason
        self.culprit = culprit


def worker_wanted(settings: BaseSettings, processes: int = 1) -> bool:
    """ARCHIVE_EXTRACT_WORKER, read as Scrapy reads any boolean setting, or "auto": a worker for
    each of the crawl's `processes` (--processes) when the machine has a core for every process,
    workers included."""
    if str(settings.get("ARCHIVE_EXTRACT_WORKER", "auto")).strip().lower() == "auto":
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        return cores >= 2 * processes
    return settings.getbool("ARCHIVE_EXTRACT_WORKER")


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
            try:
                reading = pickle.loads(bytes(received[LENGTH_SIZE:end]))
            except Exception as error:  # not our frames: the worker cannot be trusted further
                logger.error("The extraction worker sent an unreadable answer: %r", error)
                self.kill()
                return
            del received[:end]
            self.worker.deliver(self, reading)

    def childConnectionLost(self, childFD: int) -> None:
        if childFD == 1:  # the worker's stdout closed: it is ending, or is to be ended
            self.worker.lost(self)

    def kill(self) -> None:
        if self.transport is not None:
            with contextlib.suppress(Exception):  # ended already
                self.transport.signalProcess("KILL")

    def has_unread_output(self) -> bool:
        """Whether readings wait in the pipe that the reactor has not read yet."""
        reader = getattr(self.transport, "pipes", {}).get(1)
        if reader is None:
            return False
        with contextlib.suppress(OSError, ValueError):
            return bool(select.select([reader.fileno()], [], [], 0)[0])
        return False


class ExtractionWorker:
    """The crawl's handle on the worker: `read` sends a page and gives a Deferred of its
    reading. When the worker dies, the pages it held fail with WorkerDied, and the next `read`
    starts a new one. `timeout` is the CPU seconds the worker allows a page (0: no limit); a
    worker that answers nothing for twice that and `grace` seconds more is killed. It stops when
    the spider closes."""

    def __init__(
        self,
        profiles_dir: str | None,
        gc_threshold: int,
        stats: StatsCollector | None = None,
        timeout: float = 0.0,
        grace: float = 30.0,
        once: str | None = None,
    ) -> None:
        self.profiles_dir = profiles_dir
        self.once = once  # "links" or "feeds": what the worker gives once (reading.SentLinks)
        self.gc_threshold = gc_threshold
        self.stats = stats
        self.timeout = timeout
        self.patience = 2 * timeout + grace if timeout > 0 else 0.0  # before the worker is killed
        self.pipes: _Pipes | None = None
        self.waiting: deque[Deferred[PageReading]] = deque()
        self.pids: list[int] = []  # of every worker started, for stop() to wait for
        self.ready = False  # whether the running worker has its imports done
        self.waiting_since: float | None = None  # since when an answer has been due
        self.killed = False  # whether the watch killed the running worker
        self.unavailable = False  # no worker to be had: the crawl reads its pages itself
        self.watch: task.LoopingCall | None = None
        self.watched_at = 0.0  # the watch's last look

    @classmethod
    def from_crawler(cls, crawler: Crawler, once: str | None = None) -> ExtractionWorker:
        settings = crawler.settings
        worker = cls(
            settings.get("ARCHIVE_PROFILES"),
            settings.getint("ARCHIVE_GC_THRESHOLD", 0),
            crawler.stats,
            settings.getfloat("ARCHIVE_EXTRACT_TIMEOUT", 0.0),
            once=once,
        )
        crawler.signals.connect(worker.stop, signal=signals.spider_closed)
        return worker

    def start(self) -> None:
        from twisted.internet import reactor

        pipes = _Pipes(self)
        # -P: the crawl's working directory may hold another "archiver"; import this one
        args = [sys.executable, "-P", "-c", _ENTRY, "--gc-threshold", str(self.gc_threshold)]
        args += ["--timeout", str(self.timeout)]
        if self.profiles_dir:
            args += ["--profiles", str(self.profiles_dir)]
        if self.once:
            args += ["--once", self.once]
        package_root = str(Path(__file__).resolve().parent.parent)
        paths = [package_root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        process = reactor.spawnProcess(  # type: ignore[attr-defined]
            pipes, sys.executable, args, env=env, childFDs={0: "w", 1: "r", 2: 2}
        )
        if sys.platform == "linux":
            import fcntl

            for pipe in process.pipes.values():  # see _PIPE_BYTES
                with contextlib.suppress(OSError):
                    fcntl.fcntl(pipe.fileno(), _SET_PIPE_SIZE, _PIPE_BYTES)
        self.pipes = pipes
        self.pids.append(process.pid)
        self.ready, self.waiting_since, self.killed = False, None, False
        self._count("archiver/extract_workers_started")
        if self.patience > 0 and self.watch is None:
            self.watch = task.LoopingCall(self._watch)
            self.watch.start(self._interval(), now=False)

    def _interval(self) -> float:
        return min(1.0, max(0.05, self.patience / 4))

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
            self.waiting_since = time.monotonic()
        self.pipes.transport.writeSequence(frame((body, content_type, url, fetched_at)))
        return reading

    def deliver(self, pipes: _Pipes, reading: PageReading | None) -> None:
        """A reading, or None: the worker saying it is ready."""
        if pipes is not self.pipes:
            return
        if reading is None:
            self.ready = True
        elif self.waiting:
            waiting = self.waiting.popleft()
            if not waiting.called:  # a page whose crawl gave up on it (cancelled)
                waiting.callback(reading)
        self.waiting_since = time.monotonic() if self.waiting else None

    def _watch(self) -> None:
        """Kill a worker that answers nothing for too long: hung where its own clock cannot stop
        it. Time the crawl process itself was held up (a late look) and readings it has not read
        yet do not count against the worker."""
        now = time.monotonic()
        late, self.watched_at = now - self.watched_at > 3 * self._interval(), now
        pipes, since = self.pipes, self.waiting_since
        if pipes is None or since is None:
            return
        if late or pipes.has_unread_output():
            self.waiting_since = now
        elif now - since > self.patience:
            self.killed = True
            pipes.kill()

    def lost(self, pipes: _Pipes) -> None:
        pipes.kill()  # its stdout may have closed on a bad answer while it lives on
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
        elif self.killed:
            why = f"the extraction worker answered nothing for {self.patience:g} s on this page"
            self._fail_waiting(why, "extraction_timeout", blame=True)
        else:
            why = "the extraction worker died while reading this page"
            self._fail_waiting(why, "extraction_crashed", blame=True)

    def _fail_waiting(self, why: str, reason: str, blame: bool) -> None:
        """Fail every page waiting; with `blame`, the first is the one the worker was reading."""
        waiting, self.waiting = self.waiting, deque()
        for number, reading in enumerate(waiting):
            if not reading.called:
                reading.errback(WorkerDied(why, reason, culprit=blame and number == 0))

    async def stop(self, timeout: float = 10.0) -> None:
        """Close the worker's stdin and wait until it has ended, so that no process is left
        behind and its CPU time counts in the crawl's own."""
        from twisted.internet import reactor

        pipes, self.pipes = self.pipes, None
        self.unavailable = True  # a page still to read is read in the crawl process
        if self.watch is not None and self.watch.running:
            self.watch.stop()
        self._fail_waiting("the crawl closed before this page was read", "unavailable", False)
        if pipes is not None and pipes.transport is not None:
            pipes.transport.closeStdin()
        deadline = time.monotonic() + timeout
        while self.pids:
            try:
                ended, _ = os.waitpid(self.pids[0], os.WNOHANG)
            except ChildProcessError:
                ended = self.pids[0]  # the reactor reaped it already
            if ended:
                self.pids.pop(0)
                continue
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pids[0], signal.SIGKILL)
                deadline = float("inf")
            await maybe_deferred_to_future(task.deferLater(reactor, 0.01, lambda: None))
