"""Bytes to text: the repairs decode_html makes, found by its quick scans."""

from __future__ import annotations

from archiver.extract.decode import decode_html


def test_mojibake_made_only_of_quotes_is_repaired() -> None:
    """No "Ã" or "Â" anywhere: only the "€" of "â€™" (a curly apostrophe read as cp1252) says so."""
    page = "<p>L’homme qu’on aime, c’est lui…</p>"
    text, note, _ = decode_html(page.encode("utf-8"), "text/html; charset=windows-1252")
    assert note is not None and "mojibake" in note
    assert text == page


def test_nul_characters_are_removed_in_utf_16_too() -> None:
    for codec in ("utf-8", "utf-16"):
        text, note, _ = decode_html("<p>Caf\x00é</p>".encode(codec), f"text/html; charset={codec}")
        assert text == "<p>Café</p>", codec
        assert note == "NUL bytes removed", codec


def test_an_honest_page_gets_no_note() -> None:
    text, note, _ = decode_html("<p>Noël à 20 € la place</p>".encode(), "text/html; charset=utf-8")
    assert (text, note) == ("<p>Noël à 20 € la place</p>", None)


def test_only_undamaged_utf_8_is_offered_as_bytes_to_parse() -> None:
    """The bytes a parser may take instead of the text: the body when it is the text in UTF-8."""
    page = "<p>Noël à 20 € la place</p>"
    assert decode_html(page.encode(), "text/html; charset=utf-8").utf8 == page.encode()
    bom = decode_html(b"\xef\xbb\xbf" + page.encode(), "text/html; charset=utf-8")
    assert (bom.text, bom.utf8) == (page, page.encode())  # the mark is in neither
    assert decode_html(page.encode("cp1252"), "text/html; charset=windows-1252").utf8 is None
    # labelled UTF-8 but Windows-1252, and a NUL removed: the text is no longer the body
    assert decode_html(page.encode("cp1252"), "text/html; charset=utf-8").utf8 is None
    assert decode_html(b"<p>a\x00b</p>", "text/html; charset=utf-8").utf8 is None


def test_a_literal_replacement_character_in_valid_utf8_is_not_windows_1252() -> None:
    """A UTF-8 page that holds U+FFFD (or a stray byte) keeps its accents: only a page whose
    bytes mostly fail as UTF-8 is read again as Windows-1252."""
    page = "<p>Enquêtes de Loïc : un caractère \ufffd perdu, été comme hiver.</p>"
    text, note, _ = decode_html(page.encode("utf-8"), "text/html; charset=utf-8")
    assert "Enquêtes de Loïc" in text and note is None
    stray = page.encode("utf-8").replace(b"\xef\xbf\xbd", b"\xff")
    text, note, _ = decode_html(stray, "text/html; charset=utf-8")
    assert "Enquêtes de Loïc" in text and note is None
    text, note, _ = decode_html(
        page.replace("\ufffd", "?").encode("cp1252"), "text/html; charset=utf-8"
    )
    assert "Enquêtes de Loïc" in text and note == "declared UTF-8 but is Windows-1252"


def test_valid_utf8_labelled_latin_9_is_read_as_utf8() -> None:
    """Valid UTF-8 with accents is UTF-8, whatever the page's label: Latin text never is."""
    page = '<meta charset="iso-8859-15"><h1>Sa sanción: «Ñandú» y 5 €</h1>'.encode()
    text, note, utf8 = decode_html(page, None)
    assert "Sa sanción: «Ñandú» y 5 €" in text and note == "declared iso8859-15 but is UTF-8"
    assert utf8 is None  # the bytes' label would mislead a parser
    latin = decode_html("<h1>Sa sanción</h1>".encode("latin-1"), "text/html; charset=iso-8859-1")
    assert "sanción" in latin.text and latin.note is None
