"""A deterministic, invented French entertainment-news site for the crawl benchmark.

`generate_site(root, articles=2000, seed=7)` writes static files that nginx can serve: a home page,
paginated section listings, tag and author pages, a few static pages, robots.txt, and article
pages of about 60 KB each. Every article is reachable from the home page through the listings,
and articles link to each other (related, previous/next, "most read").

The pages are built so that extraction does real work, the way real CMSs make it work: three
markups (a hand-made one, a WordPress-like one, a modern one with BEM classes and lazy images),
header/mega-menu/breadcrumb/footer, share bars, "à lire aussi" boxes inside the text, figures
with captions and credits, French bylines and dates in the many shapes sites print, JSON-LD on
about half the articles, reader comments (flat with data-parent, or nested), and the inline CSS,
analytics and hydration scripts that make up most of a real page's weight.

All text is assembled here from word lists written for this benchmark; nothing is copied from
a real site. The same seed gives byte-identical pages, so runs on different days compare.
Run alone to look at a site: .venv/bin/python benchmarks/sitegen.py OUT_DIR [--articles N]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

SITE_NAME = "Le Projecteur"
CANONICAL_ROOT = "https://www.le-projecteur.test"
# Every article lives under this path, so a spider can tell articles from listings by URL.
ARTICLE_PREFIX = "/articles/"
PER_LISTING = 30
TARGET_BYTES = 60_000

SECTIONS: dict[str, str] = {
    "cinema": "Cinéma",
    "series": "Séries",
    "musique": "Musique",
    "jeux-video": "Jeux vidéo",
    "television": "Télévision",
    "livres": "Livres",
    "spectacles": "Spectacles",
    "festivals": "Festivals",
}
STATIC_PAGES: dict[str, str] = {
    "a-propos": "À propos",
    "contact": "Contact",
    "mentions-legales": "Mentions légales",
    "cgu": "Conditions générales d'utilisation",
    "cookies": "Gestion des cookies",
    "plan-du-site": "Plan du site",
    "connexion": "Se connecter",
}

FEMALE_NAMES = (
    "Camille Sophie Léa Manon Chloé Inès Élodie Clémence Margaux Aurélie Pauline Salomé Nadia "
    "Héloïse Anaïs Maëlle Noémie Agathe Zoé Lucie"
).split()
MALE_NAMES = (
    "Julien Thomas Hugo Nicolas Antoine Mathieu Rémi Théo Benoît Yannick Grégoire Bastien Olivier "
    "Karim Loïc Sébastien Fabrice Jérôme Cédric Amaury"
).split()
FIRST_NAMES = FEMALE_NAMES + MALE_NAMES
LAST_NAMES = (
    "Marchetti Delorme Vasseur Lestrade Coudray Pelletier Fontanel Roussillon Garnaud Tessier "
    "Bréval Castagné Mouret Dumesnil Lagarde Perrichon Valadier Keraudren Jouvenel Salvini "
    "Aubriot Lenormand Chassagne Morvan Ferrand Quillet Bastide Rocheteau Vidalie Espinasse "
    "Trémaux Bonnefoy Lacombe Orsini Delattre Gimenez Haudecoeur Mallet Séverac Thibaudeau"
).split()
AGENCIES = ["AFP", "Reuters", "AP", "Relaxnews"]
PSEUDO_PARTS = (
    "cinephile popcorn serievore rockeur lectrice gamer spectateur melomane critique "
    "noctambule fan_de_series toile bobine vinyle manette"
).split()

WORK_ADJ = (
    "Dernier Grand Petit Long Faux Vrai Beau Sombre Lointain Secret Premier Nouveau"
).split()
WORK_NOUNS = (
    "Été Hiver Voyage Silence Rivage Horizon Royaume Souffle Refuge Passage Domaine Vertige "
    "Labyrinthe Phare Écho Exil Rempart Sillage Orage Crépuscule"
).split()
PLACES = (
    "Marseille Lyon Brest Nantes Lille Bordeaux Grenoble Montmartre Belleville Carcassonne "
    "Saint-Malo Biarritz Dunkerque Annecy Perpignan"
).split()
PLATFORMS = ["Cinéflix", "StreamPlus", "Canal Étoile", "Ondes TV", "Lumen+", "Vidéopolis"]
VENUES = [
    "Zénith de Nantes",
    "Palais des Congrès",
    "théâtre du Rond-Point Nord",
    "Olympia Sud",
    "Arena de Lille",
    "Dôme de Bordeaux",
    "Cirque d'Hiver Est",
]
FESTIVALS = [
    "Festival du film de Saint-Malo",
    "Rencontres de Biarritz",
    "Nuits sonores de Brest",
    "Festival de la fiction d'Annecy",
    "Printemps des séries de Lille",
]
TAGS = (
    "Box-office|Bande-annonce|Critique|Interview|Casting|Tournage|Streaming|Sortie|Festival|"
    "Concert|Album|Tournée|Jeu vidéo|Console|Roman|Adaptation|Théâtre|Humour|Documentaire|"
    "Animation|Saison 2|Saison 3|Fin de série|Remake|Biopic|César|Récompenses|Audiences|Prime time|"
    "Télé-réalité|Polar|Science-fiction|Comédie|Drame|Thriller|Horreur|Jeunesse|Rap|Électro|Jazz"
).split("|")

SUBJECTS = [
    "Le réalisateur {man}",
    "La réalisatrice {woman}",
    "L'actrice {woman}",
    "L'acteur {man}",
    "La chanteuse {woman}",
    "Le compositeur {man}",
    "La série « {work} »",
    "Le film « {work} »",
    "Le studio",
    "La plateforme {platform}",
    "La production",
    "Le nouvel album de {person}",
    "Le public",
    "La critique",
    "Le scénariste {man}",
    "Toute l'équipe",
]
VERBS = [
    "a dévoilé",
    "prépare",
    "revient avec",
    "signe",
    "confirme",
    "annonce",
    "a présenté",
    "défend",
    "met en scène",
    "a tourné",
    "promet",
    "a longtemps attendu",
    "a enfin obtenu",
    "reprend",
    "assume",
]
OBJECTS = [
    "une bande-annonce inédite",
    "la deuxième saison",
    "un projet ambitieux",
    "une tournée dans toute la France",
    "un rôle à contre-emploi",
    "une adaptation très libre du roman",
    "un premier long métrage",
    "une fin ouverte",
    "des images tournées à {place}",
    "un casting presque entièrement renouvelé",
    "une version restaurée",
    "un concert exceptionnel au {venue}",
    "une suite que personne n'attendait",
    "un budget en nette hausse",
    "trois nouveaux épisodes",
    "une bande originale remarquée",
]
COMPLEMENTS = [
    "selon nos informations",
    "lors du {festival}",
    "ce mardi",
    "dans un entretien accordé à notre rédaction",
    "pour la rentrée",
    "à la surprise générale",
    "après des mois de rumeurs",
    "sur {platform}",
    "devant une salle comble",
    "au terme d'un tournage éprouvant",
    "sans en dire davantage",
    "en toute discrétion",
    "dès le mois de {month}",
    "avec un enthousiasme communicatif",
]
OPENERS = [
    "",
    "",
    "",
    "Pour rappel, ",
    "Il faut dire que ",
    "D'après la production, ",
    "De son côté, ",
    "Dans le détail, ",
    "Autant le dire tout de suite : ",
    "Sans surprise, ",
    "En coulisses, ",
    "Comme souvent, ",
]
CLOSERS = [
    "Reste à savoir si le public suivra.",
    "Les premiers retours sont plutôt encourageants.",
    "Une chose est sûre : on en reparlera.",
    "La date de sortie n'a pas encore été communiquée.",
    "Les réservations ouvriront dans les prochains jours.",
    "Le pari est risqué, mais il pourrait payer.",
    "« On a voulu rester fidèles à l'esprit d'origine », confie {person}.",
    "« C'est le projet le plus personnel que j'aie porté », explique {person}.",
]
QUOTES = [
    "On a tourné dans des conditions incroyables",
    "Je n'avais jamais rien lu d'aussi fort",
    "Ce personnage m'a longtemps hanté",
    "Le public nous a portés du début à la fin",
    "On voulait surprendre sans trahir",
    "C'est une histoire de famille avant tout",
]
TITLE_SHAPES = [
    "« {work} » : la saison {n} arrive sur {platform} en {month}",
    "Box-office : « {work} » fait mieux que prévu",
    "{person} annonce un concert au {venue}",
    "{person} : « {quote} »",
    "On a vu « {work} », et voici ce qu'on en pense",
    "« {work} » : {person} rejoint le casting",
    "{festival} : le palmarès complet",
    "Audiences : « {work} » en tête sur {platform}",
    "« {work} » : tout ce qu'il faut savoir avant la sortie",
    "{person} revient sur le tournage de « {work} »",
]
COMMENT_BITS = [
    "Vivement la suite !",
    "Je ne suis pas d'accord avec cette critique, le film est bien meilleur que ça.",
    "Enfin une bonne nouvelle pour les fans.",
    "La première saison était excellente, la deuxième beaucoup moins.",
    "Quelqu'un sait si ce sera disponible en version originale sous-titrée ?",
    "Le casting est parfait, surtout {person}.",
    "J'y étais, c'était magique du début à la fin.",
    "Trop cher pour ce que c'est, je passe mon tour.",
    "Merci pour cet article très complet.",
    "On attendait ça depuis des années.",
    "La bande-annonce m'a donné des frissons.",
    "Encore une suite, on manque vraiment d'idées en ce moment…",
    "Le livre était quand même bien plus subtil.",
    "Rien à voir avec l'original, dommage.",
]
MONTHS_FR = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()
MONTHS_SHORT = "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split()
WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


# -- French dates as sites print them -------------------------------------------------------


def _day(value: datetime) -> str:
    return "1er" if value.day == 1 else str(value.day)


def _published_text(value: datetime, rng: random.Random) -> str:
    shapes: list[Callable[[datetime], str]] = [
        lambda d: f"Publié le {d:%d/%m/%Y} à {d:%H}h{d:%M}",
        lambda d: f"{_day(d)} {MONTHS_FR[d.month - 1]} {d.year}",
        lambda d: f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS_FR[d.month - 1]} {d.year} à {d:%H:%M}",
        lambda d: f"Le {d:%d.%m.%y} à {d:%H}h{d:%M}",
        lambda d: f"{d.day} {MONTHS_SHORT[d.month - 1]} {d.year}",
        lambda d: f"Publié le {_day(d)} {MONTHS_FR[d.month - 1]} {d.year} à {d.hour} h {d:%M}",
    ]
    return rng.choice(shapes)(value)


def _updated_text(value: datetime, rng: random.Random) -> str:
    shapes: list[Callable[[datetime], str]] = [
        lambda d: f"Mis à jour le {d.day} {MONTHS_SHORT[d.month - 1]} {d.year} à {d:%H:%M}",
        lambda d: f"Modifié le {d:%d/%m/%Y} à {d:%H}h{d:%M}",
        lambda d: f"Mis à jour le {_day(d)} {MONTHS_FR[d.month - 1]} {d.year}",
    ]
    return rng.choice(shapes)(value)


def _comment_date_text(value: datetime, age_hours: float, rng: random.Random) -> str:
    if age_hours < 20 and rng.random() < 0.5:
        return f"il y a {max(1, int(age_hours))} heures"
    if age_hours < 48 and rng.random() < 0.5:
        return f"hier à {value:%H}h{value:%M}"
    shapes: list[Callable[[datetime], str]] = [
        lambda d: f"{d.day} {MONTHS_FR[d.month - 1]} {d.year} à {d:%H:%M}",
        lambda d: f"le {d:%d/%m/%Y} à {d:%H}h{d:%M}",
        lambda d: f"{_day(d)} {MONTHS_FR[d.month - 1]} {d.year} à {d.hour} h {d:%M} min",
        lambda d: f"{d:%d/%m/%Y} {d:%H:%M}",
    ]
    return rng.choice(shapes)(value)


def _iso(value: datetime) -> str:
    # Summer time from April to October is close enough for generated pages.
    offset = "+02:00" if 4 <= value.month <= 10 else "+01:00"
    return value.strftime("%Y-%m-%dT%H:%M:%S") + offset


# -- the site's content ---------------------------------------------------------------------


@dataclass
class Author:
    name: str
    slug: str


@dataclass
class Teaser:
    """What listings, related boxes and hydration data show of an article."""

    number: int
    path: str
    title: str
    lead: str
    section: str
    authors: list[int]
    agency: str | None
    published: datetime
    updated: datetime | None
    tags: list[str]
    template: str
    image: str


@dataclass
class Site:
    root: Path
    seed: int
    authors: list[Author]
    articles: list[Teaser]
    tags: dict[str, list[int]] = field(default_factory=dict)

    @property
    def article_paths(self) -> list[str]:
        return [a.path for a in self.articles]


class Words:
    """Sentences and names from the word lists, all drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def work(self) -> str:
        rng = self.rng
        shape = rng.randrange(4)
        if shape == 0:
            return f"Le {rng.choice(WORK_ADJ)} {rng.choice(WORK_NOUNS)}"
        if shape == 1:
            return f"{rng.choice(WORK_NOUNS)} à {rng.choice(PLACES)}"
        if shape == 2:
            return f"Les {rng.choice(WORK_NOUNS)}s de {rng.choice(PLACES)}"
        return f"{rng.choice(WORK_NOUNS)} {rng.randrange(2, 5)}"

    def fill(self, template: str) -> str:
        rng = self.rng
        slots = {
            "person": self.person,
            "woman": lambda: f"{rng.choice(FEMALE_NAMES)} {rng.choice(LAST_NAMES)}",
            "man": lambda: f"{rng.choice(MALE_NAMES)} {rng.choice(LAST_NAMES)}",
            "work": self.work,
            "platform": lambda: rng.choice(PLATFORMS),
            "place": lambda: rng.choice(PLACES),
            "venue": lambda: rng.choice(VENUES),
            "festival": lambda: rng.choice(FESTIVALS),
            "month": lambda: rng.choice(MONTHS_FR),
            "quote": lambda: rng.choice(QUOTES),
            "n": lambda: str(rng.randrange(2, 6)),
        }
        return re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)](), template)

    def sentence(self) -> str:
        rng = self.rng
        opener = rng.choice(OPENERS)
        subject = self.fill(rng.choice(SUBJECTS))
        if opener and not opener.endswith(": "):
            subject = subject[0].lower() + subject[1:]
        text = f"{opener}{subject} {rng.choice(VERBS)} {self.fill(rng.choice(OBJECTS))}"
        if rng.random() < 0.7:
            text += f" {self.fill(rng.choice(COMPLEMENTS))}"
        if rng.random() < 0.3:
            text += f", {self.fill(rng.choice(COMPLEMENTS))}"
        return text + "."

    def paragraph(self, sentences: int) -> str:
        parts = [self.sentence() for _ in range(sentences)]
        if self.rng.random() < 0.4:
            parts.append(self.fill(self.rng.choice(CLOSERS)))
        return " ".join(parts)

    def title(self) -> str:
        return self.fill(self.rng.choice(TITLE_SHAPES))

    def comment(self) -> str:
        rng = self.rng
        parts = [self.fill(rng.choice(COMMENT_BITS)) for _ in range(rng.randrange(1, 4))]
        if rng.random() < 0.3:
            parts.append(self.sentence())
        return " ".join(parts)

    def pseudo(self) -> str:
        rng = self.rng
        if rng.random() < 0.4:
            return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}."
        return f"{rng.choice(PSEUDO_PARTS)}{rng.randrange(1, 99)}"


def plan_site(root: Path, count: int, seed: int) -> Site:
    """Titles, dates, sections and authors of every article; bodies are drawn when rendered."""
    rng = random.Random(seed)
    words = Words(rng)
    names = sorted({words.person() for _ in range(60)})[:48]
    authors = [Author(name, slugify(name)) for name in names]
    start = datetime(2015, 1, 5, 6, 0)
    span_minutes = int((datetime(2024, 6, 28) - start).total_seconds() // 60)
    stamps = sorted(rng.randrange(span_minutes) for _ in range(count))
    site = Site(root=root, seed=seed, authors=authors, articles=[])
    for number, minutes in enumerate(stamps, start=1):
        published = start + timedelta(minutes=minutes)
        title = words.title()
        section = rng.choice(list(SECTIONS))
        slug = slugify(title)[:70].strip("-")
        path = f"{ARTICLE_PREFIX}{published:%Y/%m}/{slug}-{number}.html"
        updated = published + timedelta(hours=rng.randrange(1, 60)) if rng.random() < 0.4 else None
        writers = rng.sample(range(len(authors)), rng.choice([1, 1, 1, 2, 2, 3]))
        agency = rng.choice(AGENCIES) if rng.random() < 0.15 else None
        site.articles.append(
            Teaser(
                number=number,
                path=path,
                title=title,
                lead=words.paragraph(2),
                section=section,
                authors=writers,
                agency=agency,
                published=published,
                updated=updated,
                tags=rng.sample(TAGS, rng.randrange(2, 6)),
                template=rng.choice(["classic", "classic", "wordpress", "modern"]),
                image=f"/media/{published:%Y/%m}/{slug[:30]}-{number}.jpg",
            )
        )
    for article in site.articles:
        for tag in article.tags:
            site.tags.setdefault(tag, []).append(article.number)
    return site


# -- page furniture -------------------------------------------------------------------------

_CSS_PROPS = [
    "display:flex",
    "margin:0 auto",
    "padding:.5rem 1rem",
    "font-size:1.125rem",
    "line-height:1.6",
    "color:#1d1d1f",
    "background:#fafafa",
    "border-bottom:1px solid #e4e4e4",
    "grid-template-columns:repeat(3,1fr)",
    "gap:1.5rem",
    "max-width:72rem",
    "text-transform:uppercase",
    "letter-spacing:.04em",
    "transition:opacity .2s ease-in-out",
]


def _stylesheet(rng: random.Random, size: int) -> str:
    """Inline CSS as CMS themes emit it, to about `size` characters."""
    blocks = ["article", "byline", "chapo", "share", "related", "comments", "footer", "menu"]
    rules = []
    total = 0
    while total < size:
        selector = f".{rng.choice(blocks)}__{rng.choice(blocks)}--{rng.randrange(40)}"
        rule = f"{selector}{{{';'.join(rng.sample(_CSS_PROPS, 4))}}}"
        rules.append(rule)
        total += len(rule)
    return "\n".join(rules)


def _header(site: Site, current: str | None) -> str:
    nav = " ".join(
        f'<li class="menu-item{" is-active" if slug == current else ""}">'
        f'<a href="/rubrique/{slug}/">{_e(name)}</a></li>'
        for slug, name in SECTIONS.items()
    )
    trending = sorted(site.tags, key=lambda tag: (-len(site.tags[tag]), tag))[:12]
    mega = "".join(f'<li><a href="/tags/{slugify(tag)}/">{_e(tag)}</a></li>' for tag in trending)
    return f"""<div class="cookie-banner" id="cookie-consent"><p>Nous utilisons des cookies pour mesurer
l'audience et personnaliser les contenus. En poursuivant votre navigation, vous acceptez leur
utilisation.</p><a class="btn" href="/cookies/">Paramétrer</a></div>
<header class="site-header" role="banner">
  <a class="skip-link" href="#contenu">Aller au contenu</a>
  <a class="logo" href="/"><img src="/static/logo.svg" alt="{_e(SITE_NAME)}" width="180" height="40"></a>
  <nav class="main-nav" aria-label="Rubriques"><ul class="menu">
    <li class="menu-item"><a href="/">Accueil</a></li> {nav}
  </ul>
  <div class="mega-menu"><p class="mega-menu__title">Tendances</p><ul>{mega}</ul></div>
  </nav>
  <div class="header-tools"><a href="/recherche/">Rechercher</a> <a href="/connexion/">Se connecter</a>
  <a class="btn-subscribe" href="/a-propos/">S'abonner</a></div>
</header>"""


def _footer(site: Site) -> str:
    statics = " ".join(f'<a href="/{slug}/">{_e(name)}</a>' for slug, name in STATIC_PAGES.items())
    sections = " ".join(f'<a href="/rubrique/{s}/">{_e(n)}</a>' for s, n in SECTIONS.items())
    social = " ".join(
        f'<a href="https://{net}.example/leprojecteur" rel="noopener">{net.title()}</a>'
        for net in ("facebook", "twitter", "instagram", "youtube", "tiktok")
    )
    return f"""<footer class="site-footer" role="contentinfo">
  <div class="footer-sections">{sections}</div>
  <div class="footer-social">Suivez-nous : {social}</div>
  <div class="newsletter-box"><h3>Newsletter</h3><p>Chaque vendredi, le meilleur des écrans et de la
  scène dans votre boîte aux lettres.</p><form action="/newsletter/" method="post"><input type="email"
  name="email" placeholder="Votre adresse e-mail"><button>S'inscrire</button></form></div>
  <div class="footer-legal">{statics}</div>
  <p class="copyright">© {SITE_NAME} 2015-2024. Tous droits réservés. Site fictif généré pour un
  banc d'essai.</p>
</footer>"""


def _analytics(rng: random.Random, page_type: str) -> str:
    ids = [f"{rng.getrandbits(32):08x}" for _ in range(6)]
    return f"""<script>
window.dataLayer = window.dataLayer || [];
window.dataLayer.push({{"pageType": "{page_type}", "site": "leprojecteur", "abTest": "{ids[0]}"}});
(function (w, d, s, l, i) {{ w[l] = w[l] || []; w[l].push({{"start": new Date().getTime(), "event": "load"}});
var f = d.getElementsByTagName(s)[0], j = d.createElement(s); j.async = true;
j.src = "/static/tag.js?id=" + i; f.parentNode.insertBefore(j, f); }})(window, document, "script", "dataLayer", "{ids[1]}");
var adSlots = ["{ids[2]}", "{ids[3]}", "{ids[4]}", "{ids[5]}"];
</script>"""


def _hydration(site: Site, rng: random.Random, size: int) -> str:
    """The JSON blob a client-side framework reads to rebuild the page: teasers, about `size`."""
    teasers = []
    total = 0
    while total < size:
        other = site.articles[rng.randrange(len(site.articles))]
        entry = {
            "id": other.number,
            "url": other.path,
            "title": other.title,
            "lead": other.lead,
            "section": other.section,
            "image": {"src": other.image, "width": 1200, "height": 675},
            "published": _iso(other.published),
        }
        teasers.append(entry)
        total += len(json.dumps(entry, ensure_ascii=False)) + 1
    state = {"page": {"teasers": teasers}, "config": {"ads": True, "paywall": False}}
    blob = json.dumps(state, ensure_ascii=False).replace("</", "<\\/")
    return f'<script id="__APP_STATE__" type="application/json">{blob}</script>'


def _teaser_html(site: Site, article: Teaser) -> str:
    names = ", ".join(site.authors[i].name for i in article.authors)
    return (
        f'<li class="teaser teaser--{article.section}"><a class="teaser__image" href="{article.path}">'
        f'<img src="{article.image}" alt="" loading="lazy" width="300" height="169"></a>'
        f'<h3 class="teaser__title"><a href="{article.path}">{_e(article.title)}</a></h3>'
        f'<p class="teaser__meta">{_e(names)} - {article.published:%d/%m/%Y}</p></li>'
    )


def _page(
    site: Site,
    rng: random.Random,
    *,
    title: str,
    head: str,
    body: str,
    page_type: str,
    current: str | None = None,
    lang: str = "fr",
) -> str:
    """A whole HTML document around `body`, padded with CSS and hydration data to a real size."""
    skeleton = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<link rel="preconnect" href="https://cdn.le-projecteur.test">
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="/static/favicon.ico">
{head}
<style>{{CSS}}</style>
</head>
<body class="page page--{page_type}">
{_header(site, current)}
<main id="contenu" class="site-main">
{body}
</main>
{_footer(site)}
{_analytics(rng, page_type)}
{{STATE}}
<script src="/static/app.js" defer></script>
</body>
</html>
"""
    room = max(0, TARGET_BYTES + rng.randrange(-6000, 6000) - len(skeleton.encode()))
    css = _stylesheet(rng, room // 3 if page_type == "article" else 1500)
    state = _hydration(site, rng, room - len(css) if page_type == "article" else 2000)
    return skeleton.replace("{CSS}", css, 1).replace("{STATE}", state, 1)


# -- articles -------------------------------------------------------------------------------


@dataclass
class Reply:
    id: str
    parent: str | None
    author: str
    date_text: str
    date_iso: str
    text: str


def _byline(site: Site, article: Teaser, rng: random.Random, date_text: str) -> str:
    """The byline in one of the shapes French sites print, author links included."""
    people = [site.authors[i] for i in article.authors]
    shape = rng.randrange(5)
    if shape == 0 and len(people) == 1:  # "Christophe Foltzer | 3 octobre 2016"
        return f'<a href="/auteurs/{people[0].slug}/">{_e(people[0].name)}</a> | {_e(date_text)}'
    if shape == 1 and len(people) == 1 and not article.agency:  # "JEAN-MARC DUVAL"
        return f'<a href="/auteurs/{people[0].slug}/">{_e(people[0].name.upper())}</a>'
    links = [f'<a href="/auteurs/{p.slug}/">{_e(p.name)}</a>' for p in people]
    joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " et " + links[-1]
    agency = f", avec {article.agency}" if article.agency else ""
    return f"Par {joined}{agency}"


def _json_ld(site: Site, article: Teaser, words: Words) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": CANONICAL_ROOT + article.path,
        "headline": article.title,
        "description": article.lead,
        "datePublished": _iso(article.published),
        "dateModified": _iso(article.updated or article.published),
        "author": [
            {
                "@type": "Person",
                "name": site.authors[i].name,
                "url": f"/auteurs/{site.authors[i].slug}/",
            }
            for i in article.authors
        ],
        "publisher": {
            "@type": "Organization",
            "name": SITE_NAME,
            "logo": {"@type": "ImageObject", "url": CANONICAL_ROOT + "/static/logo.png"},
        },
        "image": [CANONICAL_ROOT + article.image],
        "articleSection": SECTIONS[article.section],
        "keywords": ", ".join(article.tags),
        "inLanguage": "fr-FR",
    }
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Accueil", "item": CANONICAL_ROOT + "/"},
            {
                "@type": "ListItem",
                "position": 2,
                "name": SECTIONS[article.section],
                "item": f"{CANONICAL_ROOT}/rubrique/{article.section}/",
            },
        ],
    }
    graph = json.dumps(
        {"@context": "https://schema.org", "@graph": [data, crumbs]}, ensure_ascii=False
    )
    return '<script type="application/ld+json">' + graph.replace("</", "<\\/") + "</script>"


def _comments(words: Words, article: Teaser, now: datetime) -> list[Reply]:
    rng = words.rng
    count = rng.choice([0, 0, 2, 5, 8, 12, 15, 20, 25, 35])
    replies: list[Reply] = []
    when = article.published
    for position in range(1, count + 1):
        parent = None
        if replies and rng.random() < 0.35:
            parent = rng.choice(replies[-6:]).id
        if position > count - 2 and rng.random() < 0.5:
            when = now - timedelta(hours=rng.uniform(1, 40))  # a thread still alive today
        else:
            when = when + timedelta(minutes=rng.randrange(3, 600))
        age = (now - when).total_seconds() / 3600
        replies.append(
            Reply(
                id=str(article.number * 1000 + position),
                parent=parent,
                author=words.pseudo(),
                date_text=_comment_date_text(when, age, rng),
                date_iso=_iso(when),
                text=words.comment(),
            )
        )
    return replies


def _flat_comments(replies: list[Reply], shown: bool) -> str:
    if not replies:
        return (
            '<section id="commentaires" class="comments"><h2>Commentaires</h2>'
            '<p class="no-comments">Aucun commentaire.</p>'
            '<form class="comment-form"><textarea name="message"></textarea><button>Publier</button></form></section>'
        )
    items = "".join(
        f'<div class="comment" id="comment-{r.id}" data-parent="{r.parent or ""}">'
        f'<div class="comment-header"><img class="avatar" src="/static/avatar.png" alt="">'
        f'<span class="comment-author">{_e(r.author)}</span> '
        f'<span class="comment-date">{_e(r.date_text)}</span></div>'
        f'<div class="comment-text"><p>{_e(r.text)}</p></div>'
        f'<div class="comment-actions"><a class="reply" href="#comment-{r.id}">Répondre</a> '
        f'<a class="report" href="#signaler">Signaler</a> <span class="likes">{len(r.text) % 17} ♥</span></div></div>'
        for r in replies
    )
    heading = f"{len(replies)} commentaires" if shown else "Réagissez"
    return (
        f'<section id="commentaires" class="comments"><h2 class="count">{heading}</h2>{items}'
        '<form class="comment-form"><label for="message">Votre commentaire</label>'
        '<textarea id="message" name="message"></textarea><button>Publier</button></form></section>'
    )


def _nested_comments(replies: list[Reply], with_datetime: bool) -> str:
    children: dict[str | None, list[Reply]] = {}
    for reply in replies:
        children.setdefault(reply.parent, []).append(reply)

    def thread(parent: str | None) -> str:
        out = []
        for r in children.get(parent, []):
            below = thread(r.id)
            stamp = f' datetime="{r.date_iso}"' if with_datetime else ""
            out.append(
                f'<li id="comment-{r.id}" class="comment even thread-even depth-1">'
                f'<article id="div-comment-{r.id}" class="comment-body"><footer class="comment-meta">'
                f'<div class="comment-author vcard"><img class="avatar" src="/static/avatar.png" alt="" '
                f'width="48" height="48"><b class="fn">{_e(r.author)}</b> <span class="says">dit :</span></div>'
                f'<div class="comment-metadata"><a href="#comment-{r.id}"><time{stamp}>{_e(r.date_text)}</time></a></div>'
                f'</footer><div class="comment-content"><p>{_e(r.text)}</p></div>'
                f'<div class="reply"><a class="comment-reply-link" href="#respond">Répondre</a></div></article>'
                + (f'<ol class="children">{below}</ol>' if below else "")
                + "</li>"
            )
        return "".join(out)

    if replies:
        heading = f"{len(replies)} réponses"
        listing = f'<ol class="comment-list">{thread(None)}</ol>'
    else:
        heading, listing = "Aucun commentaire", '<p class="no-comments">Aucun commentaire.</p>'
    return f"""<div id="comments" class="comments-area">
<h2 class="comments-title">{heading}</h2>{listing}
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Laisser un
commentaire</h3><form class="comment-form"><p class="comment-notes">Votre adresse e-mail ne sera pas
publiée.</p><label for="comment">Commentaire</label><textarea id="comment" name="comment"></textarea>
<input type="submit" value="Laisser un commentaire"></form></div></div>"""


def _body_blocks(site: Site, article: Teaser, words: Words) -> list[str]:
    """Paragraphs, subheads, a quote, a list, and an "à lire aussi" box in the text."""
    rng = words.rng
    blocks = []
    paragraphs = rng.randrange(8, 15)
    for index in range(paragraphs):
        if index and index % 4 == 0:
            blocks.append(f"<h2>{_e(words.fill(rng.choice(TITLE_SHAPES)))}</h2>")
        blocks.append(f"<p>{_e(words.paragraph(rng.randrange(3, 7)))}</p>")
        if index == 2:
            other = site.articles[rng.randrange(len(site.articles))]
            blocks.append(
                f'<div class="read-also"><span>À lire aussi</span> '
                f'<a href="{other.path}">{_e(other.title)}</a></div>'
            )
        if index == 5 and rng.random() < 0.5:
            blocks.append(
                f"<blockquote><p>« {_e(rng.choice(QUOTES))}. »</p>"
                f"<cite>{_e(words.person())}</cite></blockquote>"
            )
        if index == 6 and rng.random() < 0.3:
            items = "".join(f"<li>{_e(words.sentence())}</li>" for _ in range(rng.randrange(3, 6)))
            blocks.append(f"<ul>{items}</ul>")
    return blocks


def _figure(words: Words, src: str, template: str) -> str:
    rng = words.rng
    credit = rng.choice([f"Photo {words.person()}", f"© {rng.choice(PLATFORMS)}", "DR"])
    caption = f"{words.person()} dans « {words.work()} »"
    if template == "wordpress":
        return (
            f'<div class="wp-caption aligncenter"><img src="{src}" alt="{_e(caption)}" width="800" height="450">'
            f'<p class="wp-caption-text">{_e(caption)}. {_e(credit)}</p></div>'
        )
    if template == "modern":
        return (
            f'<figure class="article__figure"><img data-src="{src}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
            f'alt="{_e(caption)}" class="lazyload"><figcaption>{_e(caption)} <span class="credit">{_e(credit)}</span>'
            f"</figcaption></figure>"
        )
    return (
        f'<figure class="image"><img src="{src}" alt="{_e(caption)}" width="800" height="450">'
        f"<figcaption>{_e(caption)} ({_e(credit)})</figcaption></figure>"
    )


def _share_bar(path: str) -> str:
    url = CANONICAL_ROOT + path
    return (
        '<div class="share-bar"><span>Partager</span>'
        f'<a href="https://www.facebook.example/sharer.php?u={_e(url)}" class="share share--facebook">Facebook</a>'
        f'<a href="https://x.example/intent/tweet?url={_e(url)}" class="share share--x">X</a>'
        f'<a href="https://www.linkedin.example/shareArticle?url={_e(url)}" class="share share--linkedin">LinkedIn</a>'
        f'<a href="mailto:?subject=À lire&amp;body={_e(url)}" class="share share--mail">E-mail</a>'
        '<button class="share share--copy">Copier le lien</button></div>'
    )


def _related(site: Site, article: Teaser, rng: random.Random) -> str:
    others = [site.articles[rng.randrange(len(site.articles))] for _ in range(6)]
    items = "".join(_teaser_html(site, other) for other in others)
    return f'<aside class="related-articles"><h2>Sur le même sujet</h2><ul class="teasers">{items}</ul></aside>'


def _most_read(site: Site, rng: random.Random) -> str:
    picks = [site.articles[rng.randrange(len(site.articles))] for _ in range(8)]
    items = "".join(f'<li><a href="{a.path}">{_e(a.title)}</a></li>' for a in picks)
    return (
        f'<aside class="sidebar"><div class="widget most-read"><h3>Les plus lus</h3><ol>{items}</ol></div>'
        '<div class="ad-slot" id="ad-rectangle" data-format="300x250"></div>'
        '<div class="widget newsletter"><p>Ne manquez rien de l\'actualité culturelle.</p>'
        '<a href="/a-propos/">Découvrir nos offres</a></div></aside>'
    )


def render_article(site: Site, index: int, now: datetime) -> str:
    """One article page; `now` anchors comments printed as "il y a 3 heures"."""
    article = site.articles[index]
    rng = random.Random(f"{site.seed}:{article.number}")
    words = Words(rng)
    template = article.template
    published_text = _published_text(article.published, rng)
    updated_text = _updated_text(article.updated, rng) if article.updated else None
    byline = _byline(site, article, rng, published_text)
    with_json_ld = template == "wordpress" or rng.random() < 0.4
    with_opengraph = template != "modern" or rng.random() < 0.8
    canonical = CANONICAL_ROOT + article.path
    head = [
        f'<link rel="canonical" href="{canonical}">',
        f'<meta name="description" content="{_e(article.lead)}">',
    ]
    if with_opengraph:
        head += [
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{_e(article.title)}">',
            f'<meta property="og:description" content="{_e(article.lead)}">',
            f'<meta property="og:url" content="{canonical}">',
            f'<meta property="og:image" content="{CANONICAL_ROOT}{article.image}">',
            f'<meta property="og:site_name" content="{SITE_NAME}">',
            '<meta property="og:locale" content="fr_FR">',
            f'<meta property="article:section" content="{_e(SECTIONS[article.section])}">',
            *(f'<meta property="article:tag" content="{_e(t)}">' for t in article.tags),
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta name="twitter:title" content="{_e(article.title)}">',
        ]
    if with_json_ld:
        head.append(_json_ld(site, article, words))
    figures = [_figure(words, article.image, template)]
    blocks = _body_blocks(site, article, words)
    if rng.random() < 0.5:
        blocks.insert(
            len(blocks) // 2, _figure(words, article.image.replace(".jpg", "-2.jpg"), template)
        )
    replies = _comments(words, article, now)
    section_link = f'<a href="/rubrique/{article.section}/">{_e(SECTIONS[article.section])}</a>'
    breadcrumb = (
        f'<nav class="breadcrumb" aria-label="Fil d\'Ariane"><a href="/">Accueil</a> › {section_link} › '
        f"<span>{_e(article.title[:40])}…</span></nav>"
    )
    tags = " ".join(f'<a href="/tags/{slugify(t)}/" rel="tag">{_e(t)}</a>' for t in article.tags)
    position = index
    neighbours = "".join(
        f'<a class="{css}" href="{site.articles[i].path}">{label} : {_e(site.articles[i].title)}</a>'
        for css, label, i in (
            ("prev", "Article précédent", position - 1),
            ("next", "Article suivant", position + 1),
        )
        if 0 <= i < len(site.articles)
    )
    date_line = "" if "|" in byline else published_text
    if template == "classic":
        dates = (
            f'<time class="date" datetime="{_iso(article.published)}">{_e(date_line)}</time>'
            if date_line
            else ""
        )
        if updated_text:
            dates += f' <span class="updated">{_e(updated_text)}</span>'
        main = f"""{breadcrumb}
<div class="layout"><article class="article">
<header class="article-header">
  <p class="rubrique">{section_link}</p>
  <h1>{_e(article.title)}</h1>
  <div class="byline">{byline}</div>
  <div class="article-dates">{dates}</div>
</header>
<p class="chapo">{_e(article.lead)}</p>
{_share_bar(article.path)}
{figures[0]}
<div class="article-body">
{"".join(blocks)}
</div>
<div class="tags">Mots-clés : {tags}</div>
<div class="author-box"><p>{_e(site.authors[article.authors[0]].name)} est journaliste à la rédaction
de {SITE_NAME}, spécialiste des {_e(SECTIONS[article.section].lower())}.</p></div>
<nav class="post-nav">{neighbours}</nav>
</article>
{_most_read(site, rng)}</div>
{_related(site, article, rng)}
{_flat_comments(replies, shown=rng.random() < 0.7)}"""
    elif template == "wordpress":
        updated = f' <span class="updated">{_e(updated_text)}</span>' if updated_text else ""
        date_html = (
            f'<span class="posted-on"><time class="entry-date published">{_e(date_line)}</time></span>'
            if date_line
            else ""
        )
        main = f"""{breadcrumb}
<div id="primary" class="content-area"><article id="post-{article.number}" class="post type-post status-publish hentry">
<header class="entry-header">
  <span class="cat-links">{section_link}</span>
  <h1 class="entry-title">{_e(article.title)}</h1>
  <div class="entry-meta"><span class="byline">{byline}</span> {date_html}{updated}</div>
</header>
<div class="entry-content">
<p class="lead"><strong>{_e(article.lead)}</strong></p>
<div class="sharedaddy sd-sharing-enabled">{_share_bar(article.path)}</div>
{figures[0]}
{"".join(blocks)}
<div id="jp-relatedposts" class="jp-relatedposts"><h3>Articles similaires</h3>{_related(site, article, rng)}</div>
</div>
<footer class="entry-footer"><span class="tags-links">{tags}</span></footer>
<nav class="navigation post-navigation">{neighbours}</nav>
</article>
{_nested_comments(replies, with_datetime=rng.random() < 0.3)}
</div>
{_most_read(site, rng)}"""
    else:
        dates = f'<p class="date">{_e(date_line)}' if date_line else '<p class="date">'
        if updated_text:
            dates += f", {_e(updated_text[0].lower() + updated_text[1:])}"
        dates += "</p>"
        main = f"""{breadcrumb}
<div class="article-layout">
<article class="article article--{article.section}" data-article-id="{article.number}">
<div class="article__header">
  <span class="article__kicker">{section_link}</span>
  <h1 class="article__title">{_e(article.title)}</h1>
  <p class="article__standfirst standfirst">{_e(article.lead)}</p>
  <div class="article__meta"><span class="author">{byline}</span>{dates}</div>
</div>
{_share_bar(article.path)}
{figures[0]}
<div class="article__body article-content">
{"".join(blocks)}
</div>
<ul class="article__tags keywords">{"".join(f'<li><a href="/tags/{slugify(t)}/">{_e(t)}</a></li>' for t in article.tags)}</ul>
</article>
{_most_read(site, rng)}
</div>
{_related(site, article, rng)}
{_flat_comments(replies, shown=True).replace('class="comments"', 'class="comments comments--modern"')}"""
    return _page(
        site,
        rng,
        title=f"{article.title} - {SITE_NAME}",
        head="\n".join(head),
        body=main,
        page_type="article",
        current=article.section,
    )


# -- listings and other pages ---------------------------------------------------------------


def _listing_page(
    site: Site,
    rng: random.Random,
    title: str,
    base: str,
    entries: list[Teaser],
    page: int,
    pages: int,
    current: str | None,
) -> str:
    teasers = "".join(_teaser_html(site, a) for a in entries)
    links = []
    if page > 1:
        links.append(
            f'<a rel="prev" href="{base if page == 2 else f"{base}page/{page - 1}/"}">Page précédente</a>'
        )
    for number in range(max(1, page - 3), min(pages, page + 3) + 1):
        href = base if number == 1 else f"{base}page/{number}/"
        links.append(
            f'<a href="{href}">{number}</a>' if number != page else f"<span>{number}</span>"
        )
    if page < pages:
        links.append(f'<a rel="next" href="{base}page/{page + 1}/">Page suivante</a>')
    body = (
        f'<h1 class="listing-title">{_e(title)}</h1><ul class="teasers teasers--grid">{teasers}</ul>'
        f'<nav class="pagination">{" ".join(links)}</nav>{_most_read(site, rng)}'
    )
    head = (
        '<meta property="og:type" content="website">'
        f'<link rel="canonical" href="{CANONICAL_ROOT}{base}{"" if page == 1 else f"page/{page}/"}">'
    )
    if rng.random() < 0.5:
        data = {"@context": "https://schema.org", "@type": "CollectionPage", "name": title}
        head += (
            f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
        )
    return _page(
        site,
        rng,
        title=f"{title} - {SITE_NAME}",
        head=head,
        body=body,
        page_type="listing",
        current=current,
    )


def _write(root: Path, path: str, text: str) -> int:
    target = root / (path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    target.write_bytes(data)
    return len(data)


def _paginate(
    site: Site,
    rng: random.Random,
    title: str,
    base: str,
    entries: list[Teaser],
    current: str | None,
) -> int:
    pages = max(1, -(-len(entries) // PER_LISTING))
    written = 0
    for page in range(1, pages + 1):
        chunk = entries[(page - 1) * PER_LISTING : page * PER_LISTING]
        path = base if page == 1 else f"{base}page/{page}/"
        written += _write(
            site.root, path, _listing_page(site, rng, title, base, chunk, page, pages, current)
        )
    return written


@dataclass
class GeneratedSite:
    root: Path
    articles: int
    other_pages: int
    total_bytes: int
    article_bytes: int
    article_paths: list[str]


def generate_site(
    root: Path, articles: int = 2000, seed: int = 7, now: datetime | None = None
) -> GeneratedSite:
    """Write the whole site under `root`; same seed and `now`, same bytes."""
    root.mkdir(parents=True, exist_ok=True)
    now = now or datetime(2024, 6, 30, 12, 0)
    site = plan_site(root, articles, seed)
    rng = random.Random(f"{seed}:pages")
    article_bytes = 0
    for index in range(len(site.articles)):
        article_bytes += _write(root, site.articles[index].path, render_article(site, index, now))
    newest = sorted(site.articles, key=lambda a: a.published, reverse=True)
    other = 0
    total = article_bytes
    for slug, name in SECTIONS.items():
        entries = [a for a in newest if a.section == slug]
        total += _paginate(site, rng, name, f"/rubrique/{slug}/", entries, slug)
        other += max(1, -(-len(entries) // PER_LISTING))
    by_number = {a.number: a for a in site.articles}
    for tag, numbers in site.tags.items():
        entries = sorted((by_number[n] for n in numbers), key=lambda a: a.published, reverse=True)
        total += _write(
            root,
            f"/tags/{slugify(tag)}/",
            _listing_page(
                site, rng, tag, f"/tags/{slugify(tag)}/", entries[:PER_LISTING], 1, 1, None
            ),
        )
        other += 1
    for position, author in enumerate(site.authors):
        entries = [a for a in newest if position in a.authors][:PER_LISTING]
        total += _write(
            root,
            f"/auteurs/{author.slug}/",
            _listing_page(site, rng, author.name, f"/auteurs/{author.slug}/", entries, 1, 1, None),
        )
        other += 1
    for slug, name in STATIC_PAGES.items():
        if slug == "plan-du-site":
            links = "".join(
                f'<li><a href="/rubrique/{s}/">{_e(n)}</a></li>' for s, n in SECTIONS.items()
            )
            text = f"<h1>{_e(name)}</h1><ul>{links}</ul>"
        else:
            text = f"<h1>{_e(name)}</h1><p>{_e(Words(rng).paragraph(4))}</p>"
        total += _write(
            root,
            f"/{slug}/",
            _page(
                site,
                rng,
                title=name,
                head='<meta property="og:type" content="website">',
                body=text,
                page_type="static",
            ),
        )
        other += 1
    sections = "".join(
        f'<section class="home-block"><h2><a href="/rubrique/{s}/">{_e(n)}</a></h2><ul class="teasers">'
        + "".join(_teaser_html(site, a) for a in [x for x in newest if x.section == s][:6])
        + "</ul></section>"
        for s, n in SECTIONS.items()
    )
    latest = "".join(_teaser_html(site, a) for a in newest[:40])
    home = f'<h1 class="visually-hidden">{SITE_NAME}</h1><section class="latest"><h2>À la une</h2><ul class="teasers">{latest}</ul></section>{sections}'
    total += _write(
        root,
        "/",
        _page(
            site,
            rng,
            title=f"{SITE_NAME} : cinéma, séries, musique",
            head='<meta property="og:type" content="website">',
            body=home,
            page_type="home",
        ),
    )
    other += 1
    (root / "robots.txt").write_text(
        "User-agent: *\nDisallow: /recherche/\nDisallow: /newsletter/\n", "utf-8"
    )
    (root / "static").mkdir(exist_ok=True)
    return GeneratedSite(
        root=root,
        articles=len(site.articles),
        other_pages=other,
        total_bytes=total,
        article_bytes=article_bytes,
        article_paths=site.article_paths,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the benchmark's generated site.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    result = generate_site(args.out, args.articles, args.seed)
    print(
        f"{result.articles} articles ({result.article_bytes / result.articles / 1024:.1f} KB each), "
        f"{result.other_pages} other pages, {result.total_bytes / 1e6:.1f} MB in {result.root}"
    )


if __name__ == "__main__":
    main()
