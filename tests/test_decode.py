"""Bytes to text: the repairs decode_html makes, found by its quick scans."""

from __future__ import annotations

from archiver.decode import decode_html


def test_mojibake_made_only_of_quotes_is_repaired() -> None:
    """No "Ã" or "Â" anywhere: only the "€" of "â€™" (a curly apostrophe read as cp1252) says so."""
    page = "<p>L’homme qu’on aime, c’est lui…</p>"
    text, note = decode_html(page.encode("utf-8"), "text/html; charset=windows-1252")
    assert note is not None and "mojibake" in note
    assert text == page


def test_nul_characters_are_removed_in_utf_16_too() -> None:
    for codec in ("utf-8", "utf-16"):
        text, note = decode_html("<p>Caf\x00é</p>".encode(codec), f"text/html; charset={codec}")
        assert text == "<p>Café</p>", codec
        assert note == "NUL bytes removed", codec


def test_an_honest_page_gets_no_note() -> None:
    text, note = decode_html("<p>Noël à 20 € la place</p>".encode(), "text/html; charset=utf-8")
    assert (text, note) == ("<p>Noël à 20 € la place</p>", None)
