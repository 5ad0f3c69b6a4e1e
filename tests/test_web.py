"""`archiver serve`'s pages and their JSON, in process through Datasette's own client, on a copy of
the demo archive with three articles added: one without date, image or comment whose fields
hold markup, one revised between two crawls, one whose link is a javascript: URL."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from archiver.archive.read_views import Selection, list_articles, search_articles
from archiver.archive.store import Archive
from archiver.items import Article, Comment
from archiver.web.app import build_datasette, metadata_for
from archiver.web.present import comment_thread, french_date, highlight, web_url
from archiver.web.views import ARCHIVED_PAGE_HEADERS
from conftest import run_cli

HOSTILE = "<img src=x onerror=alert(1)>"
SEED = "Luke Cage a-t-il fait crasher les serveurs de Netflix ?"


def _extra_articles() -> list[Article]:
    undated = Article(
        url="https://autre.test/sans-date",
        canonical_url="https://autre.test/sans-date",
        site="autre.test",
        title=f"Sans date {HOSTILE}",
        lead=f"Un chapô <b>{HOSTILE}</b>",
        body="Premier paragraphe.\n\nSecond <script>alert(2)</script> paragraphe.",
        authors=["Zoé Test"],
        tags=["Tag/avec barre"],
    )
    revised = Article(
        url="https://autre.test/revisee",
        canonical_url="https://autre.test/revisee",
        site="autre.test",
        title="Première version",
        body="Un paragraphe qui reste.\n\nUn paragraphe qui s'en va.",
        authors=["Zoé Test"],
        published_at="2024-05-01T14:32:00+02:00",
        comments=[
            Comment(id="a", text="Premier"),
            Comment(id="b", parent_id="a", text="Réponse"),
            Comment(id="c", parent_id="b", text="Réponse à la réponse"),
        ],
    )
    return [undated, revised]


@pytest.fixture(scope="module")
def web_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "news.db"  # not "archive": the name must not matter
    source = sqlite3.connect(demo_db)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    undated, revised = _extra_articles()
    with Archive(path) as archive:
        archive.save_articles([undated, revised])
        revised.title = "Seconde version"
        revised.body = "Un paragraphe qui reste.\n\nUn paragraphe tout neuf."
        archive.save_articles([revised])
        archive.save_articles(
            [Article(url="javascript:alert(3)", canonical_url="javascript:alert(3)", title="JS")]
        )
    return path


class Client:
    """Datasette's in-process client, called synchronously."""

    def __init__(self, path: Path) -> None:
        self.datasette = build_datasette(path)
        asyncio.run(self.datasette.invoke_startup())

    def get(self, path: str) -> httpx.Response:
        return asyncio.run(self.datasette.client.get(path))

    def json(self, path: str) -> Any:
        response = self.get(path)
        assert response.status_code == 200, response.text[:500]
        return response.json()


@pytest.fixture(scope="module")
def client(web_db: Path) -> Client:
    return Client(web_db)


def _article_id(path: Path, url_part: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT id FROM articles WHERE canonical_url LIKE ?", [f"%{url_part}%"]
        ).fetchone()[0]
    finally:
        conn.close()


def test_home_counts_latest_and_sites(client: Client) -> None:
    data = client.json("/index.json")
    assert data["counts"]["articles"] == 46 and data["counts"]["sites"] == 2
    assert data["counts"]["comments"] == 82
    assert data["counts"]["first_published"] < data["counts"]["last_published"]
    assert len(data["latest"]) == 10
    html = client.get("/").text
    assert 'name="q"' in html and "www.echo-des-ecrans.test" in html


def test_search_ranks_like_archiver_search(client: Client, web_db: Path) -> None:
    data = client.json("/search.json?q=netflix")
    with Archive(web_db, read_only=True) as archive:
        expected = [hit["id"] for hit in archive.search("netflix", limit=20)]
    assert [hit["id"] for hit in data["articles"]] == expected
    assert data["total"] >= len(expected) > 3
    html = client.get("/search?q=netflix").text
    assert "<mark>" in html and "&lt;mark&gt;" not in html and SEED in html


@pytest.mark.parametrize(
    "text",
    ['"', "(", "*", "NOT", 'a" OR "b', "'; DROP TABLE articles; --", "<script>", "x" * 400],
)
def test_hostile_searches_are_harmless(client: Client, text: str) -> None:
    response = client.get("/search?" + httpx.QueryParams({"q": text}).__str__())
    assert response.status_code in (200, 400)
    assert "<script>" not in response.text.split("<main>", 1)[1]


def test_search_syntax_accents_elisions_and_prefix(client: Client) -> None:
    def titles(query: str) -> list[str]:
        return [hit["title"] for hit in client.json(f"/search.json?q={query}")["articles"]]

    assert titles("cesar") == titles("césar") and titles("cesar")
    assert titles("netfl*") and set(titles("netflix")) <= set(titles("netfl*"))
    both = set(titles("cannes OR venise"))
    assert set(titles("cannes")) | set(titles("venise")) == both


def test_search_filters_count_and_pages(client: Client) -> None:
    everything = client.json("/search.json?q=netflix")
    series = client.json("/search.json?q=netflix&section=Séries&since=2017-01-01")
    assert 0 < series["total"] < everything["total"]
    assert all(hit["published_at"] >= "2017" for hit in series["articles"])
    by_author = client.json("/search.json?q=netflix&author=christophe foltzer")
    assert [hit["title"] for hit in by_author["articles"]] == [SEED]
    tagged = client.json("/search.json?tag=Marvel")
    assert tagged["total"] >= 2 and "q" in tagged
    assert client.json("/search.json?page=3")["page"] == 3
    assert client.json("/search.json?page=3")["articles"][0] != everything["articles"][0]
    bad = client.get("/search?q=netflix&since=03/10/2016")
    assert bad.status_code == 400 and "AAAA-MM-JJ" in bad.text


def test_seed_article_as_a_reader_saw_it(client: Client, web_db: Path) -> None:
    article_id = _article_id(web_db, "luke-cage")
    html = client.get(f"/article/{article_id}").text
    main = html.split("<main>", 1)[1]
    reader = main.split("</article>", 1)[0]  # what a reader reads; the sources come after
    assert reader.count("Christophe Foltzer") == 1
    assert re.search(r'<a class="author" href="/author/\d+">Christophe Foltzer</a>', main)
    assert ">3 octobre 2016<" in main and 'datetime="2016-10-03T00:00:00+02:00"' in main
    assert main.count("<figcaption>Photo Mike Colter</figcaption>") == 2
    assert "Commentaires (0)" in main and "Aucun commentaire." in main
    assert (
        f"/article/{article_id}/archived" in main and "<p>Une panne difficile à mesurer</p>" in main
    )
    data = client.json(f"/article/{article_id}.json")["article"]
    assert data["authors"][0]["name"] == "Christophe Foltzer"
    assert data["field_sources"]["authors"] == "byline" and data["comments"] == []


def test_article_without_date_image_or_comment_is_escaped(client: Client, web_db: Path) -> None:
    html = client.get(f"/article/{_article_id(web_db, 'sans-date')}").text
    assert "Date de publication inconnue" in html and "Aucun commentaire." in html
    assert "<figure" not in html
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(2)" not in html and "<b>" not in html


def test_javascript_urls_are_never_links(client: Client, web_db: Path) -> None:
    html = client.get(f"/article/{_article_id(web_db, 'javascript:')}").text
    assert 'href="javascript:' not in html and "javascript:alert(3)" in html


def test_comment_thread_and_revisions(client: Client, web_db: Path) -> None:
    article_id = _article_id(web_db, "revisee")
    data = client.json(f"/article/{article_id}.json")["article"]
    assert [(c["text"], c["depth"]) for c in data["comments"]] == [
        ("Premier", 0), ("Réponse", 1), ("Réponse à la réponse", 2),
    ]  # fmt: skip
    (change,) = data["changes"]
    assert change["fields"] == [
        {"name": "title", "before": "Première version", "after": "Seconde version"}
    ]
    assert change["paragraphs"] == [
        {"change": "removed", "text": "Un paragraphe qui s'en va."},
        {"change": "added", "text": "Un paragraphe tout neuf."},
    ]
    html = client.get(f"/article/{article_id}").text
    assert "<del>Un paragraphe qui s&#39;en va.</del>" in html and "depth-2" in html
    assert "1er mai 2024 à 14 h 32" in html


def test_archived_page_is_sandboxed(client: Client, web_db: Path) -> None:
    response = client.get(f"/article/{_article_id(web_db, 'luke-cage')}/archived")
    assert response.status_code == 200 and b"document.title" in response.content
    assert (
        response.headers["content-security-policy"]
        == (ARCHIVED_PAGE_HEADERS["Content-Security-Policy"])
    )
    policy = response.headers["content-security-policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy
    assert "allow-scripts" not in policy and "form-action 'none'" in policy
    assert response.headers["content-type"].startswith("text/html")
    missing = client.get(f"/article/{_article_id(web_db, 'sans-date')}/archived")
    assert missing.status_code == 404


def test_author_site_and_tag_pages(client: Client, web_db: Path) -> None:
    article = client.json(f"/article/{_article_id(web_db, 'luke-cage')}.json")["article"]
    author = client.json(f"/author/{article['authors'][0]['id']}.json")
    assert author["name"] == "Christophe Foltzer" and author["total"] >= 1
    assert author["months"]["bars"][0]["articles"] >= 1
    site = client.json("/site/www.echo-des-ecrans.test.json")
    assert site["total"] == 43
    dates = [a["published_at"] for a in site["articles"]]
    assert dates == sorted(dates, reverse=True)
    assert client.json("/tag/Luke%20Cage.json")["total"] == 1
    assert client.json("/tag/Tag%2Favec%20barre.json")["total"] == 1
    assert client.get("/tag/Luke%20Cage").status_code == 200
    assert client.get("/author/999999").status_code == 404
    assert client.get("/site/nowhere.test").status_code == 404


def test_browse_facets_chart_and_stored_queries(client: Client) -> None:
    data = client.json("/browse.json")
    assert set(data["facets"]) == {"author", "tag", "site", "section", "year"}
    assert {"value": "Netflix", "articles": 8} in data["facets"]["tag"] or data["facets"]["tag"]
    assert data["months"]["bars"] and len(data["queries"]) == 3
    narrowed = client.json("/browse.json?author=Christophe Foltzer&year=2016")
    assert narrowed["total"] == 1 and narrowed["facets"]["year"] == [
        {"value": "2016", "articles": 1}
    ]
    html = client.get("/browse").text
    assert 'href="/browse?author=' in html and "<svg" in html
    for query in data["queries"]:  # the stored queries run, on a file not called archive.db
        assert client.json(query["path"] + ".json?_shape=array"), query["name"]


def test_datasette_views_and_facets_stay(client: Client) -> None:
    table = client.json("/news/articles.json?_facet_size=5")
    names = {facet for facet in table["facet_results"]}
    assert {"authors", "tags", "site", "section"} <= names
    assert client.get("/news").status_code == 200
    assert metadata_for("news")["databases"]["news"]["queries"]


def test_nothing_served_can_write(client: Client) -> None:
    response = client.get("/news.json?sql=" + "DELETE FROM articles")
    assert response.status_code == 400
    db = client.datasette.get_database("news")
    with pytest.raises(sqlite3.OperationalError):
        asyncio.run(db.execute_write("DELETE FROM articles"))
    assert client.json("/index.json")["counts"]["articles"] == 46


def test_read_views_directly(web_db: Path) -> None:
    conn = sqlite3.connect(web_db)
    from archiver.archive.schema import add_functions

    add_functions(conn)
    assert list_articles(conn, Selection(site="autre.test"))["total"] == 2
    hits = search_articles(conn, "paragraphe", Selection(site="autre.test"))
    assert hits["total"] == 2 and "\x02" in hits["articles"][0]["snippet"]
    conn.close()


def test_presentation_helpers() -> None:
    assert french_date("2016-10-03T14:32:00+02:00") == "3 octobre 2016 à 14 h 32"
    assert french_date("2020-04-01T00:00:00+02:00") == "1er avril 2020"
    assert french_date("2016-10-03") == "3 octobre 2016"
    assert french_date("hier") == "hier" and french_date(None) is None
    assert str(highlight("a <b> \x02c\x03")) == "a &lt;b&gt; <mark>c</mark>"
    assert (
        web_url("JavaScript:alert(1)") is None and web_url("https://x.test/") == "https://x.test/"
    )
    looped = [{"comment_id": "a", "parent_id": "b"}, {"comment_id": "b", "parent_id": "a"}]
    assert len(comment_thread(looped)) == 2


def test_serve_refuses_a_missing_file_and_a_busy_port(tmp_path: Path, demo_db: Path) -> None:
    missing = run_cli("serve", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 1 and "no archive at" in missing.stderr
    assert "Traceback" not in missing.stderr
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = run_cli("serve", "--db", str(demo_db), "--port", str(port))
    assert busy.returncode == 1 and "already in use" in busy.stderr
    assert "Traceback" not in busy.stderr
