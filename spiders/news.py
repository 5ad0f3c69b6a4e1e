"""The generic news spider: give it a site's URL and it archives the articles it finds."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archiver.extract.page import extract_article
from archiver.items import FetchError, RawPage

# Links that never lead to an HTML page worth fetching.
_SKIP_LINK = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|zip|mp3|mp4|avi|mov|css|js|woff2?|ttf|xml|json)(?:[?#]|$)",
    re.IGNORECASE,
)


def raw_page(response: Response, fetched_at: str) -> RawPage:
    """The response as the archive keeps it: body, status, and the headers that matter."""

    def header(name: str) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else None

    requested = (response.request.meta.get("redirect_urls") or [response.url])[0]
    return RawPage(
        url=requested,
        final_url=response.url,
        body=response.body,
        status=response.status,
        content_type=header("Content-Type"),
        last_modified=header("Last-Modified"),
        etag=header("ETag"),
        fetched_at=fetched_at,
    )


class NewsSpider(scrapy.Spider):
    """Follows links within the start sites and archives every page that is an article.

    Arguments (`-a NAME=VALUE`): `url` (one or more start URLs, comma-separated),
    `allow` and `deny` (regexes a followed URL must or must not match).
    """

    name = "news"

    def __init__(
        self,
        url: str | None = None,
        allow: str | None = None,
        deny: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = [u.strip() for u in (url or "").split(",") if u.strip()]
        self.allow = re.compile(allow) if allow else None
        self.deny = re.compile(deny) if deny else None

    @property
    def start_hosts(self) -> set[str]:
        return {urlsplit(u).netloc for u in self.start_urls}

    async def start(self) -> AsyncIterator[Any]:
        if not self.start_urls:
            raise ValueError(f"spider {self.name!r} needs a start URL: -a url=https://...")
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("archiver/pages_skipped")
            return
        fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            article = extract_article(response.text, response.url, fetched_at=fetched_at)
        except Exception as error:  # a page that breaks the extractor must not stop the crawl
            self.logger.exception("Extraction failed for %s", response.url)
            yield FetchError(response.url, "extraction_error", response.status, repr(error)[:500])
            yield from self.follow_links(response)
            return
        if article is None:
            self.crawler.stats.inc_value("archiver/pages_skipped")
        else:
            self.crawler.stats.inc_value("archiver/articles_extracted")
            if self.settings.getbool("ARCHIVE_RAW", True):
                article.raw = raw_page(response, fetched_at)
            yield article
        yield from self.follow_links(response)

    def follow_links(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """Requests for the page's links that stay on the start sites."""
        hosts = self.start_hosts
        for href in response.css("a::attr(href)").getall():
            url = urljoin(response.url, href.strip()).split("#", 1)[0]
            if not url.startswith(("http://", "https://")) or _SKIP_LINK.search(url):
                continue
            if urlsplit(url).netloc not in hosts:
                continue
            if (self.allow and not self.allow.search(url)) or (self.deny and self.deny.search(url)):
                continue
            yield scrapy.Request(url, callback=self.parse, errback=self.failed)

    def failed(self, failure: Failure) -> Iterator[FetchError]:
        """Every failed request becomes a row in the archive's fetch_errors table."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError):
            response = failure.value.response
            yield FetchError(request.url, f"http_{response.status}", status=response.status)
            return
        reason = failure.type.__name__ if failure.type else "error"
        yield FetchError(request.url, reason, detail=str(failure.value)[:500])
