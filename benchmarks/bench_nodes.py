"""Redis nodes against one machine's crawl: what a Redis job costs, and what two nodes give.

Run from the repository root (as root when nginx is missing, which it installs):
    .venv/bin/python benchmarks/bench_nodes.py [--pages 2000] [--rounds 3]

On the crawl benchmark's generated site (sitegen.py), served by nginx on 127.0.0.1 as
bench_crawl.py serves it, and one redis-server of its own (no persistence, a free port, a temp
dir), it alternates for R rounds:
  (1) `archiver crawl URL --db one.db`: one node as it runs by default (pages read by the
      extraction worker, a second process);
  (2) `archiver crawl --processes 2`: one machine's crawl split over two processes;
  (3) one `archiver crawl --redis ... --job ...` alone on its job: the same crawl as (1) with
      its frontier, duplicate filter and site pace in Redis, which isolates what Redis costs;
  (4) two such nodes started together, each writing its own archive; the union of their
      articles is checked against the site's, and `archiver merge` of the two is timed.
Every run uses bench_crawl's settings (16 requests, 16 per site, no delay, no AutoThrottle) and
a fresh archive; each Redis run a job of its own on an emptied database.

Pages/s is articles stored over the wall time from the first process's start to the last one's
end. Crawl CPU is that of the crawl processes and the children they waited for (os.wait4's
rusage, as in bench_crawl); Redis CPU is redis-server's own (INFO cpu), and Redis commands are
counted by INFO commandstats, before and after each run, our INFO calls left out: the Lua
scripts (EVALSHA) apart, and every command, those the scripts run included (commandstats
counts them too, so the second figure is what Redis executes, not round trips). "What Redis
adds per page" is (3)'s crawl CPU less (1)'s, plus redis-server's CPU and commands, per article
stored (listing, tag and author pages are fetched too, about one for two articles).
Ratios against (1) are per round, then the median. Everything is printed as Markdown tables.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench_crawl import (
    Run,
    archiver_binary,
    by_round,
    crawl_command,
    ensure_module,
    ensure_nginx,
    free_port,
    measure,
    median,
    nginx,
    nginx_version,
    ratios,
    read_counts,
    run_once,
    table,
)
from noop_spider import CRAWL_SETTINGS
from sitegen import generate_site

LABELS = {
    "b": "(1) one node: archiver crawl",
    "b2": "(2) archiver crawl --processes 2",
    "r1": "(3) one node on Redis",
    "r2": "(4) two nodes on Redis",
}
NODES = {"r1": 1, "r2": 2}


# -- redis-server ---------------------------------------------------------------------------


@contextlib.contextmanager
def redis_server(work: Path) -> Iterator[Any]:
    """A redis-server without persistence on a free 127.0.0.1 port: yields a client of it."""
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is missing: apt-get install redis-server")
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(work)]
    command += ["--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(200):
            with contextlib.suppress(redis.ConnectionError):
                client.ping()
                break
            time.sleep(0.05)
        else:
            raise SystemExit(f"redis-server did not answer on port {port}")
        yield client
    finally:
        client.close()
        process.terminate()
        process.wait(10)


def redis_version(client: Any) -> str:
    return str(client.info("server")["redis_version"])


@dataclass
class RedisUse:
    """What redis-server did: its CPU, and per command its calls and time inside it."""

    cpu: float = 0.0
    calls: dict[str, int] = field(default_factory=dict)
    usec: dict[str, int] = field(default_factory=dict)
    net_bytes: int = 0

    @property
    def commands(self) -> int:
        """Every command run, those a Lua script runs included (commandstats counts them too)."""
        return sum(self.calls.values())

    @property
    def scripts(self) -> int:
        return sum(self.calls.get(name, 0) for name in ("eval", "evalsha", "eval_ro", "evalsha_ro"))


def redis_snapshot(client: Any) -> RedisUse:
    """redis-server's counters now; our own INFO calls are left out of the commands."""
    cpu = client.info("cpu")
    stats = client.info("stats")
    commands = {
        name.removeprefix("cmdstat_"): values
        for name, values in client.info("commandstats").items()
        if name != "cmdstat_info"
    }
    return RedisUse(
        cpu=float(cpu["used_cpu_sys"]) + float(cpu["used_cpu_user"]),
        calls={name: int(v["calls"]) for name, v in commands.items()},
        usec={name: int(v["usec"]) for name, v in commands.items()},
        net_bytes=int(stats["total_net_input_bytes"]) + int(stats["total_net_output_bytes"]),
    )


def redis_used(before: RedisUse, after: RedisUse) -> RedisUse:
    def less(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
        return {k: v - b.get(k, 0) for k, v in a.items() if v - b.get(k, 0)}

    return RedisUse(
        cpu=after.cpu - before.cpu,
        calls=less(after.calls, before.calls),
        usec=less(after.usec, before.usec),
        net_bytes=after.net_bytes - before.net_bytes,
    )


# -- the runs -------------------------------------------------------------------------------


@dataclass
class NodesCheck:
    """Two nodes' archives against the site: their split, their union, and their merge."""

    round: int
    split: list[int]
    union: int
    missing: int
    merge_seconds: float
    merged: int


def node_command(url: str, db: Path, redis_url: str, job: str) -> list[str]:
    """(1)'s command line, as a node of `job`."""
    command = crawl_command("b", url, db, db.with_suffix(".json"))
    return [*command, "--redis", redis_url, "--job", job]


def run_nodes(
    kind: str, number: int, url: str, client: Any, work: Path, timeout: float
) -> tuple[Run, RedisUse, list[Path]]:
    """NODES[kind] nodes of a new job, started together, each measured in a thread of its own."""
    pool = client.connection_pool.connection_kwargs
    redis_url = f"redis://{pool['host']}:{pool['port']}/0"
    job = f"{kind}-{number}"
    dbs = [work / f"{job}-node{i}.db" for i in range(1, NODES[kind] + 1)]
    results: list[tuple[int, float, float, float]] = [(-1, 0.0, 0.0, 0.0)] * len(dbs)

    def one(i: int) -> None:
        command = node_command(url, dbs[i], redis_url, job)
        results[i] = measure(command, dbs[i].with_suffix(".log"), timeout)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(dbs))]
    before = redis_snapshot(client)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    used = redis_used(before, redis_snapshot(client))
    client.flushdb()  # the next run starts on an empty Redis
    counts = [read_counts(db, db.with_suffix(".json")) for db in dbs]
    code = next((r[0] for r in results if r[0] != 0), 0)
    if code != 0:
        print(f"  {kind} round {number} exited {code}; see {work}/{job}-*.log", file=sys.stderr)
    articles, pages = sum(c[0] for c in counts), sum(c[1] for c in counts)
    cpu, rss = sum(r[2] for r in results), max(r[3] for r in results)
    return Run(kind, number, articles, pages, wall, cpu, rss, code), used, dbs


def article_paths(db: Path) -> list[str]:
    if not db.exists():
        return []
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return [urlsplit(row[0]).path for row in conn.execute("SELECT url FROM articles")]


def check_nodes(
    number: int, dbs: list[Path], expected: set[str], work: Path, timeout: float
) -> NodesCheck:
    """Do the nodes' archives hold the site's articles, and how long does merging them take?"""
    per_node = [article_paths(db) for db in dbs]
    union = set().union(*per_node)
    merged = work / f"merged-{number}.db"
    command = [archiver_binary(), "merge", *map(str, dbs)]
    code, wall, _, _ = measure([*command, "-o", str(merged)], merged.with_suffix(".log"), timeout)
    if code != 0:
        print(f"  merge round {number} exited {code}", file=sys.stderr)
    return NodesCheck(
        round=number,
        split=[len(paths) for paths in per_node],
        union=len(union & expected),
        missing=len(expected - union),
        merge_seconds=wall,
        merged=len(article_paths(merged)) if code == 0 else 0,
    )


@dataclass
class Results:
    runs: list[Run] = field(default_factory=list)
    redis: dict[tuple[str, int], RedisUse] = field(default_factory=dict)
    checks: list[NodesCheck] = field(default_factory=list)


def one_round(
    number: int, url: str, client: Any, expected: set[str], work: Path, timeout: float
) -> Results:
    """(1) to (4) once each, in that order."""
    done = Results()
    for kind in LABELS:
        if kind in NODES:
            run, used, dbs = run_nodes(kind, number, url, client, work, timeout)
            done.redis[(kind, number)] = used
            if len(dbs) > 1:
                done.checks.append(check_nodes(number, dbs, expected, work, timeout))
        else:
            run = run_once(kind, number, url, work, timeout)
        done.runs.append(run)
        print(
            f"  round {number} {kind}: {run.articles} articles in {run.wall:.1f} s "
            f"({run.rate:.1f} pages/s), CPU {run.cpu_ms:.2f} ms a page",
            file=sys.stderr,
        )
    return done


# -- report ---------------------------------------------------------------------------------


def per_page(value: float, run: Run) -> float:
    return value / run.articles if run.articles else 0.0


def report_runs(results: Results) -> str:
    rows = []
    for r in results.runs:
        used = results.redis.get((r.kind, r.round))
        rows.append(
            [
                str(r.round),
                LABELS[r.kind],
                str(r.articles),
                f"{r.wall:.1f}",
                f"{r.rate:.1f}",
                f"{r.cpu_ms:.2f}",
                f"{per_page(1000 * used.cpu, r):.2f}" if used else "-",
                f"{per_page(used.scripts, r):.1f} / {per_page(used.commands, r):.1f}"
                if used
                else "-",
                f"{r.rss_mb:.0f}",
                "ok" if r.returncode == 0 else f"**exit {r.returncode}**",
            ]
        )
    header = ["round", "run", "articles", "wall s", "pages/s", "crawl CPU ms/page"]
    header += ["Redis CPU ms/page", "Redis scripts / commands a page", "peak RSS MB", "exit"]
    return table(header, rows, "rlrrrrrrrl")


def each(values: list[float], digits: int = 2) -> str:
    """The median in bold, then every round's value in brackets."""
    if not values:
        return "-"
    return f"**{median(values):.{digits}f}** ({', '.join(f'{v:.{digits}f}' for v in values)})"


def redis_per_page(results: Results, kind: str, value: Any) -> list[float]:
    """value(RedisUse) per article, for every good run of `kind`."""
    runs = by_round(results.runs, kind)
    return [per_page(value(results.redis[(kind, n)]), runs[n]) for n in sorted(runs)]


def report_summary(results: Results) -> str:
    rows = []
    for kind, label in LABELS.items():
        done = by_round(results.runs, kind)
        if not done:
            rows.append([label, "every run failed", "", "", "", "", ""])
            continue
        good = list(done.values())
        speed = ratios(results.runs, kind, "b", lambda r: r.rate) if kind != "b" else []
        redis_cpu = redis_per_page(results, kind, lambda u: 1000 * u.cpu) if kind in NODES else []
        scripts = redis_per_page(results, kind, lambda u: u.scripts) if kind in NODES else []
        commands = redis_per_page(results, kind, lambda u: u.commands) if kind in NODES else []
        rows.append(
            [
                label,
                f"{median([r.rate for r in good]):.1f}",
                each(speed) if kind != "b" else "1",
                f"{median([r.cpu_ms for r in good]):.2f}",
                f"{median(redis_cpu):.2f}" if redis_cpu else "-",
                f"{median(scripts):.1f} / {median(commands):.1f}" if commands else "-",
                f"{median([r.rss_mb for r in good]):.0f}",
            ]
        )
    header = ["run", "pages/s", "against (1)", "crawl CPU ms/page", "Redis CPU ms/page"]
    return table([*header, "Redis scripts / commands a page", "peak RSS MB"], rows)


def report_redis_cost(results: Results, top: int = 16) -> str:
    """(3) against (1): the crawl's extra CPU, and redis-server's CPU, commands, bytes."""
    crawl = ratios(results.runs, "r1", "b", lambda r: r.cpu_ms)
    one, alone = by_round(results.runs, "b"), by_round(results.runs, "r1")
    extra = [alone[n].cpu_ms - one[n].cpu_ms for n in sorted(alone) if n in one]
    server = redis_per_page(results, "r1", lambda u: 1000 * u.cpu)
    rows = [
        ["crawl processes' CPU ms/page, (3) - (1)", each(extra)],
        ["crawl processes' CPU, (3) / (1)", each(crawl)],
        ["redis-server CPU ms/page", each(server)],
        ["Lua scripts run/page", each(redis_per_page(results, "r1", lambda u: u.scripts), 1)],
        [
            "Redis commands/page, those the scripts run included",
            each(redis_per_page(results, "r1", lambda u: u.commands), 1),
        ],
        [
            "bytes to and from Redis/page",
            each(redis_per_page(results, "r1", lambda u: u.net_bytes), 0),
        ],
    ]
    totals: dict[str, list[int]] = {}
    for n in sorted(alone):
        for name, calls in results.redis[("r1", n)].calls.items():
            totals.setdefault(name, [0, 0, 0])
            totals[name][0] += calls
            totals[name][1] += results.redis[("r1", n)].usec.get(name, 0)
            totals[name][2] += alone[n].articles
    ranked = sorted(totals.items(), key=lambda kv: kv[1][0], reverse=True)[:top]
    for name, (calls, usec, articles) in ranked:
        rows.append(
            [
                f"  `{name}`: calls/page, server µs/page",
                f"{calls / articles:.2f}, {usec / articles:.0f}",
            ]
        )
    return table(["(3) one node on Redis against (1)", "median (each round)"], rows, "lr")


def report_checks(checks: list[NodesCheck], site_articles: int) -> str:
    rows = [
        [
            str(c.round),
            " + ".join(map(str, c.split)),
            f"{c.union} of {site_articles}"
            + ("" if c.missing == 0 else f", **{c.missing} missing**"),
            str(sum(c.split) - c.union),
            f"{c.merge_seconds:.1f}",
            str(c.merged),
            f"{c.merged / c.merge_seconds:.0f}" if c.merge_seconds else "-",
        ]
        for c in checks
    ]
    header = ["round", "articles per node", "union = site's", "fetched twice", "merge s"]
    return table([*header, "merged articles", "merged articles/s"], rows, "rlrrrrr")


# -- main -----------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace, tmp: Path) -> None:
    site = generate_site(tmp / "site", args.pages, args.seed)
    expected = set(site.article_paths)
    work = tmp / "runs"
    work.mkdir()
    results = Results()
    binary = ensure_nginx()
    with nginx(binary, tmp / "site", tmp / "nginx") as port, redis_server(tmp / "redis") as client:
        url = f"http://127.0.0.1:{port}/"
        print(f"site: {site.articles} articles on {url}", file=sys.stderr)
        for number in range(1, args.rounds + 1):
            done = one_round(number, url, client, expected, work, args.timeout)
            results.runs += done.runs
            results.redis.update(done.redis)
            results.checks += done.checks
        versions = f"nginx {nginx_version(binary)}, Redis {redis_version(client)}"
    print(
        f"## Redis nodes against one machine: {site.articles} article pages, {args.rounds} round(s)\n"
    )
    print(
        f"bench_crawl.py's generated site ({site.articles} articles, "
        f"{site.article_bytes / site.articles / 1024:.0f} KB each on average, plus "
        f"{site.other_pages} other pages), {versions} on 127.0.0.1; {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; every run with "
        f"{', '.join(f'{k}={v}' for k, v in CRAWL_SETTINGS.items())}; load average at the end "
        f"{os.getloadavg()[0]:.1f}.\n"
    )
    print("### Every run\n\n" + report_runs(results) + "\n")
    print("### Median over rounds\n\n" + report_summary(results) + "\n")
    print("### What Redis adds per page\n\n" + report_redis_cost(results) + "\n")
    print("### Two nodes: their union and their merge\n")
    print(report_checks(results.checks, site.articles) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=2000, help="Article pages to generate.")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of (1) to (4).")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--timeout", type=float, help="Seconds before a run is ended [default: 60 + 0.5 s a page]."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the temp dir (site, archives).")
    args = parser.parse_args()
    if args.pages < 1 or args.rounds < 1:
        parser.error("--pages and --rounds must be at least 1")
    args.timeout = args.timeout or 60 + 0.5 * args.pages
    ensure_module("redis", "redis")
    tmp = Path(tempfile.mkdtemp(prefix="bench-nodes-"))
    tmp.chmod(0o755)  # nginx workers run as nobody and must read the site
    try:
        benchmark(args, tmp)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
