"""The bundled demo site: `scrapy crawl demo` serves it on 127.0.0.1 and archives it, and
`scrapy check demo` checks each of its callbacks on a page of the site (archiver.crawl.contracts).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from archiver.demo.server import DemoServer
from archiver.spiders.news import NewsSpider


class DemoSpider(NewsSpider):
    """The news spider, pointed at the demo site; it starts the site's server itself unless
    given `-a url=...` of a server already running.

    Its callbacks are the news spider's, with the contracts `scrapy check demo` runs."""

    name = "demo"
    # The demo server is our own, on loopback: no need to pace requests to it.
    custom_settings = {
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.server: DemoServer | None = None

    def site_url(self) -> str:
        """The demo site's address: the one given with `-a url=...`, or that of a server
        started now (a crawl's start, or the first contract of `scrapy check`)."""
        if not self.start_urls:
            self.server = DemoServer().start()
            self.start_urls = [self.server.url]
            self.logger.info("Serving the demo site at %s", self.server.url)
        return self.start_urls[0]

    async def start(self) -> AsyncIterator[Any]:
        self.site_url()
        async for request in super().start():
            yield request

    def closed(self, reason: str) -> None:
        try:
            super().closed(reason)
        finally:
            if self.server is not None:
                self.server.stop()

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """@path /robots.txt
        @returns requests 1 1
        @returns items 0 0
        """
        return super().parse_robots(response)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """@path /sitemap.xml
        @returns requests 44 44
        @returns items 0 0
        """
        return super().parse_sitemap(response)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """@path /rss.xml
        @returns requests 20 20
        @returns items 0 0
        """
        return super().parse_feed(response)

    def parse(self, response: Response, **kwargs: Any) -> Iterable[Any] | AsyncIterator[Any]:
        """@path /articles/luke-cage-netflix-serveurs.html
        @returns items 1 1
        @returns requests 16 16
        @scrapes url title body byline_raw published_raw images
        @filled url title lead body byline_raw published_raw images
        """
        return super().parse(response, **kwargs)
