"""Export benchmark: 100,000 generated articles through `archiver export`, in a subprocess.

Reports seconds and peak RSS per format, beside a baseline measured in the same run: a bare
`SELECT * FROM articles` written as JSON Lines by the sqlite3 module (no nesting, no filters).
Run: .venv/bin/python benchmarks/bench_export.py [--articles N]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archiver.archive.store import Archive

WORDS = (
    "cinéma série musique jeu vidéo festival acteur actrice réalisateur saison épisode album "
    "concert tournée scénario plateforme sortie bande-annonce critique public succès studio"
).split()

BASELINE = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
cursor = conn.execute("SELECT * FROM articles")
names = [d[0] for d in cursor.description]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for row in cursor:
        out.write(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\\n")
"""

PEAK = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - started
print(code, seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def generate(path: Path, count: int, seed: int = 7) -> None:
    """A deterministic archive: articles of about 2 KB with two authors, an image, comments."""
    rng = random.Random(seed)
    with Archive(path) as archive:
        db = archive.db
        authors = [db["authors"].lookup({"name": f"Auteur {i}"}) for i in range(200)]
        with db.atomic():
            for start in range(0, count, 5000):
                articles, links, images, comments = [], [], [], []
                for article_id in range(start + 1, min(count, start + 5000) + 1):
                    body = "\n\n".join(" ".join(rng.choices(WORDS, k=60)) for _ in range(4))
                    names = [f"Auteur {rng.randrange(200)}"]
                    articles.append(
                        {
                            "id": article_id,
                            "url": f"https://exemple.test/a/{article_id}",
                            "canonical_url": f"https://exemple.test/a/{article_id}",
                            "site": f"site{article_id % 7}.test",
                            "title": " ".join(rng.choices(WORDS, k=8)),
                            "lead": " ".join(rng.choices(WORDS, k=25)),
                            "body": body,
                            "authors": json.dumps(names, ensure_ascii=False),
                            "tags": json.dumps(rng.sample(WORDS, 3), ensure_ascii=False),
                            "published_at": f"20{10 + article_id % 15}-0{1 + article_id % 9}-1{article_id % 9}T10:00:00+02:00",
                            "comment_count": 2,
                            "image_count": 1,
                        }
                    )
                    links.append(
                        {
                            "article_id": article_id,
                            "author_id": authors[article_id % 200],
                            "position": 1,
                        }
                    )
                    images.append(
                        {"article_id": article_id, "position": 1, "src": f"https://exemple.test/i/{article_id}.jpg",
                         "caption": "Une scène du film", "credit": "Netflix"}
                    )  # fmt: skip
                    for n in (1, 2):
                        comments.append(
                            {"article_id": article_id, "comment_id": f"c{n}", "parent_id": "c1" if n == 2 else None,
                             "author": "Lecteur", "text": " ".join(rng.choices(WORDS, k=20)), "position": n}
                        )  # fmt: skip
                db["articles"].insert_all(articles)
                db["article_authors"].insert_all(links)
                db["images"].insert_all(images)
                db["comments"].insert_all(comments)


def measure(command: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of a command run in its own process."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    if out[0] != "0":
        raise SystemExit(f"{command} failed")
    return float(out[1]), int(out[2]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    archiver = str(Path(sys.executable).with_name("archiver"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        generate(db, args.articles)
        print(f"generated {args.articles:,} articles in {time.perf_counter() - started:.1f} s")
        rows = [
            (
                "baseline: bare SELECT -> JSON Lines",
                *measure([sys.executable, "-c", BASELINE, str(db), f"{tmp}/base.jsonl"]),
            )
        ]
        for fmt in ("jsonl", "json", "csv"):
            rows.append(
                (f"archiver export --format {fmt}",
                 *measure([archiver, "export", "--format", fmt, "--db", str(db), "-o", f"{tmp}/out.{fmt}"]))
            )  # fmt: skip
        base_seconds = rows[0][1]
        print("\n| command | seconds | × baseline | peak RSS (MB) |\n| --- | --- | --- | --- |")
        for name, seconds, peak in rows:
            print(f"| {name} | {seconds:.1f} | {seconds / base_seconds:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
