"""Log lines for dropped items that name the page and the reason, not the whole item."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


class ArchiverLogFormatter(LogFormatter):
    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any
    ) -> LogFormatterResult:
        url = getattr(item, "url", None) or getattr(response, "url", "?")
        return {
            "level": logging.WARNING,
            "msg": "Not archived: %(url)s (%(exception)s)",
            "args": {"url": url, "exception": exception},
        }
