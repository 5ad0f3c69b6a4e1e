"""One line rewritten in place on a terminal, for the commands that take a while (a crawl,
`reparse`, a long export); nothing at all where the stream is not a terminal, whose reader
gets log lines or the final summary instead."""

from __future__ import annotations

import time
from typing import TextIO


class LiveLine:
    def __init__(self, stream: TextIO, every: float = 0.5, live: bool | None = None) -> None:
        self.stream = stream
        self.every = every
        self.shown_at = 0.0
        self.live = stream.isatty() if live is None else live

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

    def clear(self) -> None:
        """Leave the terminal as it was, for the summary that follows."""
        if self.live and self.shown_at:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
