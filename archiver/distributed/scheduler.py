"""A Scrapy scheduler whose queue and duplicate filter are a Redis job's (job.py).

Requests are queued in Redis once per fingerprint, computed by the crawl's own request
fingerprinter, so a URL is fetched once across nodes as Scrapy would fetch it once in one
process. Retries and redirects of a request this node holds stay here, in a local queue: its
lease covers them. Requests are stored as Scrapy's request dicts, pickled. While Redis does not
answer, requests to queue wait in the node (JobNode.push) and none is leased.
"""

from __future__ import annotations

import pickle
from collections import deque
from typing import Any

from scrapy import Request, Spider
from scrapy.core.scheduler import BaseScheduler
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict

from archiver.crawl.frontier import discovered_url
from archiver.distributed.link import Unreachable
from archiver.distributed.node import JobNode


class RedisScheduler(BaseScheduler):
    def __init__(self, crawler: Crawler, node: JobNode) -> None:
        self.crawler = crawler
        self.node = node
        self.local: deque[Request] = deque()
        self.spider: Spider | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        node = crawler.get_extension(JobNode)
        if node is None:
            raise RuntimeError("RedisScheduler needs the JobNode extension (ARCHIVE_REDIS_URL)")
        scheduler = cls(crawler, node)
        node.take_one = scheduler._take
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider

    def has_pending_requests(self) -> bool:
        return bool(self.local)

    def __len__(self) -> int:
        return len(self.local)

    def enqueue_request(self, request: Request) -> bool:
        url = discovered_url(request)
        follows = "redirect_urls" in request.meta or "retry_times" in request.meta
        if request.meta.pop("archiver_leased", False) or (follows and url in self.node.leased):
            self.local.append(request)  # leased just now, or a retry or redirect of one held
            return True
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request)  # type: ignore[union-attr]
        payload = pickle.dumps(request.to_dict(spider=self.spider), protocol=5)
        return self.node.push(fingerprint, url, payload)

    def next_request(self) -> Request | None:
        if self.local:
            return self.local.popleft()
        return self._take()

    def _take(self) -> Request | None:
        """The next request of the job's queue, leased to this node."""
        try:
            taken = self.node.job.lease()
        except Unreachable:
            return None
        if taken is None:
            return None
        url, payload = taken
        self.node.leased.add(url)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("archiver/redis/leased")
        fields: dict[str, Any] = pickle.loads(payload)
        return request_from_dict(fields, spider=self.spider)
