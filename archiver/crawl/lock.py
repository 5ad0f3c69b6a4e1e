"""One crawl per archive at a time, the shards of one `--processes` run excepted.

Two crawls of one archive both fetched every page, and the first to finish counted the other's
row as a shard of its own. A crawl now holds an exclusive lock (flock) on `<archive>-crawl.lock`
for as long as it runs; the file says who holds it, so that a second crawl can say so. The
kernel drops the lock with its process, `kill -9` included, so a killed crawl never leaves the
archive locked. The shards of a `--processes` run are forked from the process holding the lock
and share it: they find it in this module's registry, copied into them by the fork.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from archiver.archive.store import Archive, utc_now


class ArchiveInUse(Exception):
    """Another crawl holds the archive; the message says which."""


class CrawlLock:
    """The lock of one archive, held by this process (or the run it was forked from)."""

    def __init__(self, db_path: str | Path) -> None:
        self.path = Path(f"{db_path}-crawl.lock")
        self.owner = os.getpid()
        self.swept = False  # whether the crawl rows of killed crawls were marked so
        self._fd: int | None = None

    def acquire(self, holder: str) -> None:
        """Take the lock, or raise ArchiveInUse. After the flock, the file must still be the
        one at the path: a holder that was releasing may have removed it meanwhile."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                other = os.read(fd, 4096).decode("utf-8", "replace").strip()
                os.close(fd)
                raise ArchiveInUse(other or "another crawl (it says nothing of itself)") from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self._fd = fd
        self.describe(holder)

    def describe(self, holder: str) -> None:
        """Say in the file who holds the archive; on a full disk it says nothing, no harm."""
        if self._fd is None:
            return
        text = f"pid {os.getpid()}, {holder}, since {utc_now()}".encode()
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, text, 0)

    def release(self) -> None:
        """Remove the file and let go, in the process that took the lock only: a shard
        forked from it ends without releasing its parent's lock."""
        if self._fd is None or os.getpid() != self.owner:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None
        _HELD.pop(_key(self.path), None)


# The locks this process holds (or was forked holding), by lock file.
_HELD: dict[str, CrawlLock] = {}


def _key(path: Path) -> str:
    return str(path.resolve())


def hold(db_path: str | Path, holder: str) -> tuple[CrawlLock, bool]:
    """The archive's lock, and whether it was taken now (False: this process, or the run it
    is a shard of, holds it already). Raises ArchiveInUse when another crawl holds it."""
    lock = CrawlLock(db_path)
    held = _HELD.get(_key(lock.path))
    if held is not None:
        return held, False
    lock.acquire(holder)
    _HELD[_key(lock.path)] = lock
    return lock, True


def sweep_killed(lock: CrawlLock, archive: Archive) -> None:
    """Mark the crawl rows of crawls killed before they could say how they ended: with the
    lock held, no other crawl is running. Once per run: a shard must not mark its siblings."""
    if lock.swept:
        return
    with archive.transaction():
        archive.db.execute("UPDATE crawls SET finish_reason = 'killed' WHERE finish_reason IS NULL")
    lock.swept = True
