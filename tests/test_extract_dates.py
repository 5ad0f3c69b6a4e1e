"""Which date a page's own, and in which zone: invented pages of the shapes met on sites
outside France (a US page's UTC metadata beside the day it shows, a Japanese page's offset)."""

from __future__ import annotations

import pytest

from archiver.extract.read import read_article
from archiver.items import Article
from archiver.normalize.dates import FrenchDates
from archiver.normalize.zones import locale_zone, offset_zone, zone_is_certain

FETCHED = "2024-09-10T12:00:00+00:00"
PROSE = "".join(
    f"<p>Paragraph {n} of the story, long enough to be read as running text by anyone.</p>"
    for n in range(6)
)


def _page(lang: str, date_published: str, shown: str, extra_head: str = "") -> str:
    return (
        f"<html lang='{lang}'><head>{extra_head}<script type='application/ld+json'>"
        f'{{"@type": "NewsArticle", "headline": "Budget vote", "datePublished": "{date_published}"}}'
        f"</script></head><body><article><h1>Budget vote</h1><div class='meta'>{shown}</div>"
        f"{PROSE}</article></body></html>"
    )


def _read(page: str, url: str = "https://news.example/story") -> Article:
    article = read_article(page, url, fetched_at=FETCHED, force=True)
    assert article is not None
    return article


def test_a_stated_offset_is_kept_not_told_in_paris() -> None:
    article = _read(_page("en-US", "2024-09-02T23:17:00-04:00", "Sept. 2, 2024"))
    assert article.published_at == "2024-09-02T23:17:00-04:00"
    japanese = _read(_page("ja", "2024-12-03T23:17:00+09:00", "2024年12月3日"))
    assert japanese.published_at == "2024-12-03T23:17:00+09:00"


def test_a_utc_time_outranks_the_day_before_shown_without_a_time() -> None:
    # English with no country: no zone to tell the time in, and it stays in UTC
    article = _read(_page("en", "2024-09-03T04:03:19Z", "Sept. 2, 2024"))
    assert article.field_sources["published_at"] == "json-ld"
    assert article.published_at == "2024-09-03T04:03:19+00:00"
    # a US page whose shown day and URL day are the New York day: told in New York's offset
    us = _read(
        _page("en-US", "2024-09-03T02:03:19Z", "Sept. 2, 2024"),
        "https://news.example/2024/09/02/budget-vote",
    )
    assert us.published_at == "2024-09-02T22:03:19-04:00"
    # the shown day is not the New York day: New York is a guess, and the time stays in UTC
    other = _read(_page("en-US", "2024-09-03T02:03:19Z", "Sept. 3, 2024"))
    assert other.published_at == "2024-09-03T02:03:19+00:00"


def test_a_time_without_offset_outranks_a_neighbouring_day_shown_without_a_time() -> None:
    article = _read(_page("en-US", "2023-04-28T13:53:25", "April 27, 2023"))
    assert article.field_sources["published_at"] == "json-ld"
    assert article.published_at == "2023-04-28T13:53:25-04:00"


def test_the_next_days_edition_shown_outranks_an_evening_time_with_its_offset() -> None:
    # the publisher's own clock says the evening before: the page is dated for the next day
    article = _read(_page("de", "2019-12-09T19:00:49+01:00", "10.12.2019"))
    assert article.field_sources["published_at"] == "text-near-title"
    assert article.published_at == "2019-12-10T00:00:00+01:00"


def test_a_printed_date_is_read_in_the_pages_zone() -> None:
    japanese = _read(
        "<html lang='ja'><body><article><h1>Budget vote</h1>"
        "<time class='date'>2024-09-03 10:05</time>" + PROSE + "</article></body></html>"
    )
    assert japanese.published_at == "2024-09-03T10:05:00+09:00"
    assert japanese.timezone == "Asia/Tokyo"


def test_the_zone_from_the_og_locale_and_from_the_offsets_of_the_metadata() -> None:
    locale = _read(
        _page(
            "en", "2024-09-03 10:05", "Sept. 3, 2024", "<meta property='og:locale' content='en_AU'>"
        )
    )
    assert locale.timezone == "Australia/Sydney"
    assert locale.published_at == "2024-09-03T10:05:00+10:00"
    offsets = _read(_page("en", "2024-09-03T10:05:00+05:00", "Sept. 3, 2024"))
    assert offsets.timezone == "Etc/GMT-5"
    french = _read(_page("fr-FR", "2024-09-03T22:05:00Z", "4 septembre 2024"))
    assert french.published_at == "2024-09-04T00:05:00+02:00"


@pytest.mark.parametrize(
    ("locale", "zone"),
    [
        ("en-US", "America/New_York"),
        ("de_CH", "Europe/Zurich"),
        ("ja", "Asia/Tokyo"),
        ("zh-Hant-TW", "Asia/Taipei"),
        ("fr", "Europe/Paris"),
        ("en", None),
        ("es", None),
        ("", None),
        (None, None),
    ],
)
def test_locale_zone(locale: str | None, zone: str | None) -> None:
    assert locale_zone(locale) == zone


def test_offset_zone_and_certainty() -> None:
    from datetime import datetime

    assert offset_zone(datetime.fromisoformat("2024-09-03T10:05:00+09:00")) == "Etc/GMT-9"
    assert offset_zone(datetime.fromisoformat("2024-09-03T10:05:00-04:00")) == "Etc/GMT+4"
    assert offset_zone(datetime.fromisoformat("2024-09-03T10:05:00+05:30")) is None
    assert offset_zone(datetime.fromisoformat("2024-09-03T10:05:00+00:00")) is None
    assert not zone_is_certain("America/New_York") and zone_is_certain("Asia/Tokyo")


def test_a_utc_time_stays_in_utc_when_the_zone_is_a_guess() -> None:
    guess = FrenchDates("America/New_York", utc_in_zone=False)
    assert guess.parse("2024-09-03T04:03:19Z").isoformat() == "2024-09-03T04:03:19+00:00"
    assert guess.parse("Tue, 03 Sep 2024 04:03:19 GMT").isoformat() == "2024-09-03T04:03:19+00:00"
    assert guess.parse("2024-09-03 10:05").isoformat() == "2024-09-03T10:05:00-04:00"
    tokyo = FrenchDates("Asia/Tokyo")
    assert tokyo.parse("2024-09-03T04:03:19Z").isoformat() == "2024-09-03T13:03:19+09:00"
    assert tokyo.parse("2024-12-03T23:17+09:00").isoformat() == "2024-12-03T23:17:00+09:00"


def test_iso_8601_basic_form_in_the_metadata() -> None:
    article = _read(_page("ja", "20240903T055000+0900", "記事"))
    assert article.published_at == "2024-09-03T05:50:00+09:00"


def _plain_page(meta_line: str, prose: str = PROSE) -> str:
    """A page with no date in its metadata nor beside its headline."""
    menu = "".join(f"<li><a href='/{n}'>Rubrik {n}</a></li>" for n in range(12))
    return (
        "<html lang='de'><body><div class='sidebar'><p>Veröffentlicht am 01.01.2019</p>"
        f"<ul>{menu}</ul></div><div id='content'><h1>Neue Folge: Sterne</h1>"
        f"{prose}<p>{meta_line}</p></div></body></html>"
    )


def test_a_date_labelled_as_the_publication_s_anywhere_in_the_article() -> None:
    article = _read(_plain_page("Veröffentlicht am 16.08.2019<br>Dauer: 1 Stunde"))
    assert article.published_at.startswith("2019-08-16")
    written = _read(_plain_page("Geschrieben von <a href='/u/1'>Cooper</a> am 25.08.2015 22:30"))
    assert written.published_at == "2015-08-25T22:30:00+02:00"


def test_no_labelled_date_from_a_sidebar_or_from_running_text() -> None:
    told = (
        "<p>The ministry's report, which was published on 3 May 2019 after a long delay, says"
        " what everyone in the region had known for a long time about the state of the roads"
        " and of the bridges in the north, where the winter has been harder than anywhere else.</p>"
    )
    assert _read(_plain_page("Dauer: 1 Stunde", PROSE + told)).published_at is None


def test_the_metadata_wins_over_the_day_of_the_print_edition_shown() -> None:
    page = _page(
        "de", "2026-05-17T19:30:02+02:00", "18.05.2026",
    ).replace(
        "</article>", "<div class='foot'>Erschienen in der <a href='/2026/05-18/'>Ausgabe vom"
        " 18.05.2026</a>, Seite 9</div></article>",
    )  # fmt: skip
    assert _read(page).published_at == "2026-05-17T19:30:02+02:00"
    without_edition = _page("de", "2026-05-17T19:30:02+02:00", "18.05.2026")
    assert _read(without_edition).published_at.startswith("2026-05-18")
