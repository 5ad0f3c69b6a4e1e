"""Reading one fetched page: decoding it, finding its links, extracting its article.

It is a function of the response's bytes alone, with no Scrapy in it, so that the crawl can run
it in its own process or in the extraction worker and get the same answer. The worker runs
`main()` here (started by archiver/worker.py): it reads pages on its stdin and answers with their
readings on its stdout, in the same order, each as a 4-byte length and a pickle, until its stdin
ends.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import signal
import sys
from dataclasses import dataclass, field
from typing import BinaryIO

from archiver.extract.decode import decode_html
from archiver.extract.discover import feed_links, page_links
from archiver.extract.nodes import parse_html
from archiver.extract.profiles import Profiles
from archiver.extract.read import ArticleReader
from archiver.items import Article

LENGTH_SIZE = 4


class PageTimeout(BaseException):
    """The CPU time allowed for one page ran out. A BaseException, so that the extractor's own
    `except Exception` does not take it for a page it cannot read."""


@dataclass
class PageReading:
    """What a page gave: its article (None for a page that is not one), or why extraction
    failed, and the links the crawl may follow from it."""

    article: Article | None = None
    error: str | None = None  # the extractor's exception, as fetch_errors records it
    timed_out: bool = False  # whether `error` is the worker's time limit running out
    encoding_note: str | None = None  # how the text had to be repaired, if it had to be
    feeds: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def read_page(
    body: bytes,
    content_type: str | None,
    url: str,
    reader: ArticleReader,
    fetched_at: str,
    into: PageReading | None = None,
) -> PageReading:
    """Never raises for a page the extractor cannot read: the error is returned, the links kept.
    It fills `into` as it goes, so that a time limit that stops it midway keeps the links."""
    reading = into if into is not None else PageReading()
    decoded = decode_html(body, content_type)
    reading.encoding_note = decoded.note
    sel = parse_html(decoded.utf8 if decoded.utf8 is not None else decoded.text)
    # read before extraction, which takes nodes out of the tree
    reading.feeds, reading.links = feed_links(sel, url), page_links(sel, url)
    try:
        reading.article = reader.extract_decoded(decoded, url, selector=sel, fetched_at=fetched_at)
    except Exception as error:  # a page that breaks the extractor must not stop the crawl
        reading.error = repr(error)
    return reading


def frame(value: object) -> list[bytes]:
    """A value as the worker and the crawl send it: its length, then its pickle."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return [len(payload).to_bytes(LENGTH_SIZE, "big"), payload]


def _out_of_time(signum: int, stack: object) -> None:
    raise PageTimeout


class SentLinks:
    """The links and feeds the worker has given the crawl already, so that it gives each once:
    a page repeats its site's links (59 a page, 54 of them given before, over the benchmark's
    2,000 pages; the rest are mostly share links), and each cost pickling, unpickling and a look
    in the spider's own set, 0.07 ms a page in all. The crawl requests a URL the first time it
    is given, or never, but for a link too deep for --max-depth: it may come again from a page
    less deep, so `links` is false then and only feeds are held back. At most `most` URLs are
    remembered, then forgetting starts over: a URL given again is only one more look in the
    spider's set."""

    def __init__(self, links: bool, most: int = 200_000) -> None:
        self.links = links
        self.most = most
        self.given: set[str] = set()

    def new(self, reading: PageReading) -> None:
        """Leave in `reading` only the links and feeds not given before."""
        if len(self.given) > self.most:
            self.given = set()
        given = self.given
        reading.feeds = [url for url in reading.feeds if url not in given]
        given.update(reading.feeds)
        if self.links:
            reading.links = [url for url in reading.links if url not in given]
            given.update(reading.links)


def serve(
    stdin: BinaryIO,
    stdout: BinaryIO,
    reader: ArticleReader,
    seconds: float = 0.0,
    sent: SentLinks | None = None,
) -> None:
    """Answer each page read from `stdin` with its reading on `stdout`, until `stdin` ends.

    The first answer, None, says the worker is ready. A page that takes more than `seconds` of
    CPU (0: no limit) is answered with what was read of it, flagged `timed_out`: a CPU clock,
    so that time spent waiting on the crawl does not count. With `sent`, links and feeds
    answered before are left out.
    """
    if seconds > 0:
        signal.signal(signal.SIGPROF, _out_of_time)
    stdout.writelines(frame(None))
    stdout.flush()
    while True:
        header = stdin.read(LENGTH_SIZE)
        if len(header) < LENGTH_SIZE:
            return
        size = int.from_bytes(header, "big")
        payload = stdin.read(size)
        if len(payload) < size:
            return
        body, content_type, url, fetched_at = pickle.loads(payload)
        reading, done = PageReading(), False
        try:
            if seconds > 0:
                signal.setitimer(signal.ITIMER_PROF, seconds)
            try:
                read_page(body, content_type, url, reader, fetched_at, into=reading)
                done = True
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
        except PageTimeout:
            if not done:  # not a page finished just as the clock ran out
                reading.article, reading.timed_out = None, True
                reading.error = f"reading this page took the worker over {seconds:g} s of CPU"
        if sent is not None:
            sent.new(reading)
        stdout.writelines(frame(reading))
        stdout.flush()


def main(argv: list[str] | None = None) -> None:
    """The worker, as started by archiver/worker.py (which ignores SIGINT and SIGTERM first:
    they reach the whole process group, and the crawl closes our stdin once it has stopped)."""
    parser = argparse.ArgumentParser(description="The crawl's extraction worker.")
    parser.add_argument("--profiles", help="A folder of site profiles of one's own.")
    parser.add_argument("--gc-threshold", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=0.0, help="CPU seconds a page may take.")
    parser.add_argument(
        "--once",
        choices=["links", "feeds"],
        help="Give each link and feed, or each feed, once (SentLinks); default: every time.",
    )
    args = parser.parse_args(argv)
    stdin = sys.stdin.buffer
    # The readings keep a descriptor of their own; whatever else writes to stdout, Python or C,
    # goes to stderr and cannot land among them.
    stdout = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    reader = ArticleReader(Profiles.load(args.profiles))
    if args.gc_threshold > 0:  # as archiver.crawl.collector does for the crawl process
        gc.freeze()
        gc.set_threshold(args.gc_threshold, *gc.get_threshold()[1:])
    try:
        sent = SentLinks(args.once == "links") if args.once else None
        serve(stdin, stdout, reader, args.timeout, sent)
    except BrokenPipeError:  # the crawl is gone: nobody is left to read the answer
        pass
