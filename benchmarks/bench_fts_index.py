"""What keeping the full-text index whole costs: an insert trigger against indexing on open.

    .venv/bin/python benchmarks/bench_fts_index.py [--articles 2000] [--rounds 3]

Saves generated articles (the demo site's paragraphs, shuffled, with a few words of their own;
no raw pages) through Archive.save_articles in batches of 50, as a crawl does, and prints the
CPU milliseconds an article:

- save: as the archive stores them, each new article indexed in the insert's transaction;
- save with trigger: the same with sqlite-utils' AFTER INSERT trigger indexing instead;
- catch-up: the same rows added with plain SQL, then indexed when the archive is next opened;
- open: opening the archive up to date, read-only (as `archiver query` does) and for writing,
  the check for rows the index lacks included.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archiver.archive import store  # noqa: E402
from archiver.archive.schema import FTS_COLUMNS  # noqa: E402
from archiver.items import Article  # noqa: E402

BATCH_SIZE = 50
COLUMNS = ", ".join(FTS_COLUMNS)


def generated_articles(count: int) -> list[Article]:
    content = json.loads((REPO / "archiver/demo/content/articles.json").read_text("utf-8"))
    paragraphs = [p for article in content for p in article["paragraphs"]]
    titles = [article["title"] for article in content if article["title"]]
    rnd = random.Random(1)
    articles = []
    for n in range(count):
        own = f"Épisode {n} tourné à {rnd.choice(['Lyon', 'Nantes', 'Lille'])} {rnd.random():.6f}"
        url = f"https://bench.test/articles/{n}.html"
        articles.append(
            Article(
                url=url, canonical_url=url, site="bench.test", title=f"{rnd.choice(titles)} {n}",
                lead=rnd.choice(paragraphs), body="\n\n".join([*rnd.sample(paragraphs, 7), own]),
                authors=[rnd.choice(["Léa Martin", "Paul Roy", "Anne Lefèvre"])],
                published_at=f"2024-01-{n % 28 + 1:02d}T10:00:00+01:00",
            )
        )  # fmt: skip
    return articles


@contextmanager
def cpu(label: str, count: int) -> Iterator[None]:
    started = time.process_time()
    yield
    print(f"  {label:<22} {(time.process_time() - started) * 1000 / count:.3f} ms an article")


def save(path: Path, articles: list[Article], *, trigger: bool) -> None:
    with store.Archive(path) as archive:
        if trigger:  # what the archive had before schema 6
            archive.db.execute(
                f"CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN INSERT INTO "
                f"articles_fts (rowid, {COLUMNS}) VALUES "
                f"(new.rowid, {', '.join(f'new.{c}' for c in FTS_COLUMNS)}); END"
            )
            archive._index_new = lambda *_: None  # type: ignore[method-assign]
        crawl = archive.start_crawl("bench")
        with cpu("save with trigger" if trigger else "save", len(articles)):
            for start in range(0, len(articles), BATCH_SIZE):
                archive.save_articles(articles[start : start + BATCH_SIZE], crawl)
        archive.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")


def catch_up(saved: Path, path: Path, count: int) -> None:
    """The saved rows copied into a new archive with plain SQL, as sqlite-utils or Datasette
    would add them: no index, until the archive is next opened."""
    store.Archive(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ATTACH DATABASE ? AS saved", [str(saved)])
    conn.execute("INSERT INTO articles SELECT * FROM saved.articles")
    assert not conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
    conn.close()
    with cpu("catch-up on open", count):
        store.Archive(path).close()
    with store.Archive(path) as archive:
        archive.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        assert len(archive.search("Lyon OR Nantes OR Lille", limit=count)) == count


def opens(path: Path, rounds: int = 20) -> None:
    for read_only in (True, False):
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            store.Archive(path, read_only=read_only).close()
            times.append(time.perf_counter() - started)
        label = "open read-only" if read_only else "open for writing"
        print(f"  {label:<22} {sorted(times)[rounds // 2] * 1000:.2f} ms (median wall)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    articles = generated_articles(args.articles)
    with tempfile.TemporaryDirectory() as work:
        for n in range(args.rounds):
            print(f"round {n + 1}, {args.articles} articles")
            for trigger in (False, True):
                save(Path(work) / f"{n}-{trigger}.db", articles, trigger=trigger)
            catch_up(Path(work) / f"{n}-False.db", Path(work) / f"{n}-copy.db", args.articles)
            opens(Path(work) / f"{n}-False.db")


if __name__ == "__main__":
    main()
