"""The bundled demo site: `scrapy crawl demo` serves it on 127.0.0.1 and archives it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from archiver.demo.server import DemoServer
from archiver.spiders.news import NewsSpider


class DemoSpider(NewsSpider):
    """The news spider, pointed at the demo site; it starts the site's server itself unless
    given `-a url=...` of a server already running."""

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

    async def start(self) -> AsyncIterator[Any]:
        if not self.start_urls:
            self.server = DemoServer()
            self.server.start()
            self.start_urls = [self.server.url]
            self.logger.info("Serving the demo site at %s", self.server.url)
        async for request in super().start():
            yield request

    def closed(self, reason: str) -> None:
        try:
            super().closed(reason)
        finally:
            if self.server is not None:
                self.server.stop()
