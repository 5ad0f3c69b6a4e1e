"""Extraction from pages saved on disk: no crawl, no archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.extract.page import extract_article
from archiver.normalize.article import normalize_article
from archiver.normalize.dates import FrenchDates

FIXTURES = Path(__file__).parent / "fixtures"


def extracted(name: str, url: str = "https://exemple.test/page"):
    html = (FIXTURES / name).read_bytes().decode("utf-8", "replace")
    article = extract_article(html, url, fetched_at="2016-09-05T10:00:00+02:00")
    return normalize_article(article, FrenchDates()) if article else None


def test_seed_like_page() -> None:
    article = extracted("seed_like.html")
    assert article.title == "Le retour de la série culte"
    assert article.canonical_url == "https://exemple.test/series/retour-serie-culte"
    assert article.authors == ["Marie-Claire de La Tour"]
    assert article.published_at == "2016-09-04T00:00:00+02:00"
    assert article.lead == "Une série que l'on croyait enterrée revient avec une saison inédite."
    assert [(i.caption, i.credit) for i in article.images] == [
        ("L'affiche de la saison", "Netflix")
    ]
    assert article.images[0].src == "https://exemple.test/img/a.jpg"
    assert [(c.id, c.parent_id, c.author) for c in article.comments] == [
        ("1", None, "Zoé"),
        ("2", "1", "Karim"),
    ]
    assert article.comments[0].published_at == "2016-09-04T20:15:00+02:00"
    assert (
        article.comments[1].published_at == "2016-09-04T19:25:00+02:00"
    )  # "hier" from the fetch time
    assert article.comment_count == 2 and article.comment_count_shown == 2
    assert article.body.split("\n\n") == [
        "La plateforme a confirmé la nouvelle hier soir, dans un communiqué laconique qui a suffi à enflammer les réseaux.",
        "Les acteurs principaux reprennent leurs rôles, et le tournage commencera au printemps prochain à Lyon.",
    ]
    assert article.field_sources["authors"] == "byline"


def test_listing_page_is_not_an_article() -> None:
    assert extracted("listing.html") is None


@pytest.mark.parametrize("html", ["", "<html>", "<<<>>>", "\x00\x00", "<html><body><p>texte</p>"])
def test_degenerate_pages_do_not_raise(html: str) -> None:
    extract_article(html, "https://exemple.test/")


def test_broken_markup_in_the_wrong_encoding_keeps_what_it_can() -> None:
    article = extracted("broken_latin1.html")
    assert article is not None
    assert article.title.startswith("Titre cass")
    assert "encore" in (article.body or "")


def test_machine_dates_are_read_only_as_far_as_needed() -> None:
    """Sources are read in order of trust; the first ISO 8601 date ends the reading, and a
    date in UTC has all of them read (they are compared with it later)."""
    from archiver.extract.dates import _MachineDates, _utc_instant

    read: list[str] = []

    def source(name: str, value: str | None):
        return name, lambda: read.append(name) or value

    dates = _MachineDates(
        [
            source("a", None),
            source("b", "3 octobre 2016"),
            source("c", "2016-10-03T14:32:00+02:00"),
            source("d", "2016-10-03T12:32:00Z"),
        ]  # fmt: skip
    )
    assert dates.first() == ("c", "2016-10-03T14:32:00+02:00") and read == ["a", "b", "c"]
    assert _utc_instant("2016-10-03T14:32:00+02:00") is None
    assert _utc_instant("2016-10-03T12:32:00Z") is not None
    dates.read_all()
    assert read == ["a", "b", "c", "d"] and [v for _, v in dates][3] == "2016-10-03T12:32:00Z"
    assert read == ["a", "b", "c", "d"]  # each source is read once
    closed = _MachineDates([source("x", "2016-10-03"), source("y", "2016-10-04")])
    assert closed.first() == ("x", "2016-10-03")
    closed.close()
    assert list(closed) == [("x", "2016-10-03")] and "y" not in read  # never read once closed
    only_text = _MachineDates([source("e", None), source("f", "Mardi 3 octobre")])
    assert only_text.first() == ("f", "Mardi 3 octobre")
    assert _MachineDates([source("g", "")]).first() is None


def test_a_caption_that_only_repeats_the_images_words_and_credit_is_its_caption() -> None:
    said = "Omar Sy au festival, photo : Archives AFP"
    paragraphs = "".join(
        f"<p>Le comédien a présenté son film mercredi soir, devant une salle comble ({n}).</p>"
        for n in range(4)
    )
    html = f"""<html><head><title>Omar Sy à Cannes</title></head><body><article>
        <h1>Omar Sy à Cannes</h1><div class="text">{paragraphs}
        <div class="asset"><a href="/big.jpg"><picture><img src="/a.jpg" alt="{said}"></picture>
        </a><div class="img-metadata"><span>{said}</span></div></div></div>
        <ul class="teasers"><li><a href="/b"><img src="/b.jpg" alt="Un autre film à voir"></a>
        <h3>Un autre film à voir</h3></li></ul></article></body></html>"""
    article = normalize_article(
        extract_article(html, "https://exemple.test/omar-sy", force=True), FrenchDates()
    )
    assert [(i.src, i.caption, i.credit) for i in article.images] == [
        ("https://exemple.test/a.jpg", "Omar Sy au festival", "Archives AFP")
    ]
    assert "Archives AFP" not in article.body


def test_images_outside_the_site_furniture_in_both_documents_of_a_broken_page() -> None:
    """Figures in a header, nav, footer or aside are the site's; a page broken into two
    documents has its article's figures in the second."""
    paragraphs = "".join(
        f"<p>La série revient pour une saison inédite, tournée cet hiver à Lyon ({n}).</p>"
        for n in range(4)
    )

    def figure(name: str) -> str:
        return f'<figure><img src="/{name}.jpg"><figcaption>{name} © Netflix</figcaption></figure>'

    html = f"""<html><head><title>La série revient</title></head><body>
        <header>{figure("logo")}</header><nav><div>{figure("menu")}</div></nav></body></html>
        <html><body><article><h1>La série revient</h1>{figure("affiche")}{paragraphs}
        <aside>{figure("pub")}</aside>{figure("tournage")}</article>
        <footer>{figure("pied")}</footer></body></html>"""
    article = normalize_article(
        extract_article(html, "https://exemple.test/serie", force=True), FrenchDates()
    )
    assert [(i.src, i.caption, i.credit) for i in article.images] == [
        ("https://exemple.test/affiche.jpg", "affiche", "Netflix"),
        ("https://exemple.test/tournage.jpg", "tournage", "Netflix"),
    ]
    assert "Netflix" not in article.body and "tournage" not in article.body


@pytest.mark.parametrize(
    ("note", "published"),
    [
        (
            "Cet article, initialement publié en avril 2017, a fait l'objet d'une mise à jour.",
            "2017-04-12T18:33:59+02:00",
        ),
        ("Cet article a fait l'objet d'une mise à jour.", "19 février 2020"),  # no first day said
        ("Initialement publié en mai 2016, cet article a été mis à jour.", "19 février 2020"),
    ],
)
def test_a_text_that_says_when_it_first_appeared_keeps_the_metadatas_day(
    note: str, published: str
) -> None:
    paragraphs = "".join(
        f"<p>Les fibres nourrissent les bonnes bactéries de l'intestin, paragraphe {n}.</p>"
        for n in range(4)
    )
    html = f"""<html><head><title>Les fibres</title>
        <meta property="article:published_time" content="2017-04-12T18:33:59+02:00"></head>
        <body><article><h1>Les fibres</h1><div class="info">Par Ophélie Ostermann | Le
        19 février 2020</div><div class="text">{paragraphs}<p><em>{note}</em></p></div>
        </article></body></html>"""
    article = extract_article(
        html, "https://exemple.test/fibres", fetched_at="2026-11-26T10:00:00+01:00", force=True
    )
    assert article.published_raw == published
    if published.startswith("2017"):
        assert article.updated_raw == "19 février 2020"
        assert article.field_sources["published_at"] == "opengraph"
