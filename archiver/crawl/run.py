"""Running a crawl into an archive: the project's Scrapy settings for it, the checks before it
starts, and one crawl process, or one per shard of the URLs, all writing the same archive.

`archiver crawl` and `archiver demo` call this; it raises CrawlError rather than print, so that
the command says what went wrong in one line.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import shutil
from collections.abc import Iterator
from multiprocessing.queues import SimpleQueue
from pathlib import Path
from urllib.parse import urljoin

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from archiver.archive.store import Archive
from archiver.crawl.frontier import Frontier, job_name
from archiver.crawl.lock import ArchiveInUse, CrawlLock, hold, sweep_killed
from archiver.crawl.session import raw_compression


class CrawlError(Exception):
    """A crawl that cannot start, worded for the user."""


class CrawlSettingError(CrawlError):
    """A crawl that cannot start because a setting or an argument cannot be."""


# Less than this free beside the archive, and a crawl does not start: its row in `crawls`
# and the first frontier pages would not fit.
MIN_FREE_BYTES = 64 << 10


def crawl_settings(db_path: str, overrides: dict[str, str], no_raw: bool = False) -> Settings:
    """The project's Scrapy settings, then the archive path, then `-s` overrides."""
    settings = Settings()
    settings.setmodule("archiver.settings", priority="project")
    settings.set("ARCHIVE_DB", db_path, priority="cmdline")
    if no_raw:
        settings.set("ARCHIVE_RAW", False, priority="cmdline")
    settings.setdict(overrides, priority="cmdline")
    if settings.get("ARCHIVE_WARC_DIR"):  # `archiver crawl --warc DIR`
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        middlewares["archiver.warc.recorder.WarcRecorder"] = 950  # next to the downloader
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    return settings


def check_crawl(spider: str, settings: Settings) -> None:
    """Refuse settings or a spider name a crawl could not start with, before anything is
    written: Scrapy would say so only once the crawl has opened the archive."""
    try:
        raw_compression(settings)
    except ValueError as error:
        raise CrawlSettingError(str(error)) from None
    known = SpiderLoader.from_settings(settings).list()
    if spider not in known:
        raise CrawlError(f"unknown spider {spider!r}; known spiders: {', '.join(sorted(known))}")


def check_space(path: str, least: int = MIN_FREE_BYTES) -> None:
    """Refuse to start on a disk that is full already: the crawl's first write would fail
    inside Scrapy's start-up, where it could only be logged as a traceback. A disk that fills
    during the crawl is ArchiveSession.write_failed's."""
    folder = Path(path).resolve().parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # no folder yet, or none to ask: the archive's own open says what is wrong
    if free < least:
        raise CrawlError(
            f"disk full: {free // 1024} KB free where {path} is; free space and run the "
            "same command again"
        )


@contextlib.contextmanager
def archive_held(
    settings: Settings, spider: str, spider_args: dict[str, str]
) -> Iterator[CrawlLock]:
    """The archive's crawl lock for the whole run (archiver.crawl.lock), or a CrawlError
    saying which crawl holds it; the shards of a run share their parent's."""
    path = settings["ARCHIVE_DB"]
    check_space(path)
    what = f"`archiver crawl` with {spider} {spider_args.get('url', '')}".strip()
    try:
        lock, took = hold(path, what)
    except ArchiveInUse as holder:
        raise CrawlError(
            f"{path} is being crawled by another process ({holder}): wait for it to end, "
            "or crawl into another --db"
        ) from None
    try:
        yield lock
    finally:
        if took:
            lock.release()


def run_crawl(spider: str, settings: Settings, spider_args: dict[str, str]) -> None:
    """Crawl with `spider` in this process, until it finishes or is stopped; a CrawlError
    when it stopped because the archive could not be written (ArchiveSession.write_failed)
    or, a node of a Redis job, because Redis stayed away or lost the job (JobNode._stop)."""
    check_crawl(spider, settings)
    with archive_held(settings, spider, spider_args):
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(spider)
        process.crawl(crawler, **spider_args)
        process.start()
    stats = crawler.stats
    if stats is None:
        return
    kept, where = stats.get_value("archiver/articles_stored", 0), settings["ARCHIVE_DB"]
    stopped_by = stats.get_value("archiver/write_error")
    if stopped_by:
        remedy = "free space" if stopped_by.startswith("disk full") else "make it writable"
        raise CrawlError(
            f"{stopped_by}: {kept} articles of this crawl kept in {where}; "
            f"{remedy} and run the same command with --resume"
        )
    redis_stop = stats.get_value("archiver/redis/stopped")
    if redis_stop:
        remedy = stats.get_value("archiver/redis/remedy")
        raise CrawlError(f"{redis_stop}: {kept} articles of this crawl kept in {where}; {remedy}")


def _crawl_shard(
    spider: str, settings: Settings, spider_args: dict[str, str], errors: SimpleQueue[str]
) -> None:
    """One shard's crawl, in a forked process: its CrawlError goes to the parent, which says
    it, rather than to multiprocessing, which would print a traceback."""
    try:
        run_crawl(spider, settings, spider_args)
    except CrawlError as error:
        errors.put(str(error))


def run_sharded(
    spider: str, settings: Settings, spider_args: dict[str, str], processes: int
) -> None:
    """Seed the frontier, then run one crawl process per shard; all write the same archive.

    Each process fetches the URLs whose hash falls in its shard and writes down the others
    in the frontier, where their owner picks them up. With ARCHIVE_RESUME, a frontier this
    job has already filled is kept rather than seeded again.
    """
    start_urls = [u.strip() for u in spider_args.get("url", "").split(",") if u.strip()]
    if not start_urls:
        raise CrawlSettingError(
            "--processes needs start URLs: archiver crawl https://site.example/"
        )
    check_crawl(spider, settings)
    with archive_held(settings, spider, spider_args) as lock:
        _seed(settings, lock, spider, start_urls)
        _run_shards(spider, settings, spider_args, processes)


def _seed(settings: Settings, lock: CrawlLock, spider: str, start_urls: list[str]) -> None:
    """Fill the frontier the shards take their share of, unless a resumed job has one; and
    mark the rows of killed crawls before the shards add theirs."""
    with Archive(settings["ARCHIVE_DB"]) as archive:
        sweep_killed(lock, archive)
        frontier = Frontier(archive, job_name(spider, start_urls))
        if not (settings.getbool("ARCHIVE_RESUME") and frontier.known()):
            frontier.reset()
            frontier.add((urljoin(url, "/robots.txt"), "robots", 0) for url in start_urls)
            frontier.add((url, "page", 0) for url in start_urls)
            frontier.commit()  # before the shards look for their share


def _run_shards(
    spider: str, settings: Settings, spider_args: dict[str, str], processes: int
) -> None:
    """One crawl process per shard, until all have ended."""
    # Forked from this process, which has imported Scrapy and the extractors already but started
    # no reactor: each shard starts its crawl at once, without an interpreter and imports of its
    # own (about 0.4 s of CPU each).
    fork = multiprocessing.get_context("fork")
    errors: SimpleQueue[str] = fork.SimpleQueue()
    children = [
        fork.Process(
            target=_crawl_shard,
            args=(spider, settings, {**spider_args, "shard": f"{index}/{processes}"}, errors),
        )
        for index in range(processes)
    ]
    for child in children:
        child.start()
    try:
        for child in children:
            child.join()
    except KeyboardInterrupt:
        for child in children:
            child.terminate()
        for child in children:
            child.join()
    if not errors.empty():
        raise CrawlError(errors.get())
