"""`archiver serve` on a generated archive of 200,000 articles: median and p95 response time of
the article page, a one-word search, a two-word search with a site filter, and the home page,
each fetched over HTTP from the real command as a browser would, one request at a time.

The text is drawn from the demo site's own words with Zipf-like frequencies, so that a search
word matches a realistic share of the archive rather than every article.
Run: .venv/bin/python benchmarks/bench_serve.py [--articles N] [--requests N] [--keep FILE]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from archiver.archive.store import Archive
from archiver.demo.site import DemoSite

SITES = [f"www.site{n}.test" for n in range(8)]
SECTIONS = ["Cinéma", "Séries", "Musique", "Jeux vidéo"]


def vocabulary() -> list[str]:
    """The demo's words, most frequent first."""
    text = " ".join(
        " ".join([a["title"] or "", a["lead"], *a["paragraphs"]])
        for a in DemoSite.bundled().articles
    )
    counts = Counter(w.lower() for w in re.findall(r"\w{3,}", text))
    return [word for word, _ in counts.most_common()]


def generate(path: Path, count: int, seed: int = 11) -> None:
    """A deterministic archive: 400 authors, 8 sites, tags, an image and two comments each."""
    rng = random.Random(seed)
    words = vocabulary()
    weights = [1 / (rank + 10) for rank in range(len(words))]

    def text(k: int) -> str:
        return " ".join(rng.choices(words, weights, k=k))

    with Archive(path) as archive:
        db = archive.db
        author_ids = [
            db["authors"].lookup({"name": f"Auteur {i}", "key": f"auteur {i}"}) for i in range(400)
        ]
        with db.atomic():
            for start in range(1, count + 1, 5000):
                rows, links, images, comments = [], [], [], []
                for article_id in range(start, min(count, start + 4999) + 1):
                    author = rng.randrange(400)
                    day = rng.randrange(15 * 365)
                    published = time.strftime(
                        "%Y-%m-%dT%H:%M:00+02:00",
                        time.gmtime(1262304000 + day * 86400 + rng.randrange(86400)),
                    )
                    rows.append({
                        "id": article_id, "url": f"https://{SITES[article_id % 8]}/a/{article_id}",
                        "canonical_url": f"https://{SITES[article_id % 8]}/a/{article_id}",
                        "site": SITES[article_id % 8], "title": text(9).capitalize(), "lead": text(30),
                        "body": "\n\n".join(text(70) for _ in range(4)),
                        "authors": json.dumps([f"Auteur {author}"]), "section": SECTIONS[article_id % 4],
                        "tags": json.dumps(rng.sample(words[:300], 3), ensure_ascii=False),
                        "published_at": published, "comment_count": 2, "image_count": 1,
                        "revision_count": 1, "first_seen_at": published, "last_seen_at": published,
                        "field_sources": json.dumps({"title": "json-ld", "authors": "byline"}),
                    })  # fmt: skip
                    links.append(
                        {"article_id": article_id, "author_id": author_ids[author], "position": 1}
                    )
                    images.append(
                        {
                            "article_id": article_id,
                            "position": 1,
                            "src": f"https://img.test/{article_id}.jpg",
                            "caption": "Une scène",
                            "credit": "Studio",
                            "caption_raw": "Une scène / Studio",
                        }
                    )
                    comments += [
                        {"article_id": article_id, "comment_id": f"c{n}", "parent_id": "c1" if n == 2 else None,
                         "author": "Lecteur", "text": text(25), "position": n}
                        for n in (1, 2)
                    ]  # fmt: skip
                db["articles"].insert_all(rows)
                db["article_authors"].insert_all(links)
                db["images"].insert_all(images)
                db["comments"].insert_all(comments)
    with Archive(path):  # indexes the rows for search, as any later open would
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch_times(port: int, paths: list[str]) -> list[float]:
    """Milliseconds for each path, over one keep-alive connection as a browser keeps it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    for path in paths:
        started = time.perf_counter()
        conn.request("GET", quote(path, safe="/?=&+"))
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
    conn.close()
    return times


def cases(articles: int, requests: int, seed: int = 3) -> dict[str, list[str]]:
    rng = random.Random(seed)
    words = vocabulary()
    # words that match a share of the archive, as a name or a title does (1-10% of it), and
    # among the 50 commonest, which match most of it ("avait", "depuis")
    middle, common = words[150:1500], words[30:80]
    return {
        "article page": [f"/article/{rng.randint(1, articles)}" for _ in range(requests)],
        "search, one word": [f"/search?q={rng.choice(middle)}" for _ in range(requests)],
        "search, two words + site": [
            f"/search?q={rng.choice(middle)}+{rng.choice(middle)}&site={rng.choice(SITES)}"
            for _ in range(requests)
        ],
        "home page": ["/"] * requests,
        "search, one common word": [f"/search?q={rng.choice(common)}" for _ in range(requests)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="Generate into (or reuse) this file.")
    options = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = options.keep or Path(folder.name) / "bench.db"
    if not path.exists():
        started = time.perf_counter()
        generate(path, options.articles)
        print(f"generated {options.articles} articles in {time.perf_counter() - started:.0f} s, "
              f"{path.stat().st_size / 1e6:.0f} MB", file=sys.stderr)  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("archiver")), "serve", "--db", str(path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch_times(port, ["/index.json"])
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        print("| page | median ms | p95 ms |\n| --- | --- | --- |")
        for name, paths in cases(options.articles, options.requests).items():
            fetch_times(port, paths[:5])  # warm the page cache and the threads
            times = sorted(fetch_times(port, paths))
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} |")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
