"""Crawl benchmark: our full pipeline against a no-op ceiling and a trafilatura alternative.

Run from the repository root (as root, since nginx is installed when missing):
    .venv/bin/python benchmarks/bench_crawl.py [--pages 2000] [--rounds 3] [--profile] [--quick]

What it does, in one run:
1. Generates a deterministic site of N invented French article pages of about 60 KB each
   (sitegen.py) with listings, tag and author pages that link them all from the home page.
2. Serves it with Debian's nginx on a free 127.0.0.1 port, from a generated config in a temp dir
   (`apt-get install -y nginx` first when `nginx` is missing; Python's http.server stalls at 64
   concurrent connections and would be the bottleneck).
3. Alternates, for R rounds, each run in its own process so that its CPU time and peak RSS are its
   own (os.wait4 returns the child's rusage):
   (a) a no-op Scrapy spider that follows the same links and yields bare dicts: the ceiling;
   (b) `archiver crawl URL --db fresh.db` with politeness off: our full pipeline, as it runs by
       default (on two cores or more, the extraction worker reads the pages in a second process);
   (b1) the same with ARCHIVE_EXTRACT_WORKER=False: every page read in the crawl process;
   (b2) the same with `--processes 2`, when `archiver crawl --help` lists that option;
   (c) trafilatura + dateparser, stored through Archive.save_articles (baseline_pipeline.py).
   All runs use the same concurrency: 16 requests, 16 per domain, no delay, no AutoThrottle.
   (a) and (c) yield a request for every link of every page, as the news spider does today, and
   Scrapy's dupefilter drops the repeats; with --dedupe-links they yield each URL once, for when
   the news spider does that too (the repeats cost the no-op spider 70% of its CPU here).
4. Times (b)'s stages in this process without the network, over the same files: extract
   (extract_article), normalize (normalize_article less dates), dates (inside FrenchDates.parse)
   and store (Archive.save_articles in batches of 50), plus what the spider does around them.
   With --profile, pyinstrument samples that same loop and prints the top functions (own time,
   our functions with the library calls they make, packages), and every parsel XPath/CSS query
   is timed with the function that asked for it, since parsel's `xpath` tops the profile.

Pages/s is article pages fetched (and stored, for b and c) over the run's wall time, process
start included; pages per CPU second is the figure to compare when other programs share the
machine (the table flags runs that got less than 0.9 CPU second per second). A run that outlives
--timeout is ended with its whole process group and reported as failed. Everything is printed
as Markdown tables, ready to paste; progress goes to stderr.
Targets: b/a >= 0.70, b/c >= 3, peak RSS b <= 1.5x a, CPU beyond the ceiling <= 3 ms/page.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from noop_spider import CRAWL_SETTINGS
from sitegen import GeneratedSite, generate_site

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BATCH_SIZE = 50
TARGETS = {"b/a": 0.70, "b/c": 3.0, "rss": 1.5, "beyond": 3.0}
LABELS = {
    "a": "(a) no-op spider (ceiling)",
    "b": "(b) archiver crawl (pages read by the extraction worker)",
    "b1": "(b1) archiver crawl, pages read in process (one core)",
    "b2": "(b2) archiver crawl --processes 2",
    "c": "(c) trafilatura + dateparser",
}


# -- tools the benchmark needs --------------------------------------------------------------


def ensure_nginx() -> str:
    """The nginx binary, installed from Debian's packages when it is missing."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("nginx is missing: install it (apt-get install nginx) or run as root")
    print("nginx not found: apt-get update && apt-get install -y nginx", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", "nginx"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    # The package starts a system-wide nginx on port 80; ours needs none of it.
    subprocess.run(["service", "nginx", "stop"], capture_output=True, check=False)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def ensure_module(module: str, package: str) -> None:
    """pip install `package` into this venv when `module` cannot be imported."""
    if importlib.util.find_spec(module) is None:
        print(f"{module} not found: pip install {package}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=True)
        importlib.invalidate_caches()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ text/html html; text/plain txt; application/xml xml; image/svg+xml svg; }}
    default_type application/octet-stream;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        index index.html;
        location / {{ try_files $uri $uri/ =404; }}
    }}
}}
"""


@contextlib.contextmanager
def nginx(binary: str, root: Path, work: Path) -> Iterator[int]:
    """Serve `root` on a free 127.0.0.1 port for the duration of the block; yields the port."""
    work.mkdir(parents=True, exist_ok=True)
    for _ in range(5):  # another program may take the free port before nginx binds it
        port = free_port()
        conf = work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(work=work, port=port, root=root), "utf-8")
        process = subprocess.Popen(
            [binary, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            with socket.socket() as sock, contextlib.suppress(OSError):
                sock.connect(("127.0.0.1", port))
                break
            time.sleep(0.05)
        if process.poll() is None:
            break
    else:
        log = (work / "error.log").read_text("utf-8", "replace")[-2000:]
        raise SystemExit(f"nginx did not start:\n{log}")
    try:
        yield port
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful: finish open responses, then exit
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def nginx_version(binary: str) -> str:
    result = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    return (result.stderr or result.stdout).strip().split("/")[-1]


def archiver_binary() -> str:
    return str(Path(sys.executable).with_name("archiver"))


def has_processes_option() -> bool:
    """Another developer may add `archiver crawl --processes N`; measure it when it is there."""
    result = subprocess.run(
        [archiver_binary(), "crawl", "--help"], capture_output=True, text=True, check=False
    )
    return "--processes" in result.stdout


# -- one run in its own process -------------------------------------------------------------


@dataclass
class Run:
    kind: str
    round: int
    articles: int
    pages: int
    wall: float
    cpu: float
    rss_mb: float
    returncode: int

    @property
    def rate(self) -> float:
        return self.articles / self.wall if self.wall else 0.0

    @property
    def cpu_rate(self) -> float:
        """Pages per CPU second: the rate on a core of its own, when the machine is shared."""
        return self.articles / self.cpu if self.cpu else 0.0

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.articles if self.articles else 0.0


def measure(command: list[str], log: Path, timeout: float) -> tuple[int, float, float, float]:
    """(exit code, wall s, CPU s, peak RSS MB) of one command, from the kernel's rusage.

    The command gets a session of its own, so that a run past `timeout` is ended with all its
    processes (the workers of --processes too) and the benchmark goes on.
    """
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True
        )

        def stop() -> None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
                time.sleep(5)

        timer = threading.Timer(timeout, stop)
        timer.daemon = True
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        timer.cancel()
    with contextlib.suppress(ProcessLookupError):  # workers that outlived their parent
        os.killpg(process.pid, signal.SIGKILL)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def settings_args() -> list[str]:
    return [arg for name, value in CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]


def crawl_command(kind: str, url: str, db: Path, stats: Path, dedupe: bool = False) -> list[str]:
    """The command line of one run of `kind` (a, b, b1, b2 or c)."""
    python = sys.executable
    ours = ["-s", "BENCH_DEDUPE_LINKS=True"] if dedupe else []
    if kind == "a":
        return [python, str(HERE / "noop_spider.py"), url, "--stats", str(stats), *ours]
    if kind == "c":
        command = [python, str(HERE / "baseline_pipeline.py"), url, "--db", str(db)]
        return command + ["--stats", str(stats), *ours]
    command = [archiver_binary(), "crawl", url, "--db", str(db), *settings_args()]
    if kind == "b1":
        command += ["-s", "ARCHIVE_EXTRACT_WORKER=False"]
    if kind == "b2":
        command += ["--processes", "2"]
    return command


def read_counts(db: Path, stats: Path) -> tuple[int, int]:
    """(article pages, responses) of a finished run, from its stats file or its archive."""
    articles = pages = 0
    if stats.exists():
        values = json.loads(stats.read_text("utf-8"))
        articles = int(values.get("bench/articles", 0))
        pages = int(values.get("response_received_count", 0))
    if db.exists():
        with contextlib.closing(sqlite3.connect(db)) as conn:
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            row = conn.execute("SELECT sum(pages_fetched) FROM crawls").fetchone()
            pages = pages or int(row[0] or 0)
    return articles, pages


def run_once(
    kind: str, number: int, url: str, work: Path, timeout: float, dedupe: bool = False
) -> Run:
    db, stats, log = (work / f"{kind}-{number}.{ext}" for ext in ("db", "json", "log"))
    command = crawl_command(kind, url, db, stats, dedupe)
    code, wall, cpu, rss = measure(command, log, timeout)
    articles, pages = read_counts(db, stats)
    if code != 0:
        print(f"  {kind} round {number} exited {code}; see {log}", file=sys.stderr)
    return Run(kind, number, articles, pages, wall, cpu, rss, code)


# -- (b)'s stages, in process, without the network ------------------------------------------


@dataclass
class StageTimes:
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    date_calls: int = 0
    stored: int = 0


def pipeline_loop(
    site: GeneratedSite, base_url: str, db_path: Path, limit: int | None = None
) -> StageTimes:
    """extract -> normalize (dates timed apart) -> store, as a crawl runs them, page by page.

    Besides the four stages it times what the news spider does around them for each page:
    decoding the body, parsing it once, finding links (page_links, NewsSpider.follow) and the frontier's
    writes.
    """
    from scrapy import Request
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from archiver.archive.store import Archive
    from archiver.crawl.frontier import Frontier
    from archiver.extract.decode import decode_html
    from archiver.extract.discover import feed_links, page_links
    from archiver.extract.nodes import parse_html
    from archiver.extract.page import extract_article
    from archiver.items import RawPage
    from archiver.normalize.article import normalize_article
    from archiver.normalize.dates import FrenchDates
    from archiver.spiders.news import NewsSpider
    from archiver.version import extractor_version

    clock = time.process_time
    times = StageTimes()
    spent = times.seconds
    dates = FrenchDates("Europe/Paris")
    parse = dates.parse

    def timed_parse(text: str | None, now: datetime | None = None) -> datetime | None:
        started = clock()
        try:
            return parse(text, now)
        finally:
            spent["dates"] += clock() - started
            times.date_calls += 1

    dates.parse = timed_parse  # type: ignore[method-assign]
    spider = NewsSpider.from_crawler(
        get_crawler(NewsSpider, {"LOG_LEVEL": "WARNING"}), url=base_url
    )
    content_type = "text/html; charset=utf-8"
    version = extractor_version()
    with Archive(db_path) as archive:
        crawl_id = archive.start_crawl("bench-stages")
        frontier = Frontier(archive, "bench-stages")
        pending = []

        def flush() -> None:
            started = clock()
            archive.save_articles(pending, crawl_id, extractor_version=version)
            spent["store"] += clock() - started
            started = clock()
            frontier.done([a.requested_url or a.url for a in pending])
            spent["frontier"] += clock() - started
            times.stored += len(pending)
            pending.clear()

        for path in site.article_paths[:limit]:
            body = (site.root / path.lstrip("/")).read_bytes()
            url = base_url.rstrip("/") + path
            fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            times.pages += 1
            started = clock()
            html, _, utf8 = decode_html(body, content_type)
            decoded = clock()
            # one parse for links and extraction, of the bytes when they can be, as read_page does
            sel = parse_html(utf8 if utf8 is not None else html)
            parsed = clock()
            response = HtmlResponse(
                url, body=body, encoding="utf-8", request=Request(url, meta={"link_depth": 0})
            )
            linked = clock()
            feeds, links = feed_links(sel, url), page_links(sel, url)
            requests = list(spider.follow(response, feeds, links))
            followed = clock()
            frontier.add((r.url, r.meta.get("kind", "page"), 1) for r in requests)
            added = clock()
            article = extract_article(html, url, fetched_at=fetched_at, selector=sel)
            extracted = clock()
            spent["decode"] += decoded - started
            spent["parse"] += parsed - decoded
            spent["links"] += followed - linked
            spent["frontier"] += added - followed
            spent["extract"] += extracted - added
            if article is not None:
                in_dates = spent["dates"]
                normalize_article(article, dates)
                spent["normalize"] += clock() - extracted - (spent["dates"] - in_dates)
                article.requested_url = url
                article.raw = RawPage(url=url, body=body, final_url=url, fetched_at=fetched_at)
                pending.append(article)
            if len(pending) >= BATCH_SIZE:
                flush()
        if pending:
            flush()
    return times


# -- pyinstrument ---------------------------------------------------------------------------


@dataclass
class Profile:
    """Where the sampled time of the in-process pipeline went, three ways."""

    pages: int
    total: float
    functions: list[tuple[str, float, float]]  # (function, own s, inclusive s)
    ours: list[tuple[str, float, float]]  # (our function, own + library calls s, inclusive s)
    packages: list[tuple[str, float]]  # (package, own s; C calls count in their caller)


def _is_ours(path: str) -> bool:
    normalized = path.replace("\\", "/")
    return "/site-packages/" not in normalized and (
        "/archiver/" in normalized or "/spiders/" in normalized
    )


def profile_pipeline(site: GeneratedSite, base_url: str, db_path: Path, pages: int) -> Profile:
    """Sample the in-process pipeline with pyinstrument and sum its call tree up."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    pipeline_loop(site, base_url, db_path, limit=pages)
    profiler.stop()
    session = profiler.last_session
    root = session.root_frame() if session else None
    own: dict[str, float] = defaultdict(float)
    inclusive: dict[str, float] = defaultdict(float)
    ours: dict[str, float] = defaultdict(float)
    ours_inclusive: dict[str, float] = defaultdict(float)
    packages: dict[str, float] = defaultdict(float)

    def walk(frame: Any, caller: Any, project: str | None, open_keys: frozenset[str]) -> None:
        if frame.is_synthetic:
            return
        path = frame.file_path or ""
        builtin = path.startswith("<built-in")
        if builtin and caller is not None:  # C code: name it after, and count it in, its caller
            key = (
                f"{frame.function} ← {caller.function} ({caller.file_path_short}:{caller.line_no})"
            )
            package = package_of(caller.file_path or "")
        else:
            key = f"{frame.function} ({frame.file_path_short or path}:{frame.line_no})"
            package = package_of(path)
        if _is_ours(path):
            project = key
            if key not in open_keys:
                ours_inclusive[key] += frame.time
        spent = frame.total_self_time
        own[key] += spent
        packages[package] += spent
        if project is not None:
            ours[project] += spent
        if key not in open_keys:  # recursion counts once
            inclusive[key] += frame.time
        for child in frame.children:
            walk(child, frame, project, open_keys | {key})

    if root is not None:
        walk(root, None, None, frozenset())

    def top(values: dict[str, float], with_inclusive: dict[str, float], count: int) -> list:
        ranked = sorted(values.items(), key=lambda kv: kv[1], reverse=True)[:count]
        return [(name, seconds, with_inclusive[name]) for name, seconds in ranked]

    return Profile(
        pages=pages,
        total=root.time if root is not None else 0.0,
        functions=top(own, inclusive, 25),
        ours=top(ours, ours_inclusive, 20),
        packages=sorted(packages.items(), key=lambda kv: kv[1], reverse=True)[:12],
    )


def xpath_costs(
    site: GeneratedSite, base_url: str, db_path: Path, pages: int
) -> list[tuple[str, str, float, float]]:
    """CPU time per XPath query (CSS queries run as their XPath) and the function of ours, or of
    the spider, that asked for it: (caller, query, calls per page, ms per page), costliest first.

    The profile shows parsel's `xpath` as the top function but not which query; this does.
    """
    from parsel import Selector

    original = Selector.xpath
    costs: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])

    def timed(self: Selector, query: str, *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return original(self, query, *args, **kwargs)
        finally:
            spent = time.process_time() - started
            frame = sys._getframe(1)
            while frame.f_back is not None and "/parsel/" in frame.f_code.co_filename:
                frame = frame.f_back
            caller = f"{frame.f_code.co_name} ({Path(frame.f_code.co_filename).name})"
            entry = costs[(caller, " ".join(query.split()))]
            entry[0] += 1
            entry[1] += spent

    Selector.xpath = timed  # type: ignore[method-assign]
    try:
        pipeline_loop(site, base_url, db_path, limit=pages)
    finally:
        Selector.xpath = original  # type: ignore[method-assign]
    ranked = sorted(costs.items(), key=lambda kv: kv[1][1], reverse=True)
    return [
        (caller, query, calls / pages, 1000 * seconds / pages)
        for (caller, query), (calls, seconds) in ranked
    ]


def package_of(path: str) -> str:
    """archiver.extract.body, parsel, lxml, sqlite_utils, ...: where a function's own time goes."""
    normalized = path.replace("\\", "/")
    if "/site-packages/" in normalized:
        return normalized.split("/site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    for top in ("archiver/", "spiders/", "benchmarks/"):
        if top in normalized:
            tail = normalized[normalized.rindex(top) :].removesuffix(".py")
            return tail.replace("/", ".")
    if normalized.startswith("<"):
        return normalized
    return "stdlib: " + Path(normalized).stem


# -- report ---------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    align = align or "l" + "r" * (len(header) - 1)
    marks = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report_runs(runs: list[Run]) -> str:
    rows = [
        [
            str(r.round),
            LABELS[r.kind],
            str(r.articles),
            str(r.pages),
            f"{r.wall:.1f}",
            f"{r.rate:.1f}",
            f"{r.cpu:.1f}",
            f"{r.cpu / r.wall:.2f}" if r.wall else "-",
            f"{r.cpu_ms:.2f}",
            f"{r.rss_mb:.0f}",
            "ok" if r.returncode == 0 else f"**exit {r.returncode}**",
        ]
        for r in runs
    ]
    header = ["round", "run", "articles", "responses", "wall s", "pages/s", "CPU s", "CPU/wall"]
    return table([*header, "CPU ms/page", "peak RSS MB", "exit"], rows, "rlrrrrrrrrl")


def by_round(runs: list[Run], kind: str) -> dict[int, Run]:
    return {r.round: r for r in runs if r.kind == kind and r.returncode == 0 and r.articles}


def ratios(runs: list[Run], top: str, bottom: str, value: Callable[[Run], float]) -> list[float]:
    tops, bottoms = by_round(runs, top), by_round(runs, bottom)
    return [
        value(tops[n]) / value(bottoms[n])
        for n in sorted(tops)
        if n in bottoms and value(bottoms[n])
    ]


def report_summary(runs: list[Run], kinds: list[str]) -> str:
    rows = []
    for kind in kinds:
        done = list(by_round(runs, kind).values())
        if not done:
            rows.append([LABELS[kind], "every run failed", "", "", "", ""])
            continue
        rows.append(
            [
                LABELS[kind],
                f"{median([r.rate for r in done]):.1f}",
                f"{median([r.cpu_rate for r in done]):.1f}",
                f"{median([r.cpu_ms for r in done]):.2f}",
                f"{median([r.rss_mb for r in done]):.0f}",
                f"{min((r.articles for r in done), default=0)}",
            ]
        )
    header = ["run", "pages/s", "pages per CPU s", "CPU ms/page", "peak RSS MB", "articles (min)"]
    return table(header, rows)


def report_targets(runs: list[Run]) -> str:
    def cells(values: list[float], target: float, at_least: bool, digits: int = 2) -> list[str]:
        value = median(values)
        met = value >= target if at_least else value <= target
        sign = ">=" if at_least else "<="
        each = ", ".join(f"{v:.{digits}f}" for v in values)
        return [f"{sign} {target:g}", f"{value:.{digits}f}", each, "yes" if met else "**no**"]

    rows = []
    for kind, how in (("b", ""), ("b1", ", one core")):
        if not by_round(runs, kind):
            continue
        rows += [
            [
                f"pages/s {kind}/a{how}",
                *cells(ratios(runs, kind, "a", lambda r: r.rate), TARGETS["b/a"], True),
            ],
            [
                f"pages/s {kind}/c{how}",
                *cells(ratios(runs, kind, "c", lambda r: r.rate), TARGETS["b/c"], True),
            ],
            [
                f"pages per CPU s {kind}/a{how} (what a shared machine leaves out)",
                *cells(ratios(runs, kind, "a", lambda r: r.cpu_rate), TARGETS["b/a"], True),
            ],
            [
                f"peak RSS {kind}/a{how} (largest process)",
                *cells(ratios(runs, kind, "a", lambda r: r.rss_mb), TARGETS["rss"], False),
            ],
            [
                f"CPU ms/page beyond the ceiling ({kind}-a{how}, every process)",
                *cells(beyond_ceiling(runs, kind), TARGETS["beyond"], False),
            ],
        ]
    ceiling = [r.cpu_ms for r in by_round(runs, "a").values()]
    if ceiling:  # the ms target moves with the machine: how fast it was in each round
        each = ", ".join(f"{v:.2f}" for v in ceiling)
        rows.append(["(a)'s own CPU ms/page, the ceiling", "", f"{median(ceiling):.2f}", each, ""])
    return table(["measure", "target", "median", "per round", "met"], rows, "llrll")


def beyond_ceiling(runs: list[Run], kind: str) -> list[float]:
    """CPU ms per article page that a run of `kind` spent beyond the no-op run of its round."""
    a, b = by_round(runs, "a"), by_round(runs, kind)
    return [(b[n].cpu - a[n].cpu) * 1000 / b[n].articles for n in sorted(b) if n in a]


def report_processes(runs: list[Run]) -> str:
    """--processes 2 against one process that reads its own pages (b1), when b1 was run."""
    one = "b1" if by_round(runs, "b1") else "b"
    speedups = ratios(runs, "b2", one, lambda r: r.rate)
    rows = [
        [
            f"speed-up b2/{one} (pages/s)",
            f"{median(speedups):.2f}",
            ", ".join(f"{v:.2f}" for v in speedups),
        ],
        [
            f"peak RSS b2/{one} (largest process)",
            f"{median(ratios(runs, 'b2', one, lambda r: r.rss_mb)):.2f}",
            "",
        ],
        [
            f"CPU b2/{one} (all processes)",
            f"{median(ratios(runs, 'b2', one, lambda r: r.cpu)):.2f}",
            "",
        ],
    ]
    return table(["measure", "median", "per round"], rows, "lrl")


def report_stages(times: StageTimes, runs: list[Run]) -> str:
    per_page = {name: 1000 * s / times.pages for name, s in times.seconds.items()}
    four = ["extract", "normalize", "dates", "store"]
    total = sum(per_page.get(name, 0.0) for name in four)
    calls = times.date_calls / times.pages if times.pages else 0
    us_per_call = (
        1e6 * times.seconds.get("dates", 0.0) / times.date_calls if times.date_calls else 0
    )
    described = {
        "extract": "extract (extract_article)",
        "normalize": "normalize (normalize_article, dates excluded)",
        "dates": f"dates (FrenchDates.parse: {calls:.1f} calls/page, {us_per_call:.0f} µs/call)",
        "store": f"store (Archive.save_articles, batches of {BATCH_SIZE})",
    }
    rows = [
        [
            described[name],
            f"{per_page.get(name, 0.0):.2f}",
            f"{100 * per_page.get(name, 0.0) / total:.0f}%",
        ]
        for name in four
    ]
    rows.append(["**the four stages**", f"**{total:.2f}**", "100%"])
    around = {
        "decode": "also per page: decode_html",
        "parse": "also per page: the HTML parse (the ceiling parses too)",
        "links": "also per page: page_links and NewsSpider.follow (the ceiling follows links too)",
        "frontier": "also per page: Frontier.add, Frontier.done per batch",
    }
    for name, label in around.items():
        rows.append([label, f"{per_page.get(name, 0.0):.2f}", ""])
    everything = sum(per_page.values())
    rows.append(["all of the above", f"{everything:.2f}", ""])
    for kind in ("b", "b1"):
        beyond = beyond_ceiling(runs, kind)
        if beyond:
            rows.append(
                [
                    f"measured in the crawl beyond the ceiling ({kind}-a, median)",
                    f"{median(beyond):.2f}",
                    "",
                ]
            )
    return table(["stage", "CPU ms/page", "share of the four"], rows)


def report_quality(db: Path) -> str:
    """How much of each generated article our crawl found: a benchmark of nothing is no benchmark."""
    if not db.exists():
        return ""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        row = conn.execute(
            "SELECT count(*), sum(published_at IS NOT NULL), sum(authors != '[]'), "
            "sum(comment_count), sum(image_count), avg(length(body)) FROM articles"
        ).fetchone()
        dated = conn.execute(
            "SELECT sum(published_at IS NOT NULL), count(*) FROM comments"
        ).fetchone()
        errors = conn.execute(
            "SELECT reason, count(*) FROM fetch_errors GROUP BY reason"
        ).fetchall()
    count = row[0] or 1
    return (
        f"(b) stored {row[0]} articles: {100 * (row[1] or 0) / count:.0f}% with published_at, "
        f"{100 * (row[2] or 0) / count:.0f}% with authors, {row[3]} comments "
        f"({100 * (dated[0] or 0) / max(dated[1], 1):.0f}% dated), {row[4]} images, "
        f"body {row[5] or 0:.0f} characters on average; fetch_errors: "
        + (", ".join(f"{reason} {n}" for reason, n in errors) or "none")
    )


def report_profile(profile: Profile, cpu_ms_per_page: float) -> str:
    """Shares of the sampled time; ms/page applies them to the unprofiled CPU per page, since
    sampling slows the code down and pyinstrument counts wall time."""

    def ms(seconds: float) -> str:
        return f"{cpu_ms_per_page * seconds / profile.total:.2f}" if profile.total else "-"

    def share(seconds: float) -> str:
        return f"{100 * seconds / profile.total:.1f}%" if profile.total else "-"

    functions = table(
        [
            "function (file:line); C calls named after their caller",
            "own share",
            "own ≈ms/page",
            "incl. share",
        ],
        [[f"`{name}`", share(own), ms(own), share(incl)] for name, own, incl in profile.functions],
    )
    ours = table(
        [
            "our function, with the library and C calls it makes directly",
            "share",
            "≈ms/page",
            "incl. share",
        ],
        [[f"`{name}`", share(own), ms(own), share(incl)] for name, own, incl in profile.ours],
    )
    packages = table(
        ["package or module (C calls count in their caller's)", "share", "≈ms/page"],
        [[f"`{name}`", share(s), ms(s)] for name, s in profile.packages],
    )
    return (
        f"Top functions by own time:\n\n{functions}\n\n"
        f"Our functions, each with the library code it calls directly (not through another of ours):"
        f"\n\n{ours}\n\nBy package:\n\n{packages}"
    )


def report_xpath(costs: list[tuple[str, str, float, float]], count: int = 15) -> str:
    total = sum(ms for *_, ms in costs)

    def short(query: str) -> str:
        return query if len(query) <= 110 else query[:107] + "..."

    rows = [
        [
            f"`{caller}`",
            f"`{short(query)}`",
            f"{calls:.1f}",
            f"{ms:.2f}",
            f"{1000 * ms / calls:.0f}",
        ]
        for caller, query, calls, ms in costs[:count]
    ]
    rows.append(["**all XPath and CSS queries**", "", "", f"**{total:.2f}**", ""])
    header = ["caller", "query (CSS as its XPath)", "calls/page", "CPU ms/page", "µs/call"]
    return table(header, rows, "llrrr")


# -- main -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=2000, help="Article pages to generate.")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of (a), (b), (c).")
    parser.add_argument("--profile", action="store_true", help="Also profile with pyinstrument.")
    parser.add_argument("--profile-pages", type=int, default=500, help="Pages to profile.")
    parser.add_argument("--quick", action="store_true", help="300 pages, 1 round: a smoke check.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--timeout", type=float, help="Seconds before a run is ended [default: 60 + 0.5 s a page]."
    )
    parser.add_argument(
        "--dedupe-links",
        action="store_true",
        help="(a) and (c) yield each URL once per crawl: use once the news spider does too.",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the temp dir (site, archives).")
    args = parser.parse_args()
    if args.quick:
        args.pages, args.rounds = min(args.pages, 300), 1
    if args.pages < 1 or args.rounds < 1:
        parser.error("--pages and --rounds must be at least 1")
    args.timeout = args.timeout or 60 + 0.5 * args.pages

    binary = ensure_nginx()
    ensure_module("trafilatura", "trafilatura")
    if args.profile:
        ensure_module("pyinstrument", "pyinstrument")
    processes = has_processes_option()
    kinds = ["a", "b", "b1", *(["b2"] if processes else []), "c"]

    tmp = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    tmp.chmod(0o755)  # nginx workers run as nobody and must read the site
    try:
        started = time.perf_counter()
        site = generate_site(tmp / "site", args.pages, args.seed)
        generated = time.perf_counter() - started
        work = tmp / "runs"
        work.mkdir()
        runs: list[Run] = []
        with nginx(binary, tmp / "site", tmp / "nginx") as port:
            url = f"http://127.0.0.1:{port}/"
            print(
                f"site: {site.articles} articles + {site.other_pages} other pages, "
                f"{site.article_bytes / site.articles / 1024:.1f} KB per article, "
                f"generated in {generated:.1f} s; nginx on {url}",
                file=sys.stderr,
            )
            for number in range(1, args.rounds + 1):
                for kind in kinds:
                    timeout = args.timeout
                    if kind == "b2" and runs and runs[-1].kind == "b":  # sharded: may hang
                        timeout = min(timeout, 30 + 3 * runs[-1].wall)
                    run = run_once(kind, number, url, work, timeout, args.dedupe_links)
                    runs.append(run)
                    print(
                        f"  round {number} {kind}: {run.articles} articles in {run.wall:.1f} s "
                        f"({run.rate:.1f} pages/s), RSS {run.rss_mb:.0f} MB",
                        file=sys.stderr,
                    )
            print("timing (b)'s stages in process...", file=sys.stderr)
            stages = pipeline_loop(site, url, tmp / "stages.db")
            profile = None
            if args.profile:
                print("profiling with pyinstrument...", file=sys.stderr)
                pages = min(args.profile_pages, site.articles)
                profile = profile_pipeline(site, url, tmp / "profile.db", pages)
                queries = xpath_costs(site, url, tmp / "xpath.db", pages)

        import scrapy

        links = (
            "each URL once per crawl (--dedupe-links)"
            if args.dedupe_links
            else "a request for every same-host link of every page, as the news spider does"
        )

        print(f"## Crawl benchmark: {site.articles} article pages, {args.rounds} round(s)\n")
        print(
            f"{site.articles} generated articles of {site.article_bytes / site.articles / 1024:.0f} KB "
            f"on average plus {site.other_pages} listing, tag, author and static pages, served by "
            f"nginx {nginx_version(binary)} on 127.0.0.1; {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, Scrapy {scrapy.__version__}. Every run in its own "
            f"process with {', '.join(f'{k}={v}' for k, v in CRAWL_SETTINGS.items())}; "
            f"(a) and (c) yield {links}. "
            f"Pages/s = articles fetched / wall seconds of the process.\n"
        )
        print("### Every run\n")
        print(report_runs(runs) + "\n")
        starved = [r for r in runs if r.kind != "b2" and r.wall and r.cpu / r.wall < 0.9]
        if starved:
            print(
                f"{len(starved)} single-process run(s) got less than 0.9 CPU second per second: "
                "other programs were using the CPUs (load average at the end "
                f"{os.getloadavg()[0]:.1f}). Pages per CPU second is the figure to compare then.\n"
            )
        print("### Median over rounds\n")
        print(report_summary(runs, kinds) + "\n")
        print("### Targets\n")
        print(report_targets(runs) + "\n")
        if processes:
            print("### archiver crawl --processes 2\n")
            print(report_processes(runs) + "\n")
        print(f"### Where (b)'s CPU goes: in process, no network, {stages.pages} article pages\n")
        print(report_stages(stages, runs) + "\n")
        quality = report_quality(work / "b-1.db")
        if quality:
            print(quality + "\n")
        if profile is not None:
            cpu_per_page = 1000 * sum(stages.seconds.values()) / stages.pages
            print(f"### Profile of the in-process pipeline (pyinstrument, {profile.pages} pages)\n")
            print(report_profile(profile, cpu_per_page) + "\n")
            print(
                f"### XPath and CSS queries by CPU time ({profile.pages} pages, timed one by one)\n"
            )
            print(report_xpath(queries) + "\n")
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
