"""Listings, tag and author pages told from articles whose markup does not say what they are:
a listing is refused before it is read in full, and an unmarked article beside a box of linked
teasers is still read and kept."""

from __future__ import annotations

import pytest

from archiver.extract import page as page_module
from archiver.extract.page import extract_article

_PROSE = "".join(
    f"<p>Paragraph {n}: the council met again on Tuesday and talked for hours about the bridge,"
    " the budget and the river, and nobody agreed on anything at all.</p>"
    for n in range(12)
)


def _teasers(count: int, heading: str = "h3") -> str:
    return "".join(
        f"<li class='card'><a href='/2024/05/0{n % 9 + 1}/story-number-{n}'><img src='/i/{n}.jpg'></a>"
        f"<{heading}><a href='/2024/05/0{n % 9 + 1}/story-number-{n}'>Story number {n} of the"
        f" week</a></{heading}><p>Ana Lopez - 0{n % 9 + 1}/05/2024</p></li>"
        for n in range(count)
    )


def _listing(teasers: str) -> str:
    return (
        "<html><head><title>Town news</title><meta property='og:type' content='website'></head>"
        "<body><nav><a href='/'>Home</a></nav><h1>Town news</h1>"
        f"<ul class='cards'>{teasers}</ul><p>Follow us for more news from the town.</p>"
        "</body></html>"
    )


def _refuse_full_readings(monkeypatch: pytest.MonkeyPatch) -> None:
    def read_in_full(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page was read in full")

    monkeypatch.setattr(page_module, "_read_fields", read_in_full)


def test_a_listing_is_refused_without_being_read_in_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its teasers' lines and dates would give it a title and a date: only the body, the most
    costly field, told it from an article."""
    _refuse_full_readings(monkeypatch)
    assert extract_article(_listing(_teasers(30)), "https://town.example/news") is None


def test_teasers_whose_link_wraps_the_heading_make_a_listing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    teasers = "".join(
        f"<div class='card'><a href='/news/story-{n}'><h2>Story {n}</h2></a>"
        f"<p>By Ana Lopez, May {n + 1}, 2024, in Town</p></div>"
        for n in range(20)
    )
    _refuse_full_readings(monkeypatch)
    assert extract_article(_listing(teasers), "https://town.example/news") is None


def test_headings_linked_to_their_own_anchors_are_not_teasers() -> None:
    """A text printed between its section headings, each a link to its own anchor, under
    little paragraph text: still read, and kept."""
    sections = "".join(
        f"<h2><a href='#part-{n}'>Part {n}</a></h2><p>Part {n}: the council met and talked about"
        f" the bridge.</p><div>In part {n} the budget was read out line by line, then the river"
        " came up again, and the mayor left early.</div>"
        for n in range(12)
    )
    page = (
        "<html><head><title>The bridge</title></head><body><h1>The bridge will wait</h1>"
        f"<time datetime='2024-05-03T10:00:00+02:00'>3 May</time><div>{sections}</div></body></html>"
    )
    article = extract_article(page, "https://town.example/bridge")
    assert article is not None and article.published_raw == "2024-05-03T10:00:00+02:00"


def test_an_unmarked_article_beside_a_box_of_teasers_is_kept() -> None:
    """Twenty linked headings in a "more stories" box: the running text around them makes the
    page an article still."""
    page = (
        "<html><head><title>The bridge</title></head><body><h1>The bridge will wait</h1>"
        f"<time datetime='2024-05-03T10:00:00+02:00'>3 May</time><div>{_PROSE}</div>"
        f"<aside><ul>{_teasers(20)}</ul></aside></body></html>"
    )
    article = extract_article(page, "https://town.example/bridge")
    assert article is not None and article.title == "The bridge will wait"
    assert article.body is not None and article.body.startswith("Paragraph 0:")
