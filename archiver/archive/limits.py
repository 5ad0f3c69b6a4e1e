"""Bounds on what one read of the archive may cost: time spent in SQLite, and memory.

SQL typed by a user (`archiver query`, `export --where`) or a long search can run for hours or
fill the memory; these limits make it stop with a sentence instead.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar, cast

Row = TypeVar("Row")

DEFAULT_SECONDS = 30.0
# SQLite's own memory, whatever the statement: a sort or a group over a cross join, a huge
# value built with printf() or zeroblob(). Rows are streamed, so this is most of what a query
# costs; a raw page of the archive (compressed, a few MB) is far below it.
HEAP_LIMIT_BYTES = 128 * 1024 * 1024
# One string or blob SQLite may make or return: an article body is a few kB, a raw page a few MB.
VALUE_LIMIT_BYTES = 64 * 1024 * 1024
_CHECK_EVERY = 10_000  # SQLite virtual machine instructions between two looks at the clock


class TimeLimit:
    """Stop SQLite past `seconds` on a connection, counted from now.

    The clock stops while output waits on its reader (`writing_to`: a pager, a slow pipe), and
    while a row from `timed` is in the caller's hands. `per_row` gives that many seconds for
    each row rather than in all, for an export whose length grows with the archive but whose
    next row should never be long in coming. A stopped statement raises
    sqlite3.OperationalError("interrupted").
    """

    def __init__(
        self, conn: sqlite3.Connection, seconds: float | None, *, per_row: bool = False
    ) -> None:
        self.seconds = seconds
        self.per_row = per_row
        self.spent = 0.0
        self.since: float | None = time.monotonic()
        if seconds:
            conn.set_progress_handler(self._past, _CHECK_EVERY)
        else:
            conn.set_progress_handler(None, 0)

    def _past(self) -> int:
        if self.since is None or not self.seconds:
            return 0
        return int(self.spent + time.monotonic() - self.since > self.seconds)

    def pause(self) -> None:
        if self.since is not None:
            self.spent += time.monotonic() - self.since
            self.since = None

    def resume(self) -> None:
        self.since = time.monotonic()

    def timed(self, rows: Iterable[Row]) -> Iterator[Row]:
        """`rows` as they come, the clock stopped while the caller holds each one."""
        for row in rows:
            self.pause()
            if self.per_row:
                self.spent = 0.0
            yield row
            self.resume()

    def writing_to(self, out: TextIO) -> TextIO:
        """`out`, the clock stopped while a write to it waits."""
        return cast(TextIO, _PausingWriter(out, self))


class _PausingWriter:
    """A text stream's write, with a TimeLimit's clock stopped while it runs."""

    def __init__(self, out: TextIO, limit: TimeLimit) -> None:
        self.out, self.limit = out, limit

    def write(self, text: str) -> int:
        self.limit.pause()
        try:
            return self.out.write(text)
        finally:
            self.limit.resume()


def limit_memory(conn: sqlite3.Connection, heap_bytes: int = HEAP_LIMIT_BYTES) -> None:
    """Cap SQLite's heap and the size of one value, so a runaway statement fails with
    "out of memory" or "string or blob too big" rather than exhaust the machine.

    The heap limit is the whole process's (SQLite has one heap): for a command that runs one
    user's query, not for a server that shares the process."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_LIMIT_BYTES)
    # a connection of its own: the archive's authorizer refuses pragmas that set things
    setter = sqlite3.connect(":memory:")
    try:
        setter.execute(f"PRAGMA hard_heap_limit = {int(heap_bytes)}")
    finally:
        setter.close()


def limit_message(error: BaseException) -> str | None:
    """What a limit of this module says to the user when it stopped a statement; None when
    `error` is not one of theirs. The sqlite3 module raises MemoryError when SQLite's heap
    limit refuses an allocation."""
    message = str(error)
    if isinstance(error, MemoryError) or "out of memory" in message:
        return (
            f"the query needs more than {HEAP_LIMIT_BYTES // 2**20} MB of memory: "
            "narrow it (WHERE, LIMIT, fewer columns)"
        )
    if "interrupted" in message:
        return "the query ran past its time limit (raise it with --timeout)"
    if "too big" in message:
        return f"a value is larger than {VALUE_LIMIT_BYTES // 2**20} MB: select part of it"
    return None
