import pytest

from archiver.normalize.bylines import fix_case, parse_byline, parse_bylines


@pytest.mark.parametrize(
    ("raw", "authors", "agency"),
    [
        ("Christophe Foltzer | 3 octobre 2016", ["Christophe Foltzer"], None),
        ("Par Julie Marchand et Thomas Roux", ["Julie Marchand", "Thomas Roux"], None),
        ("Par Léa Fontaine, avec AFP", ["Léa Fontaine"], "AFP"),
        (
            "Par Ana Lopes, Marc Petit et Zoé Durand",
            ["Ana Lopes", "Marc Petit", "Zoé Durand"],
            None,
        ),
        ("Publié par Jean Dupont", ["Jean Dupont"], None),
        ("Rédigé par Jean Dupont", ["Jean Dupont"], None),
        ("Paul Martin (avec Reuters)", ["Paul Martin"], "Reuters"),
        ("avec AFP", [], "AFP"),
        ("La rédaction", ["La rédaction"], None),
        ("Par JEAN-MARC DUVAL", ["Jean-Marc Duval"], None),
        ("Par Anne de La Tour", ["Anne de La Tour"], None),
        ("Par Marc Petit marc.petit@exemple.fr @marcpetit Suivre", ["Marc Petit"], None),
    ],
)
def test_authors_and_agency(raw: str, authors: list[str], agency: str | None) -> None:
    byline = parse_byline(raw)
    assert byline.authors == authors
    assert byline.agency == agency


def test_date_split_off() -> None:
    assert parse_byline("Christophe Foltzer | 3 octobre 2016").date_raw == "3 octobre 2016"


def test_roles() -> None:
    assert parse_byline("Propos recueillis par Marc Petit").role == "propos recueillis"
    cannes = parse_byline("Marc Petit, envoyé spécial à Cannes")
    assert cannes.authors == ["Marc Petit"] and cannes.role == "envoyé spécial à Cannes"


def test_repeated_byline_kept_once() -> None:
    merged = parse_bylines(["Christophe Foltzer | 3 octobre 2016"] * 2 + ["CHRISTOPHE FOLTZER"])
    assert merged.authors == ["Christophe Foltzer"]


def test_fix_case_leaves_mixed_case_alone() -> None:
    assert fix_case("JEAN DE LA FONTAINE") == "Jean de La Fontaine"
    assert fix_case("Jean de La Fontaine") == "Jean de La Fontaine"


@pytest.mark.parametrize("raw", [None, "", "   ", "|||", "12345", "\x00"])
def test_empty_or_junk_gives_no_authors(raw: str | None) -> None:
    assert parse_byline(raw).authors == []
