"""Bylines in shapes that sites outside France print: each case is an invented byline (or page)
showing one way a reader went wrong."""

import pytest

from archiver.items import Article
from archiver.normalize.article import normalize_article
from archiver.normalize.bylines import parse_byline, parse_given_names
from archiver.normalize.dates import FrenchDates

# raw byline -> authors
BYLINES: list[tuple[str, list[str]]] = [
    # a profile link's label around the name
    ("View all posts by Dana Whitfield", ["Dana Whitfield"]),
    ("Published by Dana Whitfield A teacher of physics. See all posts by Dana Whitfield", ["Dana Whitfield"]),
    # the label of one piece, or of a piece several hands made
    ("Interview: Nora Brandt", ["Nora Brandt"]),
    ("Text & Fotos: Ivo Marek", ["Ivo Marek"]),
    ("Text und Interview: Ivo Marek", ["Ivo Marek"]),
    ("Author(s): Nora Brandt", ["Nora Brandt"]),
    ("Beitrag von k9fan » 21.01.2009, 05:42", ["k9fan"]),
    ("Artikel von: gartenteam", ["gartenteam"]),
    # who drew or photographed is not an author, wherever the credit sits
    ("Text von Nora Brandt Illustration von Ivo Marek", ["Nora Brandt"]),
    ("Photograph by Ivo Marek, Island Restoration Trust", []),
    ("By Nora Brandt | Photograph by Ivo Marek", ["Nora Brandt"]),
    # other fields printed in the same line: their labels are no names
    ("Datum: 19.11.2021 Autor: Nora Brandt Quelle: Kirchenblatt", ["Nora Brandt"]),
    ("Nora Brandt Kategorie: Politik", ["Nora Brandt"]),
    # both sides of an interview
    ("Jonas Albrecht im Gespräch mit Nora Brandt", ["Jonas Albrecht", "Nora Brandt"]),
    # particles and nicknames of names written in other languages
    ("Alejandra de la Vega", ["Alejandra de la Vega"]),
    ('Amanda "Tia Rose" Cole', ['Amanda "Tia Rose" Cole']),
    # controls and labels of a profile box read as words, not names
    ("Folgen", []),
    ("Abbrechen", []),
    ("The", []),
    ("Über", []),
    ("Autorenseite von", []),
    ("Nora Brandt | Über | Autorenseite von | Schließen", ["Nora Brandt"]),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "authors"), BYLINES)
def test_bylines_of_other_sites(raw: str, authors: list[str]) -> None:
    assert parse_byline(raw).authors == authors


@pytest.mark.parametrize(
    ("given", "authors"),
    [
        (["lena holm"], ["lena holm"]),  # the metadata's spelling, however cased
        (["Courier staff reporter"], ["Courier staff reporter"]),
        (["kur/dpa"], ["kur/dpa"]),
        (["admin"], []),
        (["Stiftung Gartenkunde e.V."], []),
        (["https://example.org/team"], []),
        (["Ein langer Satz, der gewiss keinen Namen nennt"], []),
    ],
)
def test_names_the_metadata_gives_are_kept_as_given(given: list[str], authors: list[str]) -> None:
    assert parse_given_names(given).authors == authors


def _normalized(authors: list[str], source: str, byline: str | None) -> Article:
    article = Article(url="https://example.org/a", authors=authors, byline_raw=byline)
    article.field_sources["authors"] = source
    return normalize_article(article, FrenchDates())


def test_the_printed_byline_stands_in_for_names_that_read_as_none() -> None:
    article = _normalized(["admin"], "json-ld", "Von Nora Brandt")
    assert article.authors == ["Nora Brandt"]
    assert article.field_sources["authors"] == "byline"


def test_names_the_metadata_gives_win_over_the_printed_byline() -> None:
    assert _normalized(["lena holm"], "json-ld", "Von Nora Brandt").authors == ["lena holm"]


def test_an_agency_the_metadata_names_is_not_replaced() -> None:
    article = _normalized(["AFP"], "json-ld", "Nora Brandt")
    assert article.authors == ["AFP"]


def test_a_job_title_compound_after_the_name_is_no_second_author() -> None:
    assert parse_byline("Autorin: Nora Brandt, Projektleiterin der Stiftung").authors == [
        "Nora Brandt"
    ]
    assert parse_byline("Gespeichert von k9fan am 24. Juli 2017").authors == ["k9fan"]
    assert parse_byline("Ein Artikel von Nora Brandt | 27.01.2022").authors == ["Nora Brandt"]
    assert parse_byline("Autor:").authors == []


def test_a_copyright_sign_before_the_name_is_a_label() -> None:
    assert parse_byline("© Nora Brandt").authors == ["Nora Brandt"]
    assert parse_byline("Copyright © Nora Brandt").authors == ["Nora Brandt"]
    assert parse_byline("© dpa").authors == []  # a picture's credit, no person
    assert parse_byline("© Foto: Nora Brandt").authors == []


def test_the_kind_of_piece_before_the_byline_word_is_no_name() -> None:
    assert parse_byline("Eine Kolumne von Nora Brandt").authors == ["Nora Brandt"]
    assert parse_byline("A column by Nora Brandt").authors == ["Nora Brandt"]


def test_a_label_cut_off_from_its_name_still_introduces_it() -> None:
    assert parse_byline("Rezept von Zum Profil von kochfan42 kochfan42").authors == ["kochfan42"]
    assert parse_byline("Nora Brandt Nora Brandt").authors == ["Nora Brandt"]
    assert parse_byline("R. R.").authors == ["R. R."]
