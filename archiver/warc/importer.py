"""`archiver import`: WARC and ARC files into the archive, through the crawl's own extraction.

Each file is read record by record (reader.py); the HTML responses that pass the filters are
read on every core (pages.py) and stored in batches, each batch in one transaction with the
rows of the records that gave no article (`warc_records`) and the file's resume point
(`warc_files`). So an import stopped any way resumes after the last batch it committed, and a
bad record costs a row, never what was imported before it.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from archiver.archive.store import Archive, ArchiveError, SaveResult, utc_now
from archiver.items import Article, RawPage
from archiver.progress import LiveLine
from archiver.version import extractor_version
from archiver.warc.pages import PageJob, PageReaders, PageResult
from archiver.warc.reader import MAX_BODY, QUIET_TYPES, WarcEntry, is_html, read_entries

PAGE_TYPES = frozenset({"response", "resource"})
TABLES = {
    "warc_files": (
        {
            "source": str, "size": int, "resume_offset": int, "records": int, "pages": int,
            "articles": int, "failures": int, "filtered": int, "crawl_id": int,
            "started_at": str, "finished_at": str,
        },
        {"pk": "source"},
    ),
    "warc_records": (
        {
            "id": int, "source": str, "offset": int, "length": int, "record_id": str,
            "kind": str, "uri": str, "captured_at": str, "payload_digest": str, "status": int,
            "outcome": str, "detail": str, "sha256": str, "crawl_id": int,
        },
        {"pk": "id", "not_null": {"source", "offset", "outcome"}},
    ),
}  # fmt: skip


@dataclass
class ImportOptions:
    """What to take from the files, and how to read it; dates compare with the capture's."""

    site: str | None = None
    since: str | None = None
    until: str | None = None
    lang: str | None = None
    workers: int = 0  # one a core
    profiles_dir: str | None = None
    timezone: str = "Europe/Paris"
    max_body: int = MAX_BODY
    batch_size: int = 50


@dataclass
class ImportProgress:
    source: str
    records: int
    pages: int
    articles: int
    done_bytes: int
    size: int
    seconds: float


@dataclass
class ImportResult:
    files: int = 0
    already: int = 0  # files imported to the end before, not read again
    records: int = 0
    pages: int = 0
    filtered: int = 0
    stored: SaveResult = field(default_factory=SaveResult)
    outcomes: Counter[str] = field(default_factory=Counter)  # records that gave no article

    @property
    def failures(self) -> int:
        return sum(self.outcomes.values())

    def summary(self, db_path: str) -> str:
        """What `archiver import` prints at the end."""
        stored = self.stored
        lines = [
            f"Imported {self.files} files into {db_path}"
            + (f" ({self.already} imported before, not read again)" if self.already else ""),
            f"  records read     {self.records}",
            f"  pages read       {self.pages}",
            f"  articles stored  {stored.total} ({stored.new} new, {stored.changed} changed,"
            f" {stored.unchanged} unchanged)",
            f"  filtered out     {self.filtered}",
            f"  not articles     {self.failures} (see the warc_records table)",
        ]
        lines += [f"    {reason:<22} {count}" for reason, count in self.outcomes.most_common()]
        return "\n".join(lines)


def ensure_tables(archive: Archive) -> None:
    """The import's two tables, made once; the rest of the schema is the archive's."""
    db = archive.db
    if db["warc_records"].exists():
        return
    with archive.transaction():
        for name, (columns, options) in TABLES.items():
            db[name].create(columns, if_not_exists=True, **options)
        db["warc_records"].create_index(["source", "offset"], unique=True, if_not_exists=True)
        db["warc_records"].create_index(["payload_digest"], if_not_exists=True)


class Importer:
    """One import run: its row in `crawls`, the readers, and the batch not yet committed."""

    def __init__(
        self,
        archive: Archive,
        options: ImportOptions | None = None,
        progress: Callable[[ImportProgress], None] | None = None,
    ) -> None:
        self.archive = archive
        self.options = options or ImportOptions()
        self.progress = progress
        self.result = ImportResult()
        self.version = extractor_version()
        self.crawl_id: int | None = None
        self.articles: list[Article] = []
        self.rows: list[dict[str, object]] = []
        self.bodies: dict[str, bytes] = {}  # payload digest -> body, of the batch's articles

    def run(self, sources: list[tuple[str, Path]]) -> ImportResult:
        """Import each (name, path); a crawl row says how the run ended, stopped or not."""
        ensure_tables(self.archive)
        self.crawl_id = self.archive.start_crawl("import")
        reason = "interrupted"
        try:
            with PageReaders[WarcEntry](
                self.options.workers,
                profiles_dir=self.options.profiles_dir,
                timezone=self.options.timezone,
            ) as readers:
                for name, path in sources:
                    self.import_file(name, path, readers)
            reason = "finished"
        finally:
            self.archive.finish_crawl(self.crawl_id, reason, self.stats())
        return self.result

    def stats(self) -> dict[str, int]:
        """The counts as a crawl's stats name them, for `crawls` and `archiver status`."""
        result = self.result
        stats = {
            "response_received_count": result.records,
            "archiver/articles_stored": result.stored.total,
            "archiver/pages_skipped": result.outcomes.get("not_article", 0),
            "archiver/records_filtered": result.filtered,
        }
        for reason, count in result.outcomes.items():
            if reason != "not_article":
                stats[f"archiver/failures/{reason}"] = count
        return stats

    def import_file(self, name: str, path: Path, readers: PageReaders[WarcEntry]) -> None:
        size = path.stat().st_size
        start = self._resume_point(name, size)
        if start is None:
            self.result.already += 1
            return
        self.result.files += 1
        counts = Counter[str]()
        began = time.monotonic()
        with path.open("rb") as fh:
            entries = read_entries(fh, start, wanted=self._wanted, max_body=self.options.max_body)
            for entry, page in readers.read(self._jobs(entries)):
                self._settle(entry, page, readers, counts)
                if len(self.rows) >= self.options.batch_size:
                    self._commit(name, entry.offset + entry.length, counts)
                if self.progress is not None:
                    self.progress(
                        ImportProgress(
                            name, counts["records"], counts["pages"], counts["articles"],
                            fh.tell(), size, time.monotonic() - began,
                        )
                    )  # fmt: skip
            self._commit(name, size, counts, finished=True)

    def _resume_point(self, name: str, size: int) -> int | None:
        """Where to start reading `name`: after what a run before committed, from the start
        for a new file or one whose size changed; None when it was imported to its end."""
        row = self.archive.db.execute(
            "SELECT size, resume_offset, finished_at FROM warc_files WHERE source = ?", [name]
        ).fetchone()
        if row is None or row[0] != size:
            with self.archive.transaction():
                self.archive.db["warc_files"].upsert(
                    {
                        "source": name, "size": size, "resume_offset": 0, "records": 0,
                        "pages": 0, "articles": 0, "failures": 0, "filtered": 0,
                        "crawl_id": self.crawl_id, "started_at": utc_now(), "finished_at": None,
                    },
                    pk="source",
                )  # fmt: skip
            return 0
        return None if row[2] else int(row[1] or 0)

    # -- which records become pages ----------------------------------------------------------

    def _passes(self, entry: WarcEntry) -> bool:
        """The filters, on what the headers (or the page's <html lang>) say."""
        options = self.options
        if options.site:
            host = (urlsplit(entry.uri or "").hostname or "").lower()
            site = options.site.lower()
            if host != site and not host.endswith("." + site):
                return False
        if options.since and (entry.date or "") < options.since:
            return False
        if options.until and (entry.date or "") >= options.until:
            return False
        return not (options.lang and entry.language and entry.language != options.lang)

    def _wanted(self, entry: WarcEntry) -> bool:
        """Whether a record's payload is worth reading: a page of the filters' choosing."""
        return (
            entry.kind in PAGE_TYPES
            and 200 <= (entry.status or 0) < 300
            and "html" in (entry.content_type or "html").lower()
            and self._passes(entry)
        )

    def _jobs(self, entries: Iterator[WarcEntry]) -> Iterator[tuple[WarcEntry, PageJob | None]]:
        """Each record that counts, with the page to read when it is one to read."""
        for entry in entries:
            if entry.kind in QUIET_TYPES and entry.problem is None:
                continue
            job = None
            if entry.problem is None and entry.body is not None and self._passes(entry):
                if is_html(entry):
                    job = PageJob(entry.body, entry.content_type, entry.uri or "", entry.date)
            yield entry, job

    # -- what became of each record ----------------------------------------------------------

    def _settle(
        self,
        entry: WarcEntry,
        page: PageResult | None,
        readers: PageReaders[WarcEntry],
        counts: Counter[str],
    ) -> None:
        """An article for the batch, or a row saying why the record gave none."""
        counts["records"] += 1
        self.result.records += 1
        if entry.problem is None and entry.kind == "revisit":
            if not self._passes(entry):
                return self._filtered(counts)
            page, why = self._revisit(entry, readers)
            if page is None:
                return self._record(entry, *why)
        if page is None:
            if entry.problem:
                return self._record(entry, entry.problem, entry.detail)
            if not self._passes(entry):
                return self._filtered(counts)
            return self._record(entry, *self._not_a_page(entry))
        counts["pages"] += 1
        self.result.pages += 1
        if page.error is not None:
            return self._record(entry, "extraction_error", page.error)
        if page.article is None:
            return self._record(entry, "not_article", None)
        if not page.article.title:
            return self._record(
                entry, "missing_title", "no title found in JSON-LD, OpenGraph, <h1> or <title>"
            )
        counts["articles"] += 1
        self._add_article(entry, page.article)

    def _filtered(self, counts: Counter[str]) -> None:
        counts["filtered"] += 1
        self.result.filtered += 1

    def _not_a_page(self, entry: WarcEntry) -> tuple[str, str | None]:
        if entry.status is not None and not 200 <= entry.status < 300:
            return f"http_{entry.status}", None
        if entry.body is not None and not entry.body.strip():
            return "empty_body", None
        return "not_html", entry.content_type

    def _revisit(
        self, entry: WarcEntry, readers: PageReaders[WarcEntry]
    ) -> tuple[PageResult | None, tuple[str, str | None]]:
        """A revisit read as the payload it points at: the body of the article stored from
        it, or the outcome of the record that had it."""
        digest = entry.payload_digest
        original = f"revisit of {entry.refers_to or 'a record'} ({digest})"
        body = self.bodies.get(digest or "")
        if body is None and digest:
            row = self.archive.db.execute(
                "SELECT outcome, sha256 FROM warc_records WHERE payload_digest = ? "
                "AND kind != 'revisit' ORDER BY outcome != 'article' LIMIT 1",
                [digest],
            ).fetchone()
            if row is None:
                return None, ("revisit_unresolved", f"{original}: no such record imported")
            if row[1] is None:
                return None, (row[0], original)
            try:
                body = self.archive.raw_body(row[1])
            except ArchiveError as error:
                return None, ("revisit_unresolved", f"{original}: {error}")
        if body is None:
            return None, ("revisit_unresolved", f"{original}: no such record imported")
        entry.body = body
        job = PageJob(body, entry.content_type, entry.uri or "", entry.date)
        return readers.read_here(job), ("", None)

    def _add_article(self, entry: WarcEntry, article: Article) -> None:
        body = entry.body or b""
        article.requested_url = entry.uri
        if entry.truncated:
            article.parse_warnings["truncated"] = f"the capture was cut short ({entry.truncated})"
        article.raw = RawPage(
            url=entry.uri or article.url, body=body, final_url=entry.uri,
            status=entry.status or 200, content_type=entry.content_type,
            last_modified=entry.last_modified, etag=entry.etag, fetched_at=entry.date,
        )  # fmt: skip
        self.articles.append(article)
        if entry.payload_digest:
            self.bodies[entry.payload_digest] = body
        self._record(entry, "article", None, hashlib.sha256(body).hexdigest())

    def _record(
        self, entry: WarcEntry, outcome: str, detail: str | None, sha256: str | None = None
    ) -> None:
        if outcome != "article":
            self.result.outcomes[outcome] += 1
        self.rows.append(
            {
                "offset": entry.offset, "length": entry.length, "record_id": entry.record_id,
                "kind": entry.kind, "uri": entry.uri, "captured_at": entry.date,
                "payload_digest": entry.payload_digest, "status": entry.status,
                "outcome": outcome, "detail": detail, "sha256": sha256,
                "crawl_id": self.crawl_id,
            }
        )  # fmt: skip

    def _commit(self, name: str, resume: int, counts: Counter[str], finished: bool = False) -> None:
        """The batch's articles, its records' rows and the file's resume point, all at once."""
        archive = self.archive
        with archive.transaction():
            if self.articles:
                saved = archive.save_articles(
                    self.articles, self.crawl_id, extractor_version=self.version
                )
                for outcome in ("new", "changed", "unchanged"):
                    value = getattr(self.result.stored, outcome) + getattr(saved, outcome)
                    setattr(self.result.stored, outcome, value)
            rows = [{"source": name, **row} for row in self.rows]
            archive.db["warc_records"].insert_all(rows, replace=True)
            archive.db.execute(
                "UPDATE warc_files SET resume_offset = ?, records = records + ?, "
                "pages = pages + ?, articles = articles + ?, failures = failures + ?, "
                "filtered = filtered + ?, finished_at = ? WHERE source = ?",
                [
                    resume, counts["records"] - counts["committed_records"],
                    counts["pages"] - counts["committed_pages"],
                    counts["articles"] - counts["committed_articles"],
                    sum(row["outcome"] != "article" for row in self.rows),
                    counts["filtered"] - counts["committed_filtered"],
                    utc_now() if finished else None, name,
                ],
            )  # fmt: skip
        for key in ("records", "pages", "articles", "filtered"):
            counts[f"committed_{key}"] = counts[key]
        self.articles, self.rows, self.bodies = [], [], {}


class ImportSourceError(ValueError):
    """A file or pattern that names nothing to import, worded for the user."""


@contextlib.contextmanager
def import_sources(patterns: list[str]) -> Iterator[list[tuple[str, Path]]]:
    """Each file the patterns name (paths, globs, "-" for stdin), as (name, path): a file's
    name is its resolved path, which its resume point is kept under. Stdin is copied to a
    temporary file first, so that a broken record can be stepped over there too."""
    with contextlib.ExitStack() as stack:
        sources: list[tuple[str, Path]] = []
        for pattern in patterns:
            if pattern == "-":
                spool = stack.enter_context(tempfile.NamedTemporaryFile(suffix=".warc"))
                digest = hashlib.sha1()
                while block := sys.stdin.buffer.read(1 << 20):
                    digest.update(block)
                    spool.write(block)
                spool.flush()
                sources.append((f"stdin:{digest.hexdigest()[:20]}", Path(spool.name)))
                continue
            paths = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
            files = [Path(p) for p in paths if Path(p).is_file()]
            if not files:
                raise ImportSourceError(f"{pattern}: no such file")
            sources.extend((str(path.resolve()), path) for path in files)
        yield sources


def run_import(
    db_path: str, sources: list[tuple[str, Path]], options: ImportOptions, stream: TextIO
) -> ImportResult:
    """An import with its progress on one live line of `stream` when it is a terminal."""
    line = LiveLine(stream)

    def show(progress: ImportProgress) -> None:
        share = progress.done_bytes / progress.size if progress.size else 0.0
        rate = progress.pages / progress.seconds if progress.seconds else 0.0
        left = progress.seconds * (1 - share) / share if share else 0.0
        line.show(
            f"{Path(progress.source).name}: {progress.records} records, {progress.articles} "
            f"articles, {rate:.0f} pages/s, {100 * share:.0f}%, {left:.0f} s left"
        )

    try:
        with Archive(db_path) as archive:
            return Importer(archive, options, show if line.live else None).run(sources)
    finally:
        line.clear()
