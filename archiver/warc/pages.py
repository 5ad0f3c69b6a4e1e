"""Reading an import's pages on every core, in order, with a bounded number in flight.

The crawl reads its pages in an extraction worker beside the crawl process; an import has no
network to wait on, so it reads them in a pool of processes, one a core, while this process
reads the WARC file and writes the archive. Pages go in chunks (a pickle each way costs less
than the page), and at most `window` chunks are out at a time, so that memory stays flat
however large the file. Each worker keeps one ArticleReader, the chain every other reader uses.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Generic, TypeVar

from archiver.extract.profiles import Profiles
from archiver.extract.read import ArticleReader
from archiver.items import Article

Tag = TypeVar("Tag")


@dataclass
class PageJob:
    body: bytes
    content_type: str | None
    url: str
    fetched_at: str | None


@dataclass
class PageResult:
    """A page's normalized article (None: not an article), or the extractor's error."""

    article: Article | None = None
    error: str | None = None


_reader: ArticleReader | None = None  # one per worker process, made by _start_worker


def _start_worker(profiles_dir: str | None, timezone: str) -> None:
    global _reader
    _reader = ArticleReader(Profiles.load(profiles_dir), timezone)


def read_pages(jobs: list[PageJob], reader: ArticleReader | None = None) -> list[PageResult]:
    """Never raises for a page the extractor cannot read: its error is the page's result."""
    reader = reader or _reader
    assert reader is not None, "read_pages runs in a worker started by PageReaders"
    results = []
    for job in jobs:
        try:
            article = reader.read(
                job.body, job.url, content_type=job.content_type, fetched_at=job.fetched_at
            )
            results.append(PageResult(article))
        except Exception as error:  # one page that breaks the extractor must not stop the rest
            results.append(PageResult(error=repr(error)[:500]))
    return results


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class PageReaders(Generic[Tag]):
    """`read(items)` gives back every (tag, job or None) pair in its order, each job replaced
    by its PageResult. With one worker, pages are read in this process."""

    def __init__(
        self,
        workers: int = 0,
        *,
        profiles_dir: str | None = None,
        timezone: str = "Europe/Paris",
        chunk: int = 8,
        window: int = 3,
    ) -> None:
        self.workers = workers or cores()
        self.chunk = chunk
        self.window = window * self.workers
        self.options = (profiles_dir, timezone)
        self.pool: ProcessPoolExecutor | None = None
        self.local: ArticleReader | None = None

    def __enter__(self) -> PageReaders[Tag]:
        if self.workers > 1:
            # forked: the workers start with the extractors imported, and never touch the
            # parent's archive connection
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=self.options,
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def reader(self) -> ArticleReader:
        """A reader in this process, for the odd page read here (a revisit, one worker)."""
        if self.local is None:
            self.local = ArticleReader(Profiles.load(self.options[0]), self.options[1])
        return self.local

    def read_here(self, job: PageJob) -> PageResult:
        """One page read in this process, out of turn."""
        return read_pages([job], self.reader())[0]

    def read(
        self, items: Iterable[tuple[Tag, PageJob | None]]
    ) -> Iterator[tuple[Tag, PageResult | None]]:
        out: deque[tuple[list[tuple[Tag, PageJob | None]], Future[list[PageResult]] | None]]
        out = deque()
        group: list[tuple[Tag, PageJob | None]] = []
        jobs = 0
        for tag, job in items:
            group.append((tag, job))
            jobs += job is not None
            if jobs >= self.chunk or len(group) >= 4 * self.chunk:
                out.append((group, self._submit(group)))
                group, jobs = [], 0
                while len(out) > self.window:
                    yield from self._collect(*out.popleft())
        if group:
            out.append((group, self._submit(group)))
        while out:
            yield from self._collect(*out.popleft())

    def _submit(self, group: list[tuple[Tag, PageJob | None]]) -> Future[list[PageResult]] | None:
        jobs = [job for _, job in group if job is not None]
        if not jobs:
            return None
        if self.pool is None:
            done: Future[list[PageResult]] = Future()
            done.set_result(read_pages(jobs, self.reader()))
            return done
        return self.pool.submit(read_pages, jobs)

    def _collect(
        self, group: list[tuple[Tag, PageJob | None]], future: Future[list[PageResult]] | None
    ) -> Iterator[tuple[Tag, PageResult | None]]:
        try:
            results = iter(future.result() if future is not None else [])
        except BrokenProcessPool:  # a worker died (out of memory, a crash): read here instead
            self.pool = None
            results = iter(read_pages([job for _, job in group if job is not None], self.reader()))
        for tag, job in group:
            yield tag, (next(results) if job is not None else None)
