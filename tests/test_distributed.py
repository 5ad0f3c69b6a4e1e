"""Nodes of a Redis job, as separate `archiver crawl` processes on a real redis-server and a
generated 300-article site: the work is split, a node killed with kill -9 loses nothing,
`archiver merge` unites the node archives, and a site's delay holds across the nodes."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT, archiver_command, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
from sitegen import generate_site  # noqa: E402

ARTICLES = 300
# politeness off and a short lease, so that a test takes seconds
FAST = {
    "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "ARCHIVE_EXTRACT_WORKER": "False", "ARCHIVE_REDIS_LEASE": "2", "LOG_LEVEL": "WARNING",
}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Debian's redis-server on a free 127.0.0.1 port, stopped afterwards."""
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("ARCHIVER_REDIS_TESTS") == "required":
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server is not installed")
    pytest.importorskip("redis")
    import redis

    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(10)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _TimedHandler(_QuietHandler):
    """Writes down when each request arrived, and for which path."""

    hits: list[tuple[float, str]] = []

    def send_head(self):  # type: ignore[no-untyped-def]
        self.hits.append((time.monotonic(), self.path))
        return super().send_head()


@contextlib.contextmanager
def _served(root: Path, handler: type[SimpleHTTPRequestHandler]) -> Iterator[str]:
    """`root` served on 127.0.0.1 by `handler`, threaded: its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, set[str]]]:
    """The generated site served on 127.0.0.1: its URL, and its article paths."""
    root = tmp_path_factory.mktemp("site")
    generated = generate_site(root, ARTICLES)
    with _served(root, _QuietHandler) as url:
        yield url, set(generated.article_paths)


def _node(
    url: str, db: Path, redis_url: str, job: str, fast: dict[str, str] = FAST
) -> subprocess.Popen[str]:
    settings = [arg for name, value in fast.items() for arg in ("-s", f"{name}={value}")]
    return subprocess.Popen(
        [archiver_command(), "crawl", url, "--db", str(db), "--redis", redis_url, "--job", job,
         *settings],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _articles(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _merged_paths(paths: list[Path], target: Path) -> list[str]:
    result = run_cli("merge", *map(str, paths), "-o", str(target))
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(target)
    urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
    conn.close()
    return ["/" + url.split("/", 3)[3] for url in urls]


def test_two_nodes_split_the_work_and_merge_into_every_article(
    redis_url: str, site: tuple[str, set[str]], tmp_path: Path
) -> None:
    url, article_paths = site
    dbs = [tmp_path / "a.db", tmp_path / "b.db"]
    nodes = [_node(url, db, redis_url, "two-nodes") for db in dbs]
    for node in nodes:
        out, err = node.communicate(timeout=120)
        assert node.returncode == 0, err[-2000:]
        assert "finished: finished" in out
    counts = [_articles(db) for db in dbs]
    assert all(counts) and sum(counts) == ARTICLES  # split, and no article fetched twice
    merged = _merged_paths(dbs, tmp_path / "all.db")
    assert sorted(merged) == sorted(article_paths)
    status = run_cli("status", "--redis", redis_url, "--job", "two-nodes")
    assert status.returncode == 0, status.stderr
    assert "0 queued, 0 leased" in status.stdout and status.stdout.count(": finished") == 2


def test_a_node_killed_mid_crawl_loses_nothing(
    redis_url: str, site: tuple[str, set[str]], tmp_path: Path
) -> None:
    url, article_paths = site
    dbs = [tmp_path / "killed.db", tmp_path / "survivor.db"]
    victim, survivor = (_node(url, db, redis_url, "kill-9") for db in dbs)
    import redis

    # killed once it has stored 20 articles and holds leases, which the survivor must take over
    leased = f"archiver:kill-9:leased:{socket.gethostname()}-{victim.pid}"
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and victim.poll() is None:
        if _articles(dbs[0]) >= 20 and client.hlen(leased):
            break
        time.sleep(0.05)
    assert victim.poll() is None, "the node finished before it could be killed"
    os.kill(victim.pid, signal.SIGKILL)
    victim.communicate()
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err[-2000:]
    conn = sqlite3.connect(dbs[1])
    stats = json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])
    conn.close()
    assert stats.get("archiver/redis/requests_given_back", 0) > 0
    merged = _merged_paths(dbs, tmp_path / "all.db")
    assert sorted(merged) == sorted(article_paths)  # each article once, none lost


def test_a_wrong_redis_url_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("redis")
    result = run_cli(
        "crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "x.db"),
        "--redis", f"redis://127.0.0.1:{_free_port()}/0", "--job", "nothing-there",
    )  # fmt: skip
    assert result.returncode == 1 and "cannot reach Redis" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


DELAY = 0.2


def test_a_sites_delay_holds_across_two_nodes(redis_url: str, tmp_path: Path) -> None:
    """Two nodes, one site, DOWNLOAD_DELAY=d and one fetch at a time: the site sees its hits
    d apart, whichever node makes them, and every page once."""
    root = tmp_path / "site"
    pages = [f"/p/{number}.html" for number in range(16)]
    (root / "p").mkdir(parents=True)
    links = "".join(f'<a href="{path}">{path}</a> ' for path in pages)
    (root / "index.html").write_text(f"<html><body>{links}</body></html>")
    for path in pages:
        (root / path.lstrip("/")).write_text(f"<html><body><p>{path}</p>{links}</body></html>")
    # 2 requests a node at most, so that one node does not lease them all
    paced = {
        **FAST, "DOWNLOAD_DELAY": str(DELAY), "DOWNLOAD_DELAY_JITTER": "0",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1", "CONCURRENT_REQUESTS": "2",
    }  # fmt: skip
    _TimedHandler.hits = []
    dbs = [tmp_path / "a.db", tmp_path / "b.db"]
    with _served(root, _TimedHandler) as url:
        nodes = [_node(url, db, redis_url, "paced", paced) for db in dbs]
        for node in nodes:
            out, err = node.communicate(timeout=60)
            assert node.returncode == 0, err[-2000:]
    fetched = [_fetched(db) for db in dbs]
    times = sorted(when for when, _ in _TimedHandler.hits)
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert all(fetched), fetched  # both nodes fetched: the pace held between them
    assert min(gaps) > DELAY * 0.85, sorted(gaps)[:5]  # a fetch leaves a node a few ms late
    paths = [path for _, path in _TimedHandler.hits]
    assert all(paths.count(path) == 1 for path in pages)  # every page, once


def _fetched(db: Path) -> int:
    """Responses a node received, from its crawl's stats."""
    conn = sqlite3.connect(db)
    stats = json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])
    conn.close()
    return int(stats.get("response_received_count", 0))
