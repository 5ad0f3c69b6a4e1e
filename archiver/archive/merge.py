"""`archiver merge`: several archives into one, as if one crawl had made them all.

Each node of a distributed crawl (and each machine of a split one) writes an archive of its own,
with ids of its own. A merge unites them: articles by canonical URL (the newest fetch's fields
win), revisions in time order, raw pages by hash, authors by their case-free key, comments
without duplicates; crawl runs (by their uid) and failures are kept with their run. Ids are
renumbered and the new articles indexed for search.

It is set-based SQL over ATTACHed files, one statement a table, not a row at a time: only
articles both sides hold are merged row by row. Merging again changes nothing, and a merge
stopped anywhere leaves its target as it was: `-o` builds into a temporary file renamed at the
end, `--into` works in one transaction.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from archiver.archive.schema import add_functions, best_spelling, fts_catch_up, legacy_crawl_uid
from archiver.archive.store import Archive, ArchiveError

# SQLite attaches at most 10 files to a connection; the target is one of them.
_MOST_ATTACHED = 9
# Columns a merge sets itself rather than copies.
_OWN = {"id", "article_id", "crawl_id", "author_id", "revision_id", "revision_count"}


class MergeError(ArchiveError):
    """A merge that cannot be done, worded for the user."""


@dataclass
class MergeResult:
    """What one merge added to its target."""

    sources: int = 0
    articles_new: int = 0
    articles_updated: int = 0  # held already, and the source's fetch was newer
    articles_kept: int = 0  # held already, with a fetch as new or newer
    revisions_added: int = 0
    raw_pages_added: int = 0
    crawls_added: int = 0
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.articles_new + self.articles_updated + self.articles_kept


Progress = Callable[[int, int], None]


def merge_archives(
    sources: Sequence[str | Path],
    target: str | Path,
    *,
    into: bool = False,
    progress: Progress | None = None,
) -> MergeResult:
    """Merge `sources` into a new archive `target`, or with `into`, into the archive there.

    MergeError when a source is missing or is the target, or when `target` exists without
    `into` (or is missing with it)."""
    started = time.monotonic()
    paths = [Path(s) for s in sources]
    target = Path(target)
    _check(paths, target, into)
    result = MergeResult()
    if not into:
        _build(paths, target, result, progress)
    elif len(paths) <= _MOST_ATTACHED:
        _merge_group(target, paths, result, progress)
    else:  # too many to attach at once: unite them first, then merge that in one transaction
        staging = _temporary(target)
        try:
            _build(paths, staging, MergeResult(), progress)
            _merge_group(target, [staging], result, None)
        finally:
            _remove(staging)
        result.sources = len(paths)
    result.seconds = time.monotonic() - started
    return result


def _check(paths: list[Path], target: Path, into: bool) -> None:
    if not paths:
        raise MergeError("nothing to merge: name the archives to merge")
    for path in paths:
        if not path.is_file():
            raise MergeError(f"no archive at {path}")
        if target.exists() and path.resolve() == target.resolve():
            raise MergeError(f"{path} is the target: it cannot also be merged into itself")
        Archive(path, read_only=True).close()  # ArchiveError when it is not an archive
    if into and not target.is_file():
        raise MergeError(f"no archive at {target} to merge into (use -o to make a new one)")
    if not into and target.exists():
        raise MergeError(f"{target} exists: merge into it with --into, or choose another -o")


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.merging-{os.getpid()}")


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _build(paths: list[Path], target: Path, result: MergeResult, progress: Progress | None) -> None:
    """A new archive at `target`, built under a temporary name and renamed once complete."""
    staging = _temporary(target)
    _remove(staging)
    try:
        Archive(staging).close()
        for start in range(0, len(paths), _MOST_ATTACHED):
            group = paths[start : start + _MOST_ATTACHED]
            _merge_group(staging, group, result, progress, durable=False)
        with open(staging, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, target)
    finally:
        _remove(staging)


def _merge_group(
    target: Path,
    paths: list[Path],
    result: MergeResult,
    progress: Progress | None,
    *,
    durable: bool = True,
) -> None:
    """Merge up to _MOST_ATTACHED archives into `target` in one transaction."""
    Archive(target).close()  # made or upgraded to this version's schema
    conn = sqlite3.connect(target, timeout=60, isolation_level=None)
    try:
        add_functions(conn)
        conn.create_function("legacy_crawl_uid", 3, legacy_crawl_uid, deterministic=True)
        conn.execute(f"PRAGMA synchronous = {'NORMAL' if durable else 'OFF'}")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -200000")
        # attached for writing, though nothing is written: the archive of a node killed mid-crawl
        # has a WAL to recover first, which a read-only attachment cannot do ("disk I/O error")
        for index, path in enumerate(paths):
            conn.execute("ATTACH DATABASE ? AS ?", [str(path.resolve()), f"s{index}"])
        conn.execute("BEGIN IMMEDIATE")
        try:
            for index in range(len(paths)):
                SourceMerge(conn, f"s{index}", result, progress).run()
                result.sources += 1
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


class SourceMerge:
    """One attached source merged into `main`, inside the caller's transaction."""

    def __init__(
        self, conn: sqlite3.Connection, source: str, result: MergeResult, progress: Progress | None
    ) -> None:
        self.conn = conn
        self.src = source
        self.result = result
        self.progress = progress

    def run(self) -> None:
        for name in ("crawl", "article", "author", "revision"):
            self.conn.execute(f"DROP TABLE IF EXISTS temp.{name}_map")
        self.result.raw_pages_added += self._count(
            f"INSERT OR IGNORE INTO main.raw_pages SELECT {self._columns('raw_pages')} "
            f"FROM {self.src}.raw_pages"
        )
        self._crawls()
        self._authors()
        self._articles()
        # indexed now: the FTS trigger on an update of one of them expects it in the index
        fts_catch_up(self.conn)
        self._children()
        self._revisions()
        self._overlap()
        self._fetches_and_failures()

    # -- helpers --------------------------------------------------------------------------------

    def _count(self, sql: str, params: Sequence[object] = ()) -> int:
        return self.conn.execute(sql, params).rowcount

    def _columns(self, table: str, *, own: set[str] = _OWN, prefix: str = "") -> str:
        """The columns both sides have, less those the merge sets; `prefix`ed for a SELECT."""
        names = self._shared_columns(table) - own
        ordered = [c for c in self._table_columns("main", table) if c in names]
        return ", ".join(f"{prefix}{c}" for c in ordered)

    def _shared_columns(self, table: str) -> set[str]:
        return set(self._table_columns("main", table)) & set(self._table_columns(self.src, table))

    def _table_columns(self, schema: str, table: str) -> list[str]:
        return [row[1] for row in self.conn.execute(f"PRAGMA {schema}.table_info({table})")]

    # -- tables ---------------------------------------------------------------------------------

    def _crawls(self) -> None:
        """Runs by uid: a run merged before is not added again."""
        src = self.src
        uid = (
            "s.uid"
            if "uid" in self._shared_columns("crawls")
            else ("legacy_crawl_uid(s.spider, s.started_at, s.id)")
        )
        columns = self._columns("crawls", own=_OWN | {"uid"})
        self.result.crawls_added += self._count(
            f"INSERT INTO main.crawls ({columns}, uid) SELECT {self._prefixed(columns)}, {uid} "
            f"FROM {src}.crawls s WHERE {uid} NOT IN (SELECT uid FROM main.crawls "
            "WHERE uid IS NOT NULL) ORDER BY s.id"
        )
        self.conn.execute(
            f"CREATE TEMP TABLE crawl_map AS SELECT s.id AS old, m.id AS new FROM {src}.crawls s "
            f"JOIN main.crawls m ON m.uid = {uid}"
        )
        self.conn.execute("CREATE UNIQUE INDEX temp.crawl_map_old ON crawl_map (old)")

    @staticmethod
    def _prefixed(columns: str, prefix: str = "s.") -> str:
        return ", ".join(f"{prefix}{c.strip()}" for c in columns.split(","))

    def _authors(self) -> None:
        """Authors by key, under the best spelling either side has."""
        src = self.src
        key = "coalesce(s.key, author_key(s.name))"
        self.conn.execute(
            f"INSERT INTO main.authors (name, key) SELECT s.name, {key} FROM {src}.authors s "
            f"WHERE {key} NOT IN (SELECT key FROM main.authors WHERE key IS NOT NULL)"
        )
        self.conn.execute(
            f"CREATE TEMP TABLE author_map AS SELECT s.id AS old, m.id AS new, s.name AS name, "
            f"m.name AS kept FROM {src}.authors s JOIN main.authors m ON m.key = {key}"
        )
        self.conn.execute("CREATE UNIQUE INDEX temp.author_map_old ON author_map (old)")
        renamed = [
            (best_spelling([kept, name]), new)
            for _, new, name, kept in self.conn.execute(
                "SELECT * FROM temp.author_map WHERE name != kept"
            )
            if best_spelling([kept, name]) != kept
        ]
        self.conn.executemany("UPDATE main.authors SET name = ? WHERE id = ?", renamed)

    def _articles(self) -> None:
        """Articles the target lacks are copied under new ids; `fresh` marks them."""
        src = self.src
        self.conn.execute(
            f"CREATE TEMP TABLE article_map AS SELECT s.id AS old, m.id AS new, 0 AS fresh "
            f"FROM {src}.articles s JOIN main.articles m ON m.canonical_url = s.canonical_url"
        )
        self.conn.execute("CREATE UNIQUE INDEX temp.article_map_old ON article_map (old)")
        columns = self._columns("articles")
        self.result.articles_new += self._count(
            f"INSERT INTO main.articles ({columns}, crawl_id) "
            f"SELECT {self._prefixed(columns)}, (SELECT new FROM temp.crawl_map WHERE old = s.crawl_id) "
            f"FROM {src}.articles s WHERE s.id NOT IN (SELECT old FROM temp.article_map) ORDER BY s.id"
        )
        self.conn.execute(
            f"INSERT INTO temp.article_map SELECT s.id, m.id, 1 FROM {src}.articles s "
            "JOIN main.articles m ON m.canonical_url = s.canonical_url "
            "WHERE s.id NOT IN (SELECT old FROM temp.article_map)"
        )

    def _children(self, fresh: str = "am.fresh = 1") -> None:
        """Authors, images and comments of the copied articles (or of those `fresh` selects)."""
        src = self.src
        self.conn.execute(
            f"INSERT OR IGNORE INTO main.article_authors (article_id, author_id, position) "
            f"SELECT am.new, au.new, s.position FROM {src}.article_authors s "
            "JOIN temp.article_map am ON am.old = s.article_id "
            f"JOIN temp.author_map au ON au.old = s.author_id WHERE {fresh}"
        )
        images = self._columns("images")
        self.conn.execute(
            f"INSERT INTO main.images (article_id, {images}) SELECT am.new, "
            f"{self._prefixed(images)} FROM {src}.images s "
            f"JOIN temp.article_map am ON am.old = s.article_id WHERE {fresh}"
        )
        comments = self._columns("comments", own=_OWN | {"position"})
        # a comment both sides hold is kept once; new ones go after those the target has
        self.conn.execute("DROP TABLE IF EXISTS temp.comment_offset")
        self.conn.execute(
            "CREATE TEMP TABLE comment_offset AS SELECT am.new AS article_id, "
            "coalesce(max(c.position), 0) AS offset FROM temp.article_map am "
            "JOIN main.comments c ON c.article_id = am.new WHERE am.fresh = 0 GROUP BY am.new"
        )
        self.conn.execute(
            f"INSERT OR IGNORE INTO main.comments (article_id, position, {comments}) "
            "SELECT am.new, s.position + coalesce(o.offset, 0), "
            f"{self._prefixed(comments)} FROM {src}.comments s "
            "JOIN temp.article_map am ON am.old = s.article_id "
            "LEFT JOIN temp.comment_offset o ON o.article_id = am.new "
            "ORDER BY s.article_id, s.position"
        )

    def _revisions(self) -> None:
        """The copied articles' revisions and paragraphs, as they were."""
        src = self.src
        columns = self._columns("revisions")
        self.result.revisions_added += self._count(
            f"INSERT INTO main.revisions (article_id, crawl_id, {columns}) SELECT am.new, "
            f"(SELECT new FROM temp.crawl_map WHERE old = s.crawl_id), {self._prefixed(columns)} "
            f"FROM {src}.revisions s JOIN temp.article_map am ON am.old = s.article_id "
            "WHERE am.fresh = 1 ORDER BY s.id"
        )
        self.conn.execute(
            f"CREATE TEMP TABLE revision_map AS SELECT s.id AS old, m.id AS new "
            f"FROM {src}.revisions s JOIN temp.article_map am ON am.old = s.article_id "
            "JOIN main.revisions m ON m.article_id = am.new AND m.number = s.number "
            "WHERE am.fresh = 1"
        )
        self.conn.execute("CREATE UNIQUE INDEX temp.revision_map_old ON revision_map (old)")
        self.conn.execute(
            f"INSERT INTO main.revision_paragraphs (revision_id, position, text) "
            f"SELECT rm.new, s.position, s.text FROM {src}.revision_paragraphs s "
            "JOIN temp.revision_map rm ON rm.old = s.revision_id"
        )
        self.conn.execute(
            f"UPDATE main.articles SET revision_id = rm.new, revision_count = s.revision_count, "
            f"comment_count = (SELECT count(*) FROM main.comments c WHERE c.article_id = am.new) "
            f"FROM temp.article_map am JOIN {src}.articles s ON s.id = am.old "
            "LEFT JOIN temp.revision_map rm ON rm.old = s.revision_id "
            "WHERE articles.id = am.new AND am.fresh = 1"
        )

    def _overlap(self) -> None:
        """Articles both sides hold, one at a time: few, unless the same pages were crawled twice."""
        pairs = self.conn.execute(
            "SELECT old, new FROM temp.article_map WHERE fresh = 0"
        ).fetchall()
        for done, (old, new) in enumerate(pairs, start=1):
            OverlapMerge(self, old, new).run()
            if self.progress and done % 1000 == 0:
                self.progress(done, len(pairs))

    def _fetches_and_failures(self) -> None:
        """Fetches, failures and frontier rows, each kept once."""
        src = self.src
        fetches = self._columns("fetches")
        self.conn.execute(
            f"INSERT INTO main.fetches (crawl_id, article_id, {fetches}) SELECT "
            "(SELECT new FROM temp.crawl_map WHERE old = s.crawl_id), "
            f"(SELECT new FROM temp.article_map WHERE old = s.article_id), {self._prefixed(fetches)} "
            f"FROM {src}.fetches s WHERE NOT EXISTS (SELECT 1 FROM main.fetches m WHERE "
            "m.url = s.url AND m.fetched_at = s.fetched_at AND m.sha256 IS s.sha256) ORDER BY s.id"
        )
        errors = self._columns("fetch_errors")
        crawl = "(SELECT new FROM temp.crawl_map WHERE old = s.crawl_id)"
        self.conn.execute(
            f"INSERT INTO main.fetch_errors (crawl_id, {errors}) SELECT {crawl}, "
            f"{self._prefixed(errors)} FROM {src}.fetch_errors s WHERE NOT EXISTS (SELECT 1 FROM "
            "main.fetch_errors m WHERE m.url = s.url AND m.reason = s.reason AND "
            f"m.occurred_at = s.occurred_at AND m.crawl_id IS {crawl}) ORDER BY s.id"
        )
        frontier = self._columns("frontier")
        self.conn.execute(
            f"INSERT OR IGNORE INTO main.frontier ({frontier}) SELECT {frontier} FROM {src}.frontier"
        )
        self.conn.execute(
            f"UPDATE main.frontier SET done_at = s.done_at FROM {src}.frontier s WHERE "
            "frontier.job = s.job AND frontier.url = s.url AND frontier.done_at IS NULL "
            "AND s.done_at IS NOT NULL"
        )


class OverlapMerge:
    """One article both the target and the source hold."""

    def __init__(self, merge: SourceMerge, old: int, new: int) -> None:
        self.merge = merge
        self.conn = merge.conn
        self.src = merge.src
        self.old = old
        self.new = new

    def run(self) -> None:
        conn, src = self.conn, self.src
        ours = conn.execute(
            "SELECT fetched_at, last_seen_at FROM main.articles WHERE id = ?", [self.new]
        ).fetchone()
        theirs = conn.execute(
            f"SELECT fetched_at, last_seen_at FROM {src}.articles WHERE id = ?", [self.old]
        ).fetchone()
        newer = tuple(v or "" for v in theirs) > tuple(v or "" for v in ours)
        if newer:
            self._take_fields()
            self.merge.result.articles_updated += 1
        else:
            self.merge.result.articles_kept += 1
        conn.execute(
            "UPDATE main.articles SET first_seen_at = coalesce(min(articles.first_seen_at, "
            "s.first_seen_at), articles.first_seen_at, s.first_seen_at), last_seen_at = "
            "coalesce(max(articles.last_seen_at, s.last_seen_at), articles.last_seen_at, "
            f"s.last_seen_at) FROM {src}.articles s "
            "WHERE articles.id = ? AND s.id = ?",
            [self.new, self.old],
        )
        self._unite_revisions()
        conn.execute(
            "UPDATE main.articles SET comment_count = "
            "(SELECT count(*) FROM main.comments WHERE article_id = :id) WHERE id = :id",
            {"id": self.new},
        )

    def _take_fields(self) -> None:
        """The source's fetch is newer: its fields, authors and images replace the target's."""
        conn = self.conn
        columns = self.merge._columns("articles", own=_OWN | {"first_seen_at", "last_seen_at"})
        assignments = ", ".join(f"{c.strip()} = s.{c.strip()}" for c in columns.split(","))
        conn.execute(
            f"UPDATE main.articles SET {assignments}, crawl_id = (SELECT new FROM temp.crawl_map "
            f"WHERE old = s.crawl_id) FROM {self.src}.articles s WHERE articles.id = ? AND s.id = ?",
            [self.new, self.old],
        )
        conn.execute("DELETE FROM main.article_authors WHERE article_id = ?", [self.new])
        conn.execute("DELETE FROM main.images WHERE article_id = ?", [self.new])
        src = self.src
        conn.execute(
            "INSERT OR IGNORE INTO main.article_authors (article_id, author_id, position) "
            f"SELECT ?, au.new, s.position FROM {src}.article_authors s "
            "JOIN temp.author_map au ON au.old = s.author_id WHERE s.article_id = ?",
            [self.new, self.old],
        )
        images = self.merge._columns("images")
        conn.execute(
            f"INSERT INTO main.images (article_id, {images}) SELECT ?, "
            f"{SourceMerge._prefixed(images)} FROM {src}.images s WHERE s.article_id = ?",
            [self.new, self.old],
        )

    def _unite_revisions(self) -> None:
        """The source's revisions join the target's in time order. A revision is left out when
        the one before it in the united history has the same content (both sides fetched the
        page while it had not changed): the earliest capture of a content is kept, whichever
        side made it, so that the order of the sources does not matter."""
        conn, src = self.conn, self.src
        ours = conn.execute(
            "SELECT captured_at, content_hash, id FROM main.revisions WHERE article_id = ?",
            [self.new],
        ).fetchall()
        theirs = conn.execute(
            f"SELECT captured_at, content_hash, id FROM {src}.revisions WHERE article_id = ?",
            [self.old],
        ).fetchall()
        history = sorted(
            [(at, d, 0, i) for at, d, i in ours] + [(at, d, 1, i) for at, d, i in theirs]
        )
        kept, previous = [], None
        for _at, digest, from_source, revision in history:
            if digest != previous:
                kept.append((from_source, revision))
            previous = digest
        dropped = [(i,) for _, _, side, i in history if not side and (0, i) not in kept]
        if dropped:
            conn.executemany("DELETE FROM main.revision_paragraphs WHERE revision_id = ?", dropped)
            conn.executemany("DELETE FROM main.revisions WHERE id = ?", dropped)
        elif not any(from_source for from_source, _ in kept):
            return
        # numbers are unique per article: move them out of the way, then number in time order
        conn.execute("UPDATE main.revisions SET number = -number WHERE article_id = ?", [self.new])
        for number, (from_source, revision) in enumerate(kept, start=1):
            if from_source:
                self._copy_revision(revision, number)
            else:
                conn.execute(
                    "UPDATE main.revisions SET number = ? WHERE id = ?", [number, revision]
                )
        conn.execute(
            "UPDATE main.articles SET revision_count = ?, revision_id = (SELECT id FROM "
            "main.revisions WHERE article_id = ? ORDER BY number DESC LIMIT 1) WHERE id = ?",
            [len(kept), self.new, self.new],
        )

    def _copy_revision(self, revision: int, number: int) -> None:
        columns = self.merge._columns("revisions", own=_OWN | {"number"})
        cursor = self.conn.execute(
            f"INSERT INTO main.revisions (article_id, number, crawl_id, {columns}) SELECT ?, ?, "
            f"(SELECT new FROM temp.crawl_map WHERE old = s.crawl_id), "
            f"{SourceMerge._prefixed(columns)} FROM {self.src}.revisions s WHERE s.id = ?",
            [self.new, number, revision],
        )
        self.conn.execute(
            "INSERT INTO main.revision_paragraphs (revision_id, position, text) "
            f"SELECT ?, position, text FROM {self.src}.revision_paragraphs WHERE revision_id = ?",
            [cursor.lastrowid, revision],
        )
        self.merge.result.revisions_added += 1
