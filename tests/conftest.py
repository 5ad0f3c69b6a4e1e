"""Shared fixtures: the real console script, and one demo crawl reused by the read-only tests."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archiver.demo.site import DemoSite

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def mounted_tmpfs(directory: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` ("64k", "3m") at `directory`, for a disk that fills up; a skip where
    this machine does not let us mount one (it needs root)."""
    directory.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)],
        capture_output=True,
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


def archiver_command() -> str:
    script = Path(sys.executable).with_name("archiver")
    return str(script) if script.exists() else (shutil.which("archiver") or "archiver")


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the installed `archiver` console script in a subprocess."""
    return subprocess.run(
        [archiver_command(), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="session")
def demo_content() -> list[dict[str, Any]]:
    return DemoSite.bundled().articles


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `archiver demo` run; tests that only read the archive share it."""
    path = tmp_path_factory.mktemp("demo") / "archive.db"
    result = run_cli("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr[-3000:]
    return path


@pytest.fixture
def db(demo_db: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"{demo_db.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def article_row(conn: sqlite3.Connection, slug: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM articles WHERE canonical_url LIKE ?", [f"%/articles/{slug}.html"]
    ).fetchone()


def authors_of(conn: sqlite3.Connection, article_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM article_authors JOIN authors ON authors.id = author_id "
        "WHERE article_id = ? ORDER BY position",
        [article_id],
    )
    return [r[0] for r in rows]


def json_column(row: sqlite3.Row, column: str) -> Any:
    return json.loads(row[column]) if row[column] else None
