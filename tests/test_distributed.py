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
SHORT_ARTICLES = 100
# politeness off and a short lease, so that a test takes seconds
FAST = {
    "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "ARCHIVE_EXTRACT_WORKER": "False", "ARCHIVE_REDIS_LEASE": "2", "LOG_LEVEL": "WARNING",
}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_server() -> str:
    """The path of Debian's redis-server, or the test skipped (failed where it is required)."""
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("ARCHIVER_REDIS_TESTS") == "required":
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server is not installed")
    pytest.importorskip("redis")
    return server


class _Redis:
    """A redis-server on a free 127.0.0.1 port with its files in `folder`, which a test may
    stop and start again on the same port and folder."""

    def __init__(self, folder: Path, *options: str) -> None:
        self.command = [_redis_server(), "--bind", "127.0.0.1", "--dir", str(folder), *options]
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        import redis

        command = [*self.command, "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:  # BusyLoadingError too, while it reads its files
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM: Redis writes its data down, as `redis-cli shutdown` does, and exits."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server without persistence, for the module's tests."""
    server = _Redis(tmp_path_factory.mktemp("redis"), "--save", "", "--appendonly", "no")
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def persistent_redis(tmp_path: Path) -> Iterator[_Redis]:
    """A redis-server of the test's own, with an append-only file: a restart keeps the job."""
    server = _Redis(tmp_path / "redis", "--save", "", "--appendonly", "yes")
    (tmp_path / "redis").mkdir()
    server.start()
    yield server
    server.stop()


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


def _generated(factory: pytest.TempPathFactory, articles: int) -> Iterator[tuple[str, set[str]]]:
    root = factory.mktemp("site")
    generated = generate_site(root, articles)
    with _served(root, _QuietHandler) as url:
        yield url, set(generated.article_paths)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, set[str]]]:
    """The generated site served on 127.0.0.1: its URL, and its article paths."""
    yield from _generated(tmp_path_factory, ARTICLES)


@pytest.fixture(scope="module")
def short_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, set[str]]]:
    """A generated site of SHORT_ARTICLES articles: a crawl of a few seconds."""
    yield from _generated(tmp_path_factory, SHORT_ARTICLES)


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
    dbs = [tmp_path / "a.db", tmp_path / "b.db"]
    nodes = [_node(url, db, redis_url, "kill-9") for db in dbs]
    import redis

    # the first node to have stored 20 articles while it holds leases is killed, and the other
    # must take its leases over: with no delay, the site's turns may go mostly to one node
    client = redis.Redis.from_url(redis_url)
    leased = [f"archiver:kill-9:leased:{socket.gethostname()}-{node.pid}" for node in nodes]
    victim = None
    deadline = time.monotonic() + 60
    while victim is None and time.monotonic() < deadline and all(n.poll() is None for n in nodes):
        for index, db in enumerate(dbs):
            if _articles(db) >= 20 and client.hlen(leased[index]):
                victim = index
                break
        time.sleep(0.05)
    assert victim is not None and nodes[victim].poll() is None, "no node could be killed mid-crawl"
    os.kill(nodes[victim].pid, signal.SIGKILL)
    nodes[victim].communicate()
    survivor = nodes[1 - victim]
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err[-2000:]
    conn = sqlite3.connect(dbs[1 - victim])
    stats = json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])
    conn.close()
    assert stats.get("archiver/redis/requests_given_back", 0) > 0
    merged = _merged_paths(dbs, tmp_path / "all.db")
    assert sorted(merged) == sorted(article_paths)  # each article once, none lost


def _wait_for_pages(url: str, job: str, pages: int, nodes: list[subprocess.Popen[str]]) -> None:
    """Until the job's nodes have fetched `pages` pages between them (their heartbeats say)."""
    import redis

    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and all(node.poll() is None for node in nodes):
        states = client.scan_iter(match=f"archiver:{job}:node:*")
        if sum(int(client.hget(key, "pages") or 0) for key in states) >= pages:
            return
        time.sleep(0.05)
    pytest.fail(f"the nodes did not fetch {pages} pages while running")


@contextlib.contextmanager
def _ended(nodes: list[subprocess.Popen[str]]) -> Iterator[None]:
    """Nodes killed when the test fails before they end, so that none outlives it."""
    try:
        yield
    finally:
        for node in nodes:
            if node.poll() is None:
                node.kill()
                node.communicate()


OUTAGE = 3.0  # seconds without Redis: longer than FAST's lease


def test_nodes_wait_for_a_restarted_redis_and_finish_the_job(
    persistent_redis: _Redis, short_site: tuple[str, set[str]], tmp_path: Path
) -> None:
    """Redis stopped mid-crawl for longer than a lease, then started again on its append-only
    file: both nodes wait for it, each saying so in one line, and finish the job together."""
    url, article_paths = short_site
    dbs = [tmp_path / "a.db", tmp_path / "b.db"]
    nodes = [_node(url, db, persistent_redis.url, "restart") for db in dbs]
    with _ended(nodes):
        _wait_for_pages(persistent_redis.url, "restart", 40, nodes)
        persistent_redis.stop()
        time.sleep(OUTAGE)
        assert all(node.poll() is None for node in nodes), "a node ended while Redis was away"
        persistent_redis.start()
        for node in nodes:
            out, err = node.communicate(timeout=120)
            assert node.returncode == 0, err[-2000:]
            assert "finished: finished" in out
            assert "Traceback" not in err, err[-2000:]
            assert err.count("does not answer") == 1 and err.count("answers again") == 1, err
    counts = [_articles(db) for db in dbs]
    assert all(counts) and sum(counts) == SHORT_ARTICLES, counts  # no lease given back by mistake
    assert sorted(_merged_paths(dbs, tmp_path / "all.db")) == sorted(article_paths)


def test_a_node_stops_in_one_line_when_redis_stays_away(
    persistent_redis: _Redis, short_site: tuple[str, set[str]], tmp_path: Path
) -> None:
    """Past ARCHIVE_REDIS_RETRY seconds without Redis, a node stops, says why in one line, and
    its crawl's row says it too, for `archiver status`."""
    url, _ = short_site
    db = tmp_path / "node.db"
    node = _node(url, db, persistent_redis.url, "gone", {**FAST, "ARCHIVE_REDIS_RETRY": "1"})
    with _ended([node]):
        _wait_for_pages(persistent_redis.url, "gone", 20, [node])
        persistent_redis.stop()
        out, err = node.communicate(timeout=60)
    assert node.returncode == 1, err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    assert err.count("does not answer") == 1, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("Error: Redis at ") and "did not answer for 1 s: " in last, err
    assert "articles of this crawl kept in" in last and "joins job 'gone' again" in last, err
    status = run_cli("status", "--db", str(db))
    assert ": redis_unreachable, " in status.stdout, status.stdout


def test_a_node_stops_when_redis_comes_back_without_the_job(
    tmp_path: Path, short_site: tuple[str, set[str]]
) -> None:
    """A Redis without persistence restarted mid-crawl has lost the queue and the seen set:
    the node stops in one line rather than crawl on a job that is not there."""
    server = _Redis(tmp_path, "--save", "", "--appendonly", "no")
    server.start()
    node = _node(short_site[0], tmp_path / "node.db", server.url, "lost")
    try:
        with _ended([node]):
            _wait_for_pages(server.url, "lost", 20, [node])
            server.stop()
            time.sleep(0.5)
            server.start()
            out, err = node.communicate(timeout=60)
    finally:
        server.stop()
    assert node.returncode == 1 and "Traceback" not in err, err[-2000:]
    last = err.strip().splitlines()[-1]
    assert "came back without job 'lost'" in last and "a new --job name" in last, err


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
    pages = _small_site(root, 16)
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


def _small_site(root: Path, count: int) -> list[str]:
    """A home page and `count` pages, each linking to every page: their paths."""
    pages = [f"/p/{number}.html" for number in range(count)]
    (root / "p").mkdir(parents=True)
    links = "".join(f'<a href="{path}">{path}</a> ' for path in pages)
    (root / "index.html").write_text(f"<html><body>{links}</body></html>")
    for path in pages:
        (root / path.lstrip("/")).write_text(f"<html><body><p>{path}</p>{links}</body></html>")
    return pages


def test_scrapy_crawl_joins_a_job_through_settings(redis_url: str, tmp_path: Path) -> None:
    """What a Scrapyd job runs, `scrapy crawl news -a url=... -s NAME=VALUE`: with
    ARCHIVE_REDIS_URL and ARCHIVE_REDIS_JOB, the crawl is a node of the job, as with
    `archiver crawl --redis --job`."""
    pages = _small_site(tmp_path / "site", 16)
    db = tmp_path / "scrapyd.db"
    settings = {**FAST, "ARCHIVE_DB": str(db), "ARCHIVE_REDIS_URL": redis_url,
                "ARCHIVE_REDIS_JOB": "scrapyd", "ARCHIVE_REDIS_NODE": "scrapyd-node"}  # fmt: skip
    scrapy = str(Path(sys.executable).with_name("scrapy"))
    with _served(tmp_path / "site", _QuietHandler) as url:
        result = subprocess.run(
            [scrapy, "crawl", "news", "-a", f"url={url}",
             *(arg for name, value in settings.items() for arg in ("-s", f"{name}={value}"))],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert _fetched(db) == len(pages) + 2  # robots.txt, the home page and every page, once
    status = run_cli("status", "--redis", redis_url, "--job", "scrapyd")
    assert "0 queued, 0 leased" in status.stdout, status.stdout
    assert "scrapyd-node: finished, heartbeat" in status.stdout, status.stdout
    assert f"{len(pages) + 2} pages" in status.stdout, status.stdout


def _fetched(db: Path) -> int:
    """Responses a node received, from its crawl's stats."""
    conn = sqlite3.connect(db)
    stats = json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])
    conn.close()
    return int(stats.get("response_received_count", 0))
