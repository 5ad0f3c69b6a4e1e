"""One line rewritten in place on a terminal, for the commands that take a while (a crawl,
`reparse`, a long export); nothing at all where the stream is not a terminal, whose reader
gets log lines or the final summary instead."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


class LiveLine:
    def __init__(self, stream: TextIO, every: float = 0.5, live: bool | None = None) -> None:
        self.stream = stream
        self.every = every
        self.shown_at = 0.0
        self.live = stream.isatty() if live is None else live
        self.started = time.monotonic()

    def show(self, text: str, *, now: bool = False) -> None:
        """Rewrite the line, at most once every `every` seconds unless `now`."""
        if not self.live:
            return
        moment = time.monotonic()
        if not now and moment - self.shown_at < self.every:
            return
        self.shown_at = moment
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()

    def show_count(self, done: int, total: int | None, what: str) -> None:
        """ "120 of 4000 articles reparsed, 85.2 a second, 46 s left"."""
        self.show(rate_text(done, total, time.monotonic() - self.started, what))

    def clear(self) -> None:
        """Leave the terminal as it was, for the summary that follows."""
        if self.live and self.shown_at:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def counted(items: Iterable[T], line: LiveLine, what: str, total: int | None = None) -> Iterator[T]:
    """The items, passed through while the line says how many have passed, how fast, and how
    long the rest should take when the `total` is known."""
    for count, item in enumerate(items, start=1):
        yield item
        line.show_count(count, total, what)
    line.clear()


def rate_text(done: int, total: int | None, seconds: float, what: str) -> str:
    per_second = done / seconds if seconds > 0 else 0.0
    text = f"{done}" + (f" of {total}" if total is not None else "") + f" {what}"
    text += f", {per_second:.1f} a second"
    if total is not None and per_second > 0:
        text += f", {max(total - done, 0) / per_second:.0f} s left"
    return text
