"""WARC import and export: wget's WARC of a real site on 127.0.0.1, a WARC shaped like
CC-NEWS, the round trip crawl -> export -> import, resuming, and the CLI in a subprocess."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_warc_fixtures import articles_of, demo_pages, demo_site, response, wget_warc
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver import Archive
from archiver.warc.export import payload_digest
from archiver.warc.importer import Importer, ImportOptions, ImportProgress
from conftest import run_cli

BASE = "https://www.echo-des-ecrans.test"


def cc_news(path: Path) -> Path:
    """A WARC/1.0 file written the way CC-NEWS writes its own: warcinfo, then for each page
    a request, its response and a metadata record; revisits of pages seen before; images,
    PDFs and stylesheets among the pages; a 404; one page Common Crawl says is English."""
    site = demo_site(12)
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.0")
        writer.write_record(writer.create_warcinfo_record(path.name, {"operator": "test"}))
        pages = list(demo_pages(site, BASE))
        for number, (uri, body) in enumerate(pages):
            http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "www.echo-des-ecrans.test")])
            request = writer.create_warc_record(uri, "request", http_headers=http)
            language = {"WARC-Identified-Content-Language": "eng" if number == 3 else "fra"}
            record = response(writer, uri, body, warc_headers=language)
            writer.write_request_response_pair(request, record)
            meta = io.BytesIO(b"fetchTimeMs: 120\r\n")
            writer.write_record(
                writer.create_warc_record(
                    uri, "metadata", payload=meta, length=len(meta.getvalue())
                )
            )
        for uri, body in pages[:2]:  # the same pages fetched again, unchanged
            writer.write_record(
                writer.create_revisit_record(
                    uri, payload_digest(body), uri, "2024-03-01T08:00:00Z",
                    warc_headers_dict={"WARC-Date": "2024-03-02T08:00:00Z"},
                )
            )  # fmt: skip
        others = [("image/jpeg", b"\xff\xd8\xff\xe0" + bytes(2000)), ("application/pdf", b"%PDF-1.4 ..."),
                  ("text/css", b"body { color: red }")]  # fmt: skip
        for number, (content_type, body) in enumerate(others):
            uri = f"{BASE}/static/file-{number}"
            writer.write_record(response(writer, uri, body, content_type=content_type))
        writer.write_record(
            response(writer, f"{BASE}/gone.html", b"<h1>Introuvable</h1>", status="404 Not Found")
        )
    return path


def import_into(db: Path, *files: Path, **options: object) -> Importer:
    with Archive(db) as archive:
        importer = Importer(archive, ImportOptions(**options))  # type: ignore[arg-type]
        importer.run([(str(f.resolve()), f) for f in files])
    return importer


def outcomes(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT outcome, count(*) FROM warc_records GROUP BY outcome"))


@pytest.fixture(scope="module")
def site300_warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return wget_warc(demo_site(300), tmp_path_factory.mktemp("wget"))


def test_wget_warc_of_a_300_article_site_gives_300_articles(
    site300_warc: Path, tmp_path: Path
) -> None:
    result = run_cli("import", str(site300_warc), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 0, result.stderr
    assert "articles stored  300 (300 new" in result.stdout
    with Archive(tmp_path / "a.db", read_only=True) as archive:
        assert archive.counts()["articles"] == 300
        (raw_pages,) = archive.db.execute("SELECT count(*) FROM raw_pages").fetchone()
        (fetches,) = archive.db.execute(
            "SELECT count(*) FROM fetches WHERE sha256 IS NOT NULL"
        ).fetchone()
    assert raw_pages == fetches == 300
    found = outcomes(tmp_path / "a.db")
    assert found["article"] == 300 and found["not_article"] > 0  # listings, tags, authors


def test_a_rerun_reads_nothing_again(site300_warc: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    import_into(db, site300_warc, workers=2)
    again = import_into(db, site300_warc, workers=2)
    assert again.result.already == 1 and again.result.records == 0
    assert articles_of(db) and len(articles_of(db)) == 300


def test_an_interrupted_import_resumes_where_it_stopped(site300_warc: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    full = import_into(tmp_path / "full.db", site300_warc, workers=2).result

    def stop(progress: ImportProgress) -> None:
        if progress.records >= 200:
            raise KeyboardInterrupt

    with Archive(db) as archive, pytest.raises(KeyboardInterrupt):
        Importer(archive, ImportOptions(workers=2, batch_size=20), stop).run(
            [(str(site300_warc.resolve()), site300_warc)]
        )
    rest = import_into(db, site300_warc, workers=2).result
    assert 0 < rest.records < full.records
    assert articles_of(db) == articles_of(tmp_path / "full.db")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM warc_records").fetchone()[0] == full.records
        reasons = dict(
            conn.execute("SELECT spider, finish_reason FROM crawls ORDER BY id").fetchall()
        )
    assert reasons == {"import": "finished"}  # the last run's row; the first said interrupted


def test_cc_news_shaped_warc(tmp_path: Path) -> None:
    warc = cc_news(tmp_path / "CC-NEWS-20240301.warc.gz")
    db = tmp_path / "a.db"
    result = import_into(db, warc, workers=2).result
    found = outcomes(db)
    # 12 pages, 2 revisits of them read as the pages they point at
    assert found.pop("article") == 14
    assert found == {"not_html": 3, "http_404": 1}
    assert result.stored.new == 12 and result.stored.unchanged == 2
    with Archive(db, read_only=True) as archive:
        assert archive.counts()["articles"] == 12
    english = import_into(tmp_path / "fr.db", warc, lang="fr", site="echo-des-ecrans.test")
    assert english.result.stored.new == 11 and english.result.filtered == 1


def test_since_and_until_filter_on_the_capture_date(tmp_path: Path) -> None:
    warc = cc_news(tmp_path / "news.warc.gz")
    later = import_into(tmp_path / "a.db", warc, since="2024-03-02").result
    assert (
        later.stored.total == 0 and later.filtered == 12 + 4
    )  # the revisits' originals are not there
    assert import_into(tmp_path / "b.db", warc, until="2024-03-02").result.stored.new == 12


def test_round_trip_crawl_export_import_is_identical(demo_db: Path, tmp_path: Path) -> None:
    exported = tmp_path / "demo.warc.gz"
    result = run_cli("export", "--format", "warc", "-o", str(exported), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", str(exported)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    index = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "index", "-f", "warc-type,warc-target-uri", str(exported)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    with Archive(demo_db, read_only=True) as archive:
        pages = archive.counts()["articles"]
    assert index.stdout.count('"response"') == pages
    result = run_cli("import", str(exported), "--db", str(tmp_path / "again.db"))
    assert result.returncode == 0, result.stderr
    assert articles_of(tmp_path / "again.db") == articles_of(demo_db)


def test_export_keeps_the_filters(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "some.warc.gz"
    result = run_cli(
        "export", "--format", "warc", "-o", str(out), "--db", str(demo_db), "--since", "2020-01-01"
    )
    assert result.returncode == 0, result.stderr
    with Archive(demo_db, read_only=True) as archive:
        (recent,) = archive.db.execute(
            "SELECT count(*) FROM articles WHERE published_at >= '2020-01-01'"
        ).fetchone()
    assert result.stdout.startswith(f"Wrote {recent} records")


def test_cli_reads_stdin_and_says_what_is_missing_in_one_line(
    site300_warc: Path, tmp_path: Path
) -> None:
    missing = run_cli("import", str(tmp_path / "nothing-*.warc.gz"), "--db", str(tmp_path / "a.db"))
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        f"Error: {tmp_path}/nothing-*.warc.gz: no such file"
    ]
    bad_date = run_cli(
        "import", str(site300_warc), "--since", "hier", "--db", str(tmp_path / "a.db")
    )
    assert bad_date.returncode == 2 and "Traceback" not in bad_date.stderr
    with site300_warc.open("rb") as stdin:
        piped = subprocess.run(
            [sys.executable, "-m", "archiver", "import", "-", "--db", str(tmp_path / "a.db")],
            stdin=stdin, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert "articles stored  300" in piped.stdout
