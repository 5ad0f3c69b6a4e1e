"""Whitespace and Unicode clean-up shared by every other normalizer."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0e-\x1f]")


def clean_text(text: str | None) -> str:
    """Collapse whitespace (non-breaking spaces included) and drop invisible characters."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower-case, accent-free, straight-apostrophe form, for matching French words loosely."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
