"""`archiver crawl --warc DIR`: every response a crawl fetches, and its request, as WARC/1.1.

A downloader middleware placed next to the downloader (950), so that it sees each response as
it came off the wire (still compressed, before redirects and retries are acted on) and each
request with the headers every other middleware gave it. Records are built and compressed in
a thread of their own: zlib and hashlib let go of the GIL on a page, so that writing costs the
crawl's reactor little. Each file opens with a warcinfo record naming the crawl and its
settings; past ARCHIVE_WARC_SIZE bytes a new file starts. File names sort in time and say
which crawl wrote them: 20240701T120000Z-crawl12-news-00000.warc.gz. A file cut short by
`kill -9` is readable up to its last complete record (records.GzipMembers).
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import logging
import queue
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.warc.records import iso_warc_date, response_headers, warc_writer, warcinfo

if TYPE_CHECKING:
    from archiver.crawl.session import ArchiveSession

logger = logging.getLogger(__name__)

DEFAULT_SIZE = 10**9
# Settings worth knowing when the crawl is replayed or studied, in each file's warcinfo.
RECORDED_SETTINGS = (
    "USER_AGENT", "ROBOTSTXT_OBEY", "DOWNLOAD_DELAY", "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN", "AUTOTHROTTLE_ENABLED", "DEPTH_LIMIT", "DOWNLOAD_MAXSIZE",
)  # fmt: skip
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


def parse_size(value: str | int) -> int:
    """A size such as "1G", "500M" or "1048576" in bytes; ValueError in words otherwise."""
    match = _SIZE.match(str(value))
    if not match or float(match.group(1)) <= 0:
        raise ValueError(
            f"a WARC file size must be a number of bytes like 500M or 1G, not {value!r}"
        )
    return int(float(match.group(1)) * 1024 ** " kmgt".index(match.group(2).lower() or " "))


@dataclass
class Exchange:
    """One request and its response, as they are when fetched."""

    url: str
    method: str
    request_target: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    protocol: str
    response_headers: list[tuple[str, str]]
    body: bytes
    ip_address: str | None
    truncated: bool
    date: str


def _headers(headers: object) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()  # type: ignore[attr-defined]
        for value in values
    ]


class WarcRecorder:
    def __init__(self, crawler: Crawler, directory: Path, max_size: int) -> None:
        self.crawler = crawler
        self.directory = directory
        self.max_size = max_size
        self.queue: queue.Queue[Exchange | None] = queue.Queue(maxsize=256)
        self.out: BinaryIO | None = None
        self.writer: WARCWriter | None = None
        self.serial = 0
        self.broken: str | None = None  # why WARC files can no longer be written
        self.unwritten = 0  # exchanges fetched after that
        self.stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self.thread = threading.Thread(target=self._write_all, name="warc-recorder", daemon=True)
        self.thread.start()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorder:
        directory = crawler.settings.get("ARCHIVE_WARC_DIR")
        if not directory:
            raise NotConfigured("no ARCHIVE_WARC_DIR")
        size = parse_size(crawler.settings.get("ARCHIVE_WARC_SIZE") or DEFAULT_SIZE)
        Path(directory).mkdir(parents=True, exist_ok=True)
        recorder = cls(crawler, Path(directory), size)
        crawler.signals.connect(recorder.close, signal=signals.engine_stopped)
        return recorder

    def process_response(self, request: Request, response: Response) -> Response:
        parts = urlparse_cached(request)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = [("Host", parts.netloc), *_headers(request.headers)]
        received = [
            (n, v) for n, v in _headers(response.headers) if n.lower() != "transfer-encoding"
        ]
        ip = getattr(response, "ip_address", None)
        self.queue.put(
            Exchange(
                response.url, request.method, target, request_headers, request.body or b"",
                response.status, response.protocol or "HTTP/1.1", received, response.body,
                str(ip) if ip is not None else None, "dataloss" in response.flags,
                iso_warc_date(datetime.now(timezone.utc).isoformat()),
            )
        )  # fmt: skip
        return response

    def _write_all(self) -> None:
        """Write until the crawl ends; once a write fails (a full disk), drain the queue
        unwritten, counting, so that the crawl's thread never blocks on a full queue."""
        while (exchange := self.queue.get()) is not None:
            if self.broken is None:
                try:
                    self._write(exchange)
                    continue
                except OSError as error:
                    self._failed(error)
            self.unwritten += 1
        try:
            self._close_file()
        except OSError as error:
            self._failed(error)

    def _failed(self, error: OSError) -> None:
        """Stop the crawl as a full archive does (ArchiveSession.stop_writing): its pages not
        yet committed stay in the frontier, and --resume fetches and records them again."""
        if self.broken is not None:
            return
        full = error.errno == errno.ENOSPC
        self.broken = f"{'disk full' if full else 'cannot write'} (WARC files in {self.directory})"
        with contextlib.suppress(OSError):
            if self.out is not None:
                self.out.close()
        self.out, self.writer = None, None
        from twisted.internet import reactor

        session = self._session()
        if session is not None:
            why = self.broken if full else f"{self.broken}: {error}"
            reason = "disk_full" if full else "write_error"
            reactor.callFromThread(session.stop_writing, why, reason)  # type: ignore[attr-defined]

    def _write(self, exchange: Exchange) -> None:
        writer = self.writer or self._open_file()
        warc_headers = {"WARC-Date": exchange.date}
        if exchange.ip_address:
            warc_headers["WARC-IP-Address"] = exchange.ip_address
        if exchange.truncated:
            warc_headers["WARC-Truncated"] = "length"
        http = response_headers(exchange.status, exchange.response_headers)
        http.protocol = exchange.protocol
        response = writer.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.body),
            length=len(exchange.body), http_headers=http, warc_headers_dict=warc_headers,
        )  # fmt: skip
        request_http = StatusAndHeaders(
            f"{exchange.request_target} HTTP/1.1",
            exchange.request_headers,
            protocol=exchange.method,
        )
        request = writer.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body), http_headers=request_http,
            warc_headers_dict={"WARC-Date": exchange.date},
        )  # fmt: skip
        writer.write_request_response_pair(request, response)
        if self.out is not None and self.out.tell() >= self.max_size:
            self._close_file()

    def _open_file(self) -> WARCWriter:
        """The next file of the crawl, opening with its warcinfo record."""
        session = self._session()
        crawl_id = getattr(session, "crawl_id", None)
        spider = self.crawler.spider.name if self.crawler.spider else "crawl"
        while True:
            name = f"{self.stamp}-crawl{crawl_id or 0}-{spider}-{self.serial:05d}.warc.gz"
            self.serial += 1
            try:
                self.out = (self.directory / name).open("xb")
                break
            except FileExistsError:
                continue
        self.writer = warc_writer(self.out)
        settings = self.crawler.settings
        warcinfo(self.writer, name, {
            "isPartOf": f"crawl {crawl_id} ({spider})",
            "http-header-user-agent": settings.get("USER_AGENT"),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "settings": json.dumps({n: settings.get(n) for n in RECORDED_SETTINGS}, default=str),
        })  # fmt: skip
        return self.writer

    def _session(self) -> ArchiveSession | None:
        from archiver.crawl.session import ArchiveSession

        return self.crawler.get_extension(ArchiveSession)

    def _close_file(self) -> None:
        if self.out is not None:
            self.out.close()
        self.out, self.writer = None, None

    def close(self) -> None:
        """At engine_stopped: write what is queued, then close the file."""
        self.queue.put(None)
        self.thread.join()
        if self.broken is not None:
            logger.error("%s: %d responses not written to WARC", self.broken, self.unwritten)
