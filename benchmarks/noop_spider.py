"""The crawl benchmark's ceiling: a Scrapy spider that fetches and follows links, and nothing else.

It finds links the way our news spider does (every <a href>, joined to the page URL, kept when it
stays on the start host) and yields a bare dict per page, with no pipelines, no middlewares of
ours and no archive. Whatever our crawl costs beyond this run is the price of extraction,
normalization and storage.

Run in its own process by bench_crawl.py, so that its peak RSS and CPU time are its own:
    .venv/bin/python benchmarks/noop_spider.py URL --stats STATS.json [-s NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse
from scrapy.settings import Settings
from sitegen import ARTICLE_PREFIX

# Politeness off and the same concurrency for every run, so the runs differ only in their work.
CRAWL_SETTINGS: dict[str, str] = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "ROBOTSTXT_OBEY": "True",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "WARNING",
}
# What archiver.settings sets that changes how Scrapy itself runs, so the ceiling runs alike.
ENGINE_SETTINGS: dict[str, str] = {
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "USER_AGENT": "archiver/0.1 (+https://github.com/archiver-fr/archiver)",
    "DOWNLOAD_TIMEOUT": "30",
    "DOWNLOAD_MAXSIZE": str(20 * 1024 * 1024),
    "DOWNLOAD_FAIL_ON_DATALOSS": "False",
    "CONCURRENT_ITEMS": "4",
}


def is_article_url(url: str) -> bool:
    return urlsplit(url).path.startswith(ARTICLE_PREFIX)


class NoopSpider(scrapy.Spider):
    """Follows every same-host link from the start URL and yields {"url": ...} per page."""

    name = "bench-noop"

    def __init__(self, url: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = [url]
        self.host = urlsplit(url).netloc
        self.seen: set[str] | None = None

    def dedupes(self) -> bool:
        """With BENCH_DEDUPE_LINKS, a URL is yielded once per crawl rather than once per page
        that links it: for when our spider does so too, so that the runs stay alike."""
        if self.seen is None and self.crawler.settings.getbool("BENCH_DEDUPE_LINKS"):
            self.seen = set()
        return self.seen is not None

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        if is_article_url(response.url):
            self.crawler.stats.inc_value("bench/articles")
        yield {"url": response.url}
        yield from self.follow(response)

    def follow(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """Same-host links, as CSS a::attr(href) finds them; fragments dropped like ours does."""
        seen = self.seen if self.dedupes() else None
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href.strip()).split("#", 1)[0]
            if seen is not None:
                if url in seen:
                    continue
                seen.add(url)
            if url.startswith(("http://", "https://")) and urlsplit(url).netloc == self.host:
                yield scrapy.Request(url, callback=self.parse)


def bench_settings(overrides: dict[str, str], extra: dict[str, Any] | None = None) -> Settings:
    """Scrapy's defaults with our engine settings, then `extra` (pipelines), then `-s` values."""
    settings = Settings()
    settings.setdict(ENGINE_SETTINGS, priority="project")
    settings.setdict(CRAWL_SETTINGS, priority="project")
    settings.setdict(extra or {}, priority="project")
    settings.setdict(overrides, priority="cmdline")
    return settings


def run(
    spider: type[scrapy.Spider],
    url: str,
    stats_path: Path,
    settings: Settings,
) -> None:
    """Crawl from `url` and write Scrapy's final stats as JSON for the benchmark to read."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, url=url)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    stats_path.write_text(json.dumps(stats, default=str, sort_keys=True), "utf-8")


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("url")
    parser.add_argument("--stats", type=Path, required=True, help="Where to write the stats.")
    parser.add_argument("--db", help="The archive file (the trafilatura baseline only).")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[])
    return parser.parse_args()


def setting_pairs(values: list[str]) -> dict[str, str]:
    return dict(value.split("=", 1) for value in values)


def main() -> None:
    args = parse_args("No-op crawl: the ceiling of the crawl benchmark.")
    run(NoopSpider, args.url, args.stats, bench_settings(setting_pairs(args.settings)))


if __name__ == "__main__":
    main()
