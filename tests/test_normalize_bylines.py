import pytest

from archiver.normalize.bylines import Byline, fix_case, parse_byline, parse_bylines

# raw byline -> (authors, agency, role, date_raw). Strings shaped like French entertainment
# sites print them; every name is invented or a public figure's.
BYLINES: list[tuple[str, list[str], str | None, str | None, str | None]] = [
    # "Par A", "Par A et B", "Par A, B et C" and the other ways of introducing names
    ("Par Julie Marchand", ["Julie Marchand"], None, None, None),
    ("par Julie Marchand", ["Julie Marchand"], None, None, None),
    ("Par : Julie Marchand", ["Julie Marchand"], None, None, None),
    ("Par Julie Marchand et Thomas Roux", ["Julie Marchand", "Thomas Roux"], None, None, None),
    ("Par Ana Lopes, Marc Petit et Zoé Durand", ["Ana Lopes", "Marc Petit", "Zoé Durand"], None, None, None),
    ("Par Ana Lopes, Marc Petit, Zoé Durand", ["Ana Lopes", "Marc Petit", "Zoé Durand"], None, None, None),
    ("Par Karim Benali & Léa Vasseur", ["Karim Benali", "Léa Vasseur"], None, None, None),
    ("Par Marc Petit avec Julie Roux", ["Marc Petit", "Julie Roux"], None, None, None),
    ("Par Marc Petit (avec Julie Roux)", ["Marc Petit", "Julie Roux"], None, None, None),
    # who made the pictures is not an author
    ("Texte : Marc Petit. Photos : Julie Roux", ["Marc Petit"], None, None, None),
    ("Par Marc Petit | Photos : Julie Roux", ["Marc Petit"], None, None, None),
    ("Texte Marc Petit, photos Julie Roux", ["Marc Petit"], None, None, None),
    ("Par Marc Petit (illustrations Julie Roux)", ["Marc Petit"], None, None, None),
    ("Publié par Jean Dupont", ["Jean Dupont"], None, None, None),
    ("Rédigé par Jean Dupont", ["Jean Dupont"], None, None, None),
    ("Écrit par Chloé Bernier", ["Chloé Bernier"], None, None, None),
    ("Un article de Mathieu Perrin", ["Mathieu Perrin"], None, None, None),
    ("Auteur : Inès Cherif", ["Inès Cherif"], None, None, None),
    ("Texte : Yann Kervella", ["Yann Kervella"], None, None, None),
    ("Par Zorg", ["Zorg"], None, None, None),
    # the date split off, wherever it sits
    ("Christophe Foltzer | 3 octobre 2016", ["Christophe Foltzer"], None, None, "3 octobre 2016"),
    ("Sophie Delorme | 15/01/2018 14:32", ["Sophie Delorme"], None, None, "15/01/2018 14:32"),
    ("Yann Kervella · 25 juil. 2016", ["Yann Kervella"], None, None, "25 juil. 2016"),
    ("Par Jean Dupont, le 03/10/2016 à 14h32", ["Jean Dupont"], None, None, "le 03/10/2016 à 14h32"),
    ("Par Jean Dupont le mardi 4 octobre 2016", ["Jean Dupont"], None, None, "le mardi 4 octobre 2016"),
    ("Publié le 3 octobre 2016 par Jean Dupont", ["Jean Dupont"], None, None, "Publié le 3 octobre 2016"),
    ("Par Jean Dupont - Publié le 03/10/2016 à 14h32", ["Jean Dupont"], None, None, "Publié le 03/10/2016 à 14h32"),
    ("Par Marc Petit, il y a 2 heures", ["Marc Petit"], None, None, "il y a 2 heures"),
    ("Marc Petit @marcpetit · 3 oct. 2016", ["Marc Petit"], None, None, "3 oct. 2016"),
    # agencies, with or without a person
    ("Par Léa Fontaine, avec AFP", ["Léa Fontaine"], "AFP", None, None),
    ("Paul Martin (avec AFP)", ["Paul Martin"], "AFP", None, None),
    ("Par Nicolas Garnier (avec Reuters)", ["Nicolas Garnier"], "Reuters", None, None),
    ("avec AFP", [], "AFP", None, None),
    ("Avec AFP", [], "AFP", None, None),
    ("(AFP)", [], "AFP", None, None),
    ("Jean Dupont avec l'AFP", ["Jean Dupont"], "AFP", None, None),
    ("Par Marc Petit / AFP", ["Marc Petit"], "AFP", None, None),
    ("Par Marc Petit, AP", ["Marc Petit"], "AP", None, None),
    ("Par Camille Lefort (Relaxnews)", ["Camille Lefort"], "Relaxnews", None, None),
    ("Relaxnews", [], "Relaxnews", None, None),
    ("Par Mathieu Perrin, avec l'Agence France-Presse", ["Mathieu Perrin"], "AFP", None, None),
    ("Par Marc Petit (avec Reuters et AFP)", ["Marc Petit"], "Reuters", None, None),
    ("Par Élodie Fabre, avec agences", ["Élodie Fabre"], None, None, None),
    # roles where the byline states them
    ("Propos recueillis par Sophie Delorme", ["Sophie Delorme"], None, "propos recueillis", None),
    ("Propos recueillis par Inès Cherif et Baptiste Morel", ["Inès Cherif", "Baptiste Morel"], None, "propos recueillis", None),
    ("Entretien réalisé par Camille Lefort", ["Camille Lefort"], None, "entretien", None),
    ("Marc Petit, envoyé spécial à Cannes", ["Marc Petit"], None, "envoyé spécial à Cannes", None),
    ("De notre envoyée spéciale à Venise, Léa Vasseur", ["Léa Vasseur"], None, "envoyée spéciale à Venise", None),
    ("Par Julie Roux et Marc Petit, envoyés spéciaux à Cannes", ["Julie Roux", "Marc Petit"], None, "envoyés spéciaux à Cannes", None),
    ("Par Marc Petit, envoyé spécial à Cannes et Julie Roux", ["Marc Petit", "Julie Roux"], None, "envoyé spécial à Cannes", None),
    ("Par Marc Petit, notre correspondant à Los Angeles", ["Marc Petit"], None, "correspondant à Los Angeles", None),
    ("Par Antoine Mercier, envoyé spécial à Cannes, avec AFP", ["Antoine Mercier"], "AFP", "envoyé spécial à Cannes", None),
    # the newsroom as author, kept as written
    ("La rédaction", ["La rédaction"], None, None, None),
    ("Par la rédaction", ["La rédaction"], None, None, None),
    ("Rédaction Écran Large", ["Rédaction Écran Large"], None, None, None),
    ("La rédaction avec AFP", ["La rédaction"], "AFP", None, None),
    ("La rédaction | 7 avril 2020", ["La rédaction"], None, None, "7 avril 2020"),
    # capitals, particles, hyphens, apostrophes and initials
    ("CHRISTOPHE FOLTZER", ["Christophe Foltzer"], None, None, None),
    ("Par JEAN-MARC DUVAL", ["Jean-Marc Duval"], None, None, None),
    ("Par ÉLODIE FABRE", ["Élodie Fabre"], None, None, None),
    ("PAR CLAIRE DUMOULIN ET YANN KERVELLA", ["Claire Dumoulin", "Yann Kervella"], None, None, None),
    ("Par Jean DUPONT", ["Jean DUPONT"], None, None, None),  # surname in capitals: as signed
    ("Par Alex ROUX et Léa VASSEUR", ["Alex ROUX", "Léa VASSEUR"], None, None, None),
    ("IWB", ["IWB"], None, None, None),  # an acronym, not a shouted name
    ("Par PIERRE-YVES LE GALL", ["Pierre-Yves Le Gall"], None, None, None),
    ("Par Anne de La Tour", ["Anne de La Tour"], None, None, None),
    ("Jean de La Fontaine", ["Jean de La Fontaine"], None, None, None),
    ("Par François du Plessis", ["François du Plessis"], None, None, None),
    ("Par Hélène d'Arvieu", ["Hélène d'Arvieu"], None, None, None),
    ("PAR HÉLÈNE D'ARVIEU", ["Hélène d'Arvieu"], None, None, None),
    ("Par Marie-Ève Lacombe", ["Marie-Ève Lacombe"], None, None, None),
    ("Par J.-P. Martin", ["J.-P. Martin"], None, None, None),
    ("Les Membres du Chœur de Radio Exemple", ["Les Membres du Chœur de Radio Exemple"], None, None, None),
    ("Par Nicolas Garnier C.", ["Nicolas Garnier C."], None, None, None),
    ("Par Marc Petit.", ["Marc Petit"], None, None, None),
    ("By Perry Bacon Jr.", ["Perry Bacon Jr."], None, None, None),
    ("von Anna Berg | 12:30 Uhr", ["Anna Berg"], None, None, None),
    ("Uhr", [], None, None, None),
    # e-mails, handles, profile links and job titles dropped
    ("Par Marc Petit marc.petit@exemple.fr @marcpetit Suivre", ["Marc Petit"], None, None, None),
    ("Par Marc Petit Voir tous ses articles", ["Marc Petit"], None, None, None),
    ("Julie Marchand Suivre cet auteur", ["Julie Marchand"], None, None, None),
    ("Par Marc Petit et Julie Roux Suivre sur Twitter", ["Marc Petit", "Julie Roux"], None, None, None),
    ("Marc Petit Journaliste", ["Marc Petit"], None, None, None),
    ("Marc Petit Rédacteur en chef adjoint", ["Marc Petit"], None, None, None),
    ("Jean Dupont, rédacteur en chef de Ciné Revue", ["Jean Dupont"], None, None, None),
    ("Par Marc Petit, journaliste, et Julie Roux, critique cinéma", ["Marc Petit", "Julie Roux"], None, None, None),
    ("Par Jean Dupont, Journaliste culture | Voir le profil", ["Jean Dupont"], None, None, None),
    ("Par notre journaliste Baptiste Morel", ["Baptiste Morel"], None, None, None),
    ("Par Marc Petit | Cinéma", ["Marc Petit"], None, None, None),
    # the same words on pages in other languages
    ("Von Anna Berger", ["Anna Berger"], None, None, None),
    ("Erstellt von Jonas Keller", ["Jonas Keller"], None, None, None),
    ("Veröffentlicht von Max Muster am 3. Mai 2022", ["Max Muster"], None, None, "am 3. Mai 2022"),
    ("Text: Lena Vogt", ["Lena Vogt"], None, None, None),
    ("Zeige alle Beiträge von Tom Brandt", ["Tom Brandt"], None, None, None),
    ("Alles von Martin Roth", ["Martin Roth"], None, None, None),
    ("Von: Carla Weiss", ["Carla Weiss"], None, None, None),
    # a section's or a brand's label in lower case before the byline word
    ("magazin von Carla Weiss", ["Carla Weiss"], None, None, None),
    ("Ines Falk und Timo Brand", ["Ines Falk", "Timo Brand"], None, None, None),
    ("Sofie Lund og Erik Dahl", ["Sofie Lund", "Erik Dahl"], None, None, None),
    # German capitalises its nouns: "und" between them joins no names
    ("Ministerium für Handel und Verkehr", [], None, None, None),
    # the initials a newsroom signs with, after the name
    ("Carla Weiss (cwe)", ["Carla Weiss"], None, None, None),
    ("Redaktion", ["Redaktion"], None, None, None),
    ("Kanal7 Redaktion", ["Kanal7 Redaktion"], None, None, None),
    # a script without capitals
    ("山田 花子", ["山田 花子"], None, None, None),
    ("Written by Jane Roe", ["Jane Roe"], None, None, None),
    ("By Jane Roe published on May 3, 2022", ["Jane Roe"], None, None, "published on May 3, 2022"),
    ("Von Tomas Berg Fr, 12.03.2021", ["Tomas Berg"], None, None, "Fr, 12.03.2021"),
    # a weekday's abbreviation after a lone first name is the surname; after a full name, or
    # with its period, or alone, the weekday
    ("Par Linh Do, 3 mars 2016", ["Linh Do"], None, None, "3 mars 2016"),
    ("By Jane Sun, March 3, 2019", ["Jane Sun"], None, None, "March 3, 2019"),
    ("Von Carla Di, 4. März 2022", ["Carla Di"], None, None, "4. März 2022"),
    ("Von Tomas Berg Do, 3.3.2022", ["Tomas Berg"], None, None, "Do, 3.3.2022"),
    ("Carla Weiss | Do., 3. März 2022", ["Carla Weiss"], None, None, "Do., 3. März 2022"),
    ("Jane Roe, Sun, March 3, 2019", ["Jane Roe"], None, None, "Sun, March 3, 2019"),
    ("Sun, March 3, 2019", [], None, None, "Sun, March 3, 2019"),
    ("Sara Lenz Stand: 05. Februar 2020", ["Sara Lenz"], None, None, "Stand: 05. Februar 2020"),
    ("Von Online-Experte Robin Hahn", ["Robin Hahn"], None, None, None),
    ("Petra Lang Chefredakteurin", ["Petra Lang"], None, None, None),
    ("Johanna Kraft Alle Artikel", ["Johanna Kraft"], None, None, None),
    ("Ursula von der Leyen", ["Ursula von der Leyen"], None, None, None),
    # a user name, where the byline introduces it or is that word alone
    ("gnaddrig", ["gnaddrig"], None, None, None),
    ("| Autor: herr_rein", ["herr_rein"], None, None, None),
    ("von gizzmo", ["gizzmo"], None, None, None),
    ("by c1ph4", ["c1ph4"], None, None, None),
    ("von lupa am 26/10/13, 03:48", ["lupa"], None, None, "am 26/10/13, 03:48"),
    ("von der Leyen", [], None, None, None),
    ("Marc Petit cinema", [], None, None, None),
    # nothing to read
    ("3 octobre 2016", [], None, None, "3 octobre 2016"),
    ("12345", [], None, None, None),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "authors", "agency", "role", "date_raw"), BYLINES)
def test_byline_table(
    raw: str, authors: list[str], agency: str | None, role: str | None, date_raw: str | None
) -> None:
    byline = parse_byline(raw)
    assert byline.authors == authors
    assert byline.agency == agency
    assert byline.role == role
    assert byline.date_raw == date_raw


def test_update_date_in_a_byline_is_not_the_publication_date() -> None:
    byline = parse_byline(
        "Par Jean Dupont | Publié le 03/10/2016 à 14h32 | Mis à jour le 04/10/2016 à 09h15"
    )
    assert byline.date_raw == "Publié le 03/10/2016 à 14h32"
    assert byline.updated_raw == "Mis à jour le 04/10/2016 à 09h15"
    only_update = parse_byline("Par Jean Dupont - Mis à jour le 04/10/2016")
    assert only_update.date_raw is None
    assert only_update.updated_raw == "Mis à jour le 04/10/2016"


def test_repeated_byline_kept_once() -> None:
    merged = parse_bylines(["Christophe Foltzer | 3 octobre 2016"] * 2 + ["CHRISTOPHE FOLTZER"])
    assert merged.authors == ["Christophe Foltzer"]
    assert merged.date_raw == "3 octobre 2016"


def test_header_and_footer_merge_in_order() -> None:
    merged = parse_bylines(
        ["Par Julie Marchand et Thomas Roux", "", "THOMAS ROUX Voir tous ses articles",
         "Elodie Fabre, avec AFP", "Élodie Fabre"]
    )  # fmt: skip
    assert merged.authors == ["Julie Marchand", "Thomas Roux", "Elodie Fabre"]
    assert merged.agency == "AFP"


def test_fix_case() -> None:
    assert fix_case("JEAN DE LA FONTAINE") == "Jean de La Fontaine"
    assert fix_case("Jean de La Fontaine") == "Jean de La Fontaine"
    assert fix_case("MARC O'BRIEN") == "Marc O'Brien"
    assert fix_case("Sophie McCallum") == "Sophie McCallum"
    assert fix_case("Jean-Marc DUVAL-LEROY") == "Jean-Marc Duval-Leroy"


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "|||",
        "12345",
        "\x00",
        "Suivre",
        "@marcpetit",
        "admin",
        "by admin",
        "Administrator",
    ],
)
def test_empty_or_junk_gives_no_authors(raw: str | None) -> None:
    assert parse_byline(raw) == Byline()
