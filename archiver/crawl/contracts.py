"""Spider contracts for `scrapy check` (SPIDER_CONTRACTS in archiver.settings).

Scrapy's `@url` needs an address known when the docstring is written. The demo site is served
on a free port, chosen when its server starts, so its callbacks name a path instead (`@path`),
and the spider says where its site is. `@scrapes` only checks that an item has a field, which a
dataclass item always has; `@filled` checks that the field holds something.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from itemadapter import ItemAdapter, is_item
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail
from scrapy.http import Response


class SitePath(Contract):
    """@path PATH: the sample request is PATH on the spider's site, `spider.site_url()`.

    The callback is checked as the first page of a crawl would be: the spider first forgets
    the requests it made in other callbacks' checks (`spider.forget_requests()`, when it has
    one), which `scrapy check` threw away; otherwise what a callback returns would depend on
    which other checks' pages came back before its own.
    """

    name = "path"

    def __init__(self, method: Callable[..., Any], *args: Any) -> None:
        super().__init__(method, *args)
        self.spider = method.__self__  # type: ignore[attr-defined]

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["url"] = urljoin(self.spider.site_url(), self.args[0])
        return args

    def pre_process(self, response: Response) -> None:
        forget = getattr(self.spider, "forget_requests", None)
        if forget is not None:
            forget()


class FilledFields(Contract):
    """@filled FIELD ...: every item the callback returns has a value in each FIELD."""

    name = "filled"

    def post_process(self, output: list[Any]) -> None:
        for item in output:
            if is_item(item):
                fields = ItemAdapter(item)
                empty = [name for name in self.args if not fields.get(name)]
                if empty:
                    raise ContractFail(f"Empty fields: {', '.join(empty)}")
