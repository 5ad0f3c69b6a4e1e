"""The body reader's shortcut: the container's blocks taken from the first read of the page are
the blocks a second read of the container, leaving the furniture out, would give."""

from __future__ import annotations

import pytest

from archiver.extract import body
from archiver.extract.nodes import parse_html

SENTENCES = "Une phrase assez longue pour compter comme de la prose, avec un point. " * 3

PAGES = {
    # boxes between paragraphs, with only white space beside them: the shortcut serves
    "boxes between paragraphs": f"""<html><body><nav><a href="/">Accueil</a></nav><article>
        <p>{SENTENCES}</p>
        <div class="share"><a href="/s">Partager</a></div>
        <p>{SENTENCES}</p><aside class="related"><ul><li><a href="/r">Lire</a></li></ul></aside>
        <p>{SENTENCES}<br><br>{SENTENCES}</p></article><footer>Pied</footer></body></html>""",
    # text right against a box: leaving the box out joins that text into one block
    "text beside a box": f"""<html><body><article><div>{SENTENCES}
        <div class="share">Partager</div> {SENTENCES}</div>
        <p>{SENTENCES}</p></article></body></html>""",
    # an inline box inside a paragraph
    "inline box": f"""<html><body><article><p>{SENTENCES}<span class="share">Partager</span>
        {SENTENCES}</p><p>{SENTENCES}</p></article></body></html>""",
    # the article inside a link: the first read counted its text as link text
    "article in a link": f"""<html><body><a href="/x"><div class="post">
        <p>{SENTENCES}</p><p>{SENTENCES}</p></div></a><div>x</div></body></html>""",
}


def _reads(html: str) -> tuple[list[body.Block] | None, list[body.Block]]:
    layout = body._layout(parse_html(html).root)
    shortcut = body._blocks_within(layout)
    return shortcut, body._Reader(skip=layout.skip).read(layout.container)


def _fields(blocks: list[body.Block]) -> list[tuple]:
    return [(b.element, b.kind, b.text, b.link_chars, b.prose) for b in blocks]


@pytest.mark.parametrize("name", list(PAGES))
def test_the_shortcut_gives_the_second_reads_blocks_or_declines(name: str) -> None:
    shortcut, second = _reads(PAGES[name])
    if name == "boxes between paragraphs":
        assert shortcut is not None and len(second) == 4
    if shortcut is not None:
        assert _fields(shortcut) == _fields(second)
    if name == "text beside a box":
        assert shortcut is None  # the second read joins the two runs of text around the box
        assert len(second[0].text) == 2 * len(SENTENCES.strip()) + 1  # one block of both


def _paragraphs(inner: str) -> list[str]:
    return body.extract_body(parse_html(f"<html><body><article>{inner}</article></body></html>"))


def test_a_line_break_in_the_source_is_a_space_and_br_is_a_line_break() -> None:
    assert _paragraphs(
        "<p>Une phrase assez longue pour compter comme texte,\nqui continue sur la ligne"
        " suivante.</p><p>Un retour voulu,<br>\nà la ligne, dans un paragraphe assez long.</p>"
    ) == [
        "Une phrase assez longue pour compter comme texte, qui continue sur la ligne suivante.",
        "Un retour voulu,\nà la ligne, dans un paragraphe assez long.",
    ]


@pytest.mark.parametrize("between", ["", "\n", "\n    ", " ", "\r\n"])
def test_two_br_with_only_white_space_between_end_a_paragraph(between: str) -> None:
    first = "Le premier paragraphe, assez long pour être lu comme de la prose."
    second = "Le second paragraphe, lui aussi assez long pour être lu comme de la prose."
    assert _paragraphs(f"<p>{first}<br>{between}<br>{second}</p>") == [first, second]


def test_pre_and_code_keep_their_lines_and_a_flattened_copy_is_dropped() -> None:
    code = "data <- data.frame(x = c(1, 2))   # des données\nplot(data)   # le graphique"
    found = _paragraphs(
        "<p>Le code suivant trace le graphique, en deux lignes seulement, comme ceci :</p>"
        f"<pre>{code}</pre><p>{code}</p><p>Et <code>une\nligne</code> de code dans le texte, ici.</p>"
    )
    assert found == [
        "Le code suivant trace le graphique, en deux lignes seulement, comme ceci :",
        "data <- data.frame(x = c(1, 2)) # des données\nplot(data) # le graphique",
        "Et une\nligne de code dans le texte, ici.",
    ]


def test_a_live_reports_minute_by_minute_is_the_article_not_comments() -> None:
    entries = [
        "C'est terminé au stade ! Les deux équipes se quittent sur un match nul, un but partout.",
        "Carton jaune pour le gardien, qui a pris trop de temps avant de jouer le coup franc.",
    ]
    live = "".join(
        f'<div class="live-match-comment"><span>9{n}\'</span><div class="live-comment-body">'
        f"{text}</div></div>"
        for n, text in enumerate(entries)
    )
    found = _paragraphs(
        f'<h1>Match en direct</h1><div class="live-match-comments">{live}</div>'
        '<div class="comments"><p>Un lecteur : quel match, vraiment, du début à la fin !</p></div>'
    )
    assert [p for p in found if p in entries] == entries
    assert not any("lecteur" in p for p in found)  # the readers' comments are still furniture


@pytest.mark.parametrize("heading", ["Articles liés", "À lire aussi :", "Vous aimerez aussi"])
def test_a_box_that_opens_with_a_related_heading_is_left_out(heading: str) -> None:
    article = [
        "Le festival a ouvert ses portes mercredi soir devant une salle comble et enthousiaste.",
        "Le jury, présidé par une réalisatrice, rendra son palmarès samedi en fin de journée.",
        "Vingt films sont en compétition cette année, dont six premiers longs métrages.",
        "Les séances publiques affichent déjà complet pour le week-end, selon les organisateurs.",
    ]
    teaser = "Notre critique du film d'ouverture, un drame familial tourné dans le Jura, sans fard."
    paragraphs = "".join(f"<p>{text}</p>" for text in article)
    html = (
        f'<div class="text">{paragraphs}</div>'
        f'<section><div class="box"><h2>{heading}</h2><ul><li><h3><a href="/x">Un titre</a></h3>'
        f"<p>{teaser}</p></li></ul></div></section>"
    )
    assert _paragraphs(html) == article


def test_an_address_to_write_to_is_text_and_a_share_by_mail_link_is_not() -> None:
    intro = "Les témoignages sont à envoyer à la boîte dédiée, ouverte dès cette semaine :"
    found = _paragraphs(
        f'<p>{intro}</p><p><a href="mailto:temoignages@exemple.fr">temoignages@exemple.fr</a></p>'
        '<p><a href="tel:+33100000000">01 00 00 00 00</a></p>'
        "<p>Elle répondra à chacun, promet l'association, dans un délai de deux semaines.</p>"
        '<p><a href="mailto:?subject=Article">Envoyer par e-mail</a></p>'
    )
    assert found[:3] == [intro, "temoignages@exemple.fr", "01 00 00 00 00"]
    assert "Envoyer par e-mail" not in found


FRENCH_FURNITURE = [
    "Temps de lecture : 3 min", "Lecture 2 min.", "Partager sur Facebook", "Envoyer par e-mail",
    "Abonnez-vous à notre newsletter", "Cet article est réservé aux abonnés",
    "Il vous reste 80% de cet article à lire.", "La suite est réservée aux abonnés.",
    "Déjà abonné ? Se connecter", "Vous avez aimé cet article ?", "Suivez-nous sur Google News",
    "Contenus sponsorisés", "Signaler un contenu", "Ajouter à mes favoris", "Lire plus tard",
    "Écouter cet article", "Voir les commentaires", "Réagir", "Copier le lien", "Offrir cet article",
    "Pour lire la suite et accéder gratuitement à 3 articles par mois, créez votre compte",
    "Ou si vous avez déjà un compte, connectez-vous ici", "Permalien https://exemple.fr/p/12",
    "Pour lire la suite<br>et accéder à 3 articles par mois,<br>créez votre compte",
]  # fmt: skip


@pytest.mark.parametrize("line", [*FRENCH_FURNITURE, "Lecture de la lettre par le comédien, ému."])
def test_the_lines_french_sites_print_around_the_text_are_left_out(line: str) -> None:
    before = "".join(
        f"<p>Le réalisateur a présenté son film au festival, devant une salle comble ({n}).</p>"
        for n in range(4)
    )
    found = _paragraphs(f"<h1>Titre</h1>{before}<p>{line}</p>{before.replace('(', '[')}")
    assert (line.replace("<br>", "\n") in found) == (line not in FRENCH_FURNITURE)


def test_a_rubys_reading_is_not_read_into_the_line() -> None:
    found = _paragraphs(
        "<p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>"
        "をなくすための<ruby>法律<rt>ほうりつ</rt></ruby>ができました。</p>"
    )
    assert found == ["子どもへの虐待をなくすための法律ができました。"]


def test_an_article_element_that_is_a_dialog_is_furniture() -> None:
    text = [
        f"Le festival s'ouvre ce soir avec un film très attendu par les critiques ({n})."
        for n in range(4)
    ]
    found = _paragraphs(
        "".join(f"<p>{t}</p>" for t in text)
        + '<article class="registry-message-modal"><h2>Inscription réussie</h2><p>Bienvenue !'
        " Vous recevrez bientôt un e-mail de confirmation, à valider sous 24 heures.</p></article>"
    )
    assert found == text


@pytest.mark.parametrize(
    ("text", "notice"),
    [
        ("Ce site utilise des cookies. En poursuivant la navigation, vous les acceptez.", True),
        ("NOUS UTILISONS DES COOKIES POUR MESURER L'AUDIENCE ; ACCEPTEZ-VOUS ?", True),
        ("Ce site utilise des coo\u212aies : acceptez-vous ?", True),  # a Kelvin sign for the k
        ("Le cookie de grand-mère, une recette à accepter sans discuter.", True),
        ("La recette des cookies de grand-mère, servis chauds au goûter.", False),
        ("Un livre de cuisine : le chef a accepté de partager ses secrets.", False),
    ],
)
def test_cookie_notices(text: str, notice: bool) -> None:
    assert body._is_cookie_notice(text) is notice


def test_a_template_with_control_characters_around_it_is_still_read() -> None:
    """lxml reads a control character in an attribute or a text, but refuses it back into
    the tree: the template's class and the text after it lose the character, not the body."""
    template = (
        "<p>Premier paragraphe du billet, assez long pour être lu comme le texte.</p>"
        "<p>Second paragraphe du billet, lui aussi assez long pour compter.</p>"
    )
    page = (
        "<html><body><h1>Billet</h1>"
        f'<script type="text/template" class="post\x01body">{template}</script>'
        "\x02 après le modèle</body></html>"
    )
    blocks = body.extract_blocks(parse_html(page))
    assert [b.text for b in blocks if b.kind == "p"][:2] == [
        "Premier paragraphe du billet, assez long pour être lu comme le texte.",
        "Second paragraphe du billet, lui aussi assez long pour compter.",
    ]


def test_a_sidebar_of_teaser_articles_is_not_taken_for_the_articles_wrapper() -> None:
    """Each teaser of the sidebar is an <article> of a few lines; together they hold more prose
    than the article itself. The sidebar holds no <article> that is the article, so it is
    left out like any <aside>."""
    article = "".join(
        f"<p>Paragraphe {i} de la critique : le film tient ses promesses, et la musique aussi.</p>"
        for i in range(1, 7)
    )
    teasers = "".join(
        f"<article class='teaser'><h3><a href='/t{i}'>Autre article {i}</a></h3>"
        f"<p>Résumé de l'autre article numéro {i}, qui parle d'une autre série et d'un autre "
        f"tournage, avec assez de mots pour passer pour de la prose, et même davantage.</p></article>"
        for i in range(1, 9)
    )
    page = (
        f"<html><body><div class='main'><h1>Critique</h1><div class='text'>{article}</div>"
        f"<aside class='col'>{teasers}</aside></div></body></html>"
    )
    paragraphs = body.extract_body(parse_html(page))
    assert paragraphs[0].startswith("Paragraphe 1 de la critique")
    assert not any("Résumé de l'autre article" in p for p in paragraphs)


def test_a_body_the_reader_cannot_read_is_flagged_not_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page is still archived, without a body, and its parse_warnings say why."""
    from archiver.extract.page import extract_article

    def unreadable(*_: object) -> list[body.Block]:
        raise ValueError("All strings must be XML compatible")

    monkeypatch.setattr(body, "extract_blocks", unreadable)
    page = "<html><body><article><h1>Titre</h1><p>Un texte assez long pour être lu.</p></article>"
    article = extract_article(page, "https://exemple.test/a", force=True)
    assert article is not None and article.title == "Titre" and not article.body
    assert article.parse_warnings["body"] == (
        "the body could not be read: ValueError: All strings must be XML compatible"
    )


def _cards(count: int, dated: bool) -> str:
    return "".join(
        f"<li><div class='card'><h3><a href='/autre-{i}.html'>Autre article {i}</a></h3>"
        + (f"<time datetime='2024-05-0{i}'>{i} mai 2024</time>" if dated else "")
        + f"<p>Résumé de l'autre article numéro {i} : une série, un tournage, un festival, et "
        f"assez de mots pour que ce résumé passe pour de la prose aux yeux du lecteur.</p>"
        "</div></li>"
        for i in range(1, count + 1)
    )


_REVIEW = "".join(
    f"<p>Paragraphe {i} de la critique : le film tient ses promesses, la musique aussi.</p>"
    for i in range(1, 5)
)


def test_teaser_cards_below_the_article_are_left_out() -> None:
    """Six dated cards hold more prose than the article; they are not its text."""
    page = (
        f"<html><body><div class='page'><div class='story'><h1>Critique</h1>{_REVIEW}</div>"
        f"<div class='below'><h2>Encore plus</h2><ul>{_cards(6, dated=True)}</ul></div>"
        "</div></body></html>"
    )
    paragraphs = body.extract_body(parse_html(page))
    assert sum(p.startswith("Paragraphe") for p in paragraphs) == 4
    assert not any("Résumé de l'autre article" in p for p in paragraphs)


def test_a_listicle_whose_items_carry_no_date_is_read_whole() -> None:
    """The same cards without a date each are a list the article makes: they stay."""
    page = (
        "<html><body><div class='story'><h1>Les six séries de la semaine</h1>"
        f"<p>Notre sélection de la semaine, à voir sans attendre, et pour tous.</p>"
        f"<ul>{_cards(6, dated=False)}</ul></div></body></html>"
    )
    paragraphs = body.extract_body(parse_html(page))
    assert sum("Résumé de l'autre article" in p for p in paragraphs) == 6


def test_teaser_cards_are_told_by_dates_the_page_extractor_took_out() -> None:
    """extract_article takes the dates out before the body is read, and says where they were."""
    from archiver.extract.page import extract_article

    page = (
        "<html><body><article><h1>Critique</h1>"
        "<p class='date'>Publié le 3 octobre 2016</p>"
        f"{_REVIEW}</article><section class='more'><ul>"
        + "".join(
            f"<li><h3><a href='/a{i}.html'>Autre article {i}</a></h3>"
            f"<span class='date'>{i} octobre 2016</span><p>Résumé de l'autre article {i} : une "
            "série, un tournage, un festival, et assez de mots pour passer pour de la prose.</p></li>"
            for i in range(1, 7)
        )
        + "</ul></section></body></html>"
    )
    article = extract_article(page, "https://exemple.test/critique", force=True)
    assert article is not None and article.body
    assert "Paragraphe 1 de la critique" in article.body
    assert "Résumé de l'autre article" not in article.body


@pytest.mark.parametrize("permalink", ["#entree-{i}", "https://exemple.test/direct#entree-{i}"])
def test_a_live_reports_dated_entries_linked_to_themselves_stay(permalink: str) -> None:
    entries = "".join(
        f"<li><h3><a href='{permalink.format(i=i)}'>{14 + i}h00</a></h3>"
        f"<time datetime='2024-05-01T{14 + i}:00'>{14 + i}h00</time><p>Entrée {i} du direct : "
        "le match reprend, les deux équipes se rendent coup pour coup, le public chante.</p></li>"
        for i in range(1, 7)
    )
    page = f"<html><body><div class='live'><h1>Le direct</h1><ul>{entries}</ul></div></body></html>"
    paragraphs = body.extract_body(parse_html(page))
    assert sum("du direct" in p for p in paragraphs) == 6


def test_a_digest_of_dated_linked_items_beside_its_headline_is_the_article() -> None:
    """ "L'essentiel du jour": the cards sit beside the headline and hold the page's prose."""
    from archiver.extract.page import extract_article

    items = "".join(
        f"<section><h2><a href='https://exemple.test/actu/{i}'>Brève {i} du jour</a></h2>"
        f"<time datetime='2024-05-0{i}T08:00'>0{i}/05 à 8h</time><p>Le gouvernement a annoncé "
        f"ce matin la mesure numéro {i}, détaillée dans notre article complet.</p></section>"
        for i in range(1, 6)
    )
    page = (
        "<html><head><meta property='og:type' content='article'></head><body><main><article>"
        f"<h1>L'essentiel du jour</h1>{items}</article></main></body></html>"
    )
    article = extract_article(page, "https://exemple.test/essentiel", force=True)
    assert article is not None and article.body
    assert article.body.count("Le gouvernement a annoncé") == 5


def test_a_heading_split_by_line_breaks_is_one_card_not_two() -> None:
    def card(i: int) -> str:
        return (
            f"<div id='c{i}'><h3><a href='/a{i}'>Titre<br><br>{i}</a></h3><time>1 mai</time>"
            "<p>Un résumé court, en une phrase, pour finir.</p></div>"
        )

    root = parse_html(f"<html><body><section>{card(1)}{card(2)}</section></body></html>").root
    reader = body._Reader()
    reader.read(next(root.iter("body")))
    assert body._teaser_cards(reader, (), 10_000) == []  # two cards are not three
