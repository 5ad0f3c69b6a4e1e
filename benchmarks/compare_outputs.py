"""Write every article the extraction gives on a set of pages, one JSON line a page, so that two
versions of the code can be compared field for field (`diff` the two files, or --against).

The pages: the shared corpus (../shared/corpus), the test fixtures, the bundled demo site and a
generated site of benchmarks/sitegen.py. The page -> article chain is `archiver.read_article`,
the one the crawl, reparse, extract and eval use.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from archiver import read_article
from archiver.demo.site import DemoSite

ROOT = Path(__file__).resolve().parent.parent
FETCHED_AT = "2024-07-01T12:00:00+00:00"


def corpus_pages(corpus: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(corpus.rglob("*.gz")):
        yield str(path.relative_to(corpus)), gzip.decompress(path.read_bytes())


def fixture_pages() -> Iterator[tuple[str, bytes]]:
    for path in sorted((ROOT / "tests" / "fixtures").glob("*.html")):
        yield f"fixtures/{path.name}", path.read_bytes()


def demo_pages() -> Iterator[tuple[str, bytes]]:
    site = DemoSite.bundled()
    for article in site.articles:
        page = site.render(site.article_path(article))
        yield f"demo{site.article_path(article)}", page.body


def generated_pages(count: int) -> Iterator[tuple[str, bytes]]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from sitegen import generate_site

    with tempfile.TemporaryDirectory() as folder:
        site = generate_site(Path(folder), count)
        for path in site.article_paths:
            file = Path(folder) / path.lstrip("/")
            file = file / "index.html" if file.is_dir() else file
            yield f"generated{path}", file.read_bytes()


def page_url(name: str) -> str:
    return "https://" + name.split("/", 1)[-1].removesuffix(".gz").replace("/", "_") + ".fr/"


def output(name: str, body: bytes) -> dict:
    try:
        article = read_article(body, page_url(name), fetched_at=FETCHED_AT)
    except Exception as error:  # a crash is an output to compare too
        return {"page": name, "error": repr(error)}
    if article is None:
        return {"page": name, "article": None}
    fields = dataclasses.asdict(article)
    fields.pop("raw", None)
    return {"page": name, "article": fields}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="the JSON Lines file to write")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--generated", type=int, default=300, help="generated article pages")
    parser.add_argument("--against", type=Path, help="an earlier output to compare with")
    args = parser.parse_args()
    sources = [fixture_pages(), demo_pages(), generated_pages(args.generated)]
    if args.corpus.is_dir():
        sources.insert(0, corpus_pages(args.corpus))
    count = 0
    with args.out.open("w", encoding="utf-8") as out:
        for source in sources:
            for name, body in source:
                out.write(json.dumps(output(name, body), ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
    print(f"{count} pages written to {args.out}")
    if args.against:
        compare(args.against, args.out)


def compare(before: Path, after: Path) -> None:
    old = {json.loads(line)["page"]: line for line in before.open(encoding="utf-8")}
    changed = [
        json.loads(line)["page"]
        for line in after.open(encoding="utf-8")
        if old.get(json.loads(line)["page"]) != line
    ]
    print(f"{len(changed)} of {len(old)} pages differ" + "".join(f"\n  {p}" for p in changed[:20]))


if __name__ == "__main__":
    main()
