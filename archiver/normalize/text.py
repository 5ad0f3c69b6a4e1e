"""Whitespace and Unicode clean-up shared by every other normalizer."""

from __future__ import annotations

import html
import re
import unicodedata

_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0e-\x1f]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """A text with the entities a page escaped twice decoded ("zerst&amp;ouml;ren" in the HTML
    reads "zerst&ouml;ren" once parsed; JSON-LD strings often hold "&#8217;"). Only complete
    entities, ending in ";": "AT&T" and "R&D" stay as they are. A text escaped three times
    ("&amp;amp;nbsp;" in a JSON-LD string) takes a pass a level, three at most."""
    for _ in range(3):
        if "&" not in text:
            break
        decoded = _ENTITY.sub(lambda match: html.unescape(match.group()), text)
        if decoded == text:
            break
        text = decoded
    return text


def clean_text(text: str | None) -> str:
    """Collapse whitespace (non-breaking and other Unicode spaces included), drop invisible
    characters and decode leftover entities. str.split() does the collapsing: a regex substitution cost twice as much, and
    this runs on every run of text of every page. A text with nothing to collapse, as most
    element texts are, comes back as it is: splitting and joining it was 4% of reading a page."""
    if not text:
        return ""
    if "&" in text:
        text = decode_entities(text)
    # every invisible character is unprintable, and nearly every text is printable; they go
    # first, so that a letter and the accent a zero-width space kept apart are composed
    if text.isprintable():
        # nor is any whitespace but " " (tabs, line breaks, no-break spaces): a printable text
        # with no space at either end and no two in a row has nothing to collapse
        if text[0] != " " and text[-1] != " " and "  " not in text:
            if text.isascii() or unicodedata.is_normalized("NFC", text):
                return text
    elif _INVISIBLE.search(text) is not None:
        text = _INVISIBLE.sub("", text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Beyond Latin-1 and the accents that French letters decompose into.
_BEYOND_LATIN1 = re.compile("[^\x00-\xff\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower-case, accent-free, straight-apostrophe form, for matching French words loosely.

    A text of Latin-1 characters (French prose nearly always is, once its apostrophes are
    straight; guillemets and no-break spaces are Latin-1) folds character by character, each
    to one: a table of its 256 bytes folds it in one pass, where decomposing it, lower-casing
    it and dropping the accents took 200 instructions a character."""
    if text.isascii():
        return text.lower()
    text = text.replace("\u2019", "'")
    try:
        latin1 = text.encode("latin-1")
    except UnicodeEncodeError:
        return _fold_decomposed(text)
    if any(spread in latin1 for spread in _LATIN1_SPREAD):
        return _fold_decomposed(text)
    return latin1.translate(_LATIN1_FOLDED).decode("latin-1")


def _fold_decomposed(text: str) -> str:
    """fold() of any text: a decomposed text of Latin-1 letters and their accents alone loses
    the accents by an encoding to Latin-1 that drops what it cannot encode, in a third of the
    substitution's time."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if _BEYOND_LATIN1.search(decomposed) is None:
        return decomposed.encode("latin-1", "ignore").decode("latin-1")
    return _COMBINING.sub("", decomposed)


def _latin1_folds() -> tuple[list[bytes], bytes]:
    """The Latin-1 characters that do not fold to one Latin-1 character ("µ" to a Greek mu,
    "½" to "1⁄2"), and a table of what each of the others folds to."""
    folds = [_fold_decomposed(chr(code)) for code in range(256)]
    one = [len(folded) == 1 and ord(folded) < 256 for folded in folds]
    spread = [bytes([code]) for code in range(256) if not one[code]]
    table = bytes(ord(folds[code]) if one[code] else code for code in range(256))
    return spread, table


_LATIN1_SPREAD, _LATIN1_FOLDED = _latin1_folds()


def _folded_char(point: int) -> str:
    """One character as fold_aligned() gives it: its base letter, lower-cased, when that is
    one character, for the Latin, Greek and Cyrillic blocks and more; else itself."""
    char = chr(point)
    if point in (0x2018, 0x2019):
        return "'"
    if not 0x41 <= point < 0x2500:
        return char
    base = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    ).lower()
    lower = char.lower()
    return base if len(base) == 1 else lower if len(lower) == 1 else char


class _FoldTable(dict[int, str]):
    """fold_aligned()'s table, filled as characters come: working out the 9,400 characters
    of those blocks at import cost every process 10 ms (60 million instructions). It keeps at
    most _FOLD_TABLE_MOST characters, a few MB, whatever the pages hold."""

    def __missing__(self, point: int) -> str:
        folded = _folded_char(point)
        if len(self) < _FOLD_TABLE_MOST:
            self[point] = folded
        return folded


_FOLD_TABLE_MOST = 65536


_FOLD_TABLE = _FoldTable()


def fold_aligned(text: str) -> str:
    """Like fold(), but one character out for each character in, so match offsets carry over."""
    return text.translate(_FOLD_TABLE)


def join_paragraphs(paragraphs: list[str]) -> str:
    """Join non-empty cleaned paragraphs with a blank line, the way a reader sees them."""
    return "\n\n".join(p for p in (clean_text(p) for p in paragraphs) if p)


def dedupe(values: list[str]) -> list[str]:
    """Keep the first occurrence of each value (compared loosely), in order."""
    seen: set[str] = set()
    kept = []
    for value in values:
        key = fold(value)
        if key and key not in seen:
            seen.add(key)
            kept.append(value)
    return kept
