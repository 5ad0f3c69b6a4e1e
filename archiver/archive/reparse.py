"""Re-run extraction and normalization over the raw pages already in the archive, offline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from archiver.archive.store import Archive, ArchiveError, ArticleFilter, content_hash
from archiver.extract.read import ArticleReader
from archiver.items import Article
from archiver.version import extractor_version


@dataclass
class ReparseResult:
    reparsed: int = 0
    content_changed: int = 0
    no_longer_articles: int = 0
    failed: int = 0
    without_raw: int = 0


def reparse(
    archive: Archive,
    where: ArticleFilter | None = None,
    *,
    reader: ArticleReader | None = None,
    version: str | None = None,
    batch_size: int = 100,
    progress: Callable[[int, int], None] | None = None,
) -> ReparseResult:
    """Rebuild every selected article from its stored raw page and update it in place.
    `progress` is told after each article how many are done, of how many."""
    reader = reader or ArticleReader()
    version = version or extractor_version()
    clause, params = (where or ArticleFilter()).sql()
    rows = archive.db.execute(
        "SELECT articles.canonical_url, articles.raw_sha256, articles.content_hash, fetches.url, "
        "fetches.final_url, fetches.content_type, fetches.fetched_at "
        f"FROM articles LEFT JOIN fetches ON fetches.id = ("
        "  SELECT max(id) FROM fetches WHERE fetches.article_id = articles.id"
        f"){clause} ORDER BY articles.id",
        params,
    ).fetchall()
    result = ReparseResult()
    batch: list[Article] = []
    for done, row in enumerate(rows):
        if progress is not None:
            progress(done, len(rows))
        canonical_url, sha256, old_hash, url, final_url, content_type, fetched_at = row
        try:
            body = archive.raw_body(sha256) if sha256 else None
        except ArchiveError:  # a raw page this archiver cannot read: counted, the others go on
            result.failed += 1
            continue
        if body is None:
            result.without_raw += 1
            continue
        try:
            article = reader.read(
                body, final_url or url, content_type=content_type, fetched_at=fetched_at
            )
        except Exception:  # one page the new extractor cannot read must not stop the others
            result.failed += 1
            continue
        if article is None or not article.title:
            result.no_longer_articles += 1
            continue
        article.canonical_url = canonical_url  # the row to update, whatever the page now says
        result.reparsed += 1
        result.content_changed += content_hash(article) != old_hash
        batch.append(article)
        if len(batch) >= batch_size:
            archive.save_articles(batch, extractor_version=version, reparse=True)
            batch = []
    if batch:
        archive.save_articles(batch, extractor_version=version, reparse=True)
    return result
