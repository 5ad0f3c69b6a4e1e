"""The generic news spider: give it a site's URL and it archives the articles it finds.

It discovers articles through the sitemaps robots.txt lists (indexes and Google News sitemaps
included), the RSS/Atom feeds pages announce, and links within the start sites. Every request
goes through the archive's frontier, so `--resume` continues after any stop.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import datetime, timezone
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    DontCloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from archiver.crawl.frontier import Frontier, discovered_url, job_name
from archiver.crawl.reading import PageReading, read_page
from archiver.crawl.session import ArchiveSession, archive_session
from archiver.crawl.sites import SiteRefusal
from archiver.crawl.worker import ExtractionWorker, WorkerDied, worker_wanted
from archiver.extract.decode import looks_binary
from archiver.extract.discover import (
    Entry,
    Listing,
    parse_since,
    read_feed,
    read_sitemap,
    robots_sitemaps,
    shortened,
)
from archiver.extract.profiles import Profiles
from archiver.extract.read import ArticleReader
from archiver.items import Article, RawPage

# Links that never lead to an HTML page worth fetching.
_SKIP_LINK = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|zip|gz|mp3|mp4|avi|mov|css|js|woff2?|ttf|json)(?:[?#]|$)",
    re.IGNORECASE,
)
# Network failures, named the way a user reads them in fetch_errors.reason.
_FAILURES: list[tuple[type[BaseException], str]] = [
    (CannotResolveHostError, "dns_error"),
    (DNSLookupError, "dns_error"),
    (DownloadTimeoutError, "timeout"),
    (TimeoutError, "timeout"),
    (TCPTimedOutError, "timeout"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (ConnectionRefusedError, "connection_refused"),
    (ResponseDataLossError, "truncated"),
    (DownloadFailedError, "connection_lost"),
    (ConnectionLost, "connection_lost"),
    (ResponseNeverReceived, "connection_lost"),
    (ResponseFailed, "connection_lost"),
    (DownloadCancelledError, "too_large"),
    (CancelledError, "too_large"),
]


def raw_page(response: Response, fetched_at: str) -> RawPage:
    """The response as the archive keeps it: body, status, and the headers that matter."""

    def header(name: str) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else None

    return RawPage(
        url=discovered_url(response.request),
        final_url=response.url,
        body=response.body,
        status=response.status,
        content_type=header("Content-Type"),
        last_modified=header("Last-Modified"),
        etag=header("ETag"),
        fetched_at=fetched_at,
    )


class NewsSpider(scrapy.Spider):
    """Archives every article page of the start sites.

    Arguments (`-a NAME=VALUE`): `url` (one or more start URLs, comma-separated), `allow` and
    `deny` (regexes a URL must or must not match), `since` (a date: sitemap and feed entries
    older than it are not fetched), `limit` (stop after this many articles), `max_depth` (how
    many links away from a start page, sitemap or feed to go).
    Settings: ARCHIVE_RESUME continues the last crawl of the same start URLs; ARCHIVE_REFRESH
    fetches again articles already archived, which a resumed crawl otherwise skips.
    """

    name = "news"

    def __init__(
        self,
        url: str | None = None,
        allow: str | None = None,
        deny: str | None = None,
        since: str | None = None,
        limit: str | int | None = None,
        max_depth: str | int | None = None,
        shard: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = [u.strip() for u in (url or "").split(",") if u.strip()]
        self.allow = re.compile(allow) if allow else None
        self.deny = re.compile(deny) if deny else None
        self.since: datetime | None = parse_since(since) if since else None
        self.limit = int(limit) if limit else None
        self.max_depth = int(max_depth) if max_depth not in (None, "") else None
        self.articles_seen = 0
        self.frontier: Frontier | None = None
        # "2/4": this process fetches the URLs whose hash falls in shard 2 of 4 (crawl --processes).
        self.shard: tuple[int, int] | None = None
        if shard:
            index, _, total = shard.partition("/")
            self.shard = (int(index), int(total))
        self.scheduled: set[str] = set()
        self.seen: set[str] = set()  # URLs this process has made a request for
        # the hosts, as written after "//", of links it refused for leaving the start sites
        self.elsewhere: set[str] = set()
        # hosts a start URL redirected to ("example.fr/" -> "www.example.fr/"): the site's own
        self.adopted_hosts: set[str] = set()
        self._poller: LoopingCall | None = None
        self.worker: ExtractionWorker | None = None  # reads pages on another core when set

    @cached_property
    def max_url_length(self) -> int:
        """URLs longer than this are no request: Scrapy's URLLENGTH_LIMIT (2,083 characters)."""
        return self.settings.getint("URLLENGTH_LIMIT", 2083) or 2**63

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Site profiles' politeness becomes Scrapy's per-site download slots."""
        super().update_settings(settings)
        slots = Profiles.load(settings.get("ARCHIVE_PROFILES")).download_slots()
        slots.update(settings.getdict("DOWNLOAD_SLOTS"))
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")

    @cached_property
    def reader(self) -> ArticleReader:
        """The page -> article chain, for pages read in the crawl process."""
        return ArticleReader(Profiles.load(self.settings.get("ARCHIVE_PROFILES")))

    @property
    def session(self) -> ArchiveSession:
        """The crawl's archive, which the frontier and the pipelines share."""
        return archive_session(self.crawler)

    @property
    def start_hosts(self) -> set[str]:
        """The hosts links must stay on, from the start URLs as they are now: the demo spider
        learns its URL only when its server starts, after Scrapy's feed exports have read every
        attribute of the spider. Only links not requested before get this far."""
        return {urlsplit(u).netloc for u in self.start_urls} | self.adopted_hosts

    def adopt_redirect(self, first: str, url: str) -> bool:
        """A start URL that redirects to another host names its site by that host, as a
        reader's browser would (http://example.fr/ -> https://www.example.fr/); any other
        redirect off the site is refused. Whether `url`'s host is now one of the crawl's."""
        if first not in self.start_urls:
            return False
        self.adopted_hosts.add(urlsplit(url).netloc)
        self.elsewhere.discard(url.split("/", 3)[2])
        return True

    def owns(self, url: str) -> bool:
        """Whether this process fetches `url`; always, unless the crawl is split in shards."""
        if self.shard is None:
            return True
        index, total = self.shard
        return zlib.crc32(url.encode("utf-8", "replace")) % total == index

    # -- start and resume -----------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        if not self.start_urls:
            raise ValueError(f"spider {self.name!r} needs a start URL: -a url=https://...")
        if self.session.broken is not None:
            return  # the archive is another crawl's: the session said so and stops this one
        processes = self.shard[1] if self.shard else 1
        if worker_wanted(self.settings, processes):
            # each link once, as the spider requests it once; but for one too deep for
            # --max-depth, which a page less deep may give again
            once = "links" if self.max_depth is None else "feeds"
            self.worker = ExtractionWorker.from_crawler(self.crawler, once=once)
            self.worker.start()  # while robots.txt and the sitemaps are fetched
        self.frontier = self.session.open_frontier(job_name(self.name, self.start_urls))
        if self.shard is not None:
            # The parent process seeded the frontier: take this shard's share as it appears.
            self.crawler.signals.connect(self._idle, signal=signals.spider_idle)
            self._poller = LoopingCall(self._poll)
            self._poller.start(0.2, now=False)
            for request in self._claim():
                yield request
            return
        resume = self.settings.getbool("ARCHIVE_RESUME") and self.frontier.known()
        if resume:
            self.logger.info("Resuming %s", self.frontier.job)
            for request in self._claim():
                yield request
            return
        self.frontier.reset()
        for url in self.start_urls:
            yield self.request(urljoin(url, "/robots.txt"), "robots", check=False)
            yield self.request(url, "page", check=False)

    def _claim(self) -> list[scrapy.Request]:
        """Requests for this process's pending frontier URLs that are not scheduled yet."""
        assert self.frontier is not None
        requests, skipped = [], []
        for url, kind, depth in self.frontier.pending():
            if url in self.scheduled or not self.owns(url):
                continue
            request = self.request(
                url, kind, depth=depth, check=False, check_archived=kind == "page"
            )
            if request is None:
                skipped.append(url)  # archived already, or now out of --max-depth
            else:
                requests.append(request)
        self.frontier.done(skipped)
        return requests

    def _poll(self) -> None:
        """Schedule this shard's newly discovered URLs; close once no shard has work left."""
        engine = self.crawler.engine
        requests = self._claim()
        for request in requests:
            engine.crawl(request)
        if requests or not engine.spider_is_idle():
            return
        assert self.frontier is not None
        if not self.frontier.has_pending() and self._poller is not None:
            self._poller.stop()  # closing now spares waiting for the engine's next idle check
            deferred_from_coro(engine.close_spider_async(reason="finished"))

    def _idle(self) -> None:
        """A shard stays open while any shard still has URLs to fetch: they may lead here."""
        self._poll()
        if self.frontier is not None and self.frontier.has_pending():
            raise DontCloseSpider

    def closed(self, reason: str) -> None:
        if self._poller is not None and self._poller.running:
            self._poller.stop()

    # -- requests -------------------------------------------------------------------------------

    def callback_for(self, kind: str) -> Callable[..., Any]:
        return self._callbacks.get(kind, self._callbacks["page"])

    @cached_property
    def _callbacks(self) -> dict[str, Callable[..., Any]]:
        """One bound method per callback for the whole crawl. Scrapy checks each callback's
        source for a generator's return value, and remembers the answer only while that very
        method object lives: a fresh `self.parse` per request had it read the source and parse
        it again whenever the last request holding the previous one was gone (0.1 ms a page)."""
        return {
            "robots": self.parse_robots,
            "sitemap": self.parse_sitemap,
            "feed": self.parse_feed,
            "page": self.parse,
        }

    def request(
        self,
        url: str,
        kind: str,
        *,
        depth: int | None = None,
        check: bool = True,
        check_archived: bool = True,
    ) -> scrapy.Request | None:
        """A request for `url`, or None when it leaves the start sites or is filtered out.

        `depth` counts links followed from a start page, sitemap or feed: entries of sitemaps
        and feeds are at depth 0 however deep the sitemap index that listed them.
        """
        url = url.split("#", 1)[0]
        if url in self.seen:
            return None  # a page links the same URLs many times; one request is enough
        depth = depth or 0
        if self.max_depth is not None and depth > self.max_depth:
            self.crawler.stats.inc_value("archiver/skipped_too_deep")
            return None
        if len(url) > self.max_url_length:
            self.crawler.stats.inc_value("archiver/skipped_url_too_long")
            return None  # Scrapy would drop it too, once it had built the request
        if check and self.leaves_site(url, kind) is not None:
            return None
        if kind == "page" and check_archived and self._skip_archived(url):
            return None
        self.seen.add(url)
        meta: dict[str, Any] = {"kind": kind, "link_depth": depth}
        if self.owns(url):
            self.scheduled.add(url)
        return scrapy.Request(url, callback=self.callback_for(kind), errback=self.failed, meta=meta)

    def leaves_site(self, url: str, kind: str, *, redirected: bool = False) -> str | None:
        """Why `url` is no page of this crawl's sites, or None: "offsite" (another host than
        the start URLs'), "denied" (a page outside --allow/--deny), "not_http", or "file" (a
        link to an image or a PDF). Asked of every link, and by SiteGuard of every redirect,
        which the file links do not concern (a page may redirect to "/index.php?...")."""
        if not url.startswith(("http://", "https://")):
            return "not_http"
        # Pages link the same other sites, with a new URL each time (share links): each
        # host, as written up to the path, is parsed once; the set grows with hosts only.
        host = url.split("/", 3)[2]
        if host in self.elsewhere:
            return "offsite"
        if urlsplit(url).netloc not in self.start_hosts:
            self.elsewhere.add(host)
            return "offsite"
        if kind == "page":
            if not redirected and _SKIP_LINK.search(url):
                return "file"
            if (self.allow and not self.allow.search(url)) or (self.deny and self.deny.search(url)):
                return "denied"
        return None

    def forget_requests(self) -> None:
        """Forget which URLs were requested, so that each may be requested again: `scrapy
        check` throws away the requests each callback returns (archiver.crawl.contracts)."""
        self.seen.clear()

    def _skip_archived(self, url: str) -> bool:
        """A resumed crawl does not fetch again what the archive already holds."""
        if not self.settings.getbool("ARCHIVE_RESUME") or self.settings.getbool("ARCHIVE_REFRESH"):
            return False
        if self.frontier is not None and self.frontier.is_archived(url):
            self.crawler.stats.inc_value("archiver/skipped_archived")
            return True
        return False

    def _entries(self, entries: list[Entry], kind: str) -> Iterator[scrapy.Request]:
        for entry in entries:
            if self.since and entry.date and entry.date < self.since:
                self.crawler.stats.inc_value("archiver/skipped_before_since")
                continue
            request = self.request(entry.url, kind)
            if request is not None:
                yield request

    # -- callbacks ------------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        text = (
            response.text
            if isinstance(response, TextResponse)
            else response.body.decode("utf-8", "replace")
        )
        sitemaps = robots_sitemaps(text, response.url) or [urljoin(response.url, "/sitemap.xml")]
        for url in sitemaps:
            request = self.request(url, "sitemap")
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        listing = read_sitemap(response.body, response.url, self.max_url_length)
        self.crawler.stats.inc_value("archiver/sitemap_entries", len(listing.entries))
        self._note_damage(response, listing, "sitemap")
        yield from self._entries(listing.entries, "sitemap" if listing.kind == "index" else "page")

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        listing = read_feed(response.body, response.url, self.max_url_length)
        self.crawler.stats.inc_value("archiver/feed_entries", len(listing.entries))
        self._note_damage(response, listing, "feed")
        yield from self._entries(listing.entries, "page")

    def _note_damage(self, response: Response, listing: Listing, what: str) -> None:
        """A sitemap or feed read only in part (`partly_read`), or with URLs too long to
        request (`url_too_long`), recorded under its own URL: its good entries are followed."""
        url = discovered_url(response.request)
        if listing.damage:
            self.fail(url, "partly_read", response.status, f"{what}: {listing.damage}"[:1000])
        if listing.too_long:
            detail = (
                f"{what}: {len(listing.too_long)} URLs over {self.max_url_length:,} characters"
                f" left out, the first: {listing.too_long[0]}"
            )
            self.fail(url, "url_too_long", response.status, detail)

    def parse(self, response: Response, **kwargs: Any) -> Iterable[Any] | AsyncIterator[Any]:
        url = discovered_url(response.request)
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
        if not isinstance(response, TextResponse) or looks_binary(response.body):
            self.fail(url, "not_html", response.status, content_type)
            return []
        if not response.body.strip():
            self.fail(url, "empty_body", response.status)
            return []
        fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        if self.worker is not None and not self.worker.unavailable:
            return self._read_in_worker(response, url, content_type, fetched_at)
        return self._read_here(response, url, content_type, fetched_at)

    def _read_here(
        self, response: Response, url: str, content_type: str | None, fetched_at: str
    ) -> Iterator[Any]:
        """The page read in the crawl process."""
        reading = read_page(response.body, content_type, response.url, self.reader, fetched_at)
        return self.outputs(response, url, fetched_at, reading)

    async def _read_in_worker(
        self, response: Response, url: str, content_type: str | None, fetched_at: str
    ) -> AsyncIterator[Any]:
        """The page read by the extraction worker. The page a worker was reading when it died,
        or was killed for answering nothing, is sent once more to a new worker; the pages queued
        behind it are sent again as they are. When no worker can start, the crawl reads its
        pages itself."""
        if self.limit is not None and self.articles_seen >= self.limit:
            return  # the crawl is closing: no page more to read
        tries = 0
        while self.worker is not None and not self.worker.unavailable:
            read = self.worker.read(response.body, content_type, response.url, fetched_at)
            try:
                reading = await maybe_deferred_to_future(read)
            except WorkerDied as error:
                if error.culprit:
                    tries += 1
                    self.logger.warning("%s: %s", response.url, error)
                    if tries == 2:
                        self.fail(url, error.reason, response.status, str(error))
                        return
                continue  # to a new worker, or below once none can start
            self.crawler.stats.inc_value("archiver/extract_worker_pages")
            for output in self.outputs(response, url, fetched_at, reading):
                yield output
            return
        for output in self._read_here(response, url, content_type, fetched_at):
            yield output

    def outputs(
        self, response: Response, url: str, fetched_at: str, reading: PageReading
    ) -> Iterator[Any]:
        """The article or the failure a page's reading gives, then the requests for its links."""
        if reading.error is not None:
            self.logger.error("Extraction failed for %s: %s", response.url, reading.error)
            reason = "extraction_timeout" if reading.timed_out else "extraction_error"
            self.fail(url, reason, response.status, reading.error[:500])
        elif reading.article is None:
            self.crawler.stats.inc_value("archiver/pages_skipped")
        elif self.limit is None or self.articles_seen < self.limit:
            yield self.finish_article(
                reading.article, response, url, fetched_at, reading.encoding_note
            )
        if self.limit is not None and self.articles_seen >= self.limit:
            raise CloseSpider("limit_reached")
        yield from self.follow(response, reading.feeds, reading.links)

    def finish_article(
        self, article: Article, response: Response, url: str, fetched_at: str, note: str | None
    ) -> Article:
        self.articles_seen += 1
        self.crawler.stats.inc_value("archiver/articles_extracted")
        article.requested_url = url
        if note:  # kept in the article's parse_warnings by the reader
            self.logger.warning("%s: %s", response.url, note)
        if "dataloss" in response.flags:
            article.parse_warnings["truncated"] = "the response ended before its Content-Length"
            self.logger.warning("%s: truncated response, archived as far as it goes", response.url)
        if self.settings.getbool("ARCHIVE_RAW", True):
            article.raw = raw_page(response, fetched_at)
        return article

    def follow(
        self, response: Response, feeds: list[str], links: list[str]
    ) -> Iterator[scrapy.Request]:
        """Requests for the page's feeds and for its links that stay on the start sites."""
        for feed in feeds:
            request = self.request(feed, "feed")
            if request is not None:
                yield request
        depth = response.meta.get("link_depth", 0) + 1
        too_long = [link for link in links if len(link) > self.max_url_length]
        if too_long:
            self._note_long_links(response, too_long)
        for link in links:
            request = self.request(link, "page", depth=depth)
            if request is not None:
                yield request

    def _note_long_links(self, response: Response, too_long: list[str]) -> None:
        """Links too long to request, recorded under the page that gives them (a row of
        fetch_errors that is no failure of the page itself), so that a user can find them."""
        detail = (
            f"page links: {len(too_long)} URLs over {self.max_url_length:,} characters left"
            f" out, the first: {shortened(too_long[0])}"
        )
        url = discovered_url(response.request)
        self.session.record_failure(url, "links_too_long", response.status, detail)

    def fail(
        self, url: str, reason: str, status: int | None = None, detail: str | None = None
    ) -> None:
        """A page that cannot be archived: a row in fetch_errors, a count in the stats and a
        line in the log, but no item, so that feeds and item pipelines get articles only. A
        page's links are still followed; FrontierMiddleware crosses it off after them."""
        self.crawler.stats.inc_value(f"archiver/failures/{reason}")
        self.logger.warning("Not archived: %s (%s)", url, reason)
        self.session.record_failure(url, reason, status, detail)

    def failed(self, failure: Failure) -> None:
        """Every failed request becomes a row in the archive's fetch_errors table."""
        request = failure.request  # type: ignore[attr-defined]
        url = discovered_url(request)
        kind = request.meta.get("kind", "page")
        retries = request.meta.get("retry_times", 0)
        if failure.check(HttpError):
            status = failure.value.response.status
            if not (kind in ("robots", "sitemap") and status == 404):
                self.fail(url, f"http_{status}", status, f"after {retries} retries")
            # else a site without robots.txt or sitemap.xml, which is no failure
        elif failure.check(SiteRefusal):
            self.fail(url, failure.value.reason, detail=str(failure.value)[:1000])
        elif failure.check(IgnoreRequest):
            message = str(failure.value)
            reason = "robots_txt" if "robots.txt" in message else "ignored"
            if "max redirections" in message:
                reason = "too_many_redirects"
            self.fail(url, reason, detail=message[:500])
        else:
            reason = next((name for kind_, name in _FAILURES if failure.check(kind_)), None)
            reason = reason or (failure.type.__name__ if failure.type else "error")
            detail = f"{failure.value!s}"[:450] + f" ({retries} retries)"
            self.fail(request.url, reason, detail=detail)
        self.session.cross_off([url])  # a download error passes no spider middleware
