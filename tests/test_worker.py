"""The extraction worker: pages read in a second process give the archive the same rows, and a
worker that dies costs no page."""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from faultserver import FaultServer, FaultSite, article_html
from scrapy.settings import Settings
from test_faults import FAST, start_crawl, wait_for

from archiver.crawl.reading import LENGTH_SIZE, PageReading, SentLinks, frame, read_page, serve
from archiver.crawl.worker import worker_wanted
from archiver.demo.server import DemoServer
from archiver.extract.read import ArticleReader
from conftest import ROOT, run_cli

PAGE = ROOT / "tests" / "fixtures" / "seed_like.html"
URL = "https://www.ecranlarge.test/series/luke-cage.html"

# A script of its own, so that it has a reactor to itself. Once the worker has read a page, it
# sends two more and kills the worker at once; then reads again with the next worker, stops, and
# says what it saw. Then a worker stopped with SIGSTOP, and one that cannot start (a profiles
# folder that does not exist).
WORKER_SCRIPT = """
import json, os, signal, sys
from pathlib import Path
from twisted.internet import defer, reactor
from archiver.crawl.worker import ExtractionWorker, WorkerDied

page, url = Path(sys.argv[1]).read_bytes(), sys.argv[2]
seen = {}

def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True

async def outcome(reading):
    try:
        await reading
        return "read"
    except WorkerDied as error:
        return [error.reason, error.culprit, str(error)]

async def main():
    worker = ExtractionWorker(None, 0)
    read = lambda: worker.read(page, "text/html; charset=utf-8", url, "2026-11-26T10:00:00+00:00")
    await read()
    first, second = read(), read()
    os.kill(worker.pids[-1], signal.SIGKILL)
    seen["first"], seen["second"] = await outcome(first), await outcome(second)
    reading = await read()
    seen["title"], seen["links"] = reading.article.title, reading.links
    pids = list(worker.pids)
    seen["workers"] = len(pids)
    await worker.stop()
    seen["left"] = [pid for pid in pids if alive(pid)]
    # stopped (SIGSTOP), its own clock stands still: the crawl kills it after 2 x 0.1 + 0.3 s
    stalled = ExtractionWorker(None, 0, timeout=0.1, grace=0.3)
    await stalled.read(page, None, url, "2026-11-26T10:00:00+00:00")
    os.kill(stalled.pids[-1], signal.SIGSTOP)
    seen["stalled"] = await outcome(stalled.read(page, None, url, "2026-11-26T10:00:00+00:00"))
    await stalled.stop()
    broken = ExtractionWorker("/no/such/profiles", 0)
    seen["broken"] = await outcome(broken.read(page, None, url, "2026-11-26T10:00:00+00:00"))
    seen["unavailable"] = broken.unavailable
    await broken.stop()

def done(result):
    print(json.dumps(seen) if seen else result)
    reactor.stop()

defer.ensureDeferred(main()).addBoth(done)
reactor.run()
"""


def test_a_killed_worker_fails_its_pages_and_the_next_read_starts_another() -> None:
    result = subprocess.run(
        [sys.executable, "-c", WORKER_SCRIPT, str(PAGE), URL],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout)
    # the page it was reading is to blame; the one queued behind it is not
    died = "the extraction worker died while reading this page"
    assert seen["first"] == ["extraction_crashed", True, died]
    assert seen["second"] == ["extraction_crashed", False, died]
    expected = read_page(PAGE.read_bytes(), None, URL, ArticleReader(), "2026-11-26T10:00:00")
    assert expected.article is not None
    assert seen["title"] == expected.article.title
    assert seen["links"] == expected.links
    assert seen["workers"] == 2
    assert seen["left"] == [], "stop() left a worker process behind, or did not reap it"
    answered_nothing = "the extraction worker answered nothing for 0.5 s on this page"
    assert seen["stalled"] == ["extraction_timeout", True, answered_nothing]
    not_ready = "the extraction worker died before it was ready"
    assert seen["broken"] == ["unavailable", False, not_ready]
    assert seen["unavailable"] is True


def test_worker_wanted_reads_the_setting() -> None:
    def wanted(value: object, processes: int = 1) -> bool:
        return worker_wanted(Settings({"ARCHIVE_EXTRACT_WORKER": value}), processes)

    cores = len(os.sched_getaffinity(0))
    assert wanted("auto") is (cores >= 2)
    assert wanted("auto", processes=2) is (cores >= 4)  # --processes 2: four processes
    assert wanted("auto", processes=cores) is False
    assert wanted("True", processes=2) is True
    assert wanted("false") is False
    assert wanted(False) is False
    assert worker_wanted(Settings()) is (cores >= 2)  # "auto" when not set


def archived(db: Path) -> dict[str, Any]:
    """Every article with its images and comments, without what differs between two crawls of
    the same pages: row ids, crawl ids, the server's port, and times that depend on the fetch
    time (dates read from "il y a 2 heures")."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    varying = {"id", "crawl_id", "revision_id", "fetched_at", "first_seen_at", "last_seen_at"}
    articles = {}
    for row in conn.execute("SELECT * FROM articles"):
        relative = {*json.loads(row["relative_dates"] or "[]"), *varying, "url"}
        fields = {k: row[k] for k in row.keys() if k not in relative}
        for table in ("images", "comments"):
            children = conn.execute(
                f"SELECT * FROM {table} WHERE article_id = ? ORDER BY position", [row["id"]]
            )
            fields[table] = [
                {k: c[k] for k in c.keys() if k not in {*varying, "article_id", "published_at"}}
                for c in children
            ]
        fields["comment_dates"] = [
            date
            for (date, raw) in conn.execute(
                "SELECT published_at, published_raw FROM comments WHERE article_id = ?",
                [row["id"]],
            )
            if raw and re.search(r"\b\d{4}\b", raw)  # a date with its year: not relative
        ]
        articles[row["canonical_url"]] = fields
    return articles


def crawl_stats(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        return json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])


def test_the_worker_and_the_crawl_process_archive_the_same_rows(tmp_path: Path) -> None:
    with DemoServer() as server:
        for mode in ("True", "False"):
            result = run_cli(
                "crawl", "demo", "-a", f"url={server.url}", "--db", str(tmp_path / f"{mode}.db"),
                "-s", f"ARCHIVE_EXTRACT_WORKER={mode}",
            )  # fmt: skip
            assert result.returncode == 0, result.stderr[-3000:]
    in_worker, in_process = archived(tmp_path / "True.db"), archived(tmp_path / "False.db")
    assert len(in_worker) == 43
    assert in_worker == in_process
    stats = crawl_stats(tmp_path / "True.db")
    assert stats["archiver/extract_workers_started"] == 1
    read = stats["archiver/articles_extracted"] + stats["archiver/pages_skipped"]
    assert stats["archiver/extract_worker_pages"] == read  # every page, none in the crawl process
    assert "archiver/extract_worker_pages" not in crawl_stats(tmp_path / "False.db")


def worker_of(pid: int) -> int:
    """The extraction worker among the children of process `pid`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"archiver.crawl.reading" in command:
            return int(entry.name)
    raise AssertionError(f"no extraction worker under process {pid}")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker in /proc")
def test_a_crawl_whose_worker_is_killed_archives_every_page(tmp_path: Path) -> None:
    site = FaultSite(articles=40, delay=0.05)
    db = tmp_path / "worker-killed.db"
    with FaultServer(site) as server:
        crawl = start_crawl(
            server.url, db, "-s", "ARCHIVE_EXTRACT_WORKER=True", "-s", "ARCHIVE_BATCH_SIZE=5"
        )
        wait_for(db, 5, crawl)
        os.kill(worker_of(crawl.pid), signal.SIGKILL)
        _, stderr = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, stderr[-3000:]
    conn = sqlite3.connect(db)
    urls = {u for (u,) in conn.execute("SELECT url FROM articles")}
    assert urls == {server.url.rstrip("/") + path for path in site.article_paths()}
    assert conn.execute("SELECT count(*) FROM fetch_errors").fetchone()[0] == 0
    assert crawl_stats(db)["archiver/extract_workers_started"] == 2


def test_a_page_over_the_time_limit_is_recorded_its_links_followed_and_the_rest_archived(
    tmp_path: Path,
) -> None:
    """About 7 MB of sections: over a second of extraction, where the site's other pages take
    milliseconds. With a limit of half a second of CPU, the worker gives up on the page and
    answers with its links; it is not killed, and the page linked from it alone is archived."""
    section = (
        "<div><p>" + "Un paragraphe sur la série, ses acteurs et sa saison. " * 4 + "</p></div>"
    )
    heavy = (
        "<html lang=fr><head><title>Énorme</title></head><body>"
        '<a href="/articles/cachee.html">Cachée</a><article><h1>Une page énorme</h1>'
        + section * 30_000
        + "</article></body></html>"
    ).encode()
    site = FaultSite(
        articles=10,
        special={
            "/articles/enorme.html": (200, "text/html", heavy),
            "/articles/cachee.html": (200, "text/html; charset=utf-8", article_html(99).encode()),
        },
        unlisted={"/articles/cachee.html"},
    )
    db = tmp_path / "timeout.db"
    with FaultServer(site) as server:
        result = run_cli(
            "crawl", server.url, "--db", str(db), *FAST,
            "-s", "ARCHIVE_EXTRACT_WORKER=True", "-s", "ARCHIVE_EXTRACT_TIMEOUT=0.5",
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    conn = sqlite3.connect(db)
    urls = {u for (u,) in conn.execute("SELECT url FROM articles")}
    assert len(urls) == 11 and server.url.rstrip("/") + "/articles/cachee.html" in urls
    failures = conn.execute("SELECT url, reason, detail FROM fetch_errors").fetchall()
    assert failures == [
        (
            server.url.rstrip("/") + "/articles/enorme.html",
            "extraction_timeout",
            "reading this page took the worker over 0.5 s of CPU",
        )
    ]
    stats = crawl_stats(db)
    assert stats["archiver/extract_workers_started"] == 1
    assert "archiver/extract_worker_died" not in stats


def _served(pages: int, sent: SentLinks | None) -> list[PageReading]:
    """The readings serve() answers for the seed-like page, with a feed, sent `pages` times."""
    # with a feed of its own, in its <head>
    feed = b'<head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
    body = PAGE.read_bytes().replace(b"<head>", feed, 1)
    request = frame((body, None, URL, "2026-11-26T10:00:00+00:00"))
    stdin, stdout = io.BytesIO(b"".join(request * pages)), io.BytesIO()
    serve(stdin, stdout, ArticleReader(), 0.0, sent)
    answers, data = [], stdout.getvalue()
    while data:
        size = int.from_bytes(data[:LENGTH_SIZE], "big")
        answers.append(pickle.loads(data[LENGTH_SIZE : LENGTH_SIZE + size]))
        data = data[LENGTH_SIZE + size :]
    assert answers[0] is None  # ready
    return answers[1:]


def test_the_worker_gives_each_link_and_feed_once_when_asked() -> None:
    every = _served(2, None)
    assert every[0].feeds == ["https://www.ecranlarge.test/rss.xml"]
    assert every[0].links and every[1].links == every[0].links
    once = _served(2, SentLinks(links=True))
    assert (once[0].links, once[0].feeds) == (every[0].links, every[0].feeds)
    assert (once[1].links, once[1].feeds) == ([], [])
    assert once[1].article is not None  # the page itself is read again, in full
    # under --max-depth a link may come again from a page less deep: only feeds are held back
    deep = _served(2, SentLinks(links=False))
    assert (deep[1].links, deep[1].feeds) == (every[0].links, [])


def test_sent_links_forget_past_their_bound() -> None:
    sent = SentLinks(links=True, most=3)
    first = PageReading(links=["a", "b", "c", "d"])
    sent.new(first)
    assert first.links == ["a", "b", "c", "d"]
    again = PageReading(links=["a", "e"])
    sent.new(again)  # four remembered, over three: forgotten, so "a" is given again
    assert again.links == ["a", "e"] and sent.given == {"a", "e"}
