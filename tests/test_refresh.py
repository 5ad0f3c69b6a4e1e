"""The byte test that lets most pages skip Scrapy's meta refresh scan."""

from __future__ import annotations

from archiver.crawl.refresh import may_refresh


def test_a_page_without_the_word_cannot_refresh() -> None:
    assert not may_refresh(b"<html><head><title>Rien</title></head><body>" + b"x" * 50_000)


def test_the_word_in_any_case_sends_the_page_to_scrapy() -> None:
    assert may_refresh(b'<meta http-equiv="REFRESH" content="0; url=/x">')
    assert may_refresh(b'<meta http-equiv="Refresh" content="0; url=/x">')


def test_wide_encodings_always_go_to_scrapy() -> None:
    page = '<meta http-equiv="refresh" content="0; url=/x">'
    assert may_refresh(page.encode("utf-16"))  # with its byte-order mark
    assert may_refresh(page.encode("utf-16-le"))  # without: NUL bytes between the letters


def test_a_refresh_far_down_the_page_is_beyond_what_scrapy_reads_too() -> None:
    """Scrapy looks at the first 4,096 characters; 30 KB of ASCII is well past them."""
    assert not may_refresh(b"x" * 30_000 + b'<meta http-equiv="refresh" content="0; url=/x">')
