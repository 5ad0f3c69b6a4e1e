"""Bytes -> text for pages that lie about their encoding.

Scrapy's decoding (HTTP header, BOM, <meta>, then a guess) is right for honest pages. Real sites
also serve Latin-1 labelled as UTF-8, UTF-8 labelled as Latin-1 (mojibake: "Ã©tÃ©"), NUL bytes and
binary files as text/html; each case is repaired or refused here, with a reason the caller keeps.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from w3lib.encoding import html_to_unicode

_MOJIBAKE = re.compile("Ã[\u0080-\u00bfà-ÿ]|â€[\u0080-\u00bf™œ“”˜]|Â[\u00a0-\u00bf]")
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"OggS",
    b"ID3",
)


# Control bytes no text page holds: all below 32 except tab, line feed, VT, form feed and CR.
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


def looks_binary(body: bytes) -> bool:
    """Images, archives and other non-text bodies, whatever their Content-Type says."""
    head = body[:1024]
    if head.startswith(_BINARY_MAGIC):
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bool(head) and controls / len(head) > 0.1


def _may_be_mojibake(text: str) -> bool:
    """Whether the text holds a character that starts every _MOJIBAKE pair: three substring
    scans cost a tenth of the regex over a whole page, which almost never matches. One
    character is looked for before two: "â€" alone took 0.05 ms on a 60 KB French page, "€" 1 µs."""
    return "Ã" in text or "Â" in text or ("€" in text and "â€" in text)


def _mostly_not_utf8(body: bytes) -> bool:
    """Whether more of the body's bytes fail as UTF-8 than make valid multi-byte characters:
    a Windows-1252 page fails at every accent, where a UTF-8 page may hold a stray byte or a
    literal U+FFFD and is still UTF-8."""
    text = body.decode("utf-8", errors="surrogateescape")
    failed = sum(1 for char in text if "\udc80" <= char <= "\udcff")
    return failed > sum(1 for char in text if char > "\x7f") - failed


def _strict_utf8(body: bytes) -> str | None:
    """The body as UTF-8 when it is valid UTF-8 and holds multi-byte characters: text in a
    single-byte encoding almost never is (an accent alone is an invalid byte), so such a page
    labelled Latin-1 is UTF-8 whatever its label says."""
    if body.isascii() or body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


class Decoded(NamedTuple):
    text: str
    note: str | None  # how the text had to be repaired, if it had to be
    # The body itself (less a byte order mark) when it is exactly the text in UTF-8, as nearly
    # every page is: a parser can take it as it is, rather than the text encoded again.
    utf8: bytes | None


def decode_html(body: bytes, content_type: str | None) -> Decoded:
    """The page's text and, when it had to be repaired, a note saying how."""
    encoding, text = html_to_unicode(content_type, body)
    note = None
    is_utf8 = encoding.replace("-", "").lower() in ("utf8", "utf_8")
    if "\ufffd" in text and is_utf8 and _mostly_not_utf8(body):
        text, note = body.decode("cp1252", errors="replace"), "declared UTF-8 but is Windows-1252"
    elif _may_be_mojibake(text) and len(_MOJIBAKE.findall(text)) >= 3:
        try:
            repaired = text.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            repaired = None
        if repaired is not None and len(_MOJIBAKE.findall(repaired)) < len(_MOJIBAKE.findall(text)):
            text, note = repaired, f"declared {encoding} but is UTF-8 (mojibake repaired)"
    if note is None and not is_utf8 and (utf8_text := _strict_utf8(body)) is not None:
        text, note = utf8_text, f"declared {encoding} but is UTF-8"
    # a NUL byte is the only source of a NUL character but in UTF-16 or UTF-32; searching the
    # bytes for it costs a seventh of searching the text, where every ASCII letter holds one
    if b"\x00" in body and "\x00" in text:
        text = text.replace("\x00", "")
        note = "; ".join(filter(None, [note, "NUL bytes removed"]))
    if not is_utf8 or note is not None:  # another encoding, or the text was repaired
        return Decoded(text, note, None)
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    return Decoded(text, note, body)
