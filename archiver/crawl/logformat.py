"""Log lines that name the page and the reason, not the whole item.

Scrapy logs every response and every item at DEBUG. Its loggers pass everything to the
handler, which drops what is below LOG_LEVEL, so each of those lines cost a LogRecord even when
nothing was shown (about 0.04 ms a page). When no handler shows DEBUG they are not made at all;
at DEBUG an article is named by its URL and title instead of being printed whole, raw HTML
included.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure

from archiver.items import Article


class ArchiverLogFormatter(LogFormatter):
    """Scrapy's formatter, with `level` the lowest level any handler shows."""

    def __init__(self, level: int = logging.DEBUG) -> None:
        super().__init__()
        self.level = level

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiverLogFormatter:
        return cls(shown_level(crawler.settings.get("LOG_LEVEL", "DEBUG")))

    def crawled(
        self, request: Request, response: Response, spider: Any
    ) -> LogFormatterResult | None:
        """Scrapy's "Crawled (200)" line, when a handler would show it."""
        if self.level > logging.DEBUG:
            return None
        return super().crawled(request, response, spider)

    def scraped(
        self, item: Any, response: Response | Failure | None, spider: Any
    ) -> LogFormatterResult | None:
        """An article by URL and title, when a handler would show it; other items as Scrapy
        prints them."""
        if self.level > logging.DEBUG:
            return None
        if not isinstance(item, Article):
            return super().scraped(item, response, spider)
        return {
            "level": logging.DEBUG,
            "msg": "Extracted from %(url)s: %(title)r",
            "args": {"url": item.url, "title": item.title},
        }

    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any
    ) -> LogFormatterResult:
        """The page and the reason, not the whole item."""
        url = getattr(item, "url", None) or getattr(response, "url", "?")
        return {
            "level": logging.WARNING,
            "msg": "Not archived: %(url)s (%(exception)s)",
            "args": {"url": url, "exception": exception},
        }


def shown_level(setting: str | int | None) -> int:
    """The lowest level a handler of Scrapy's loggers shows: LOG_LEVEL for the handler Scrapy
    installs, but a host may have attached its own (to the root or to "scrapy") at DEBUG.
    With no handler at all, the LOG_LEVEL setting."""
    handlers = [*logging.getLogger("scrapy").handlers, *logging.root.handlers]
    if not handlers:
        return log_level(setting)
    return min(handler.level for handler in handlers)  # NOTSET, 0, shows every level


def log_level(value: str | int | None) -> int:
    """LOG_LEVEL as a number, whether written "WARNING", "warning" or 30; DEBUG if unreadable."""
    if isinstance(value, int):
        return value
    number = logging.getLevelName(str(value or "DEBUG").upper())
    return number if isinstance(number, int) else logging.DEBUG
