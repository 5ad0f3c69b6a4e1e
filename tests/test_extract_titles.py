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


def test_entities_are_decoded_in_image_texts_and_the_lead_too() -> None:
    """Every field, not the title only: an alt text escaped twice, a JSON-LD description
    escaped three times."""
    page = _page(
        "<meta property='og:type' content='article'>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Titel",'
        ' "description": "Der Auftakt&amp;amp;nbsp;der Saison &amp;amp;#8211; live"}</script>',
        "<h1>Titel</h1><figure><img src='/a.jpg' alt='Caf&amp;eacute;&amp;nbsp;am Markt'></figure>",
    )
    article = read_article(page, "https://news.example/b", force=True)
    assert article is not None
    assert article.lead == "Der Auftakt der Saison – live"
    assert [(image.alt, image.caption_raw) for image in article.images] == [
        ("Café am Markt", "Café am Markt")
    ]


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


def test_a_headline_marked_by_its_class_or_itemprop_needs_no_heading_element() -> None:
    """An older page prints its headline in a span that hAtom's class (or microdata) marks, and
    no h1 nor h2: its long, dated text is an article all the same. A page of long text with
    no headline of any kind (terms of use) is not."""
    prose = "".join(
        f"<p>Paragraph {n}: the father of the suspect posted long videos on politics, and"
        " neighbours said he talked about them to anyone who would listen.</p>"
        for n in range(12)
    )
    for mark in ("class='headline entry-title'", "itemprop='headline'"):
        page = (
            "<html><head><title>News from the agency</title></head><body>"
            f"<div class='hentry'><span {mark}>Father of suspect known for his videos</span>"
            "<abbr class='updated' title='2016-06-13'>13 June 2016</abbr>"
            f"<div class='entry-content'>{prose}</div></div></body></html>"
        )
        article = read_article(page, "https://agency.example/story")
        assert article is not None, mark
        assert article.published_at is not None and article.published_at[:10] == "2016-06-13"
    terms = f"<html><head><title>Terms</title></head><body><div>{prose}</div></body></html>"
    assert read_article(terms, "https://agency.example/terms") is None


def test_a_kicker_in_an_element_of_its_own_is_left_out_when_the_site_gives_the_headline() -> None:
    """The heading prints a kicker, a dash for screen readers and the headline, each in a span
    of its own; the JSON-LD joins the kicker to the headline, og:title gives the headline alone
    (with a soft hyphen, which the title drops)."""
    page = _page(
        "<meta property='og:title' content='Stadt plant Fahrrad&shy;brücke über den Fluss'>"
        '<script type=\'application/ld+json\'>{"@type": "NewsArticle",'
        ' "headline": "Neue Wege: Stadt plant Fahrradbrücke über den Fluss"}</script>',
        "<h1><span class='head-top'>Neue Wege</span><span aria-hidden='true'> – </span>"
        "<span class='head-text'>Stadt plant Fahrrad&shy;brücke über den Fluss</span></h1>",
    )
    article = read_article(page, "https://www.stadtblatt.example/a")
    assert article is not None and article.title == "Stadt plant Fahrradbrücke über den Fluss"
    assert article.field_sources["title"] == "headline"


def test_the_quotes_the_headline_prints_are_kept() -> None:
    page = _page(
        "<meta property='og:title' content=\"The mayor's 'last word' on the bridge\">"
        "<meta property='og:type' content='article'>",
        "<h1>The mayor\u2019s \u2018last word\u2019 on the bridge</h1>",
    )
    article = read_article(page, "https://news.example/c")
    assert (
        article is not None
        and article.title == "The mayor\u2019s \u2018last word\u2019 on the bridge"
    )


def test_twitter_title_when_the_first_h1_is_the_sites_logo() -> None:
    """No og:title nor JSON-LD: the first h1 is the site's name, in its own script; the
    headline's h1 comes later, and the <title> ends with the name and the domain."""
    head = (
        "<title>Khao mai | \u0e02\u0e48\u0e32\u0e27\u0e14\u0e35 Khaodee.example</title>"
        "<meta name='twitter:title' content='Khao mai'>"
    )
    article_html = "<h1 class='title'>Khao mai</h1>"
    page = (
        f"<html><head>{head}</head><body><div class='logo'><h1>\u0e02\u0e48\u0e32\u0e27\u0e14\u0e35</h1>"
        f"</div><article>{article_html}{_BODY}</article></body></html>"
    )
    article = read_article(page, "https://khaodee.example/journal/1", force=True)
    assert article is not None and article.title == "Khao mai"
    assert (
        without_site_name(
            "Khao mai | \u0e02\u0e48\u0e32\u0e27\u0e14\u0e35 Khaodee.example", [], "khaodee.example"
        )
        == "Khao mai"
    )


def test_names_around_the_domain_are_the_sites_and_headlines_are_not() -> None:
    cases = [
        ("Der Steinbock | Bergfreunde Online", "www.bergfreunde.ch", "Der Steinbock"),
        ("Kuchen mit Erdbeeren - Rezept von Kuchenwelt.de", "kuchenwelt.de", "Kuchen mit Erdbeeren"),
        ("Lockdown: Gottesdienste bleiben möglich › kirche.at", "www.kirche.at",
         "Lockdown: Gottesdienste bleiben möglich"),
        ("Anmelden: Produkttest │ Kaffeemarkt", "kaffeemarkt.de", "Anmelden: Produkttest"),
        # a longer part that ends with the domain, or a first part that begins with its name
        ("Ausblick - Neue Karten auf Gipfelwelt.ch", "gipfelwelt.ch",
         "Ausblick - Neue Karten auf Gipfelwelt.ch"),
        ("Techwelt Gift Guide: What to buy", "techwelt.example", "Techwelt Gift Guide: What to buy"),
    ]  # fmt: skip
    for title, host, expected in cases:
        assert without_site_name(title, [], host) == expected


def test_a_headline_that_begins_with_the_sites_name_is_kept_whole() -> None:
    page = _page(
        "<meta property='og:title' content='Techwelt Gift Guide: What to buy this year - Techwelt'>"
        "<meta property='og:site_name' content='Techwelt'><meta property='og:type' content='article'>",
        "<h1>Techwelt Gift Guide: What to buy this year</h1>",
    )
    article = read_article(page, "https://techwelt.example/gift-guide")
    assert article is not None and article.title == "Techwelt Gift Guide: What to buy this year"


def test_a_heading_for_screen_readers_is_not_the_headline() -> None:
    """The page header holds an h1 for screen readers with the <title>, site's name and all,
    beside the site's own dates; the headline is the h2 of the article, dated under it."""
    page = (
        "<html><head><title>Flüsse werden wärmer | Landesamt</title>"
        "<meta property='og:title' content='Flüsse werden wärmer'>"
        "<meta property='og:site_name' content='Landesamt'>"
        "<meta property='og:type' content='article'></head><body>"
        "<header><h1 class='visuallyhidden'>Flüsse werden wärmer | Landesamt</h1>"
        "<p>Stand: 02.01.2022</p></header>"
        f"<article><h2 class='title'>Flüsse werden wärmer</h2><p>25.01.2022</p>{_BODY}</article>"
        "</body></html>"
    )
    article = read_article(page, "https://www.landesamt.example/fluesse")
    assert article is not None and article.title == "Flüsse werden wärmer"
    assert (article.published_at or "").startswith("2022-01-25")
