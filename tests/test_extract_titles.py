"""Titles, and whether a page is an article, on pages built like those of sites the extraction
was never tuned on: entities escaped twice, the site's name joined to the title, a headline
shown apart from the h1 that search engines read, an article whose markup does not say so."""

from __future__ import annotations

from archiver.extract.headline import without_site_name
from archiver.extract.read import read_article

_BODY = "".join(
    f"<p>Paragraph {n} of the story, long enough to read as the article's own prose here.</p>"
    for n in range(6)
)


def _page(head: str, article: str) -> str:
    return f"<html lang='de'><head>{head}</head><body><article>{article}{_BODY}</article></body></html>"


def test_entities_escaped_twice_are_decoded() -> None:
    page = _page(
        "<meta property='og:title' content='Ger&amp;auml;te zerst&amp;ouml;ren &amp;quot;jetzt&amp;quot;'>"
        "<meta property='og:type' content='article'>",
        "<h1>Anders</h1>",
    )
    article = read_article(page, "https://news.example/a", force=True)
    assert article is not None and article.title == 'Geräte zerstören "jetzt"'


def test_the_sites_name_is_not_part_of_the_title() -> None:
    assert without_site_name("Zinsen steigen | Börsen-Zeitung", [], "www.boersen-zeitung.de") == (
        "Zinsen steigen"
    )
    assert (
        without_site_name("Samsung verliert - Golem.de", [], "www.golem.de") == "Samsung verliert"
    )
    assert without_site_name("Le Monde: Un titre", ["Le Monde"], "lemonde.fr") == "Un titre"
    assert without_site_name("Wahl - Das Ergebnis", [], "www.zeitung.de") == "Wahl - Das Ergebnis"
    assert without_site_name("Tageblatt", ["Tageblatt"], "tageblatt.lu") == ""


def test_the_headline_shown_wins_over_the_one_for_search_engines() -> None:
    page = _page(
        "<title>Wahl: Kanzler verliert knapp | Zeitung</title>"
        "<meta property='og:title' content='Kanzler verliert die Wahl knapp'>"
        '<script type=\'application/ld+json\'>{"@type": "NewsArticle",'
        ' "headline": "Wahl: Kanzler verliert knapp"}</script>',
        "<nav class='breadcrumb'><h1>Wahl: Kanzler verliert knapp</h1></nav>"
        "<h2><span class='article__kicker'>Bundestag</span>"
        "<span class='article__headline'>Kanzler verliert die Wahl knapp</span></h2>",
    )
    article = read_article(page, "https://www.zeitung.de/a")
    assert article is not None and article.title == "Kanzler verliert die Wahl knapp"
    assert article.field_sources["title"] == "headline"


def test_a_kicker_printed_in_the_heading_is_left_out() -> None:
    page = _page(
        "<meta property='og:title' content='Angriff: «Wir bleiben hier, was auch kommt»'>"
        "<meta property='og:type' content='article'>",
        "<h1><span class='title__overline'>Krieg im Osten</span>"
        "<span class='offscreen'> - </span><span>«Wir bleiben hier, was auch kommt»</span></h1>",
    )
    article = read_article(page, "https://news.example/b")
    assert article is not None and article.title == "«Wir bleiben hier, was auch kommt»"


def test_a_long_dated_text_under_a_headline_is_an_article_without_saying_so() -> None:
    """No og:type, no JSON-LD: the page is an article by what it prints, and a listing of
    short teasers is still not one."""
    prose = "".join(
        f"<p>Paragraph {n}: the council met again on Tuesday and talked for hours about the"
        " bridge, the budget and the river, and nobody agreed on anything at all.</p>"
        for n in range(12)
    )
    page = (
        "<html><head><title>The bridge</title></head><body><h1>The bridge will wait</h1>"
        f"<time datetime='2024-05-03T10:00:00+02:00'>3 May</time><div>{prose}</div></body></html>"
    )
    article = read_article(page, "https://town.example/bridge")
    assert article is not None and article.published_at == "2024-05-03T10:00:00+02:00"
    teasers = "".join(
        f"<li><h2><a href='/{n}'>Story {n}</a></h2><p>A teaser.</p></li>" for n in range(20)
    )
    listing = f"<html><body><h1>News</h1><ul>{teasers}</ul></body></html>"
    assert read_article(listing, "https://town.example/news") is None
