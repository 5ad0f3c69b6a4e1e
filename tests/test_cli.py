"""The real `archiver` console script, run in a subprocess against real SQLite files."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archiver.demo.server import DemoServer
from conftest import ROOT, run_cli


def assert_clean_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def copy_db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    shutil.copy(demo_db, path)
    return path


def test_query_formats(demo_db: Path) -> None:
    sql = "SELECT title, comment_count FROM articles WHERE title LIKE 'Luke Cage%'"
    table = run_cli("query", sql, "--db", str(demo_db))
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == ["title", "comment_count"]
    rows = json.loads(run_cli("query", sql, "--db", str(demo_db), "--format", "json").stdout)
    assert rows == [
        {"title": "Luke Cage a-t-il fait crasher les serveurs de Netflix ?", "comment_count": 0}
    ]
    lines = list(
        csv.reader(
            run_cli("query", sql, "--db", str(demo_db), "--format", "csv").stdout.splitlines()
        )
    )
    assert lines == [
        ["title", "comment_count"],
        ["Luke Cage a-t-il fait crasher les serveurs de Netflix ?", "0"],
    ]


def test_query_binds_parameters(demo_db: Path) -> None:
    result = run_cli(
        "query", "SELECT count(*) AS n FROM authors WHERE name = :name", "--db", str(demo_db),
        "--param", "name=Christophe Foltzer", "--format", "json",
    )  # fmt: skip
    assert json.loads(result.stdout) == [{"n": 1}]


@pytest.mark.parametrize(
    "sql", ["DELETE FROM articles", "DROP TABLE articles", "UPDATE articles SET title = 'x'"]
)
def test_query_refuses_writes_and_leaves_the_file_untouched(copy_db: Path, sql: str) -> None:
    before = hashlib.sha256(copy_db.read_bytes()).hexdigest()
    assert_clean_error(run_cli("query", sql, "--db", str(copy_db)), "read-only")
    assert hashlib.sha256(copy_db.read_bytes()).hexdigest() == before


def test_clear_errors(tmp_path: Path, demo_db: Path) -> None:
    assert_clean_error(
        run_cli("query", "SELECT 1", "--db", str(tmp_path / "none.db")), "no archive"
    )
    assert_clean_error(run_cli("query", "SELEC nonsense", "--db", str(demo_db)), "SQL error")
    assert_clean_error(
        run_cli("query", "SELECT * FROM nope", "--db", str(demo_db)), "no such table"
    )
    assert_clean_error(
        run_cli("crawl", "nosuchspider", "--db", str(tmp_path / "x.db")), "unknown spider"
    )
    assert_clean_error(run_cli("export", "--format", "xml", "--db", str(demo_db)), "xml")
    assert_clean_error(run_cli("export", "--db", str(tmp_path / "none.db")), "no archive")
    assert_clean_error(run_cli("extract", str(tmp_path / "missing.html")), "cannot read")


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("ATTACH DATABASE 'other.db' AS other", "refused: the archive is opened read-only"),
        ("SELECT 1; DELETE FROM articles", "SQL error: You can only execute one statement"),
        (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
            "the query ran past its time limit (raise it with --timeout)",
        ),
    ],
)
def test_query_errors_are_one_line(copy_db: Path, tmp_path: Path, sql: str, message: str) -> None:
    result = run_cli("query", sql, "--db", str(copy_db), "--timeout", "1", cwd=tmp_path)
    assert result.returncode == 1
    assert_clean_error(result, message)


def test_search_formats_and_messages(demo_db: Path) -> None:
    db = ["--db", str(demo_db)]
    columns = ["id", "title", "site", "published_at", "url", "snippet"]  # no rank
    table = run_cli("search", "Netflix", *db, "--limit", "2")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == columns and len(table.stdout.splitlines()) == 4
    hits = json.loads(run_cli("search", "Netflix", *db, "--format", "json").stdout)
    assert hits and all(list(hit) == columns for hit in hits)
    rows = list(
        csv.reader(run_cli("search", "Netflix", *db, "--format", "csv").stdout.splitlines())
    )
    assert rows[0] == columns and len(rows) == len(hits) + 1
    old = run_cli("search", "Netflix", *db, "--since", "2030-01-01")
    assert old.returncode == 0 and old.stdout == ""
    assert "No article matches 'Netflix'." in old.stderr
    assert run_cli("search", "Netflix", *db, "--site", "elsewhere.test").stdout == ""
    assert_clean_error(run_cli("search", "((", *db), "nothing to search for")


def test_export_filter_options(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    options = [
        "--since", "2016-01-01", "--until", "2017-01-01", "--site", "www.echo-des-ecrans.test",
        "--author", "christophe FOLTZER", "--search", "Netflix",
        "--where", "comment_count >= :n", "--param", "n=0",
    ]  # fmt: skip
    result = run_cli("export", "--format", "jsonl", "--db", str(demo_db), "-o", str(out), *options)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote 1 articles to {out}\n"
    (article,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert article["title"] == "Luke Cage a-t-il fait crasher les serveurs de Netflix ?"
    refused = run_cli("export", "--db", str(demo_db), "-o", str(tmp_path / "x.json"),
                      "--where", "1); DELETE FROM articles; --")  # fmt: skip
    assert_clean_error(refused, "--where must be one SQL condition")
    assert refused.returncode == 1 and not (tmp_path / "x.json").exists()


def test_export_json_nests_authors_images_comments(demo_db: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.json"
    result = run_cli("export", "--format", "json", "--db", str(demo_db), "--output", str(output))
    assert result.returncode == 0, result.stderr
    articles = json.loads(output.read_text("utf-8"))
    assert len(articles) >= 40
    seed = next(a for a in articles if a["title"].startswith("Luke Cage"))
    assert seed["authors"] == ["Christophe Foltzer"]
    assert [i["caption"] for i in seed["images"]] == ["Mike Colter", "Mike Colter"]
    assert seed["comments"] == []
    threaded = [a for a in articles if any(c["parent_id"] for c in a["comments"])]
    assert threaded and {"id", "parent_id", "author", "published_at", "text"} <= set(
        threaded[0]["comments"][0]
    )


def test_export_jsonl_and_csv(demo_db: Path, tmp_path: Path) -> None:
    jsonl = tmp_path / "out.jsonl"
    assert (
        run_cli("export", "--format", "jsonl", "--db", str(demo_db), "-o", str(jsonl)).returncode
        == 0
    )
    lines = jsonl.read_text("utf-8").splitlines()
    assert len(lines) >= 40 and all(json.loads(line)["url"] for line in lines)
    out = tmp_path / "out.csv"
    assert (
        run_cli("export", "--format", "csv", "--db", str(demo_db), "-o", str(out)).returncode == 0
    )
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(lines)
    pair = next(r for r in rows if "; " in r["authors"])
    assert len(pair["authors"].split("; ")) >= 2
    seed = next(r for r in rows if r["title"].startswith("Luke Cage"))
    assert (seed["image_count"], seed["comment_count"]) == ("2", "0")


def test_export_for_excel(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "excel.csv"
    assert (
        run_cli(
            "export", "--format", "csv", "--excel", "--db", str(demo_db), "-o", str(out)
        ).returncode
        == 0
    )
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.splitlines()[0].count(b";") >= 10


def test_export_defaults_into_exports_folder(demo_db: Path, tmp_path: Path) -> None:
    result = run_cli("export", "--format", "jsonl", "--db", str(demo_db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = list((tmp_path / "exports").glob("articles-*.jsonl"))
    assert len(written) == 1 and written[0].stat().st_size > 0
    assert not list((tmp_path / "exports").glob(".*.tmp"))


def test_extract_a_saved_file_and_a_url(tmp_path: Path) -> None:
    fixture = ROOT / "tests" / "fixtures" / "seed_like.html"
    result = run_cli("extract", str(fixture), "--url", "https://exemple.test/a")
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)
    assert (
        item["authors"] == ["Marie-Claire de La Tour"] and item["url"] == "https://exemple.test/a"
    )
    with DemoServer() as server:
        result = run_cli("extract", f"{server.url}articles/luke-cage-netflix-serveurs.html")
        assert result.returncode == 0, result.stderr
        item = json.loads(result.stdout)
        assert item["authors"] == ["Christophe Foltzer"] and item["looks_like_article"] is True
        listing = run_cli("extract", f"{server.url}tag/series/")
        assert listing.returncode == 0, listing.stderr
        assert json.loads(listing.stdout)["looks_like_article"] is False
        assert listing.stderr.strip().endswith(
            "does not look like an article page (a listing, "
            "tag or author page?); extracted all the same"
        )
        assert "Traceback" not in listing.stderr
    assert not list(tmp_path.iterdir())


def test_scrapy_commands_from_the_repo_root(tmp_path: Path) -> None:
    scrapy = str(Path(sys.executable).with_name("scrapy"))
    listed = subprocess.run([scrapy, "list"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert listed.stdout.split() == ["demo", "example_dicts", "news"]
    db = tmp_path / "scrapy.db"
    crawled = subprocess.run(
        [scrapy, "crawl", "demo", "-s", f"ARCHIVE_DB={db}", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    result = run_cli(
        "query", "SELECT count(*) AS n FROM articles", "--db", str(db), "--format", "json"
    )
    assert json.loads(result.stdout)[0]["n"] >= 40
