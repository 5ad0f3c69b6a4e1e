"""What the WARC tests share: a demo site of any size on 127.0.0.1, wget's WARC of it, and
WARC records written with warcio the way other archives write them."""

from __future__ import annotations

import copy
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver import Archive
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite

# What differs between two archives of the same pages: row ids, when they were stored, by which run.
RUN_COLUMNS = {
    "id",
    "crawl_id",
    "first_seen_at",
    "last_seen_at",
    "revision_id",
    "extractor_version",
}


def demo_site(articles: int) -> DemoSite:
    """The bundled demo site grown to `articles` article pages (its titled ones, copied under
    new slugs and titles)."""
    bundled = [a for a in DemoSite.bundled().articles if a.get("title")]
    grown = []
    for number in range(articles):
        article = copy.deepcopy(bundled[number % len(bundled)])
        if number >= len(bundled):
            article["slug"] = f"{article['slug']}-{number}"
            article["title"] = f"{article['title']} ({number})"
        grown.append(article)
    return DemoSite(grown)


def wget_warc(site: DemoSite, work: Path) -> Path:
    """wget's WARC of a whole site served on 127.0.0.1 (Debian's wget, as a user runs it)."""
    with DemoServer(site) as server:
        subprocess.run(
            ["wget", "-q", "-r", "-l", "inf", "--no-parent", "--delete-after",
             "--no-directories", "--warc-file", str(work / "site"), server.url],
            cwd=work, check=False, timeout=300,
        )  # fmt: skip
    return work / "site.warc.gz"


def response(
    writer: WARCWriter,
    uri: str,
    body: bytes,
    *,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    date: str = "2024-03-01T08:00:00Z",
    warc_headers: dict[str, str] | None = None,
) -> Any:
    """A response record as a crawler writes it."""
    http = StatusAndHeaders(
        status,
        [("Content-Type", content_type), ("Content-Length", str(len(body)))],
        protocol="HTTP/1.1",
    )
    return writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
        warc_headers_dict={"WARC-Date": date, **(warc_headers or {})},
    )  # fmt: skip


def demo_pages(site: DemoSite, base: str) -> Iterator[tuple[str, bytes]]:
    """(URL, body) of every article page of a demo site, rendered without a server."""
    for article in site.articles:
        path = site.article_path(article)
        yield base + path, site.render(path, base).body


def articles_of(path: Path) -> list[dict[str, Any]]:
    """An archive's articles as an export gives them, less what says which run stored them."""
    with Archive(path, read_only=True) as archive:
        return sorted(
            ({k: v for k, v in a.items() if k not in RUN_COLUMNS} for a in archive.iter_articles()),
            key=lambda a: a["canonical_url"],
        )
