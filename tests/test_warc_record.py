"""`archiver crawl --warc DIR`: a real crawl of the demo site on 127.0.0.1 recorded as WARC,
checked by warcio, imported back, and cut short by kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_warc_fixtures import demo_site
from warcio.archiveiterator import ArchiveIterator

from archiver import Archive
from archiver.demo.server import DemoServer
from archiver.warc.reader import read_entries
from conftest import archiver_command, run_cli

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def test_a_recorded_crawl_passes_warcio_check_and_imports_back(tmp_path: Path) -> None:
    warcs = tmp_path / "warc"
    with DemoServer() as server:
        crawled = run_cli("crawl", server.url, "--db", str(tmp_path / "c.db"), "--warc", str(warcs),
                          "--warc-size", "100K", *FAST)  # fmt: skip
        assert crawled.returncode == 0, crawled.stderr[-2000:]
        again = run_cli(
            "crawl", server.url, "--db", str(tmp_path / "c.db"), "--warc", str(warcs), *FAST
        )
        assert again.returncode == 0, again.stderr[-2000:]
    files = sorted(warcs.iterdir())
    first = [f for f in files if "-crawl1-news-" in f.name]
    assert len(first) > 1 and len(files) > len(first)  # rolled over; the second crawl wrote its own
    assert all(f.name.endswith(".warc.gz") for f in files) and files == sorted(files)
    for path in files:
        check = subprocess.run(
            [sys.executable, "-m", "warcio.cli", "check", str(path)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout
        with path.open("rb") as fh:
            records = list(ArchiveIterator(fh))
        assert records[0].rec_type == "warcinfo"
        requests = {
            r.rec_headers.get_header("WARC-Concurrent-To")
            for r in records
            if r.rec_type == "request"
        }
        responses = {
            r.rec_headers.get_header("WARC-Record-ID") for r in records if r.rec_type == "response"
        }
        assert responses and requests == responses
    imported = run_cli("import", str(warcs / "*-crawl1-*.warc.gz"), "--db", str(tmp_path / "i.db"))
    assert imported.returncode == 0, imported.stderr
    with (
        Archive(tmp_path / "c.db", read_only=True) as crawl,
        Archive(tmp_path / "i.db", read_only=True) as back,
    ):
        assert back.counts()["articles"] == crawl.counts()["articles"] == 43


def test_after_kill_9_every_file_reads_to_its_last_complete_record(tmp_path: Path) -> None:
    warcs = tmp_path / "warc"
    with DemoServer(demo_site(300)) as server:
        command = [archiver_command(), "crawl", server.url, "--db", str(tmp_path / "c.db"),
                   "--warc", str(warcs), *FAST]  # fmt: skip
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            written = (
                sum(f.stat().st_size for f in warcs.glob("*.warc.gz")) if warcs.exists() else 0
            )
            if written > 300_000:
                break
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    files = list(warcs.glob("*.warc.gz"))
    assert files
    for path in files:
        with path.open("rb") as fh:
            entries = list(read_entries(fh))
        complete = [e for e in entries if e.problem is None]
        assert len(complete) > 10
        assert len(entries) - len(complete) <= 1  # at most the record being written, at the end
        assert all(e.problem is None for e in entries[:-1])
