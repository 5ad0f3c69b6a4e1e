"""Merge benchmark: articles a second that `archiver merge` unites, on node archives it makes.

    .venv/bin/python benchmarks/bench_merge.py [--articles 200000] [--nodes 2] [--overlap 0.05]

Writes `--nodes` archives through Archive.save_articles (as a crawl does, in batches of 50): the
articles are spread over the nodes, and a share `--overlap` of them is fetched by two nodes,
the second time a day later with a changed title (so that merging unites two revisions). Each
article has about 3 KB of text, two authors from a pool of 400, two comments, one image and a
raw page of about 12 KB. Then it merges them into a new archive (`-o`), and again `--into` it
(which adds nothing), and prints the wall time and articles read a second of each.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archiver.archive.merge import merge_archives  # noqa: E402
from archiver.archive.store import Archive  # noqa: E402
from archiver.items import Article, Comment, Image, RawPage  # noqa: E402

WORDS = (
    "cinéma festival série acteur actrice réalisateur scénario tournage première bande "
    "annonce saison épisode plateforme concert album tournée spectacle scène critique public"
).split()


def _article(number: int, rng: random.Random, fetched_at: str, title: str | None = None) -> Article:
    url = f"https://www.site-{number % 50}.test/articles/{number}.html"
    body = "\n\n".join(" ".join(rng.choices(WORDS, k=60)) for _ in range(6))
    authors = [f"Auteur {rng.randrange(400)}", f"Autrice {rng.randrange(400)}"]
    return Article(
        url=url, canonical_url=url, site=url.split("/")[2], title=title or f"Article {number}",
        body=body, authors=authors, published_at="2024-05-01T10:00:00+02:00", fetched_at=fetched_at,
        images=[Image(src=f"{url}.jpg", caption="Photo", credit="AFP")],
        comments=[Comment(id=f"{number}-{i}", text=" ".join(rng.choices(WORDS, k=20))) for i in range(2)],
        raw=RawPage(url=url, body=(body * 4).encode() + str(number).encode(), fetched_at=fetched_at),
    )  # fmt: skip


def write_nodes(folder: Path, articles: int, nodes: int, overlap: float) -> list[Path]:
    rng = random.Random(7)
    paths = [folder / f"node{i}.db" for i in range(nodes)]
    batches: list[list[Article]] = [[] for _ in paths]
    archives = [Archive(p) for p in paths]
    crawls = [a.start_crawl("news") for a in archives]
    for number in range(articles):
        node = number % nodes
        batches[node].append(_article(number, rng, "2024-06-01T10:00:00+00:00"))
        if rng.random() < overlap:  # fetched again by the next node, a day later, changed
            other = (node + 1) % nodes
            again = _article(
                number, rng, "2024-06-02T10:00:00+00:00", f"Article {number} (mis à jour)"
            )
            batches[other].append(again)
        for index, batch in enumerate(batches):
            if len(batch) >= 50:
                archives[index].save_articles(batch, crawls[index])
                batch.clear()
    for archive, batch, crawl in zip(archives, batches, crawls, strict=True):
        archive.save_articles(batch, crawl)
        archive.finish_crawl(crawl, "finished", {})
        archive.close()
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--overlap", type=float, default=0.05)
    parser.add_argument("--dir", type=Path, help="Where to write the archives [a temp dir].")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench-merge-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    paths = write_nodes(folder, args.articles, args.nodes, args.overlap)
    size = sum(p.stat().st_size for p in paths) / 1e6
    print(f"wrote {args.nodes} node archives, {size:.0f} MB, in {time.monotonic() - started:.0f} s")
    target = folder / "all.db"
    for label, into in (("merge -o (new archive)", False), ("merge --into again (no-op)", True)):
        result = merge_archives(paths, target, into=into)
        print(
            f"{label}: {result.articles} articles read ({result.articles_new} new, "
            f"{result.articles_updated} updated, {result.articles_kept} kept), "
            f"{result.revisions_added} revisions added, {result.seconds:.1f} s, "
            f"{result.articles / result.seconds:,.0f} articles/s"
        )
    print(f"target {target.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
