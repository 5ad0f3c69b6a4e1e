"""What a crawl logs about each page and article, at DEBUG and above it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from faultserver import FaultServer, FaultSite

from archiver.crawl.logformat import log_level
from conftest import run_cli

QUIET = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False"]


def test_debug_names_each_article_without_printing_it(tmp_path: Path) -> None:
    with FaultServer(FaultSite(articles=2)) as server:
        result = run_cli(
            "crawl", server.url, "--db", str(tmp_path / "a.db"), *QUIET, "-s", "LOG_LEVEL=DEBUG"
        )
    assert result.returncode == 0, result.stderr[-3000:]
    log = result.stderr
    assert f"Extracted from {server.url}articles/1.html: 'Article numéro 1 : été à Noël'" in log
    assert "Crawled (200)" in log
    assert "Paragraphe 3 de l'article 1" not in log  # the article is not printed whole
    assert "<!DOCTYPE" not in log  # nor its raw page


def test_info_makes_no_line_per_page(tmp_path: Path) -> None:
    with FaultServer(FaultSite(articles=2)) as server:
        result = run_cli(
            "crawl", server.url, "--db", str(tmp_path / "a.db"), *QUIET, "-s", "LOG_LEVEL=INFO"
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Extracted from" not in result.stderr and "Crawled (200)" not in result.stderr
    assert "Spider closed (finished)" in result.stderr


def test_log_level_reads_names_and_numbers() -> None:
    assert log_level("WARNING") == log_level("warning") == log_level(30) == logging.WARNING
    assert log_level("nonsense") == log_level(None) == logging.DEBUG


def test_a_debug_handler_of_the_host_keeps_the_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scrapy's own handler shows WARNING and up, but a host listening at DEBUG gets them."""
    from archiver.crawl.logformat import shown_level

    scrapy_handler, mine = logging.StreamHandler(), logging.StreamHandler()
    scrapy_handler.setLevel(logging.WARNING)
    mine.setLevel(logging.DEBUG)
    monkeypatch.setattr(logging.root, "handlers", [scrapy_handler])
    monkeypatch.setattr(logging.getLogger("scrapy"), "handlers", [])
    assert shown_level("WARNING") == logging.WARNING
    monkeypatch.setattr(logging.getLogger("scrapy"), "handlers", [mine])
    assert shown_level("WARNING") == logging.DEBUG
    monkeypatch.setattr(logging.getLogger("scrapy"), "handlers", [])
    monkeypatch.setattr(logging.root, "handlers", [])
    assert shown_level("INFO") == logging.INFO  # no handler yet: the setting
