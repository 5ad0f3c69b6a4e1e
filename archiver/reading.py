"""Reading one fetched page: decoding it, finding its links, extracting its article.

It is a function of the response's bytes alone, with no Scrapy in it, so that the crawl can run
it in its own process or in the extraction worker and get the same answer. The worker is this
module run as a program (`python -m archiver.reading`, started by archiver/worker.py): it reads
pages on its stdin and answers with their readings on its stdout, in the same order, each as a
4-byte length and a pickle, until its stdin ends.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import signal
import sys
from dataclasses import dataclass, field
from typing import BinaryIO

from archiver.decode import decode_html
from archiver.discover import feed_links, page_links
from archiver.extract.nodes import parse_html
from archiver.items import Article
from archiver.profiles import Profiles, extract_with_profile

LENGTH_SIZE = 4


@dataclass
class PageReading:
    """What a page gave: its article (None for a page that is not one), or why extraction
    failed, and the links the crawl may follow from it."""

    article: Article | None = None
    error: str | None = None  # the extractor's exception, as fetch_errors records it
    encoding_note: str | None = None  # how the text had to be repaired, if it had to be
    feeds: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def read_page(
    body: bytes, content_type: str | None, url: str, profiles: Profiles, fetched_at: str
) -> PageReading:
    """Never raises for a page the extractor cannot read: the error is returned, the links kept."""
    html, encoding_note = decode_html(body, content_type)
    sel = parse_html(html)
    # read before extraction, which takes nodes out of the tree
    reading = PageReading(
        encoding_note=encoding_note, feeds=feed_links(sel, url), links=page_links(sel, url)
    )
    try:
        reading.article = extract_with_profile(
            html, url, profiles, fetched_at=fetched_at, selector=sel
        )
    except Exception as error:  # a page that breaks the extractor must not stop the crawl
        reading.error = repr(error)
    return reading


def frame(value: object) -> bytes:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return len(payload).to_bytes(LENGTH_SIZE, "big") + payload


def serve(stdin: BinaryIO, stdout: BinaryIO, profiles: Profiles) -> None:
    """Answer each page read from `stdin` with its reading on `stdout`, until `stdin` ends.
    The first answer, None, says the worker is ready: the crawl's time limit on reading a page
    starts from there, not from the imports."""
    stdout.write(frame(None))
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
        stdout.write(frame(read_page(body, content_type, url, profiles, fetched_at)))
        stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The crawl's extraction worker.")
    parser.add_argument("--profiles", help="A folder of site profiles of one's own.")
    parser.add_argument("--gc-threshold", type=int, default=0)
    args = parser.parse_args(argv)
    # Ctrl-C reaches the whole process group: the crawl closes our stdin once it has stopped.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed must not land among the readings
    profiles = Profiles.load(args.profiles)
    if args.gc_threshold > 0:  # as archiver.collector does for the crawl process
        gc.freeze()
        gc.set_threshold(args.gc_threshold, *gc.get_threshold()[1:])
    try:
        serve(stdin, stdout, profiles)
    except BrokenPipeError:  # the crawl is gone: nobody is left to read the answer
        pass


if __name__ == "__main__":
    # Run by name, so that the readings pickle as archiver.reading's classes, not __main__'s.
    import archiver.reading

    archiver.reading.main()
