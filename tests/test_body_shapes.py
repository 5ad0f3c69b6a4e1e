"""Page shapes where the body reader once came back empty, cut short or doubled: each an
invented page of the shape, and what a reader of it reads."""

from __future__ import annotations

import json
from html import escape as html_escape

from archiver.extract.body import extract_body
from archiver.extract.nodes import parse_html


def _sentences(word: str, count: int = 3) -> str:
    return f"Le {word} traverse la vallée au petit matin, sans bruit, avant les autres. " * count


def _body(html: str, title: str | None = None) -> str:
    return "\n".join(extract_body(parse_html(html), title))


def test_a_wrapper_whose_class_names_the_footer_is_read_when_it_holds_the_headline() -> None:
    disclosure = "Ce site touche une commission sur les offres citées, sans frais pour vous. " * 4
    html = f"""<html><body><div class="above-footer"><h1>Le col rouvre</h1>
        <p>{_sentences("train")}</p><p>{_sentences("car")}</p><p>{_sentences("bus")}</p></div>
        <section class="disclosure"><p>{disclosure}</p></section>
        <section class="legal-notes"><p>{disclosure}</p></section></body></html>"""
    text = _body(html)
    assert "Le train" in text and "Le bus" in text


def test_a_hidden_copy_of_the_article_is_left_out() -> None:
    shown = [_sentences(word) for word in ("train", "car", "bus")]
    html = f"""<html><body><article><h1>Le col rouvre</h1>
        {"".join(f"<p>{p}</p>" for p in shown)}
        <div class="paywall" style="display:none">{shown[1][20:]}{shown[2]}</div>
        </article></body></html>"""
    text = _body(html, "Le col rouvre")
    assert text.count("Le bus") == 3  # the three sentences of its paragraph, once
    assert len(text) < len("".join(shown)) + 10


def test_a_hidden_rest_of_the_article_is_read() -> None:
    html = f"""<html><body><article><h1>Le col rouvre</h1>
        <p>{_sentences("train")}</p><p>{_sentences("car")}</p>
        <div class="more" style="display:none"><p>{_sentences("bus")}</p></div>
        <button>Lire la suite</button></article></body></html>"""
    assert "Le bus" in _body(html)


def test_of_articles_stacked_by_an_endless_scroll_the_titles_is_read() -> None:
    html = f"""<html><body><main>
        <article><h1>Le col rouvre</h1><div class="text"><p>{_sentences("train", 8)}</p></div>
        </article>
        <div class="next"><article><h1>La foire aux vins</h1>
        <div class="text"><p>{_sentences("vigneron", 12)}</p></div></article></div>
        </main></body></html>"""
    text = _body(html, "Le col rouvre")
    assert "Le train" in text and "vigneron" not in text
    text = _body(html, "La foire aux vins")  # the page of the second, with the first above
    assert "Le vigneron" in text and "train" not in text


def test_a_live_report_of_entries_without_a_headline_each_is_read_whole() -> None:
    entries = "".join(
        f"<article><h2>{hour} h</h2><p>{_sentences(word, 8)}</p></article>"
        for hour, word in ((9, "train"), (10, "car"), (11, "bus"))
    )
    html = f"<html><body><main><h1>En direct</h1>{entries}</main></body></html>"
    text = _body(html, "En direct")
    assert "Le train" in text and "Le car" in text and "Le bus" in text


def test_a_listicles_points_written_as_headings_over_pictures_are_kept() -> None:
    points = "".join(
        f'<h3>{n}. Le {word} part à l\'heure chaque jour de la semaine.</h3><figure><img src="{n}.jpg"></figure>'
        for n, word in ((1, "train"), (2, "car"), (3, "bus"))
    )
    html = f"""<html><body><article><h1>Trois faits</h1><p>{_sentences("chiffre")}</p>
        {points}<p>{_sentences("voyageur")}</p>
        <h3>Vous devez vous connecter pour pouvoir commenter.</h3></article></body></html>"""
    text = _body(html)
    assert "2. Le car part" in text and "3. Le bus part" in text
    assert "connecter" not in text  # a heading at the end, over nothing


def test_a_page_served_in_noscript_is_read_there() -> None:
    html = f"""<html><body><div id="app"></div><noscript><div class="page">
        <h1>Le col rouvre</h1><p>{_sentences("train")}</p><p>{_sentences("car")}</p>
        </div></noscript></body></html>"""
    assert "Le train" in _body(html)


def test_a_page_of_short_sentences_is_read_rather_than_its_cookie_notice() -> None:
    html = """<html><body><nav><a href="/">Accueil</a> <a href="/photos">Photos</a></nav>
        <div class="entry"><h3>Lieux</h3><p>Anna : Lyon.</p><p>Marc : Brest.</p>
        <h3>Pellicule</h3><p>Kodak 200.</p><h3>Ordre</h3><ol><li>Anna.</li><li>Marc.</li></ol>
        </div><p class="cc">Nous utilisons des cookies, acceptez-les.</p></body></html>"""
    text = _body(html)
    assert "Anna : Lyon." in text and "Kodak 200." in text and "cookies" not in text


def test_a_page_built_from_its_components_json_reads_the_titled_object() -> None:
    steps = [f"<p>{_sentences(word)}</p>" for word in ("train", "car")]
    props = {
        "page": {"title": "Le col rouvre", "intro": steps[0], "steps": [{"text": steps[1]}]},
        "related": [{"title": "La foire aux vins", "intro": f"<p>{_sentences('vigneron')}</p>"}],
    }
    attribute = html_escape(json.dumps(props), quote=True)
    html = f"""<html><body><div id="app" data-react-props="{attribute}"></div>
        <p>Chargement…</p></body></html>"""
    text = _body(html, "Le col rouvre")
    assert "Le train" in text and "Le car" in text and "vigneron" not in text


def test_a_short_post_under_its_title_beats_a_longer_sidebar() -> None:
    about = "Ici je raconte mes voyages, mes lectures et mes recettes du dimanche. " * 12
    archive = "".join(f'<li><a href="/{n}">Archives, mois {n}</a></li>' for n in range(40))
    html = f"""<html><body><div id="wrapper"><h1><a href="/">Mon carnet</a></h1>
        <div id="content"><div class="post"><h2>Le col rouvre</h2>
        <div class="entry"><p>{_sentences("train")}</p><p>Voilà.</p></div></div></div>
        <div id="sidebar"><ul><li><h3>À propos</h3><p>{about}</p></li>
        <li><h3>Archives</h3><ul>{archive}</ul></li></ul></div>
        </div></body></html>"""
    text = _body(html, "Le col rouvre")
    assert "Le train" in text and "mes voyages" not in text


def test_results_in_a_table_under_a_long_heading_are_read() -> None:
    rows = "".join(
        f"<tr><td>{rank}.</td><td>Dupont, Léa {1990 + rank}</td><td>AC Vallée</td></tr>"
        for rank in range(1, 30)
    )
    html = f"""<html><body><div class="entry-content">
        <h3>Meeting de la vallée, 12 mai, stade municipal.<br>Résultats des cadettes, par
        épreuve et par club, dans l'ordre d'arrivée.</h3>
        <pre><span><table>{rows}</table></span></pre>
        <p>Merci aux bénévoles qui ont tenu les chronos toute la journée.</p></div></body></html>"""
    text = _body(html)
    assert "Dupont, Léa 1993" in text and "AC Vallée" in text


def test_the_standfirst_under_the_headline_is_read_with_the_text_below() -> None:
    links = " ".join(
        f'<a href="/{n}">Envoyer à un ami, par le réseau social {n}</a>' for n in range(12)
    )
    html = f"""<html><body><div class="page"><div class="article-head">
        <h1>Le col rouvre</h1><p>Après trois mois de travaux, la route du col est rendue aux
        cars et aux cyclistes dès lundi matin.</p><div class="image-box"><img src="col.jpg">
        <p>La route du col, vue depuis le belvédère, un matin de juin (photo d'archives).</p>
        </div><div>{links}</div></div>
        <div class="text"><p>{_sentences("train")}</p><p>{_sentences("car")}</p>
        <p>{_sentences("bus")}</p></div></div></body></html>"""
    text = _body(html, "Le col rouvre")
    assert text.startswith("Après trois mois de travaux") and "Le bus" in text
    assert "belvédère" not in text  # the caption of the picture in between


def test_a_ticker_of_linked_titles_and_cut_openings_is_left_out() -> None:
    items = "".join(
        f'<li><a href="/{n}">Un autre article sur la vallée, numéro {n}</a>'
        f"<span>VALLÉE : Le conseil municipal a voté hier soir une nouvelle...</span></li>"
        for n in range(3)
    )
    html = f"""<html><body><div class="main"><div class="ticker"><b>En bref</b>
        <ul>{items}</ul></div><h1>Le col rouvre</h1><p>{_sentences("train")}</p>
        <p>{_sentences("car")}</p><p><a href="/source">Selon la préfecture</a>, la route
        sera fermée la nuit, comme le précise son communiqué…</p></div></body></html>"""
    text = _body(html, "Le col rouvre")
    assert "numéro" not in text and "Le car" in text
    assert "Selon la préfecture" in text  # a paragraph that opens with a link is prose


def test_the_authors_bio_and_contacts_after_the_article_are_left_out() -> None:
    html = f"""<html><body><article><h1>Le col rouvre</h1>
        <p>{_sentences("train", 4)}</p><p>{_sentences("car", 4)}</p><p>{_sentences("bus")}</p>
        <h3>Über den Autor</h3><p>Léa Martin écrit depuis vingt ans sur les routes de
        montagne, les cols et ceux qui les entretiennent.</p>
        <h3>Kontakt</h3><p>Service de presse, 1 place du Marché, téléphone 01 02 03 04.</p>
        </article></body></html>"""
    text = _body(html, "Le col rouvre")
    assert "Le bus" in text and "vingt ans" not in text and "presse" not in text


def test_a_heading_like_contact_early_in_the_article_is_kept() -> None:
    html = f"""<html><body><article><h1>Le col rouvre</h1><p>{_sentences("train")}</p>
        <h3>Kontakt</h3><p>{_sentences("guide", 4)}</p><p>{_sentences("car", 4)}</p>
        </article></body></html>"""
    assert "Le car" in _body(html, "Le col rouvre")
