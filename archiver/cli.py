"""The `archiver` command: a thin click layer over the crawl, the archive and the exports.

Scrapy and the extractors are imported by the commands that use them: `archiver query`,
`search` and `export` start in a quarter of the time without them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import click

from archiver.archive.condition import ConditionError
from archiver.archive.diff import revision_diff
from archiver.archive.export import FORMATS, ExportError, export
from archiver.archive.limits import DEFAULT_SECONDS, limit_memory, limit_message
from archiver.archive.search import SearchError
from archiver.archive.store import Archive, ArchiveError, ArticleFilter
from archiver.archive.tabular import write_rows
from archiver.progress import LiveLine, counted

DB_OPTION = click.option(
    "--db",
    "db_path",
    default="archive.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The SQLite archive file.",
)


class InputError(click.UsageError):
    """An argument that cannot be, said in one line (exit 2), without the usage text."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def _shown(value: str) -> str:
    """`value` printable whatever it holds: undecodable bytes as \\xff, a NUL as \\x00."""
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = value.encode("utf-8", "backslashreplace")
    return "'" + raw.decode("utf-8", "backslashreplace") + "'"


def check_argument(value: str) -> None:
    """InputError for an argument SQLite, the terminal or a file name could not take: bytes
    that are not UTF-8 (Python keeps them as lone surrogates), or a NUL byte."""
    if "\x00" in value:
        raise InputError(f"argument {_shown(value)} holds a NUL byte")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"argument {_shown(value)} is not valid UTF-8") from None


class ArchiverGroup(click.Group):
    """The `archiver` group: every argument of every command is checked before any runs."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for value in args:
            check_argument(value)
        return super().parse_args(ctx, args)


class IsoDate(click.ParamType):
    """A calendar date written YYYY-MM-DD, given on as that string: the archive compares its
    ISO 8601 dates as text, so "2020-13-45" or "not-a-date" would silently select nothing."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        option = param.opts[0] if param is not None and param.opts else "date"
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        raise InputError(
            f"{option} expects a date as YYYY-MM-DD (2016-10-03), got {_shown(str(value))}"
        )


DATE = IsoDate()


def timeout_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--timeout, in seconds: what it bounds differs by command, hence the help."""
    return click.option(
        "--timeout",
        type=click.FloatRange(0, min_open=True),
        default=DEFAULT_SECONDS,
        show_default=True,
        metavar="SECONDS",
        help=help_text,
    )


TIMEOUT_OPTION = timeout_option(
    "Stop after this many seconds (time waiting on the output's reader aside)."
)


SETTING_OPTION = click.option(
    "-s", "--set", "setting", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting."
)
NO_RAW_OPTION = click.option(
    "--no-raw", is_flag=True, help="Do not keep the raw pages (no `archiver reparse` later)."
)


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise click.UsageError(f"{option} expects NAME=VALUE, got {value!r}")
        pairs[name.strip()] = setting
    return pairs


@contextlib.contextmanager
def crawl_errors() -> Iterator[None]:
    """A crawl that cannot start, said in one line: exit 2 for a setting or an argument that
    cannot be, 1 otherwise."""
    from archiver.crawl.run import CrawlError, CrawlSettingError

    try:
        yield
    except CrawlSettingError as error:
        raise click.UsageError(str(error)) from None
    except CrawlError as error:
        raise click.ClickException(str(error)) from None


def last_crawl_id(db_path: str) -> int:
    """The newest crawl run in the archive, 0 when there is none (or no archive yet)."""
    if not Path(db_path).is_file():
        return 0
    try:
        with Archive(db_path, read_only=True) as archive:
            return archive.last_crawl_id()
    except (ArchiveError, sqlite3.Error):
        return 0


def print_summary(db_path: str, seconds: float, after: int) -> str | None:
    """Summarise the crawl runs newer than `after` (one, or one per process); returns how
    they ended: "finished" only if every one of them did."""
    with Archive(db_path, read_only=True) as archive:
        counts = archive.counts()
        runs = archive.crawls(after)
    if not runs:
        raise click.ClickException("the crawl did not start; see the log above")
    reasons = [run.finish_reason for run in runs]
    reason = next((r for r in reasons if r not in ("finished", "limit_reached")), reasons[0])
    label = f"Crawl {runs[0].id}" if len(runs) == 1 else f"Crawls {runs[0].id}-{runs[-1].id}"
    processes = "" if len(runs) == 1 else f", {len(runs)} processes"

    def total(count: str) -> int:
        return sum(getattr(run, count) for run in runs)

    click.echo(f"{label} ({runs[0].spider}{processes}) finished: {reason or 'interrupted'}")
    click.echo(f"  pages fetched   {total('pages_fetched')}")
    click.echo(f"  articles stored {total('articles_stored')}")
    click.echo(f"  pages skipped   {total('pages_skipped')} (not articles)")
    click.echo(f"  failures        {total('failures')} (see the fetch_errors table)")
    click.echo(f"  seconds         {seconds:.1f}")
    click.echo(
        f"Archive {db_path}: {counts['articles']} articles, {counts['authors']} authors, "
        f"{counts['images']} images, {counts['comments']} comments"
    )
    return reason


@click.group(cls=ArchiverGroup)
@click.version_option(package_name="archiver")
def cli() -> None:
    """Crawl French entertainment news into a SQLite archive, then query and export it."""


@cli.command()
@click.argument("spider")
@DB_OPTION
@SETTING_OPTION
@NO_RAW_OPTION
@click.option(
    "-a",
    "--arg",
    "argument",
    multiple=True,
    metavar="NAME=VALUE",
    help="Pass an argument to the spider.",
)
@click.option("--resume", is_flag=True, help="Continue the last, unfinished crawl of these URLs.")
@click.option("--refresh", is_flag=True, help="With --resume: fetch archived articles again too.")
@click.option("--since", help="Skip sitemap and feed entries older than this date (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1), help="Stop after this many articles.")
@click.option(
    "--max-depth",
    type=click.IntRange(0),
    help="Follow links at most this many steps from a start page.",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Split the crawl across this many processes, sharded by URL, writing one archive.",
)
@click.option("--allow", help="Only follow URLs matching this regex.")
@click.option("--deny", help="Never follow URLs matching this regex.")
@click.option(
    "--warc",
    "warc_dir",
    type=click.Path(file_okay=False),
    help="Also record the crawl as WARC here.",
)
@click.option(
    "--warc-size", default="1G", show_default=True, help="Start a new WARC file past this size."
)
@click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    help="Be one node of a job whose frontier is in Redis (redis://HOST:PORT/DB); with --job.",
)
@click.option("--job", help="With --redis: the job's name, the same on every node.")
def crawl(
    spider: str,
    db_path: str,
    setting: tuple[str, ...],
    no_raw: bool,
    argument: tuple[str, ...],
    resume: bool,
    refresh: bool,
    since: str | None,
    limit: int | None,
    max_depth: int | None,
    processes: int,
    allow: str | None,
    deny: str | None,
    warc_dir: str | None,
    warc_size: str,
    redis_url: str | None,
    job: str | None,
) -> None:
    """Crawl with SPIDER (a spider name, or a site's URL for the generic `news` spider)."""
    from archiver.crawl.run import crawl_settings, run_crawl, run_sharded

    spider_args = _pairs(argument, "-a")
    if spider.startswith(("http://", "https://")):
        spider, spider_args["url"] = "news", spider
    if spider == "news" and not spider_args.get("url"):
        raise click.UsageError(
            "the news spider needs a start URL: archiver crawl https://site.example/"
        )
    if since:
        from archiver.extract.discover import parse_since

        try:
            parse_since(since)
        except ValueError as error:
            raise click.UsageError(str(error)) from None
    options = {"since": since, "limit": limit, "max_depth": max_depth, "allow": allow, "deny": deny}
    for name, value in options.items():
        if value is not None:
            spider_args[name] = str(value)
    overrides = _pairs(setting, "-s")
    if resume:
        overrides["ARCHIVE_RESUME"] = "True"
    if refresh:
        overrides["ARCHIVE_REFRESH"] = "True"
    if warc_dir:
        from archiver.warc.recorder import parse_size

        try:
            overrides["ARCHIVE_WARC_SIZE"] = str(parse_size(warc_size))
        except ValueError as error:
            raise click.UsageError(str(error)) from None
        overrides["ARCHIVE_WARC_DIR"] = warc_dir
    if redis_url or job:
        overrides.update(_redis_node(redis_url, job, processes))
    started, after = time.monotonic(), last_crawl_id(db_path)
    with crawl_errors():
        settings = crawl_settings(db_path, overrides, no_raw)
        if processes > 1:
            run_sharded(spider, settings, spider_args, processes)
        else:
            run_crawl(spider, settings, spider_args)
    if "shard" in spider_args:
        return  # one process of a --processes crawl: the parent sums up
    reason = print_summary(db_path, time.monotonic() - started, after)
    if reason not in ("finished", "limit_reached"):
        raise click.ClickException(
            f"the crawl stopped early ({reason or 'interrupted'}): run the same command with --resume"
        )


def _redis_node(redis_url: str | None, job: str | None, processes: int) -> dict[str, str]:
    """The settings of a node of a Redis job, once the server answers."""
    from archiver.distributed.job import JobError, open_job

    if not (redis_url and job):
        raise click.UsageError("--redis URL and --job NAME go together")
    if processes > 1:
        raise click.UsageError("--redis runs one node a process: start more nodes instead")
    try:
        open_job(redis_url, job)
    except JobError as error:
        raise click.ClickException(str(error)) from None
    return {"ARCHIVE_REDIS_URL": redis_url, "ARCHIVE_REDIS_JOB": job}


@cli.command()
@DB_OPTION
@click.option(
    "--redis", "redis_url", metavar="URL", help="Show this Redis job instead; with --job."
)
@click.option("--job", help="With --redis: the job's name.")
def status(db_path: str, redis_url: str | None, job: str | None) -> None:
    """Show recent crawls and what unfinished ones still have to fetch."""
    if redis_url or job:
        _redis_status(redis_url, job)
        return
    with user_errors(db_path), Archive(db_path, read_only=True) as archive:
        runs = archive.crawls(latest=10)
        jobs = archive.frontier_jobs()
    if not runs:
        click.echo("No crawl yet.")
        return
    click.echo("Recent crawls:")
    for run in reversed(runs):
        state = run.finish_reason or "running, or killed"
        click.echo(
            f"  #{run.id} {run.spider} started {run.started_at}: {state}, "
            f"{run.articles_stored} articles, {run.failures} failures"
        )
    unfinished = [job for job in jobs if job.pending]
    if not unfinished:
        click.echo("Nothing left to fetch.")
    for job in unfinished:
        click.echo(
            f"Unfinished: {job.job}: {job.pending} of {job.discovered} URLs still to fetch "
            f"(resume with `archiver crawl ... --resume`)"
        )


def _redis_status(redis_url: str | None, job: str | None) -> None:
    """A Redis job: its queue, its leases, and each node with its last heartbeat."""
    from archiver.distributed.job import JobError, open_job

    if not (redis_url and job):
        raise click.UsageError("--redis URL and --job NAME go together")
    try:
        state = open_job(redis_url, job).status()
    except JobError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Job {job!r}: {state.queued} queued, {state.leased} leased by live nodes, "
        f"{state.seen} URLs seen, {len(state.nodes)} nodes"
    )
    for node in state.nodes:
        beat = "never" if node.heartbeat is None else f"{state.now - node.heartbeat:.1f} s ago"
        click.echo(
            f"  {node.node}: {node.state}, heartbeat {beat}, {node.leased} leased, "
            f"{node.pages} pages, {node.articles} articles"
        )


@cli.command()
@DB_OPTION
@SETTING_OPTION
@NO_RAW_OPTION
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def demo(db_path: str, setting: tuple[str, ...], no_raw: bool, verbose: bool) -> None:
    """Serve the bundled demo site on 127.0.0.1 and crawl it into the archive."""
    from archiver.crawl.run import crawl_settings, run_crawl

    overrides = {"LOG_LEVEL": "INFO" if verbose else "WARNING", **_pairs(setting, "-s")}
    started = time.monotonic()
    after = last_crawl_id(db_path)
    with crawl_errors():
        run_crawl("demo", crawl_settings(db_path, overrides, no_raw), {})
    print_summary(db_path, time.monotonic() - started, after)
    db_arg = "" if db_path == "archive.db" else f" --db {db_path}"
    program = "archiver" if shutil.which("archiver") else sys.argv[0]
    click.echo("\nTry next:")
    click.echo(
        f'  {program} query{db_arg} "SELECT title, authors, published_at FROM articles '
        f'ORDER BY published_at DESC LIMIT 5"'
    )
    click.echo(f"  {program} export{db_arg} --format csv")


@contextlib.contextmanager
def user_errors(db_path: str) -> Iterator[None]:
    """Turn archive, search and SQL errors into one clear line and a non-zero exit."""
    try:
        yield
    except (ArchiveError, SearchError, ConditionError, ExportError) as error:
        raise click.ClickException(str(error)) from None
    except MemoryError as error:
        raise click.ClickException(f"SQL error: {limit_message(error)}") from None
    except sqlite3.Error as error:
        message = limit_message(error) or str(error)
        if re.search(r"not authorized|authorization denied|readonly", message):
            message = "refused: the archive is opened read-only, so only SELECT can run"
        raise click.ClickException(f"SQL error: {message}") from None


@contextlib.contextmanager
def quiet_broken_pipe() -> Iterator[None]:
    """Output cut short by its reader (`| head`) ends the command quietly, as `cat` does."""
    try:
        yield
    except BrokenPipeError:
        # stdout is gone: point it at /dev/null so that Python's last flush cannot fail too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)


@cli.command()
@click.argument("sql")
@DB_OPTION
@FORMAT_OPTION
@click.option("-p", "--param", multiple=True, metavar="NAME=VALUE", help="Bind :NAME in the SQL.")
@TIMEOUT_OPTION
def query(sql: str, db_path: str, fmt: str, param: tuple[str, ...], timeout: float) -> None:
    """Run read-only SQL against the archive; rows are printed as they come.

    The query stops past --timeout seconds (not counting the time its output waits on a pager),
    or when SQLite would need more than 128 MB of memory (a sort over a cross join, a huge
    value)."""
    with quiet_broken_pipe(), user_errors(db_path), Archive(db_path, read_only=True) as archive:
        limit_memory(archive.db.conn)
        limit = archive.limit_time(timeout)
        columns, rows = archive.query(sql, _pairs(param, "--param"))
        write_rows(columns, rows, fmt, limit.writing_to(sys.stdout))


@cli.command()
@click.argument("text", metavar="QUERY")
@DB_OPTION
@click.option("--site", help="Only articles of this site (its host name).")
@click.option("--since", type=DATE, help="Only articles published on or after this date.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@FORMAT_OPTION
@TIMEOUT_OPTION
def search(
    text: str,
    db_path: str,
    site: str | None,
    since: str | None,
    limit: int,
    fmt: str,
    timeout: float,
) -> None:
    """Search titles, leads, bodies and authors, accents optional ("cafe" finds "café").

    At most 64 different words and 1,000 characters; a word typed twice counts once."""
    with user_errors(db_path), Archive(db_path, read_only=True) as archive:
        hits = archive.search(text, site=site, since=since, limit=limit, timeout=timeout)
    if not hits:
        click.echo(f"No article matches {text!r}.", err=True)
        return
    columns = [name for name in hits[0] if name != "rank"]  # it orders; a reader needs no more
    with quiet_broken_pipe():
        write_rows(columns, [tuple(hit[name] for name in columns) for hit in hits], fmt, sys.stdout)


@cli.command()
@DB_OPTION
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; any other than this machine's shows the archive to others.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the home page in a browser.")
def serve(db_path: str, port: int, host: str, open_browser: bool) -> None:
    """Read, browse and search the archive in a browser (Datasette), read-only."""
    from archiver.web.app import ServeError, is_local
    from archiver.web.app import serve as run_server

    if not is_local(host):
        click.secho(
            f"Warning: listening on {host}: anyone who can reach this machine can read the archive",
            err=True,
            fg="yellow",
        )

    def announce(url: str) -> None:
        click.echo(f"Serving {db_path} read-only at {url} (Ctrl-C to stop)")

    with user_errors(db_path):
        try:
            run_server(
                Path(db_path), host=host, port=port, announce=announce, open_browser=open_browser
            )
        except ServeError as error:
            raise click.ClickException(str(error)) from None


@cli.command()
@click.argument("url")
@DB_OPTION
@click.option(
    "--from",
    "from_revision",
    type=int,
    help="Older revision number [default: the one before --to].",
)
@click.option("--to", "to_revision", type=int, help="Newer revision number [default: the latest].")
def diff(url: str, db_path: str, from_revision: int | None, to_revision: int | None) -> None:
    """Show what changed in an article between two of its revisions."""
    with user_errors(db_path), Archive(db_path, read_only=True) as archive:
        click.echo(revision_diff(archive, url, from_revision, to_revision))


@cli.command()
@DB_OPTION
@click.option("--site", help="Only articles of this site.")
@click.option("--since", type=DATE, help="Only articles published on or after this date.")
def reparse(db_path: str, site: str | None, since: str | None) -> None:
    """Re-run extraction over the stored raw pages, offline, updating articles in place."""
    from archiver.archive.reparse import reparse as run_reparse

    if not Path(db_path).is_file():
        raise click.ClickException(f"no archive at {db_path}")
    line = LiveLine(sys.stderr)
    with user_errors(db_path), Archive(db_path) as archive:
        result = run_reparse(
            archive,
            ArticleFilter(site=site, since=since),
            progress=lambda done, total: line.show_count(done, total, "articles reparsed"),
        )
    line.clear()
    click.echo(
        f"Reparsed {result.reparsed} articles ({result.content_changed} with changed content); "
        f"{result.without_raw} without a raw page, {result.no_longer_articles} no longer "
        f"articles, {result.failed} failed"
    )


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "warc"]),
    default="json",
    show_default=True,
    help="warc: the stored raw pages as gzipped WARC/1.1, for replay tools.",
)
@DB_OPTION
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Output file [default: exports/articles-TIME.FORMAT].",
)
@click.option("--excel", is_flag=True, help="CSV for Excel: a BOM and ';' separators.")
@click.option("--since", type=DATE, help="Articles published on or after this date.")
@click.option("--until", type=DATE, help="Articles published before this date.")
@click.option("--site", help="Articles of this site (its host name).")
@click.option(
    "--author", help='Articles signed by this author, whatever the capitals ("jean dupont").'
)
@click.option("--search", "search_text", help="Articles matching this full-text search.")
@click.option(
    "--where",
    help="One extra SQL condition on the articles table, read-only: subqueries in (...), "
    "no ';' or comments.",
)
@click.option("-p", "--param", multiple=True, metavar="NAME=VALUE", help="Bind :NAME in --where.")
@timeout_option("Stop when SQLite works this long to find the next article.")
def export_command(
    fmt: str,
    db_path: str,
    output: str | None,
    excel: bool,
    since: str | None,
    until: str | None,
    site: str | None,
    author: str | None,
    search_text: str | None,
    where: str | None,
    param: tuple[str, ...],
    timeout: float,
) -> None:
    """Export articles, with their authors, images and comments, streaming."""
    if output is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        output = f"exports/articles-{stamp}.{'warc.gz' if fmt == 'warc' else fmt}"
    selection = ArticleFilter(
        since=since, until=until, site=site, author=author, search=search_text, where=where,
        params=_pairs(param, "--param"),
    )  # fmt: skip
    if fmt == "warc":
        from archiver.warc.export import export_warc

        with user_errors(db_path), Archive(db_path, read_only=True) as archive:
            archive.limit_time(timeout, per_row=True)
            count = export_warc(archive, selection, Path(output))
        click.echo(f"Wrote {count} records to {output}")
        return
    line = LiveLine(sys.stderr)
    with user_errors(db_path), Archive(db_path, read_only=True) as archive:
        limit = archive.limit_time(timeout, per_row=True)
        total = archive.count_articles(selection) if line.live else None
        selected = limit.timed(archive.iter_articles(selection))
        count = export(
            counted(selected, line, "articles exported", total), fmt, Path(output), excel=excel
        )
    click.echo(f"Wrote {count} articles to {output}")


@cli.command("eval")
@click.argument("dataset", type=click.Choice(["trafilatura-eval", "zyte", "fundus", "newspaper4k"]))
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--limit", type=click.IntRange(1), help="Only the first N pages.")
@click.option(
    "--compare-trafilatura/--no-compare-trafilatura",
    default=True,
    show_default=True,
    help="Also score trafilatura on the same pages, when it is installed.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--min-f1", type=float, help="Exit 1 if our main-text F1 is below this.")
@click.option("--min-authors", type=float, help="Exit 1 if our author accuracy is below this.")
@click.option("--min-dates", type=float, help="Exit 1 if our date accuracy is below this.")
@click.option("--min-titles", type=float, help="Exit 1 if our title accuracy is below this.")
def eval_command(
    dataset: str,
    directory: str,
    limit: int | None,
    compare_trafilatura: bool,
    as_json: bool,
    min_f1: float | None,
    min_authors: float | None,
    min_dates: float | None,
    min_titles: float | None,
) -> None:
    """Score our extraction on a corpus of real pages with published ground truth."""
    from archiver.extract.evaluate import evaluate, format_report

    try:
        report = evaluate(
            dataset, Path(directory), limit=limit, compare_trafilatura=compare_trafilatura
        )
    except (OSError, ValueError) as error:
        raise click.ClickException(f"cannot evaluate {directory}: {error}") from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
    scores = report.systems[0].scores
    floors = [("main-text F1", scores.f1, min_f1), ("author accuracy", scores.author_accuracy, min_authors),
              ("date accuracy", scores.date_accuracy, min_dates),
              ("title accuracy", scores.title_accuracy, min_titles)]  # fmt: skip
    below = [
        f"{name} {'n/a' if value is None else f'{value:.3f}'} < {floor}"
        for name, value, floor in floors
        if floor is not None and (value is None or value < floor)
    ]
    if below:
        raise click.ClickException("below the floor: " + "; ".join(below))


@cli.command()
@click.argument("source", metavar="FILE_OR_URL")
@click.option("--url", help="The page's URL, when reading a saved file.")
@click.option(
    "--timezone",
    "tz_name",
    default="Europe/Paris",
    show_default=True,
    help="For dates given without one.",
)
@click.option(
    "--profiles",
    "profiles_dir",
    type=click.Path(file_okay=False),
    help="A folder of site profiles.",
)
def extract(source: str, url: str | None, tz_name: str, profiles_dir: str | None) -> None:
    """Print the normalized article of one page as JSON; the archive is not touched.

    A page that does not look like an article is extracted all the same (a person asked for
    it), with "looks_like_article": false and a line on stderr."""
    from archiver.extract.loader import PageSourceError, load_page
    from archiver.extract.profiles import ProfileError, Profiles
    from archiver.extract.read import ArticleReader

    try:
        page = load_page(source)
        reader = ArticleReader(Profiles.load(profiles_dir), tz_name)
    except (PageSourceError, ProfileError) as error:
        raise click.ClickException(str(error)) from None
    options = {
        "content_type": page.content_type,
        "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    article = reader.read(page.body, url or page.url, **options)
    looks_like_article = article is not None
    if article is None:
        click.echo(
            f"{source} does not look like an article page (a listing, tag or author page?); "
            "extracted all the same",
            err=True,
        )
        article = reader.read(page.body, url or page.url, force=True, **options)
    fields = {"looks_like_article": looks_like_article, **dataclasses.asdict(article)}
    click.echo(json.dumps(fields, ensure_ascii=False, indent=2))


@cli.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@DB_OPTION
@click.option("--site", help="Only records of this host (and its subdomains).")
@click.option("--since", type=DATE, help="Only records captured on or after this date.")
@click.option("--until", type=DATE, help="Only records captured before this date.")
@click.option("--lang", help="Only pages in this language (fr): WARC, HTTP or <html lang>.")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Processes reading pages [default: one a core]."
)
def import_command(
    files: tuple[str, ...],
    db_path: str,
    site: str | None,
    since: str | None,
    until: str | None,
    lang: str | None,
    workers: int | None,
) -> None:
    """Import WARC and ARC files (plain or gzipped, globs, - for stdin): their HTML responses
    are extracted as a crawl extracts its pages. A re-run resumes where the last one stopped."""
    from archiver.warc.importer import ImportOptions, ImportSourceError, import_sources, run_import

    options = ImportOptions(site=site, since=since, until=until, lang=lang, workers=workers or 0)
    try:
        with import_sources(list(files)) as sources, user_errors(db_path):
            result = run_import(db_path, sources, options, sys.stderr)
    except (ImportSourceError, OSError) as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        raise click.ClickException("interrupted: run the same command again to resume") from None
    click.echo(result.summary(db_path))


@cli.command("merge")
@click.argument("sources", nargs=-1, required=True, metavar="ARCHIVE...")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="A new archive to write them into."
)
@click.option(
    "--into", type=click.Path(dir_okay=False), help="An existing archive to merge them into."
)
def merge_command(sources: tuple[str, ...], output: str | None, into: str | None) -> None:
    """Unite archives (one per node of a distributed crawl) into one: articles by canonical
    URL, the newest fetch winning, revisions in time order, ids renumbered. Merging again
    changes nothing; an interrupted merge leaves the target as it was."""
    from archiver.archive.merge import merge_archives

    if (output is None) == (into is None):
        raise click.UsageError("give either -o NEW.db or --into EXISTING.db")
    target = output or into
    assert target is not None
    line = LiveLine(sys.stderr)
    with user_errors(target):
        result = merge_archives(
            list(sources),
            target,
            into=into is not None,
            progress=lambda done, total: line.show_count(done, total, "shared articles merged"),
        )
    line.clear()
    with user_errors(target), Archive(target, read_only=True) as archive:
        held = archive.counts()["articles"]
    rate = result.articles / result.seconds if result.seconds else 0.0
    click.echo(
        f"Merged {result.sources} archives into {target}, which holds {held} articles: "
        f"{result.articles} articles read ({result.articles_new} new, {result.articles_updated} "
        f"updated from a newer fetch, {result.articles_kept} kept), {result.revisions_added} "
        f"revisions, {result.raw_pages_added} raw pages, {result.crawls_added} crawl runs added "
        f"in {result.seconds:.1f} s ({rate:,.0f} articles read a second)"
    )
