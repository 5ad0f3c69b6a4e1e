"""What the export and the crawl recorder share: WARC files written one gzip member a record,
each member written to the file in one call, and the HTTP headers of a stored response.

warcio's own gzip wrapper compresses at level 9, which costs a crawl several times what the
page's extraction does; here the level is ours (6 by default), and since a member reaches the
file whole or not at all, a file cut short (`kill -9`, a full disk) is readable up to its last
complete record.
"""

from __future__ import annotations

import io
import zlib
from datetime import datetime, timezone
from http import HTTPStatus
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from archiver import __version__

WARC_VERSION = "1.1"
SOFTWARE = f"archiver/{__version__} (warcio)"


class GzipMembers:
    """A file-like object for WARCWriter(gzip=False): what a record writes is compressed into
    one gzip member, which warcio's flush() at the record's end writes to the file at once."""

    def __init__(self, out: BinaryIO, level: int = 6) -> None:
        self.out = out
        self.level = level
        self.member = io.BytesIO()
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> int:
        self.member.write(self.compressor.compress(data))
        return len(data)

    def flush(self) -> None:
        self.member.write(self.compressor.flush())
        self.out.write(self.member.getbuffer())
        self.out.flush()
        self.member = io.BytesIO()
        self.compressor = zlib.compressobj(self.level, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def tell(self) -> int:
        return self.out.tell()


def warc_writer(out: BinaryIO, level: int = 6) -> WARCWriter:
    """A WARC/1.1 writer to `out`, one gzip member a record."""
    return WARCWriter(GzipMembers(out, level), gzip=False, warc_version=WARC_VERSION)


def iso_warc_date(value: str | None) -> str:
    """An ISO 8601 time (fetched_at) as a WARC-Date in UTC; now when there is none."""
    moment = datetime.now(timezone.utc)
    if value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return datetime_to_iso_date(moment.replace(tzinfo=None), use_micros=moment.microsecond > 0)


def http_status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def response_headers(status: int, headers: list[tuple[str, str]]) -> StatusAndHeaders:
    """HTTP/1.1 response headers as warcio writes them."""
    return StatusAndHeaders(http_status_line(status), headers, protocol="HTTP/1.1")


def warcinfo(writer: WARCWriter, filename: str, fields: dict[str, object]) -> None:
    """The warcinfo record that opens a file: who wrote it, and how."""
    info = {"software": SOFTWARE, "format": "WARC File Format 1.1", **fields}
    writer.write_record(writer.create_warcinfo_record(filename, info))
