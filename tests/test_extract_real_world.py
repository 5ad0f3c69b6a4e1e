"""Extraction heuristics for third-party markup, on pages written for these tests.

Each fixture imitates a kind of real page (a WordPress theme with Yoast JSON-LD and threaded
comments, a news site with its ads and Disqus, a Blogger post, a page with microdata only);
the text in them is ours.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.extract.body import extract_body
from archiver.extract.metadata import (
    MetaTags,
    date_in_url,
    json_ld_index,
    meta_content,
    page_language,
    person_names,
)
from archiver.extract.nodes import parse_html
from archiver.extract.page import extract_article, main_text
from archiver.items import Article
from archiver.normalize.article import normalize_article
from archiver.normalize.dates import FrenchDates

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = "2022-06-01T10:00:00+02:00"


def extracted(name: str, url: str) -> Article:
    html = (FIXTURES / name).read_text(encoding="utf-8")
    article = extract_article(html, url, fetched_at=FETCHED)
    assert article is not None, name
    return normalize_article(article, FrenchDates())


@pytest.fixture(scope="module")
def wordpress() -> Article:
    return extracted(
        "rw_wordpress.html", "https://blog-series.exemple/2016/10/03/revenants-saison-3/"
    )


@pytest.fixture(scope="module")
def news() -> Article:
    return extracted("rw_news.html", "https://quotidien.exemple/bd/festival.html")


# ---------------------------------------------------------------- body


def test_body_keeps_paragraphs_headings_and_lists_in_order(wordpress: Article) -> None:
    assert wordpress.body.split("\n\n") == [
        "La chaîne a confirmé lundi une troisième saison, tournée en Haute-Savoie au printemps, "
        "avec la même équipe d'écriture.",
        "Ce que l'on sait déjà",
        "Le tournage réunira les principaux interprètes, et deux nouveaux personnages arriveront "
        "dès le premier épisode.",
        "- Huit épisodes de cinquante minutes",
        "- Une diffusion prévue à l'automne",
        "Les fans devront patienter : aucune date précise n'a encore été donnée par la "
        "production, qui promet des nouvelles à la rentrée.",
    ]


@pytest.mark.parametrize(
    "furniture",
    [
        "cookies",  # consent banner
        "Séries",  # navigation
        "Partager",  # share bar
        "lettre chaque vendredi",  # newsletter box
        "Sur le même sujet",  # related posts, heading and teaser
        "Une autre série annoncée",
        "Articles récents",  # sidebar widget
        "long résumé d'un autre article",
        "Tous droits réservés",  # footer
        "Enfin !",  # comments
        "Laisser un commentaire",
        "fantastique",  # tags
        "Les Revenants reviennent",  # the title is not the body
        "3 octobre 2016",  # byline and date
    ],
)
def test_body_leaves_furniture_out(wordpress: Article, furniture: str) -> None:
    assert furniture not in wordpress.body


def test_article_split_around_an_ad_is_read_whole(news: Article) -> None:
    assert news.body.split("\n\n") == [
        "La décision a été prise après une consultation des exposants, dont la plupart "
        "réclamaient un calendrier plus lisible.",
        "Les billets déjà vendus restent valables, précise le communiqué, et pourront être "
        "échangés sans frais jusqu'en décembre.",
        "La ville, qui finance une partie de l'événement, se dit favorable au changement, tout "
        "en rappelant les contraintes d'hébergement.",
    ]  # no "Publicité", no "À lire aussi" left without its links


def test_standfirst_by_another_name_is_the_lead(news: Article) -> None:
    assert news.lead == (
        "Les organisateurs avancent l'édition de janvier d'une semaine, pour éviter les "
        "vacances scolaires."
    )
    assert news.field_sources["lead"] == "text"
    assert main_text(news).startswith(news.lead + "\n\n")


def test_blogger_post_shipped_in_a_template_script() -> None:
    article = extracted("rw_blogger.html", "https://musique.blogspot.exemple/2019/12/albums.html")
    assert article.body.startswith("Cette année a été riche en disques")
    assert "église de Bretagne" in article.body


def test_a_wrapper_named_like_furniture_does_not_hide_the_article() -> None:
    html = (
        "<html><body><div class='content has-sidebar share-enabled'><h1>Titre</h1>"
        + "".join(
            f"<p>Une phrase d'article numéro {n}, avec une virgule, pour compter comme prose.</p>"
            for n in range(4)
        )
        + "</div><div class='sidebar'><p>Encart.</p></div></body></html>"
    )
    article = extract_article(html, "https://exemple.test/", force=True)
    assert article.body.count("Une phrase d'article") == 4
    assert "Encart" not in article.body


def test_short_lines_after_the_last_paragraph_are_dropped_but_a_page_without_prose_keeps_them() -> (
    None
):
    with_prose = (
        "<html><body><article><p>Une phrase d'article assez longue, avec une virgule, pour compter.</p>"
        "<p>Lust auf mehr?</p></article></body></html>"
    )
    assert extract_body(_selector(with_prose)) == [
        "Une phrase d'article assez longue, avec une virgule, pour compter."
    ]
    assert extract_body(_selector("<html><body><p>Bref.</p></body></html>")) == ["Bref."]


def _selector(html: str):
    from parsel import Selector

    return Selector(text=html)


@pytest.mark.parametrize("depth", [1500, 20000])
def test_deeply_nested_pages_do_not_raise(depth: int) -> None:
    html = "<html><body>" + "<div>" * depth + "<p>Texte.</p>" + "</div>" * depth + "</body></html>"
    extract_article(html, "https://exemple.test/", force=True)


# ---------------------------------------------------------------- metadata


def test_json_ld_author_given_by_reference_is_followed(wordpress: Article) -> None:
    assert wordpress.authors == ["Zoé Martin"]  # not <meta name="author">: "La rédaction"
    assert wordpress.field_sources["authors"] == "json-ld"
    assert wordpress.published_at == "2016-10-03T14:32:00+02:00"
    assert wordpress.updated_at == "2016-10-04T09:15:00+02:00"


def test_twitter_card_author_and_an_iso_date_preferred_to_another_form(news: Article) -> None:
    assert news.authors == ["Amélie Roux"]
    assert news.field_sources["authors"] == "meta:twitter:data1"
    # JSON-LD says "Wed, 04 May 2022 02:41:00 GMT"; the ISO 8601 form is read instead.
    assert news.published_raw == "2022-05-03T22:41:00-04:00"
    assert news.field_sources["published_at"] == "opengraph"


def test_microdata_only_page_is_an_article_with_author_and_hatom_date() -> None:
    article = extracted("rw_microdata.html", "https://cine.exemple/critique/polar")
    assert article.authors == ["Paul Girard"]
    assert article.field_sources["authors"] == "microdata"
    # the comment's own <meta itemprop="dateCreated"> is not the article's date
    assert article.published_at == "2021-02-14T08:00:00+01:00"
    assert article.field_sources["published_at"] == "microformat"


def test_json_ld_names_are_unescaped_and_urls_are_not_names() -> None:
    objects = [
        {"@type": "Person", "@id": "#p", "name": "Redacci&oacute;n"},
        {"@type": "Article", "author": [{"@id": "#p"}, "https://exemple.test/auteur/x"]},
    ]
    assert person_names(objects[1]["author"], json_ld_index(objects)) == ["Redacción"]


def test_meta_tags_are_read_by_any_spelling_of_their_key() -> None:
    metas = MetaTags(
        _selector(
            "<html><head><meta name='DC.Creator' content='Jean Dupont'>"
            "<meta name='sw-pubdate' content='2021-11-19'>"
            "<meta property='article:author' content='https://facebook.com/x'></head></html>"
        )
    )
    assert metas.authors() == ("dc.creator", ["Jean Dupont"])
    assert metas.published_fallback() == "2021-11-19"


def test_date_in_url() -> None:
    assert date_in_url("https://exemple.test/2019/08/02/titre/") == "2019-08-02"
    assert date_in_url("https://exemple.test/2019-8-2-titre.html") == "2019-08-02"
    assert date_in_url("https://exemple.test/2019/08/titre/") is None
    assert date_in_url("https://exemple.test/2019/13/02/") is None


def test_url_date_when_the_page_gives_none() -> None:
    html = "<html><body><article><h1>T</h1><p>Texte de l'article, avec une virgule.</p></article></body></html>"
    article = extract_article(html, "https://exemple.test/2020/01/29/t/", force=True)
    assert article.published_raw == "2020-01-29"
    assert article.field_sources["published_at"] == "url"


def test_a_date_element_labelled_as_an_update_in_german_or_english_is_the_update() -> None:
    for label in ("Aktualisiert am 4. März 2022", "Updated: March 4, 2022"):
        html = (
            "<html><body><article><h1>Titre</h1><span class='date'>" + label + "</span>"
            + _PROSE + "</article></body></html>"
        )  # fmt: skip
        article = extract_article(html, "https://exemple.test/a", fetched_at=FETCHED, force=True)
        assert (article.updated_raw, article.field_sources["updated_at"]) == (label, "text")


def test_a_url_date_far_from_the_metadata_wins_unless_it_is_after_the_fetch() -> None:
    head = "<meta property='og:type' content='article'>"
    html = (
        "<html><head>{}<meta property='article:published_time' content='{}'></head><body>"
        "<article><h1>Titre</h1>" + _PROSE + "</article></body></html>"
    )
    # The URL was made with the article; the metadata's date, two years off, is kept aside.
    redated = extract_article(
        html.format(head, "2021-09-10T08:00:00+02:00"),
        "https://exemple.test/2019/06/12/titre/",
        fetched_at="2022-01-05T10:00:00+01:00",
    )
    assert (redated.published_raw, redated.field_sources["published_at"]) == ("2019-06-12", "url")
    assert redated.parse_warnings["published_at_metadata"] == "2021-09-10T08:00:00+02:00"
    # A day after the fetch in a slug is the day of an event the article announces.
    announced = extract_article(
        html.format(head, "2023-02-20T09:30:00+01:00"),
        "https://exemple.test/musique/concert-lyon-28-06-2023-programme",
        fetched_at="2023-02-21T10:00:00+01:00",
    )
    assert announced.published_raw == "2023-02-20T09:30:00+01:00"
    assert announced.field_sources["published_at"] == "opengraph"
    assert "published_at_metadata" not in announced.parse_warnings


# ---------------------------------------------------------------- comments


def test_wordpress_threaded_comments(wordpress: Article) -> None:
    assert [(c.id, c.parent_id, c.author, c.published_at) for c in wordpress.comments] == [
        ("12", None, "Karim", "2016-10-03T18:02:00+02:00"),
        ("13", "12", "Zoé Martin", "2016-10-03T19:40:00+02:00"),
    ]
    assert wordpress.comments[0].text == "Enfin ! J'attendais cette nouvelle depuis deux ans."
    assert wordpress.comment_count_shown == 2
    assert wordpress.field_sources["comments"] == "html"
    assert wordpress.comments_status is None


def test_json_ld_comments_with_a_nested_reply() -> None:
    article = extracted("rw_blogger.html", "https://musique.blogspot.exemple/2019/12/albums.html")
    assert [(c.id, c.parent_id, c.author) for c in article.comments] == [
        ("c1", None, "Léa"),
        ("c2", "c1", "Hugo"),
    ]
    assert article.field_sources["comments"] == "json-ld"
    assert article.published_at is None  # the comment's dateCreated is not the article's


def test_microdata_comment_outside_any_comment_section() -> None:
    article = extracted("rw_microdata.html", "https://cine.exemple/critique/polar")
    assert [(c.id, c.author, c.text) for c in article.comments] == [
        ("r-7", "Nadia", "Vu hier soir, l'ambiance est saisissante.")
    ]
    assert "saisissante" not in article.body


def test_comment_widgets_are_named_not_scraped(news: Article) -> None:
    assert news.comments == []
    assert news.comments_status == "external:disqus"
    assert news.field_sources["comments"] == "external:disqus"
    facebook = (
        "<html><body><article><p>Texte.</p></article>"
        "<div class='fb-comments' data-href='https://exemple.test/a'></div></body></html>"
    )
    article = extract_article(facebook, "https://exemple.test/a", force=True)
    assert article.comments_status == "external:facebook"


def test_the_publisher_as_author_gives_way_to_the_printed_byline() -> None:
    html = (
        "<html><head><script type='application/ld+json'>"
        '{"@type": "NewsArticle", "headline": "Titre", "author": '
        '{"@type": "Organization", "name": "Le Quotidien"}}</script></head>'
        "<body><article><h1>Titre</h1><p class='byline'>Par Amélie Roux</p>"
        "<p>Texte de l'article, avec une virgule, assez long pour être lu.</p></article></body></html>"
    )
    article = normalize_article(
        extract_article(html, "https://exemple.test/a", fetched_at=FETCHED), FrenchDates()
    )
    assert article.authors == ["Amélie Roux"]
    assert article.field_sources["authors"] == "byline"


def test_a_date_printed_just_after_the_headline_is_the_last_resort() -> None:
    html = (
        "<html><body><article><h1>Communiqué</h1><p class='chapeau-x'>Communiqué du 20.01.2022"
        " à 9h30</p><p>Texte de l'article, avec une virgule, assez long pour être lu.</p>"
        "</article><div class='footer-x'>Mis en ligne le 01.02.2023</div></body></html>"
    )
    article = extract_article(html, "https://exemple.test/communique", force=True)
    assert article.published_raw == "20.01.2022 à 9h30"
    assert article.field_sources["published_at"] == "text-near-title"


def _page_date(body: str, url: str = "https://exemple.test/actu/a") -> tuple[str | None, str]:
    html = f"<html><body>{body}</body></html>"
    article = extract_article(html, url, fetched_at=FETCHED, force=True)
    return article.published_raw, article.field_sources.get("published_at", "")


_PROSE = "<p>Texte de l'article, avec une virgule, assez long pour être lu comme tel.</p>"


def test_a_post_container_named_publish_does_not_hide_the_date_inside_it() -> None:
    # WordPress marks every post "status-publish": a container, not a date.
    body = (
        "<div class='post status-publish hentry'><h2>Billet</h2>"
        "<div class='entry-meta'>Publié le <span class='entry-date'>13. Januar 2014</span></div>"
        + _PROSE * 3
        + "</div>"
    )
    assert _page_date(body) == ("13. Januar 2014", "text")


def test_a_date_in_a_short_meta_paragraph_counts_but_not_one_in_running_text() -> None:
    meta_line = (
        "<article><h1>Titre</h1><p class='entry-meta'><span class='meta-date'>5. November 2021"
        "</span> <span class='author'>admin</span></p>" + _PROSE + "</article>"
    )
    assert _page_date(meta_line) == ("5. November 2021", "text")
    running = (
        "<article><h1>Titre</h1><p>Le festival, ouvert le <span class='date'>3 mars 2020</span>"
        ", a réuni plus de monde que prévu malgré la pluie, et les organisateurs se disent "
        "satisfaits d'une édition qui aurait pu tourner court, selon leur communiqué de presse "
        "publié hier soir.</p></article>"
    )
    assert _page_date(running) == (None, "")


def test_near_the_headline_dates_in_words_of_other_languages_count() -> None:
    for printed, expected in [
        ("Lübeck, 31. März 2003", "31. März 2003"),
        ("Jan 18, 2019", "Jan 18, 2019"),
        ("Von Redaktion 4. 2. 2022.", "4. 2. 2022"),
    ]:
        body = f"<article><h1>Titre</h1><div class='x'>{printed}</div>{_PROSE}</article>"
        assert _page_date(body) == (expected, "text-near-title")


def test_near_the_headline_a_date_told_by_the_text_is_skipped_a_dateline_is_not() -> None:
    told = (
        "<article><h1>Titre</h1><p>Seit 4. August 2014 gilt in diesem Land ein neues Gesetz, "
        "das die Arbeit regelt, und darüber wird seitdem viel gestritten, in den Zeitungen wie "
        "auf der Straße, ohne dass sich eine Mehrheit für eine Änderung gefunden hätte, bisher."
        "</p><p class='info'>Aktualisiert: 30.12.2016</p></article>"
    )
    assert _page_date(told) == ("30.12.2016", "text-near-title")
    dateline = (
        "<article><h1>Titre</h1><p>27.1.2022 - Bei der Erinnerung an die Opfer waren manche "
        "lange unsichtbar, was erst recht für jene gilt, deren Geschichten niemand aufschrieb, "
        "und die man deshalb heute mühsam aus Akten und Briefen zusammensetzen muss, Stück für "
        "Stück.</p></article>"
    )
    assert _page_date(dateline) == ("27.1.2022", "text-near-title")
    # A line of its own after a long paragraph: the text after </p> is not in that paragraph.
    long_paragraph = "<p>" + "Une phrase du chapeau qui se poursuit encore un peu, " * 5 + "</p>"
    after_paragraph = (
        "<div><h1>Titre</h1>" + long_paragraph + "Mis en ligne le 9 avril 2021" + _PROSE + "</div>"
    )
    assert _page_date(after_paragraph) == ("9 avril 2021", "text-near-title")


def test_a_date_far_down_the_lines_after_the_headline_is_found_and_not_one_further() -> None:
    """The byline search reads the first 30 texts after the headline; the date search reads
    on, up to 60, and no further."""
    lines = "".join(f"<li>Sujet {n}</li>" for n in range(40))
    far = (
        f"<article><h1>Titre</h1><ul>{lines}</ul><p>Publié le 3 octobre 2016</p>{_PROSE}</article>"
    )
    assert _page_date(far) == ("3 octobre 2016", "text-near-title")
    lines = "".join(f"<li>Sujet {n}</li>" for n in range(60))
    too_far = f"<article><h1>Titre</h1><ul>{lines}</ul><p>3 octobre 2016</p>{_PROSE}</article>"
    assert _page_date(too_far) == (None, "")
    # labelled as the publication's, it is read wherever it stands
    labelled = too_far.replace("<p>3 octobre", "<p>Publié le 3 octobre")
    assert _page_date(labelled) == ("3 octobre 2016", "text")


def _ld(date_published: str) -> str:
    return (
        "<script type='application/ld+json'>"
        f'{{"@type": "NewsArticle", "headline": "Titre", "datePublished": "{date_published}"}}'
        "</script>"
    )


def test_a_utc_time_outranks_the_day_before_or_after_that_the_page_shows() -> None:
    # a New York evening is the next day in UTC: the time is the more exact
    printed = (
        _ld("2020-02-25T02:25:54Z")
        + "<article><h1>Titre</h1><div class='x'>February 24, 2020</div>"
        + _PROSE
        + "</article>"
    )
    assert _page_date(printed) == ("2020-02-25T02:25:54Z", "json-ld")
    far = (
        _ld("2020-02-25T02:25:54Z")
        + "<article><h1>Titre</h1>"
        + "".join(f"<p>Paragraphe {n}, assez long pour être lu.</p>" for n in range(70))
        + "<div class='entry-date'>February 24, 2020</div></article>"
    )
    assert _page_date(far) == ("2020-02-25T02:25:54Z", "json-ld")
    same_day = printed.replace("February 24", "February 25")
    assert _page_date(same_day) == ("2020-02-25T02:25:54Z", "json-ld")
    # Another machine date gives the same moment with the page's own offset: that one.
    offset = (
        _ld("2022-05-04T03:37:37+00:00")
        + "<article><h1>Titre</h1><time datetime='2022-05-03T23:37:37-04:00'>3 May</time>"
        + _PROSE
        + "</article>"
    )
    assert _page_date(offset) == ("2022-05-03T23:37:37-04:00", "time")
    # "-0000" (UTC, zone unknown) beside the same moment with the page's offset: that one.
    unknown_zone = (
        "<script type='application/ld+json'>"
        '{"@graph": [{"@type": "NewsArticle", "headline": "Titre"}, '
        '{"@type": "WebPage", "datePublished": "Tue, 07 Jun 2022 23:30:00 -0000"}]}</script>'
        "<meta property='article:published_time' content='Wed, 08 Jun 2022 01:30:00 +0200'>"
        "<article><h1>Titre</h1>" + _PROSE + "</article>"
    )
    assert _page_date(unknown_zone) == ("Wed, 08 Jun 2022 01:30:00 +0200", "opengraph")


def test_the_headline_is_found_below_a_hidden_or_branding_h1() -> None:
    # A hidden h1 for screen readers, the site's name in another; the headline is an h2 that
    # the <title> names beside the site.
    body = (
        "<h1 class='aural'>Navigation</h1><h1>Le Blog</h1><p>En ligne depuis le 02.01.2010</p>"
        "<div><h2>Archives</h2></div>"
        "<div class='post'><h2><span>Un voyage en Andalousie</span></h2>"
        "<div class='x'>Lübeck, 31. März 2003</div>" + _PROSE + "</div>"
    )
    html = f"<html><head><title>Le Blog | Un voyage en Andalousie</title></head><body>{body}</body></html>"
    article = extract_article(html, "https://exemple.test/a", fetched_at=FETCHED, force=True)
    assert article.published_raw == "31. März 2003"
    assert article.field_sources["published_at"] == "text-near-title"


def test_near_the_headline_a_date_labelled_as_an_update_serves_only_without_another() -> None:
    revised = (
        "<article><div class='x'>30 septembre 2018</div><h1>Titre</h1>"
        "<p><i>Article mis à jour le 7 janvier 2020.</i></p>" + _PROSE + "</article>"
    )
    assert _page_date(revised) == ("30 septembre 2018", "text-near-title")
    only = (
        "<article><h1>Titre</h1><p class='x'>Aktualisiert: 30.12.2016</p>" + _PROSE + "</article>"
    )
    assert _page_date(only) == ("30.12.2016", "text-near-title")


def test_a_date_without_its_year_gives_way_to_a_full_date_near_the_headline() -> None:
    body = (
        "<div class='agenda'><span class='madate'>17/11</span> <a href='/r'>Rencontre</a></div>"
        "<h1>Titre</h1><div class='x'>jeudi 13 juin 2019</div>" + _PROSE
    )
    assert _page_date(body) == ("13 juin 2019", "text-near-title")
    alone = "<div class='agenda'><span class='madate'>17/11</span></div><h1>Titre</h1>" + _PROSE
    assert _page_date(alone) == ("17/11", "text")


def _page_authors(head: str, body: str) -> tuple[list[str], str | None]:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    article = extract_article(html, "https://exemple.test/a", fetched_at=FETCHED, force=True)
    article = normalize_article(article, FrenchDates())
    return article.authors, article.field_sources.get("authors")


def test_a_byline_printed_after_the_headline_without_markup() -> None:
    # "par" alone, the name in the next text: no class says byline
    body = "<h1>Titre</h1><div class='x'>par <span>Didier Martin</span>, 21 juin 2018</div>"
    assert _page_authors("", body + _PROSE) == (["Didier Martin"], "byline")
    # the label on a line of its own in a definition list
    listed = "<h1>Titre</h1><dl><dt>Auteur</dt><dd><a href='/s/u'>Ulrich Garnier</a></dd></dl>"
    assert _page_authors("", listed + _PROSE) == (["Ulrich Garnier"], "byline")


def test_a_printed_byline_outranks_the_site_and_the_webpage_account() -> None:
    site = "<meta name='author' content='Radio Exemple (www.radio-exemple.fr)'>"
    body = "<h1>Titre</h1><p>Auteur : Kofi Mensah </p>" + _PROSE
    assert _page_authors(site, body) == (["Kofi Mensah"], "byline")
    lone_first_name = "<h1>Titre</h1><p><a href='/c'>By Pamela</a></p>" + _PROSE
    site_named = "<meta name='author' content='Pamela Exemple'><meta property='og:site_name' content='Pamela Exemple'>"
    assert _page_authors(site_named, lone_first_name)[0] == ["Pamela Exemple"]
    webpage = (
        "<script type='application/ld+json'>"
        '{"@graph": [{"@type": "WebPage", "author": {"@id": "#u"}},'
        ' {"@type": "Person", "@id": "#u", "name": "Gilles Compte"}]}</script>'
    )
    listed = "<h1>Titre</h1><dl><dt>Auteur</dt><dd>Ulrich Garnier</dd></dl>" + _PROSE
    assert _page_authors(webpage, listed) == (["Ulrich Garnier"], "byline")
    assert _page_authors(webpage, "<h1>Titre</h1>" + _PROSE) == (["Gilles Compte"], "json-ld")


def test_a_follow_button_beside_the_author_is_not_a_byline() -> None:
    # the button's class says author; its words ("Folgen", "Abbrechen") are no one's name
    body = (
        "<h1>Titre</h1><div class='info'><button class='followAuthorBtn'>Folgen</button>"
        "<a class='followAuthorBtn' href='#'>Abbrechen</a></div>" + _PROSE
    )
    publisher = (
        "<script type='application/ld+json'>"
        '{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Tagblatt"}}'
        "</script>"
    )
    assert _page_authors(publisher, body) == (["Tagblatt"], "json-ld")


def test_the_sites_short_name_gives_way_to_the_printed_byline() -> None:
    # "NB" is "Nordblatt Berlin" signing: the name beside the headline is the author's
    head = (
        "<meta name='author' content='NB'><meta property='og:site_name' content='Nordblatt Berlin'>"
    )
    body = "<h1>Titre</h1><p>von <a href='/autoren/k'>Dr. Karla Stein</a></p>" + _PROSE
    assert _page_authors(head, body) == (["Dr. Karla Stein"], "byline")


def test_a_byline_linking_more_people_than_the_metadata_names() -> None:
    head = (
        "<script type='application/ld+json'>"
        '{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ola Berg"}]}</script>'
    )
    body = (
        "<h1>Titre</h1><div class='bylines'>"
        "<a rel='author' href='/p/1'><span class='name'>Kari Nes</span></a>"
        "<a rel='author' href='/p/2'><span class='name'>Ola Berg</span></a>"
        "<a href='/author/bio'>Biography</a></div>" + _PROSE
    )
    assert _page_authors(head, body) == (["Kari Nes", "Ola Berg"], "byline-name")


def test_surname_first_dublin_core_creators_are_given_name_first() -> None:
    head = "<meta name='dc.creator' content='Lind, Maja'><meta name='dc.creator' content='Ek, Jon'>"
    assert _page_authors(head, "<h1>Titre</h1>" + _PROSE) == (
        ["Maja Lind", "Jon Ek"], "meta:dc.creator",
    )  # fmt: skip


def test_date_in_url_day_first() -> None:
    assert date_in_url("https://exemple.test/newsroom/23-01-2022-titel/17.html") == "2022-01-23"
    assert date_in_url("https://exemple.test/meldungen/29-10-2021") == "2021-10-29"
    assert date_in_url("https://exemple.test/bericht_vom_22.04.2020_titel") == "2020-04-22"
    assert date_in_url("https://exemple.test/v1.2.2020/") is None  # no separator before
    assert date_in_url("https://exemple.test/a?d=2019/08/02/") is None  # the path only


def test_a_machine_date_months_from_the_url_date_gives_way_to_it() -> None:
    far = _ld("2019-06-17T18:28:00+02:00") + "<article><h1>Titre</h1>" + _PROSE + "</article>"
    url = "https://exemple.test/home/2017/7/12/titre"
    assert _page_date(far, url) == ("2017-07-12", "url")
    near = far.replace("2019-06-17", "2017-07-13")
    assert _page_date(near, url) == ("2017-07-13T18:28:00+02:00", "json-ld")


def test_a_date_printed_inside_the_headline_but_not_one_in_its_words() -> None:
    head = "<html><head><title>Retour du public | Club</title></head><body>"
    inside = head + "<h1>Retour du public<br><small>02.02.2022 • Club</small></h1>" + _PROSE
    article = extract_article(inside, "https://exemple.test/a", force=True)
    assert article.published_raw == "02.02.2022"
    about = (
        "<html><head><title>Wochenbericht 14. - 20. Januar 2022</title></head><body>"
        "<h1>Wochenbericht 14. - 20. Januar 2022</h1><p class='x'>Stand: 14.01.2022</p>" + _PROSE
    )
    article = extract_article(about, "https://exemple.test/a", force=True)
    assert article.published_raw == "14.01.2022"


@pytest.mark.parametrize(
    "key",
    "datePublished date_published published_at publishedAt publishDate publish_date"
    " publicationDate publication_date first_published firstPublished pubDate publishedDate".split(),
)
def test_a_published_date_in_a_page_script_under_another_key(key: str) -> None:
    script = f'<script type=\'application/json\'>{{"{key}":"2016-11-04T20:37:27Z"}}</script>'
    assert _page_date(script + "<h1>Titre</h1>" + _PROSE) == ("2016-11-04T20:37:27Z", "script")


def test_the_date_of_a_json_ld_object_that_is_not_an_article() -> None:
    how_to = (
        "<script type='application/ld+json'>"
        '[{"@type": "Organization", "name": "Site", "datePublished": "2001-01-01"},'
        ' {"@type": "HowTo", "name": "Nappe ronde", "datePublished": "2022-01-10T22:06:08Z"}]'
        "</script><h1>Nappe ronde</h1>" + _PROSE
    )
    assert _page_date(how_to) == ("2022-01-10T22:06:08Z", "json-ld")


def test_the_day_shown_beside_the_headline_outranks_metadata_that_disagrees() -> None:
    def page(shown: str) -> str:
        return (
            _ld("2021-11-29T14:13:37+01:00")
            + f"<article><h1>Titre</h1><div class='x'>{shown}</div>"
            + _PROSE
            + "</article>"
        )

    # re-dated when updated: readers see the later day; the metadata's date is kept aside
    assert _page_date(page("Aktualisiert am 12.01.2022")) == ("12.01.2022", "text-near-title")
    article = extract_article(page("Aktualisiert am 12.01.2022"), "https://x.example/a", force=True)
    assert article is not None
    assert article.parse_warnings["published_at_metadata"] == "2021-11-29T14:13:37+01:00"
    assert article.updated_raw == "12.01.2022"  # shown as an update: it is one too
    # the metadata's day is shown too: it stays
    both = page("Publié le 29/11/2021, mis à jour le 12/01/2022")
    assert _page_date(both) == ("2021-11-29T14:13:37+01:00", "json-ld")
    # an earlier day is a date the text mentions, or day and month read the wrong way round
    assert _page_date(page("Lübeck, 31. März 2003")) == ("2021-11-29T14:13:37+01:00", "json-ld")


@pytest.mark.parametrize(
    ("page", "language"),
    [
        ("<html lang='fr-FR'><body><p>x</p></body></html>", "fr"),
        ("<html><head></head></html><html lang='de'><body><p>x</p></body></html>", "de"),
        ("<html lang=''><head><meta property='og:locale' content='fr_FR'></head></html>", "fr"),
        ("<html><head><meta name='language' content='en'></head></html>", "en"),
        ("<p>x</p>", None),
    ],
)
def test_the_page_language_from_html_lang_then_meta(page: str, language: str | None) -> None:
    assert page_language(parse_html(page)) == language


def test_meta_content_takes_the_first_meta_of_each_attribute_in_turn() -> None:
    page = parse_html(
        "<html><head><meta name='og:type' content='website'>"
        "<meta property='og:type' content=''><meta property='og:type' content='article'>"
        "</head></html>"
    )
    # the first <meta property="og:type"> is empty, so the name= one answers, as XPath did
    assert meta_content(page, "og:type") == "website"


def test_metadata_dated_the_first_day_of_year_one_does_not_break_the_page() -> None:
    """A CMS's empty date ("0001-01-01") beside a day shown under the headline: comparing the
    two must not step before the first day there is (it raised OverflowError, and the page
    became an extraction error)."""
    page = _ld("0001-01-01T00:00:00Z") + "<h1>Titre</h1><p>3 octobre 2016</p>" + _PROSE
    assert _page_date(page)[0] is not None


_SENTENCES = (
    "Le festival a ouvert ses portes sous la pluie, devant un public venu nombreux malgré tout.",
    "Les organisateurs annoncent une édition plus longue l'an prochain, avec une scène de plus.",
    "Les billets du dernier soir se sont vendus en quelques heures, un record pour le lieu.",
)


def test_a_body_that_only_the_json_ld_holds() -> None:
    """A page a script fills in: the HTML holds a shell, the JSON-LD the text."""
    ld = {"@type": "NewsArticle", "headline": "Titre", "articleBody": "\n\n".join(_SENTENCES)}
    page = (
        f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head>"
        "<body><h1>Titre</h1><div id='root'>Chargement…</div></body></html>"
    )
    article = extract_article(page, "https://exemple.test/a", fetched_at=FETCHED)
    assert article is not None
    assert article.body == "\n\n".join(_SENTENCES)
    assert article.field_sources["body"] == "json-ld"
    # a page that prints its text keeps it, whatever the data says
    printed = page.replace("Chargement…", "".join(f"<p>{s} {s}</p>" for s in _SENTENCES))
    article = extract_article(printed, "https://exemple.test/a", fetched_at=FETCHED)
    assert article is not None and "body" not in article.field_sources


def test_a_body_that_only_the_next_data_holds() -> None:
    html_body = "".join(f"<p>{s}</p>" for s in _SENTENCES)
    data = {"props": {"pageProps": {"story": {"title": "Titre", "body": html_body}}}}
    page = (
        "<html><head><meta property='og:type' content='article'></head><body><h1>Titre</h1>"
        f"<div id='__next'></div><script id='__NEXT_DATA__' type='application/json'>"
        f"{json.dumps(data)}</script></body></html>"
    )
    article = extract_article(page, "https://exemple.test/a", fetched_at=FETCHED)
    assert article is not None
    assert article.body == "\n\n".join(_SENTENCES)
    assert article.field_sources["body"] == "json-ld"


def test_an_agency_that_alone_signs_is_the_author() -> None:
    # printed, or given by the metadata: no person signs, the agency does
    printed = "<h1>Titre</h1><div class='byline'>Von DPA</div>" + _PROSE
    assert _page_authors("", printed) == (["DPA"], "byline")
    ld = (
        "<script type='application/ld+json'>"
        '{"@type": "NewsArticle", "author": ["Associated Press"]}</script>'
    )
    assert _page_authors(ld, "<h1>Titre</h1>" + _PROSE) == (["Associated Press"], "json-ld")
    # a person beside the agency: the person alone is the author
    both = "<h1>Titre</h1><div class='byline'>Par Jeanne Morel (AFP)</div>" + _PROSE
    assert _page_authors("", both) == (["Jeanne Morel"], "byline")
