"""The crawl's progress: a live line on a terminal, log lines elsewhere, nothing when off."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
from pathlib import Path

import pytest

from archiver.archive.store import crawl_counts
from archiver.crawl.progress import progress_line, progress_mode
from conftest import archiver_command, run_cli

LINE = re.compile(
    r"(\d+) pages fetched, (\d+) articles stored, (\d+) skipped, (\d+) failures, "
    r"[\d.]+ pages/s, (\d+) URLs left"
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_mode_follows_the_setting_and_the_stream() -> None:
    assert progress_mode("auto", Terminal()) == "live"
    assert progress_mode("auto", io.StringIO()) == "log"
    assert progress_mode("log", Terminal()) == "log"
    assert progress_mode("False", Terminal()) is None
    with pytest.raises(ValueError, match="ARCHIVE_PROGRESS"):
        progress_mode("sometimes", Terminal())


def test_counts_come_from_the_crawl_stats() -> None:
    stats = {
        "response_received_count": 12,
        "archiver/articles_stored": 5,
        "archiver/pages_skipped": 4,
        "archiver/failures/http_404": 2,
        "archiver/failures/robots_txt": 1,
    }
    line = progress_line(crawl_counts(stats), left=7, per_second=3.25)
    assert line == (
        "12 pages fetched, 5 articles stored, 4 skipped, 3 failures, 3.2 pages/s, 7 URLs left"
    )


def test_log_lines_when_not_on_a_terminal(tmp_path: Path) -> None:
    result = run_cli(
        "demo", "--db", str(tmp_path / "a.db"), "-v", "-s", "ARCHIVE_PROGRESS_INTERVAL=0.2"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [m.groups() for m in LINE.finditer(result.stderr)]
    assert lines, result.stderr[-2000:]
    fetched = [int(groups[0]) for groups in lines]
    assert fetched == sorted(fetched) and 0 < fetched[-1] <= 176
    assert "\r" not in result.stderr


def on_a_terminal(*args: str) -> str:
    """What the command shows on a terminal, its stderr being one (stdout is dropped)."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [archiver_command(), *args], stdout=subprocess.DEVNULL, stderr=secondary
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=120) == 0, b"".join(chunks)
    return b"".join(chunks).decode("utf-8", "replace")


def test_one_live_line_on_a_terminal(tmp_path: Path) -> None:
    shown = on_a_terminal(
        "demo", "--db", str(tmp_path / "a.db"), "-s", "ARCHIVE_PROGRESS_INTERVAL=0.2"
    )
    assert LINE.search(shown), shown
    assert "\r" in shown and "Progress:" not in shown


def test_reparse_and_export_count_on_a_terminal(tmp_path: Path, demo_db: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(demo_db.read_bytes())
    out = tmp_path / "all.jsonl"
    exported = on_a_terminal("export", "--db", str(db), "--format", "jsonl", "-o", str(out))
    assert re.search(r"\r\d+ of 43 articles exported, [\d.]+ a second", exported), exported
    assert len(out.read_text(encoding="utf-8").splitlines()) == 43
    reparsed = on_a_terminal("reparse", "--db", str(db))
    assert re.search(r"\r\d+ of 43 articles reparsed", reparsed), reparsed
    quiet = run_cli("export", "--db", str(db), "--format", "jsonl", "-o", str(out))
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_off_shows_nothing(tmp_path: Path) -> None:
    result = run_cli(
        "demo", "--db", str(tmp_path / "a.db"), "-v", "-s", "ARCHIVE_PROGRESS=off",
        "-s", "ARCHIVE_PROGRESS_INTERVAL=0.2",
    )  # fmt: skip
    assert result.returncode == 0 and not LINE.search(result.stderr)
