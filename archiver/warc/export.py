"""`archiver export --format warc`: the stored raw pages of the selected articles, as WARC.

Each fetch with a raw page becomes a `response` record: its URL, its fetch time, the headers
the archive kept (Content-Type, Last-Modified, ETag) and the payload digest, so that replay
tools (pywb, ReplayWeb.page) and indexers read it. A later fetch of the same article that
found the same bytes becomes a `revisit` record pointing at the first. Written to a temporary
file renamed at the end, like the other formats.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from archiver.archive.export import atomic_file
from archiver.archive.store import Archive, ArticleFilter
from archiver.warc.records import iso_warc_date, response_headers, warc_writer, warcinfo


@dataclass
class StoredFetch:
    url: str
    status: int
    content_type: str | None
    last_modified: str | None
    etag: str | None
    fetched_at: str | None
    sha256: str
    first_url: str | None  # for a revisit: the article's first fetch of the same bytes
    first_at: str | None


def stored_fetches(archive: Archive, where: ArticleFilter) -> Iterator[StoredFetch]:
    """The selected articles' fetches that kept their page, in the order they were made."""
    clauses, params = where.conditions()
    clauses.append("fetches.sha256 IS NOT NULL")
    rows = archive.db.execute(
        "SELECT coalesce(fetches.final_url, fetches.url), coalesce(fetches.status, 200), "
        "fetches.content_type, fetches.last_modified, fetches.etag, fetches.fetched_at, "
        "fetches.sha256, first.final_url, first.fetched_at "
        "FROM fetches JOIN articles ON articles.id = fetches.article_id "
        "LEFT JOIN fetches AS first ON first.id = (SELECT min(f.id) FROM fetches AS f "
        "  WHERE f.article_id = fetches.article_id AND f.sha256 = fetches.sha256) "
        "  AND first.id != fetches.id "
        f"WHERE {' AND '.join(clauses)} ORDER BY fetches.fetched_at, fetches.id",
        params,
    )
    for row in rows:
        yield StoredFetch(*row)


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest of a body, as warcio writes it (SHA-1, base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def export_warc(archive: Archive, where: ArticleFilter, output: Path) -> int:
    """Write the selection's raw pages to `output` (gzipped WARC/1.1); how many records."""
    count = 0
    with atomic_file(output, "wb") as out:
        writer = warc_writer(out)
        warcinfo(writer, output.name, {"description": "archiver export of stored raw pages"})
        for fetch in stored_fetches(archive, where):
            body = archive.raw_body(fetch.sha256)
            if body is not None:
                writer.write_record(_record(writer, fetch, body))
                count += 1
    return count


def _record(writer: WARCWriter, fetch: StoredFetch, body: bytes) -> ArcWarcRecord:
    """A response record for a fetch, or a revisit for bytes the article had before."""
    headers = [("Content-Type", fetch.content_type or "text/html")]
    headers += [(name, value) for name, value in
                (("Last-Modified", fetch.last_modified), ("ETag", fetch.etag)) if value]  # fmt: skip
    headers.append(("Content-Length", str(len(body))))
    http = response_headers(fetch.status, headers)
    warc_headers = {"WARC-Date": iso_warc_date(fetch.fetched_at)}
    if fetch.first_url is not None:
        return writer.create_revisit_record(
            fetch.url, payload_digest(body), fetch.first_url, iso_warc_date(fetch.first_at),
            http_headers=http, warc_headers_dict=warc_headers,
        )  # fmt: skip
    return writer.create_warc_record(
        fetch.url, "response", payload=io.BytesIO(body), length=len(body),
        http_headers=http, warc_headers_dict=warc_headers,
    )  # fmt: skip
