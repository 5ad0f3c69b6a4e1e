"""Careless or hostile input to the reading commands: every one stays bounded in time and memory,
and says what is wrong in one line, without a traceback. The real `archiver` command runs in a
subprocess for messages and exit codes; the API is called directly for the logic."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver.archive.condition import ConditionError, check_condition
from archiver.archive.search import MAX_WORDS, SearchError, fts_query
from archiver.archive.store import Archive
from archiver.archive.tabular import write_rows
from archiver.cli import cli
from conftest import ROOT, archiver_command, mounted_tmpfs, run_cli

PEAK = """
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out:
    code = subprocess.call(sys.argv[2:], stdout=out)
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def one_line_error(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """The command failed with `code`, and said why in one line naming `words`."""
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


# -- 2: search and SQL under limits ----------------------------------------------------------


def test_a_search_of_2000_words_is_refused_at_once(demo_db: Path) -> None:
    words = " ".join(f"mot{n}" for n in range(2000))
    started = time.monotonic()
    result = run_cli("search", words, "--db", str(demo_db))
    one_line_error(result, 1, "search too long", "at most 1,000")
    assert time.monotonic() - started < 10
    many = " ".join(f"m{n}" for n in range(MAX_WORDS + 1))
    one_line_error(
        run_cli("search", many, "--db", str(demo_db)), 1, f"{MAX_WORDS + 1} different words"
    )


def test_repeated_words_are_searched_once() -> None:
    assert fts_query("festival " * 100) == '"festival"'
    assert fts_query("netflix OR serie OR Netflix") == '"netflix" OR "serie"'
    fts_query(" ".join(f"m{n}" for n in range(MAX_WORDS)))  # the cap itself is allowed
    with pytest.raises(SearchError, match="different words"):
        fts_query(" ".join(f"m{n}" for n in range(MAX_WORDS + 1)))


class SlowReader(io.StringIO):
    """Output read slowly, as by a person paging through it."""

    def write(self, text: str) -> int:
        time.sleep(0.01)
        return super().write(text)


def test_the_time_limit_leaves_out_the_time_output_waits(demo_db: Path) -> None:
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n"
    with Archive(demo_db, read_only=True) as archive:
        limit = archive.limit_time(0.2)
        columns, rows = archive.query("SELECT id, title FROM articles")
        out = SlowReader()
        assert write_rows(columns, rows, "csv", limit.writing_to(out)) == 43  # 0.4 s of waits
        _, rows = archive.query(endless, timeout=0.3)
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            for _ in rows:
                pass
        assert time.monotonic() - started < 3
        assert archive.search("netflix", timeout=5)  # the limit of a search ends with it
        assert list(archive.query("SELECT count(*) FROM articles")[1])


def test_an_export_limit_is_per_article(demo_db: Path) -> None:
    with Archive(demo_db, read_only=True) as archive:
        limit = archive.limit_time(0.05, per_row=True)
        exported = 0
        for _ in limit.timed(archive.iter_articles()):
            time.sleep(0.01)  # 0.4 s in all, in the exporter's hands
            exported += 1
        assert exported == 43


@pytest.mark.parametrize("command", ["query", "search", "export"])
def test_every_reading_command_takes_a_timeout(command: str) -> None:
    result = run_cli(command, "--help")
    assert "--timeout SECONDS" in result.stdout and "30" in result.stdout


# -- 3: query streams, and SQLite's memory is capped -----------------------------------------


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_export import generate

    path = tmp_path_factory.mktemp("big") / "big.db"
    generate(path, 25_000)
    return path


def test_query_of_every_article_streams_in_little_memory(big_db: Path, tmp_path: Path) -> None:
    """Gathered first, these 25,000 rows took about 350 MB (2.8 GB for 200,000)."""
    out = tmp_path / "rows.txt"
    command = [archiver_command(), "query", "SELECT * FROM articles", "--db", str(big_db)]
    measured = subprocess.run(
        [sys.executable, "-c", PEAK, str(out), *command], capture_output=True, text=True
    )
    code, peak_kb = measured.stdout.split()
    assert code == "0", measured.stderr
    assert int(peak_kb) / 1024 < 200
    with open(out, encoding="utf-8") as lines:
        assert sum(1 for _ in lines) == 25_000 + 2  # the header, its rule, every row


def test_query_json_and_csv_stream_whole_rows(demo_db: Path) -> None:
    sql = "SELECT id, title, x'00ff' AS raw FROM articles ORDER BY id LIMIT 3"
    rows = json.loads(run_cli("query", sql, "--db", str(demo_db), "--format", "json").stdout)
    assert [r["id"] for r in rows] == [1, 2, 3]
    assert rows[0]["raw"] == {"$base64": True, "encoded": "AP8="}
    csv_lines = run_cli("query", sql, "--db", str(demo_db), "--format", "csv").stdout
    assert csv_lines.splitlines()[0] == "id,title,raw" and len(csv_lines.splitlines()) == 4


def test_a_table_wider_than_its_first_page_keeps_every_row(demo_db: Path) -> None:
    sql = "SELECT CASE WHEN id > 1 THEN title ELSE 'x' END AS t FROM articles ORDER BY id"
    result = run_cli("query", sql, "--db", str(demo_db))
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 2 + 43


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "SELECT printf('%.*c', 60000000, 'a'), printf('%.*c', 60000000, 'b'), "
            "printf('%.*c', 60000000, 'c')",
            "needs more than 128 MB of memory",
        ),
        ("SELECT zeroblob(100000000)", "a value is larger than 64 MB"),
    ],
)
def test_a_runaway_query_ends_with_one_line(demo_db: Path, sql: str, message: str) -> None:
    one_line_error(run_cli("query", sql, "--db", str(demo_db)), 1, message)


def test_output_cut_short_by_its_reader_is_no_error(demo_db: Path) -> None:
    reader = subprocess.run(
        f"'{archiver_command()}' query 'SELECT * FROM articles a, articles b' "
        f"--db '{demo_db}' | head -1",
        shell=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert reader.stdout.startswith("id") and "Traceback" not in reader.stderr


# -- 4: a full disk --------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 kB tmpfs, where this machine lets us mount one."""
    with mounted_tmpfs(tmp_path / "tiny", "64k") as mount:
        yield mount


@pytest.mark.parametrize("fmt", ["json", "warc"])
def test_export_onto_a_full_disk(demo_db: Path, tiny_disk: Path, fmt: str) -> None:
    output = tiny_disk / f"out.{fmt}"
    result = run_cli("export", "--format", fmt, "--db", str(demo_db), "-o", str(output))
    one_line_error(result, 1, f"disk full: cannot write {output}")
    assert list(tiny_disk.iterdir()) == []  # neither the file nor its temporary


# -- 7: arguments that are not UTF-8 ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [b"search", b"serie\xff"],
        [b"query", b"SELECT '\xff'"],
        [b"query", b"SELECT :a", b"--param", b"a=\xff"],
        [b"export", b"--search", b"caf\xe9", b"-o", b"x.json"],
    ],
)
def test_arguments_that_are_not_utf8(demo_db: Path, tmp_path: Path, args: list[bytes]) -> None:
    command = [archiver_command().encode(), *args, b"--db", str(demo_db).encode()]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    one_line_error(result, 2, "is not valid UTF-8", "\\x")
    assert list(tmp_path.iterdir()) == []


def test_a_nul_byte_in_an_argument() -> None:
    result = CliRunner().invoke(cli, ["search", "serie\x00"])
    assert result.exit_code == 2 and "holds a NUL byte" in result.output
    assert result.output.count("\n") == 1


# -- 8: dates that cannot be -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["search", "netflix", "--since", "not-a-date"], "--since"),
        (["search", "netflix", "--since", "2020-13-45"], "--since"),
        (["export", "--since", "2021-02-30"], "--since"),
        (["export", "--until", "20200101"], "--until"),
        (["reparse", "--since", "hier"], "--since"),
        (["import", "x.warc", "--until", "2020-1-1"], "--until"),
    ],
)
def test_impossible_dates_are_refused(
    demo_db: Path, tmp_path: Path, args: list[str], option: str
) -> None:
    result = run_cli(*args, "--db", str(demo_db), cwd=tmp_path)
    one_line_error(result, 2, f"{option} expects a date as YYYY-MM-DD")
    assert list(tmp_path.iterdir()) == []


# -- 9: --where is one condition -------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    [
        "1=1) UNION SELECT name, 1, 1 FROM sqlite_master --",
        "1=1 UNION SELECT 1",
        "1) OR (1",
        "1=1; SELECT 1",
        "id = 1 /* hidden */",
        "title = 'open",
        "1=1 ORDER BY 1",
        "(1",
        "",
    ],
)
def test_a_where_that_is_not_one_condition(where: str) -> None:
    with pytest.raises(ConditionError, match="--where must be one SQL condition"):
        check_condition(where)


@pytest.mark.parametrize(
    "where",
    [
        "comment_count >= :n",
        "id IN (SELECT article_id FROM comments WHERE text LIKE '%; --%')",
        "title LIKE '%(%' AND \"site\" = 'a''b'",
    ],
)
def test_conditions_with_subqueries_and_odd_literals_pass(where: str) -> None:
    assert check_condition(where) == where


def test_export_refuses_a_where_that_closes_the_query(demo_db: Path, tmp_path: Path) -> None:
    output = tmp_path / "x.json"
    where = "1=1) UNION SELECT * FROM articles --"
    result = run_cli("export", "--db", str(demo_db), "-o", str(output), "--where", where)
    one_line_error(result, 1, "--where must be one SQL condition", "closes more")
    assert not output.exists()
    subquery = "id IN (SELECT article_id FROM comments)"
    result = run_cli("export", "--db", str(demo_db), "-o", str(output), "--where", subquery)
    assert result.returncode == 0 and json.loads(output.read_text("utf-8"))


# -- 12: every write is refused with the read-only message ------------------------------------


@pytest.mark.parametrize(
    "sql",
    ["VACUUM", "VACUUM INTO 'copy.db'", "REINDEX", "ANALYZE", "CREATE TEMP TABLE t (a)"],
)
def test_writes_are_refused_as_read_only(demo_db: Path, tmp_path: Path, sql: str) -> None:
    result = run_cli("query", sql, "--db", str(demo_db), cwd=tmp_path)
    one_line_error(result, 1, "refused: the archive is opened read-only")
    assert list(tmp_path.iterdir()) == []
