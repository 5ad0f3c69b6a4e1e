"""Instructions a page for each stage of the pipeline, counted by valgrind: figures that do not
drift with the machine, for changes too small for the crawl benchmark's timings to show.

Run from the repository root (as root, since valgrind is installed when missing):
    .venv/bin/python benchmarks/bench_instructions.py [--pages 50]

Each stage runs in a child process under `valgrind --tool=cachegrind --cache-sim=no`, twice:
once on N generated article pages, once on none. Both runs import the same modules and read one
other page first, so that their difference over N is the stage's own cost a page, start-up left
out. The inputs are made beforehand, outside valgrind, and handed over in a pickle:
- read: `read_page`, what the extraction worker does to a page (decode, parse, links, extract);
- worker: the worker process itself, fed the pages as the crawl sends them (the above, and the
  pickles both ways);
- normalize: `normalize_article` of the extracted articles;
- store: `Archive.save_articles` of the normalized articles with their raw pages, in batches of
  50, into a fresh archive.
Counts differ from the crawl's by what valgrind's CPU lacks: SHA-256 runs without the SHA
instructions under it, so storage counts more than it costs.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
STAGES = ("read", "worker", "normalize", "store")
FETCHED_AT = "2026-11-26T10:00:00+00:00"
BATCH_SIZE = 50


def ensure_valgrind() -> str:
    found = shutil.which("valgrind")
    if found:
        return found
    print("installing valgrind (apt-get)...", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "valgrind"], check=True)
    return shutil.which("valgrind") or "valgrind"


def make_inputs(pages: int, work: Path) -> None:
    """The pages, then the articles at each stage's door, pickled for the children."""
    sys.path[:0] = [str(REPO), str(HERE)]
    from sitegen import generate_site

    from archiver.crawl.reading import frame, read_page
    from archiver.extract.read import ArticleReader
    from archiver.items import RawPage
    from archiver.normalize.article import normalize_article
    from archiver.normalize.dates import FrenchDates

    site = generate_site(work / "site", pages + 1)
    paths = site.article_paths[: pages + 1]
    bodies = [(site.root / p.lstrip("/")).read_bytes() for p in paths]
    urls = ["http://127.0.0.1:8000" + p for p in paths]
    reader = ArticleReader()
    extracted = [
        read_page(body, "text/html; charset=utf-8", url, reader, FETCHED_AT).article
        for body, url in zip(bodies, urls, strict=True)
    ]
    normalized = pickle.loads(pickle.dumps(extracted))
    dates = FrenchDates("Europe/Paris")
    for article, body, url in zip(normalized, bodies, urls, strict=True):
        normalize_article(article, dates)
        article.requested_url = url
        article.raw = RawPage(url=url, body=body, final_url=url, fetched_at=FETCHED_AT)
    inputs = {"pages": list(zip(bodies, urls, strict=True)), "extracted": extracted}
    inputs["normalized"] = normalized
    (work / "inputs.pickle").write_bytes(pickle.dumps(inputs))
    for count in (0, pages):  # the worker's stdin: the warm-up page, then `count` pages
        with (work / f"frames-{count}").open("wb") as out:
            for body, url in inputs["pages"][: count + 1]:
                out.writelines(frame((body, "text/html; charset=utf-8", url, FETCHED_AT)))


def child(stage: str, count: int, work: Path) -> None:
    """One stage on `count` pages, after the same warm-up whatever `count` is."""
    import gc

    sys.path.insert(0, str(REPO))
    from archiver.archive.store import Archive
    from archiver.crawl.reading import read_page
    from archiver.extract.read import ArticleReader
    from archiver.normalize.article import normalize_article
    from archiver.normalize.dates import FrenchDates

    inputs: dict[str, Any] = pickle.loads((work / "inputs.pickle").read_bytes())
    gc.freeze()  # as the crawl does (archiver.crawl.collector)
    gc.set_threshold(5000, *gc.get_threshold()[1:])
    if stage == "read":
        reader = ArticleReader()
        for body, url in inputs["pages"][: count + 1]:
            read_page(body, "text/html; charset=utf-8", url, reader, FETCHED_AT)
    elif stage == "normalize":
        dates = FrenchDates("Europe/Paris")
        for article in inputs["extracted"][: count + 1]:
            normalize_article(article, dates)
    elif stage == "store":
        articles = inputs["normalized"]
        with Archive(Path(tempfile.mkdtemp(dir=work)) / "archive.db") as archive:
            crawl = archive.start_crawl("bench")
            archive.save_articles(articles[:1], crawl)
            for start in range(1, count + 1, BATCH_SIZE):
                archive.save_articles(articles[start : min(start + BATCH_SIZE, count + 1)], crawl)


def instructions(valgrind: str, command: list[str], stdin: Path | None = None) -> int:
    run = subprocess.run(
        [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        + command,
        stdin=stdin.open("rb") if stdin else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},  # this checkout, as the crawl's worker
        check=True,
    )
    found = re.findall(r"I\s+refs:\s+([\d,]+)", run.stderr)
    return int(found[0].replace(",", ""))


def stage_command(stage: str, count: int, work: Path) -> tuple[list[str], Path | None]:
    if stage == "worker":
        from archiver.crawl.worker import _ENTRY

        command = [sys.executable, "-P", "-c", _ENTRY, "--gc-threshold", "5000"]
        return command, work / f"frames-{count}"
    return [sys.executable, __file__, "--child", stage, str(count), str(work)], None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=50, help="Pages counted for each stage.")
    parser.add_argument("--stages", default=",".join(STAGES), help="Stages, comma-separated.")
    parser.add_argument(
        "--child", nargs=3, metavar=("STAGE", "COUNT", "WORK"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        stage, count, work = args.child
        child(stage, int(count), Path(work))
        return
    sys.path.insert(0, str(REPO))
    valgrind = ensure_valgrind()
    work = Path(tempfile.mkdtemp(prefix="bench-instructions-"))
    try:
        print(f"making the inputs: {args.pages} pages...", file=sys.stderr)
        make_inputs(args.pages, work)
        rows = []
        for stage in args.stages.split(","):
            print(f"counting {stage}...", file=sys.stderr)
            counted = {}
            for count in (0, args.pages):
                command, stdin = stage_command(stage, count, work)
                counted[count] = instructions(valgrind, command, stdin)
            per_page = (counted[args.pages] - counted[0]) / args.pages
            rows.append(f"| {stage} | {per_page / 1e6:.2f} | {counted[0] / 1e6:.0f} |")
        print(f"## Instructions a page, {args.pages} generated article pages (cachegrind)\n")
        print("| stage | million instructions a page | the run on no page (million) |")
        print("| --- | ---: | ---: |")
        print("\n".join(rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
