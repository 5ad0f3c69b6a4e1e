"""Property tests: no extractor, decoder or discovery parser raises, whatever the page."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from archiver.extract.body import extract_blocks
from archiver.extract.decode import decode_html, looks_binary
from archiver.extract.discover import feed_entries, parse_date, robots_sitemaps, sitemap_entries
from archiver.extract.nodes import parse_html
from archiver.extract.page import extract_article
from archiver.normalize.article import normalize_article
from archiver.normalize.dates import FrenchDates

TAGS = ["html", "head", "body", "article", "div", "p", "h1", "h2", "figure", "figcaption", "img",
        "time", "section", "ol", "li", "span", "a", "script", "meta", "link", "title", "table"]  # fmt: skip
ATTRS = ['class="byline"', 'class="comment"', 'id="comments"', 'class="chapo"', 'rel="author"',
         'property="og:type" content="article"', 'type="application/ld+json"', 'datetime="2016-10-03"',
         'data-parent="c1"', 'src="/x.jpg"', 'href="/a"', 'itemprop="datePublished"', 'charset="latin-1"',
         'type="text/template"', 'class="x\x01y"']  # fmt: skip
WORDS = ["Par", "Jean", "DUPONT", "et", "avec AFP", "3 octobre 2016", "il y a 2 heures", "hier à 19h25",
         "Photo", "© Netflix", "Aucun commentaire.", "Répondre", "{", '"@type": "NewsArticle"', "]]>",
         "32 octobre 2016", "\x00", "\x01", "é", "&amp;", "&#0;", "<!--", "-->", "<![CDATA[", "<p"]  # fmt: skip


@st.composite
def html_fragments(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(f"<{draw(st.sampled_from(TAGS))} {draw(st.sampled_from(ATTRS))}>")
        elif kind == 1:
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(WORDS)))
        else:
            parts.append(draw(st.text(max_size=30)))
    return " ".join(parts)


DATES = FrenchDates()
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(html_fragments())
# an attribute whose name holds a control character: lxml reads it, but refuses it back
@example('<p \x1f <html itemprop="datePublished">')
@example('<article><h1>T</h1><time \x1f datetime="2016-10-03">3 octobre</time></article>')
@example('<article><h1>T</h1><span itemprop="author" \x1f>Jean Dupont</span></article>')
def test_extract_and_normalize_never_raise(html: str) -> None:
    for force in (False, True):
        article = extract_article(
            html, "https://exemple.test/a", fetched_at="2016-10-05T12:00:00+02:00", force=force
        )
        if article is not None:
            normalized = normalize_article(article, DATES)
            assert all(name.strip() for name in normalized.authors)


@FUZZ
@given(html_fragments())
@example('<body><script type="text/template" class="x\x01y"><p>Un texte.</p></script>\x02 fin')
def test_the_body_reader_never_raises(html: str) -> None:
    """extract_body turns an error into an empty body; the reader under it must not need to:
    an error there costs the page its text."""
    extract_blocks(parse_html(html), "Titre")


@FUZZ
@given(
    st.binary(max_size=2000),
    st.sampled_from(
        [
            None,
            "text/html",
            "text/html; charset=utf-8",
            "text/html; charset=latin-1",
            "text/html; charset=nonsense",
        ]
    ),
)
def test_decoding_never_raises(body: bytes, content_type: str | None) -> None:
    text = decode_html(body, content_type).text
    assert "\x00" not in text
    looks_binary(body)


@FUZZ
@given(st.one_of(st.binary(max_size=2000), html_fragments().map(str.encode)))
def test_sitemaps_and_feeds_never_raise(body: bytes) -> None:
    sitemap_entries(body, "https://exemple.test/")
    feed_entries(body, "https://exemple.test/")


@FUZZ
@given(st.text(max_size=200))
def test_robots_and_feed_dates_never_raise(text: str) -> None:
    robots_sitemaps(text, "https://exemple.test/robots.txt")
    parse_date(text)
