"""The Python API as a user meets it: `from archiver import ...`, one page read, archived,
searched, queried and read back, without the CLI or a crawl."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import archiver
from archiver import Archive, ArchiveError, ArticleFilter, SearchError, read_article

URL = "https://ecrans-du-sud.test/cinema/cannes-selection.html"
PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<title>Le Festival de Cannes dévoile sa sélection | Écrans du Sud</title>
<link rel="canonical" href="https://ecrans-du-sud.test/cinema/cannes-selection.html">
</head><body><article>
<h1>Le Festival de Cannes dévoile sa sélection</h1>
<p class="byline">Par Camille Rousseau</p>
<time datetime="2024-04-11T11:30:00+02:00">Publié le 11 avril 2024 à 11h30</time>
<p class="chapo">Dix-neuf films concourront pour la Palme d'or, dont quatre premiers films.</p>
<p>Le délégué général a présenté jeudi matin, à Paris, la sélection officielle de la
soixante-dix-septième édition du festival, qui s'ouvrira le 14 mai sur la Croisette.</p>
<p>Parmi les cinéastes attendus figurent plusieurs habitués de la compétition, mais aussi une
réalisatrice sénégalaise dont c'est la première venue à Cannes.</p>
<p>Le jury remettra son palmarès le 25 mai lors de la cérémonie de clôture.</p>
</article></body></html>
"""


def test_read_archive_search_query_and_read_back(tmp_path: Path) -> None:
    page = tmp_path / "cannes.html"
    page.write_text(PAGE, "utf-8")
    article = read_article(
        page.read_bytes(), URL + "?utm_source=flux", content_type="text/html; charset=utf-8",
        fetched_at="2024-04-12T08:00:00+00:00",
    )  # fmt: skip
    assert article is not None and article.authors == ["Camille Rousseau"]
    assert article.canonical_url == URL and article.published_at == "2024-04-11T11:30:00+02:00"

    with Archive(tmp_path / "archive.db") as archive:
        assert archive.save_articles([article]).new == 1
        assert archive.save_articles([article]).unchanged == 1  # keyed by its canonical URL

        hits = archive.search("realisatrice senegalaise")  # accents optional
        assert [(hit["title"], hit["url"]) for hit in hits] == [(article.title, URL)]
        assert "[sénégalaise]" in hits[0]["snippet"] and isinstance(hits[0]["rank"], float)
        assert archive.search("cannes", site="elsewhere.test") == []
        assert archive.search("cannes", since="2025-01-01") == []
        with pytest.raises(SearchError):
            archive.search("((")

        columns, rows = archive.query(
            "SELECT title, authors FROM articles WHERE site = :site", {"site": "ecrans-du-sud.test"}
        )
        assert columns == ["title", "authors"]
        assert list(rows) == [(article.title, '["Camille Rousseau"]')]

        (read_back,) = archive.iter_articles(ArticleFilter(author="camille ROUSSEAU"))
        assert read_back["authors"] == ["Camille Rousseau"] and read_back["body"] == article.body
        assert read_back["images"] == [] and read_back["comments"] == []
        assert list(archive.iter_articles(ArticleFilter(search="Palme", until="2024-01-01"))) == []
        assert archive.counts()["articles"] == 1

    with Archive(tmp_path / "archive.db", read_only=True) as archive:
        assert archive.search("croisette")[0]["url"] == URL
        with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
            archive.query("DELETE FROM articles")
    with pytest.raises(ArchiveError, match="no archive"):
        Archive(tmp_path / "missing.db", read_only=True)


def test_the_public_names_import_lazily() -> None:
    assert set(archiver.__all__) >= {"Archive", "ArticleFilter", "read_article"}
    for name in archiver.__all__:
        assert getattr(archiver, name) is not None
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, archiver; archiver.Archive; "
         "print(sorted(m for m in sys.modules if m.startswith(('scrapy', 'archiver.extract'))))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert loaded.stdout.strip() == "[]"  # the archive alone loads neither Scrapy nor extractors


def test_the_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Python API example, run as it is on a page of ours."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    page = Path(__file__).resolve().parent / "fixtures" / "seed_like.html"
    monkeypatch.chdir(tmp_path)
    printed: list[str] = []
    namespace = {"html_bytes_or_str": page.read_bytes(), "print": lambda *a: printed.append(a)}
    exec(compile(code, "README.md", "exec"), namespace)
    assert printed and printed[0][1] == ["Marie-Claire de La Tour"]
    assert (tmp_path / "archive.db").is_file()
