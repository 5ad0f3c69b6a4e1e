"""Reading WARC and ARC files record by record, through warcio, without ever giving up on a file.

warcio reads a well-formed file and stops at the first broken record. Here each broken record
becomes one WarcEntry with a `problem` and its offset, and reading starts again at the next
record found after it (the next gzip member that opens on a WARC or ARC header, or the next
"WARC/1.x" line of a plain file). Bodies are read up to `max_body` bytes: a larger record is
passed over in blocks, so that memory stays flat whatever the file holds.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import iso_date_to_datetime

from archiver.extract.decode import looks_binary

GZIP_MAGIC = b"\x1f\x8b\x08"
MAX_BODY = 20 * 1024 * 1024  # as the crawl's DOWNLOAD_MAXSIZE
_BLOCK = 1 << 16
# Where a record may start in a plain file: a WARC version line, or an ARC header line
# ("URL IP-address 14-digit-date content-type length").
_RECORD_START = re.compile(
    rb"(?:^|\n)(WARC/1\.[01]\r?\n|(?:https?|dns|filedesc)://\S+ \S+ \d{14} \S+ \d+\r?\n)"
)
# Records that never hold a page: passed over without a word.
QUIET_TYPES = frozenset(
    {"warcinfo", "request", "metadata", "conversion", "continuation", "arc_header"}
)
# Common Crawl names languages in ISO 639-3; the archive uses the two-letter codes.
_ISO639_3 = {
    "fra": "fr",
    "eng": "en",
    "deu": "de",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "nld": "nl",
}
_HTML_LANG = re.compile(rb"<html[^>]*?\slang=[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


@dataclass
class WarcEntry:
    """One record of a file: where it is, what it says it holds, and its page when it has one.

    `problem` is why the record cannot give a page ("truncated", "bad_headers", "too_large",
    "not_http", "unreadable", ...), with `detail` in words; `body` is the HTTP payload,
    content-decoded, for response, revisit and resource records without a problem."""

    offset: int
    length: int = 0
    kind: str = "unreadable"
    uri: str | None = None
    date: str | None = None  # the capture's time, as the archive writes fetched_at
    record_id: str | None = None
    payload_digest: str | None = None
    status: int | None = None
    content_type: str | None = None
    last_modified: str | None = None
    etag: str | None = None
    language: str | None = None
    refers_to: str | None = None  # a revisit's original: its target URI
    truncated: str | None = None  # WARC-Truncated: the capture itself was cut short
    body: bytes | None = None
    problem: str | None = None
    detail: str | None = None


def warc_date(value: str | None) -> str | None:
    """A WARC-Date as the archive writes fetched_at ("2024-07-01T12:00:00+00:00"); None when
    it cannot be read."""
    if not value:
        return None
    try:
        moment = iso_date_to_datetime(value)
    except (ValueError, TypeError):
        return None
    return moment.replace(microsecond=0).isoformat() + "+00:00"


class _LineLog:
    """A stream that remembers the lines read from it, for _CheckedParser."""

    def __init__(self, stream: object) -> None:
        self.stream = stream
        self.lines: list[bytes] = []

    def readline(self, *args: int) -> bytes:
        line = self.stream.readline(*args)  # type: ignore[attr-defined]
        self.lines.append(line)
        return line


class _CheckedParser(StatusAndHeadersParser):
    """warcio's header parser, which silently drops a header line without a colon; this one
    flags the record (`bad_line` on the headers) so that it is recorded rather than trusted."""

    def parse(self, stream: object, full_statusline: object = None) -> StatusAndHeaders:
        log = _LineLog(stream)
        headers = super().parse(log, full_statusline)
        lines = log.lines[1:] if full_statusline is None else log.lines  # past the status line
        bad = [line for line in lines if line.strip() and not line[:1].isspace()]
        headers.bad_line = next((line for line in bad if b":" not in line), None)
        return headers


class _QuietIterator(ArchiveIterator):
    """warcio's iterator without its warning on stderr for a record not followed by its blank
    lines: err_count still says so, and the record is flagged here instead."""

    INC_RECORD = ""

    def __init__(self, fileobj: BinaryIO) -> None:
        super().__init__(fileobj, arc2warc=True)
        self.loader.warc_parser = _CheckedParser(self.loader.WARC_TYPES)


def read_entries(
    fh: BinaryIO,
    start: int = 0,
    *,
    wanted: Callable[[WarcEntry], bool] | None = None,
    max_body: int = MAX_BODY,
) -> Iterator[WarcEntry]:
    """Every record from offset `start` of a seekable file, broken ones included (with their
    `problem`). A page's body is read only when `wanted(entry)` (the headers being known)."""
    gzipped = _is_gzip(fh, start)
    position = start
    while True:
        fh.seek(position)
        records = _QuietIterator(fh)
        try:
            for record in records:
                entry = _entry(record, records.offset)
                if entry.problem is None and entry.kind not in QUIET_TYPES:
                    if wanted is None or wanted(entry):
                        _read_body(record, entry, max_body)
                errors = records.err_count
                entry.length = records.get_record_length()
                if records.err_count > errors and entry.problem is None:
                    entry.problem, entry.body = "bad_length", None
                    entry.detail = (
                        "the record is not followed by its blank lines: its Content-Length is wrong"
                    )
                position = entry.offset + entry.length
                yield entry
                if entry.problem in ("truncated", "bad_length") and not gzipped:
                    # in a plain file, a Content-Length that lies may have swallowed the records
                    # after it: look for the next one from just past its start
                    found = _next_start(fh, entry.offset + 1, gzipped)
                    if found is not None and found < position:
                        position = found
                        break
            else:
                return
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError, IndexError) as error:
            if not gzipped:  # the blank lines after a record are not the next one's
                fh.seek(position)
                head = fh.read(256)
                position += len(head) - len(head.lstrip(b"\r\n"))
            broken = WarcEntry(offset=position, problem="unreadable", detail=_words(error))
            after = _next_start(fh, position + 1, gzipped)
            broken.length = (after if after is not None else _size(fh)) - position
            if _is_truncated_gzip(error):
                broken.problem = "truncated"
            yield broken
            if after is None:
                return
            position = after


def _entry(record: ArcWarcRecord, offset: int) -> WarcEntry:
    """The record's headers, read into a WarcEntry; a problem when they cannot be trusted."""
    headers = record.rec_headers
    entry = WarcEntry(offset=offset, kind=record.rec_type or "unknown")
    entry.uri = headers.get_header("WARC-Target-URI")
    entry.date = warc_date(headers.get_header("WARC-Date"))
    entry.record_id = headers.get_header("WARC-Record-ID")
    entry.payload_digest = headers.get_header("WARC-Payload-Digest")
    entry.refers_to = headers.get_header("WARC-Refers-To-Target-URI")
    entry.truncated = headers.get_header("WARC-Truncated")
    language = headers.get_header("WARC-Identified-Content-Language")
    bad_line = getattr(headers, "bad_line", None)
    if bad_line is not None:
        entry.problem = "bad_headers"
        entry.detail = f"a WARC header line that is not one: {bad_line[:80]!r}"
    elif record.format == "warc" and (entry.date is None or not record.rec_type):
        entry.problem = "bad_headers"
        entry.detail = "no readable WARC-Type or WARC-Date"
    if entry.problem or entry.kind in QUIET_TYPES:
        return entry
    http = record.http_headers
    if entry.kind == "resource":
        entry.status, entry.content_type = 200, record.content_type
    elif entry.kind == "revisit" and http is None:
        pass  # a revisit may hold no HTTP headers at all: its original's are the ones
    elif http is None or not (http.protocol or "").upper().startswith("HTTP/"):
        entry.problem = "not_http"
        entry.detail = f"a {entry.kind} record without an HTTP response ({entry.uri})"
        return entry
    else:
        entry.status = _status(http.get_statuscode())
        entry.content_type = http.get_header("Content-Type")
        entry.last_modified = http.get_header("Last-Modified")
        entry.etag = http.get_header("ETag")
        language = language or http.get_header("Content-Language")
        if entry.status is None:
            entry.problem, entry.detail = "bad_headers", f"HTTP status line {http.statusline!r}"
    entry.language = _language(language)
    return entry


def _status(code: str | None) -> int | None:
    try:
        return int(code or "")
    except ValueError:
        return None


def _language(value: str | None) -> str | None:
    """The first language named, as a two-letter code when it has one."""
    if not value:
        return None
    first = re.split(r"[,;\s]", value.strip(), maxsplit=1)[0].split("-")[0].lower()
    return _ISO639_3.get(first, first) or None


def _read_body(record: ArcWarcRecord, entry: WarcEntry, max_body: int) -> None:
    """The payload, content-decoded, up to `max_body` bytes; a problem when the file ends
    before the record does, or when it is larger."""
    if record.payload_length > max_body or (record.length or 0) > max_body + 65536:
        entry.problem = "too_large"
        entry.detail = f"a record of {record.length} bytes, past the {max_body} bytes read"
        return
    try:
        body = record.content_stream().read(max_body + 1)
    except (zlib.error, ValueError, OSError) as error:
        entry.problem, entry.detail = (
            "bad_encoding",
            f"its content cannot be decoded: {_words(error)}",
        )
        return
    while record.raw_stream.read(_BLOCK):
        pass
    left = getattr(record.raw_stream, "limit", 0)
    if left:
        entry.problem = "truncated"
        entry.detail = f"the file ends {left} bytes before the record's Content-Length"
    elif len(body) > max_body:
        entry.problem = "too_large"
        entry.detail = f"a payload past the {max_body} bytes read"
    else:
        entry.body = body
        if entry.language is None:
            found = _HTML_LANG.search(body[:4096])
            entry.language = _language(found.group(1).decode("ascii")) if found else None


def is_html(entry: WarcEntry) -> bool:
    """Whether an entry's payload is a page to read, as the crawl tells one: text that is not
    binary, under an HTML Content-Type or none."""
    content_type = (entry.content_type or "").lower()
    if content_type and "html" not in content_type:
        return False
    return bool(entry.body and entry.body.strip()) and not looks_binary(entry.body or b"")


def _is_gzip(fh: BinaryIO, start: int) -> bool:
    fh.seek(start)
    return fh.read(3) == GZIP_MAGIC


def _size(fh: BinaryIO) -> int:
    fh.seek(0, 2)
    return fh.tell()


def _is_truncated_gzip(error: BaseException) -> bool:
    return isinstance(error, EOFError) or "incomplete" in str(error).lower()


def _words(error: BaseException) -> str:
    """An exception in one line, warcio's multi-line messages included."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]


def _next_start(fh: BinaryIO, start: int, gzipped: bool) -> int | None:
    """The offset of the next record that can be read at or after `start`, or None."""
    fh.seek(start)
    position = start
    tail = b""
    while True:
        block = fh.read(1 << 20)
        if not block:
            return None
        window = tail + block
        base = position - len(tail)
        for found in _candidates(window, gzipped):
            if _opens_record(fh, base + found, gzipped):
                return base + found
        tail = window[-64:]
        position += len(block)
        fh.seek(position)


def _candidates(window: bytes, gzipped: bool) -> Iterator[int]:
    if gzipped:
        found = window.find(GZIP_MAGIC)
        while found != -1:
            yield found
            found = window.find(GZIP_MAGIC, found + 1)
    else:
        for match in _RECORD_START.finditer(window):
            yield match.start(1)


def _opens_record(fh: BinaryIO, offset: int, gzipped: bool) -> bool:
    """Whether a record header starts at `offset`: not just gzip's magic bytes met inside
    compressed data."""
    here = fh.tell()
    try:
        fh.seek(offset)
        head = fh.read(4096)
        if gzipped:
            try:
                head = zlib.decompressobj(31).decompress(head, 256)
            except zlib.error:
                return False
        return bool(_RECORD_START.match(b"\n" + head[:2048]))
    finally:
        fh.seek(here)
