"""Site profiles: TOML files that override selectors, politeness and timezone for one site."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from faultserver import FaultServer, FaultSite
from scrapy.settings import Settings
from test_faults import FAST

from archiver.extract.profiles import ProfileError, Profiles, SiteProfile
from archiver.spiders.news import NewsSpider
from conftest import run_cli

LOCAL = """
domains = ["127.0.0.1"]
remove = ["p.byline"]

[selectors]
title = "head title"
body = "article"

[politeness]
download_delay = 0.01
concurrency = 3

[dates]
timezone = "America/Montreal"
"""


def test_bundled_demo_profile() -> None:
    profiles = Profiles.load()
    demo = profiles.for_url("https://www.echo-des-ecrans.test/articles/x.html")
    assert demo is not None and demo.selectors["body"] and demo.timezone == "Europe/Paris"
    assert profiles.for_url("https://echo-des-ecrans.test/") is demo
    assert profiles.for_url("https://elsewhere.test/") is None
    assert profiles.download_slots()["www.echo-des-ecrans.test"] == {"delay": 0.5, "concurrency": 2}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[selectors]\ntitle = 'h1'", "domains"),
        ("domains = ['a.test']\n[selectors]\nheadline = 'h1'", "unknown selector"),
        ("domains = ['a.test']\n[selectors]\ntitle = 'h1[[['", "bad CSS"),
        ("domains = = 1", "bad.toml"),
    ],
)
def test_bad_profiles_are_named_errors(text: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        SiteProfile.from_toml("bad.toml", text)


def test_profile_politeness_becomes_download_slots(tmp_path: Path) -> None:
    (tmp_path / "local.toml").write_text(LOCAL, "utf-8")
    settings = Settings(
        {"ARCHIVE_PROFILES": str(tmp_path), "DOWNLOAD_SLOTS": {"x.test": {"delay": 9}}}
    )
    NewsSpider.update_settings(settings)
    slots = settings.getdict("DOWNLOAD_SLOTS")
    assert slots["127.0.0.1"] == {"delay": 0.01, "concurrency": 3} and slots["x.test"] == {
        "delay": 9
    }


def test_crawl_applies_a_user_profile(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "local.toml").write_text(LOCAL, "utf-8")
    db = tmp_path / "profiled.db"
    with FaultServer(FaultSite(articles=3)) as server:
        result = run_cli(
            "crawl", server.url, "--db", str(db), *FAST, "-s", f"ARCHIVE_PROFILES={folder}"
        )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = (
        sqlite3.connect(db)
        .execute("SELECT title, body, published_at, field_sources FROM articles")
        .fetchall()
    )
    assert len(rows) == 3
    for title, body, published_at, sources in rows:
        assert title.startswith("Article ") and "numéro" not in title  # <title>, not the <h1>
        assert "Jeanne Dupré" not in body  # removed by the profile
        assert body.startswith("Paragraphe 1 de l'article")
        assert published_at == "2016-10-03T14:32:00-04:00"  # the profile's timezone
        assert json.loads(sources)["title"] == "profile"


def test_missing_profile_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no folder"):
        Profiles.load(tmp_path / "nope")
