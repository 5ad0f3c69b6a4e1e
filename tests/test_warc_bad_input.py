"""Bad WARC and ARC input: each broken record is one row with its offset, the records around
it are imported, and the CLI says so without a traceback."""

from __future__ import annotations

import io
import sqlite3
import zlib
from pathlib import Path

from test_warc_fixtures import demo_pages, demo_site, response
from warcio.warcwriter import WARCWriter

from archiver import Archive
from archiver.warc.records import warc_writer
from conftest import run_cli

BASE = "https://www.echo-des-ecrans.test"


def members(*records: object, gzip: bool = True) -> list[bytes]:
    """Each record as the bytes a file holds for it (one gzip member each when `gzip`)."""
    out = []
    for record in records:
        buffer = io.BytesIO()
        WARCWriter(buffer, gzip=gzip).write_record(record)
        out.append(buffer.getvalue())
    return out


def gzipped(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def rows(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT offset, outcome FROM warc_records WHERE outcome != 'article' ORDER BY offset"
        ).fetchall()


def stored(db: Path) -> int:
    with Archive(db, read_only=True) as archive:
        return archive.counts()["articles"]


def test_broken_gzip_warc_records_are_each_recorded_and_stepped_over(tmp_path: Path) -> None:
    writer = WARCWriter(io.BytesIO(), gzip=False)
    pages = [response(writer, uri, body) for uri, body in demo_pages(demo_site(8), BASE)]
    good = members(*pages)
    plain = members(*pages[:3], gzip=False)
    lying = plain[0].replace(b"Content-Length: ", b"Content-Length: 9", 1)  # longer than it is
    bad_line = plain[1].replace(b"\r\nWARC-Date", b"\r\nThis is not a header\r\nWARC-Date", 1)
    dns = b"20240301 www.example.fr. 300 IN A 10.0.0.1\r\n"
    not_http = members(
        writer.create_warc_record(
            "dns:www.example.fr", "response", payload=io.BytesIO(dns), length=len(dns),
            warc_content_type="text/dns", warc_headers_dict={"WARC-Date": "2024-03-01T08:00:00Z"},
        )
    )  # fmt: skip
    broken = [
        good[3][: len(good[3]) // 2],  # a gzip member cut in half
        gzipped(lying),
        gzipped(bad_line),
        *not_http,
    ]
    parts = [good[0], broken[0], good[1], broken[1], good[2], broken[2], broken[3], good[4]]
    warc = tmp_path / "bad.warc.gz"
    warc.write_bytes(b"".join(parts))
    offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    result = run_cli("import", str(warc), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert stored(tmp_path / "a.db") == 4
    found = dict(rows(tmp_path / "a.db"))
    assert set(found) == {offsets[1], offsets[3], offsets[5], offsets[6]}
    assert found[offsets[5]] == "bad_headers" and found[offsets[6]] == "not_http"
    assert found[offsets[1]] in ("truncated", "unreadable")
    assert found[offsets[3]] in ("truncated", "bad_length", "unreadable")


def test_a_plain_warc_whose_content_length_lies(tmp_path: Path) -> None:
    writer = WARCWriter(io.BytesIO(), gzip=False)
    pages = [response(writer, uri, body) for uri, body in demo_pages(demo_site(3), BASE)]
    plain = members(*pages, gzip=False)
    plain[1] = plain[1].replace(b"Content-Length: ", b"Content-Length: 1", 1)  # ten times too long
    warc = tmp_path / "lies.warc"
    warc.write_bytes(b"".join(plain))
    result = run_cli("import", str(warc), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert stored(tmp_path / "a.db") == 2  # the first, and the third found again after the liar
    assert rows(tmp_path / "a.db") == [(len(plain[0]), "truncated")]


def test_a_100_mb_record_is_passed_over_in_flat_memory(tmp_path: Path) -> None:
    warc = tmp_path / "huge.warc.gz"
    with warc.open("wb") as out:
        writer = warc_writer(out, level=1)
        huge = b"<html><body>" + b"a" * (100 * 1024 * 1024) + b"</body></html>"
        writer.write_record(response(writer, f"{BASE}/huge.html", huge))
        del huge
        for uri, body in demo_pages(demo_site(2), BASE):
            writer.write_record(response(writer, uri, body))
    result = run_cli("import", str(warc), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 0, result.stderr
    assert rows(tmp_path / "a.db") == [(0, "too_large")]
    assert stored(tmp_path / "a.db") == 2


def arc_record(uri: str, body: bytes, date: str = "20240301080000") -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    return f"{uri} 127.0.0.1 {date} text/html {len(http)}\n".encode() + http + b"\n"


def test_an_arc_file_with_a_broken_header(tmp_path: Path) -> None:
    pages = list(demo_pages(demo_site(3), BASE))
    info = b"URL IP-address Archive-date Content-type Archive-length\n"
    head = b"1 0 test\n" + info
    filedesc = f"filedesc://test.arc 0.0.0.0 20240301080000 text/plain {len(head)}\n".encode()
    parts = [filedesc + head + b"\n", arc_record(*pages[0])]
    parts.append(arc_record(*pages[1]).replace(b" 127.0.0.1 20240301080000 ", b" garbage ", 1))
    parts.append(arc_record(*pages[2]))
    arc = tmp_path / "old.arc"
    arc.write_bytes(b"".join(parts))
    result = run_cli("import", str(arc), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert stored(tmp_path / "a.db") == 2
    assert rows(tmp_path / "a.db") == [(len(parts[0]) + len(parts[1]), "unreadable")]
    gz = tmp_path / "old.arc.gz"
    gz.write_bytes(b"".join(gzipped(part) for part in parts))
    assert run_cli("import", str(gz), "--db", str(tmp_path / "b.db")).returncode == 0
    assert stored(tmp_path / "b.db") == 2
