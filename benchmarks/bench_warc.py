"""WARC benchmark: import speed and memory, against warcio + trafilatura + dateparser, and
what `archiver crawl --warc` costs a crawl. Ratios come from the same run.

Run from the repository root (as root, since nginx is installed when missing):
    .venv/bin/python benchmarks/bench_warc.py [--pages 2000] [--rounds 3] [--copies 10]

1. Generates the crawl benchmark's site (sitegen.py) and serves it with nginx on 127.0.0.1.
2. Alternates, for R rounds, `archiver crawl URL` without and with `--warc DIR` (the crawl
   benchmark's settings: 16 requests, no delay); pages/s is articles stored over wall time.
3. Imports the first recorded crawl's WARC files with `archiver import` (a fresh archive each
   round), and runs the baseline on the same files in one process: warcio's ArchiveIterator,
   baseline_pipeline.py's trafilatura + dateparser extraction, Archive.save_articles in
   batches of 50. Each in its own process, so that its CPU time and peak RSS are its own.
4. Writes a file of `copies` times those pages (each copy under other URLs) and imports it, to
   compare the peak RSS of a 2,000-page and a 20,000-page import.
Targets: import >= 150 pages/s and >= 4x the baseline; peak RSS flat (20k/2k <= 1.2); the
crawl with --warc >= 0.90x the crawl without.
"""

from __future__ import annotations

import argparse
import glob
import io
import shutil
import sys
import tempfile
from pathlib import Path

from bench_crawl import archiver_binary, ensure_nginx, measure, median, nginx, settings_args, table
from sitegen import generate_site


def crawl_run(
    url: str, db: Path, warc: Path | None, log: Path, timeout: float
) -> tuple[float, float]:
    """(articles/s, wall s) of one crawl, with or without --warc."""
    command = [archiver_binary(), "crawl", url, "--db", str(db), *settings_args()]
    if warc is not None:
        command += ["--warc", str(warc)]
    code, wall, _, _ = measure(command, log, timeout)
    if code != 0:
        print(f"  crawl exited {code}; see {log}", file=sys.stderr)
    return stored(db) / wall, wall


def stored(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def import_run(files: list[str], db: Path, log: Path, timeout: float) -> tuple[float, float, float]:
    """(pages/s, peak RSS MB, wall s) of `archiver import`: pages are the articles stored."""
    code, wall, _, rss = measure(
        [archiver_binary(), "import", *files, "--db", str(db)], log, timeout
    )
    if code != 0:
        print(f"  import exited {code}; see {log}", file=sys.stderr)
    return stored(db) / wall, rss, wall


def baseline_run(files: list[str], db: Path, log: Path, timeout: float) -> tuple[float, float]:
    """(pages/s, peak RSS MB) of the warcio + trafilatura + dateparser pipeline."""
    command = [sys.executable, __file__, "--baseline", str(db), *files]
    code, wall, _, rss = measure(command, log, timeout)
    if code != 0:
        print(f"  baseline exited {code}; see {log}", file=sys.stderr)
    return stored(db) / wall, rss


def baseline(db: Path, files: list[str]) -> None:
    """What a user would assemble: warcio, then baseline_pipeline.py's trafilatura extraction
    (the crawl benchmark's alternative), stored through the same Archive.save_articles."""
    from baseline_pipeline import BATCH_SIZE, TrafilaturaSpider
    from scrapy.http import HtmlResponse
    from warcio.archiveiterator import ArchiveIterator

    from archiver.archive.store import Archive

    spider = TrafilaturaSpider.__new__(TrafilaturaSpider)  # extract() needs no crawler
    with Archive(db) as archive:
        batch = []
        for path in files:
            with open(path, "rb") as fh:
                for record in ArchiveIterator(fh):
                    content_type = (
                        record.http_headers.get_header("Content-Type")
                        if record.http_headers
                        else ""
                    )
                    if record.rec_type != "response" or "html" not in (content_type or ""):
                        continue
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    body = record.content_stream().read()
                    response = HtmlResponse(url, body=body, headers={"Content-Type": content_type})
                    article = spider.extract(response) if "/articles/" in url else None
                    if article is not None:
                        batch.append(article)
                    if len(batch) >= BATCH_SIZE:
                        archive.save_articles(batch)
                        batch = []
        if batch:
            archive.save_articles(batch)


def copies_of(files: list[str], copies: int, out: Path) -> int:
    """One WARC holding the files' responses `copies` times, each copy under its own URLs."""
    from warcio.archiveiterator import ArchiveIterator

    from archiver.warc.records import warc_writer

    count = 0
    with out.open("wb") as target:
        writer = warc_writer(target, level=1)
        for copy in range(copies):
            for path in files:
                with open(path, "rb") as fh:
                    for record in ArchiveIterator(fh):
                        if record.rec_type != "response":
                            continue
                        body = record.content_stream().read()
                        uri = record.rec_headers.get_header("WARC-Target-URI") + f"?copy={copy}"
                        headers = {"WARC-Date": record.rec_headers.get_header("WARC-Date")}
                        writer.write_record(writer.create_warc_record(
                            uri, "response", payload=io.BytesIO(body), length=len(body),
                            http_headers=record.http_headers, warc_headers_dict=headers,
                        ))  # fmt: skip
                        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--copies", type=int, default=10, help="For the memory run; 0 to skip it.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--baseline", nargs="+", help=argparse.SUPPRESS
    )  # DB FILE...: one baseline run
    args = parser.parse_args()
    if args.baseline:
        return baseline(Path(args.baseline[0]), args.baseline[1:])
    binary = ensure_nginx()
    tmp = Path(tempfile.mkdtemp(prefix="bench-warc-"))
    tmp.chmod(0o755)
    timeout = 120 + 0.5 * args.pages
    try:
        generate_site(tmp / "site", args.pages, args.seed)
        crawls: dict[str, list[float]] = {"plain": [], "warc": []}
        imports: list[tuple[float, float]] = []
        baselines: list[tuple[float, float]] = []
        with nginx(binary, tmp / "site", tmp / "nginx") as port:
            url = f"http://127.0.0.1:{port}/"
            for number in range(args.rounds):
                for kind in ("plain", "warc"):
                    warc = tmp / f"warc-{number}" if kind == "warc" else None
                    db, log = tmp / f"crawl-{kind}-{number}.db", tmp / f"crawl-{kind}-{number}.log"
                    rate, _ = crawl_run(url, db, warc, log, timeout)
                    crawls[kind].append(rate)
                    print(f"round {number + 1} crawl {kind}: {rate:.1f} pages/s", file=sys.stderr)
        files = sorted(glob.glob(str(tmp / "warc-0" / "*.warc.gz")))
        for number in range(args.rounds):
            rate, rss, _ = import_run(
                files, tmp / f"import-{number}.db", tmp / f"import-{number}.log", timeout
            )
            imports.append((rate, rss))
            baselines.append(
                baseline_run(
                    files, tmp / f"base-{number}.db", tmp / f"base-{number}.log", 20 * timeout
                )
            )
            print(
                f"round {number + 1} import {rate:.1f} pages/s, baseline {baselines[-1][0]:.1f}",
                file=sys.stderr,
            )
        big = None
        if args.copies:
            records = copies_of(files, args.copies, tmp / "big.warc.gz")
            rate, rss, wall = import_run(
                [str(tmp / "big.warc.gz")], tmp / "big.db", tmp / "big.log", 20 * timeout
            )
            big = (records, rate, rss, wall)
        report(args, crawls, imports, baselines, big)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report(
    args: argparse.Namespace,
    crawls: dict[str, list[float]],
    imports: list[tuple[float, float]],
    baselines: list[tuple[float, float]],
    big: tuple[int, float, float, float] | None,
) -> None:
    rows = []
    for number in range(args.rounds):
        plain, warc = crawls["plain"][number], crawls["warc"][number]
        rate, rss = imports[number]
        base = baselines[number][0]
        rows.append([str(number + 1), f"{plain:.1f}", f"{warc:.1f}", f"{warc / plain:.2f}",
                     f"{rate:.1f}", f"{base:.1f}", f"{rate / base:.2f}", f"{rss:.0f}"])  # fmt: skip
    header = [
        "round",
        "crawl pages/s",
        "crawl --warc",
        "ratio",
        "import pages/s",
        "baseline",
        "ratio",
        "import RSS MB",
    ]
    print(table(header, rows))
    ratios = [c[1] / c[0] for c in zip(crawls["plain"], crawls["warc"], strict=True)]
    speedups = [i[0] / b[0] for i, b in zip(imports, baselines, strict=True)]
    print(f"\nmedian: crawl --warc {median(ratios):.2f}x the plain crawl (target >= 0.90); "
          f"import {median([i[0] for i in imports]):.1f} pages/s (target >= 150), "
          f"{median(speedups):.2f}x the baseline (target >= 4)")  # fmt: skip
    if big is not None:
        records, rate, rss, wall = big
        small = median([i[1] for i in imports])
        print(f"memory: {records} records imported in {wall:.0f} s ({records / wall:.0f} records/s), "
              f"peak RSS {rss:.0f} MB against {small:.0f} MB for the small file: {rss / small:.2f}x "
              f"(target <= 1.2)")  # fmt: skip


if __name__ == "__main__":
    main()
