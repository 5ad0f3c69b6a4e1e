"""Renders the demo site's pages from its content file, the way different real CMSs would.

Articles come in two markups: a hand-made "classic" one (in the manner of the seed article:
byline repeated in a sticky bar, flat comment list) and a WordPress-like one (nested comment
replies). Listing, tag and author pages, sitemap.xml, rss.xml and robots.txt complete the site.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from html import escape
from importlib import resources
from typing import Any

SITE_NAME = "L'Écho des Écrans"
CANONICAL_ROOT = "https://www.echo-des-ecrans.test"
PER_PAGE = 10
SECTIONS = {
    "cinema": "Cinéma",
    "series": "Séries",
    "musique": "Musique",
    "jeux-video": "Jeux vidéo",
}

# What the demo's article pages run in a browser: it changes the page's title, so that a test
# can tell whether an archived copy ran it.
TITLE_SCRIPT = 'document.title = "Script exécuté";'


@dataclass
class Page:
    status: int
    content_type: str
    body: bytes


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


class DemoSite:
    def __init__(self, articles: list[dict[str, Any]]) -> None:
        self.articles = articles
        self.by_slug = {a["slug"]: a for a in articles}

    @classmethod
    def bundled(cls) -> DemoSite:
        text = resources.files("archiver.demo").joinpath("content/articles.json").read_text("utf-8")
        return cls(json.loads(text))

    # -- routing ------------------------------------------------------------------------------

    def render(self, path: str, base_url: str = CANONICAL_ROOT) -> Page:
        """The page at `path`; feeds and sitemaps point at `base_url`, the server's own address."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path in ("/", "/index.html"):
            return self._html(self.listing(1))
        if match := re.fullmatch(r"/page/(\d+)/", path):
            number = int(match.group(1))
            if 1 <= number <= self.page_count:
                return self._html(self.listing(number))
        if match := re.fullmatch(r"/articles/([a-z0-9-]+)\.html", path):
            article = self.by_slug.get(match.group(1))
            if article:
                encoding = article.get("encoding") or "utf-8"
                return self._html(self.article_page(article), encoding)
        if match := re.fullmatch(r"/tag/([a-z0-9-]+)/", path):
            slug = match.group(1)
            tagged = [
                a for a in self.articles if slug == a["section"] or slug in self._tag_slugs(a)
            ]
            if tagged:
                return self._html(self.tag_page(slug, tagged))
        if match := re.fullmatch(r"/auteur/([a-z0-9-]+)/", path):
            written = [a for a in self.articles if match.group(1) in self._author_slugs(a)]
            if written:
                return self._html(self.author_page(match.group(1), written))
        if path == "/a-propos.html":
            return self._html(self.about_page())
        if path == "/robots.txt":
            return Page(200, "text/plain; charset=utf-8", self.robots_txt(base_url).encode())
        if path == "/sitemap.xml":
            return Page(200, "application/xml", self.sitemap_xml(base_url).encode())
        if path == "/rss.xml":
            return Page(200, "application/rss+xml", self.rss_xml(base_url).encode())
        return Page(
            404,
            "text/html; charset=utf-8",
            self._layout("Page introuvable", "<h1>Page introuvable</h1>").encode(),
        )

    @staticmethod
    def _html(text: str, encoding: str = "utf-8") -> Page:
        return Page(
            200,
            f"text/html; charset={encoding.upper()}",
            text.encode(encoding, "xmlcharrefreplace"),
        )

    @cached_property
    def page_count(self) -> int:
        return max(1, -(-len(self.articles) // PER_PAGE))

    @staticmethod
    def article_path(article: dict[str, Any]) -> str:
        return f"/articles/{article['slug']}.html"

    @staticmethod
    def _tag_slugs(article: dict[str, Any]) -> list[str]:
        return [slugify(t) for t in article["tags"]]

    @staticmethod
    def _author_slugs(article: dict[str, Any]) -> list[str]:
        return [slugify(a) for a in article["expected"]["authors"]]

    # -- shared chrome ------------------------------------------------------------------------

    def _layout(
        self,
        title: str | None,
        main: str,
        *,
        head: str = "",
        charset: str = "utf-8",
        extra: str = "",
    ) -> str:
        nav = " ".join(f'<a href="/tag/{slug}/">{_e(name)}</a>' for slug, name in SECTIONS.items())
        title_tag = f"<title>{_e(title)} - {_e(SITE_NAME)}</title>" if title else ""
        return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="{charset}">
{title_tag}
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="application/rss+xml" title="{_e(SITE_NAME)}" href="/rss.xml">
{head}
</head>
<body>
<header class="site-header">
  <a class="logo" href="/"><img src="/images/logo.png" alt="{_e(SITE_NAME)}"></a>
  <nav class="main-nav"><a href="/">Accueil</a> {nav} <a href="/a-propos.html">À propos</a></nav>
</header>
{extra}
<main>
{main}
</main>
<footer class="site-footer">
  <p>{_e(SITE_NAME)} - site de démonstration. <a href="/rss.xml">RSS</a> <a href="/sitemap.xml">Plan du site</a>
  <a href="/admin/">Administration</a></p>
  <div class="newsletter-box"><p>Recevez chaque vendredi le meilleur de la pop culture.</p></div>
</footer>
</body>
</html>
"""

    def _teaser(self, article: dict[str, Any]) -> str:
        title = article["title"] or "Brève"
        authors = ", ".join(
            f'<a href="/auteur/{slugify(name)}/">{_e(name)}</a>'
            for name in article["expected"]["authors"]
        )
        return (
            f'<li class="teaser"><h2><a href="{self.article_path(article)}">{_e(title)}</a></h2>'
            f'<p class="teaser-meta">{authors} - {_e(article["date_text"])}</p>'
            f"<p>{_e(article['lead'])}</p></li>"
        )

    def _listing_head(self, kind: str) -> str:
        return (
            '<meta property="og:type" content="website">'
            f'<script type="application/ld+json">{json.dumps({"@context": "https://schema.org", "@type": kind})}</script>'
        )

    def listing(self, number: int) -> str:
        chunk = self.articles[(number - 1) * PER_PAGE : number * PER_PAGE]
        links = []
        if number > 1:
            previous = "/" if number == 2 else f"/page/{number - 1}/"
            links.append(f'<a rel="prev" href="{previous}">Page précédente</a>')
        if number < self.page_count:
            links.append(f'<a rel="next" href="/page/{number + 1}/">Page suivante</a>')
        main = (
            f"<h1>Les dernières actualités - page {number}</h1>"
            f'<ul class="teasers">{"".join(self._teaser(a) for a in chunk)}</ul>'
            f'<nav class="pagination">{" ".join(links)}</nav>'
        )
        return self._layout(
            f"Actualités, page {number}", main, head=self._listing_head("CollectionPage")
        )

    def tag_page(self, slug: str, tagged: list[dict[str, Any]]) -> str:
        name = SECTIONS.get(slug) or next(
            t for a in tagged for t in a["tags"] if slugify(t) == slug
        )
        main = f'<h1>{_e(name)}</h1><ul class="teasers">{"".join(self._teaser(a) for a in tagged)}</ul>'
        return self._layout(name, main, head=self._listing_head("CollectionPage"))

    def author_page(self, slug: str, written: list[dict[str, Any]]) -> str:
        name = next(n for a in written for n in a["expected"]["authors"] if slugify(n) == slug)
        main = (
            f'<h1>{_e(name)}</h1><p class="bio">Journaliste à la rédaction de {_e(SITE_NAME)}.</p>'
            f'<ul class="teasers">{"".join(self._teaser(a) for a in written)}</ul>'
        )
        head = '<meta property="og:type" content="profile">'
        return self._layout(name, main, head=head)

    def about_page(self) -> str:
        main = (
            "<h1>À propos</h1><p>Ce site imaginaire sert à essayer l'archiveur : ses articles, "
            "ses commentaires et ses signatures ont été écrits pour l'occasion.</p>"
        )
        return self._layout("À propos", main, head='<meta property="og:type" content="website">')

    # -- article pages ------------------------------------------------------------------------

    def article_page(self, article: dict[str, Any]) -> str:
        index = self.articles.index(article)
        wordpress = index % 2 == 1 and article["slug"] != self.articles[0]["slug"]
        charset = article.get("encoding") or "utf-8"
        canonical = CANONICAL_ROOT + self.article_path(article)
        head = [
            f'<link rel="canonical" href="{canonical}">',
            '<meta property="og:type" content="article">',
        ]
        head.append(f'<meta property="og:site_name" content="{_e(SITE_NAME)}">')
        if article["title"]:
            head.append(f'<meta property="og:title" content="{_e(article["title"])}">')
        head.append(f'<meta name="description" content="{_e(article["lead"])}">')
        head.append(
            f'<meta property="article:section" content="{_e(SECTIONS[article["section"]])}">'
        )
        head.extend(f'<meta property="article:tag" content="{_e(tag)}">' for tag in article["tags"])
        # A script, as every real page has: an archived copy must never run it (archiver serve)
        head.append(f"<script>{TITLE_SCRIPT}</script>")
        if article["jsonld"]:
            head.append(self._json_ld(article, canonical))
        related = [
            a for a in self.articles if a is not article and a["section"] == article["section"]
        ][:3]
        body = (self._wordpress_article if wordpress else self._classic_article)(article, related)
        sticky = ""
        if not wordpress:
            sticky = (
                f'<div class="sticky-bar"><span class="sticky-title">{_e(article["title"] or "")}</span>'
                f' <span class="byline">{_e(article["byline"])}</span></div>'
            )
        return self._layout(
            article["title"], body, head="\n".join(head), charset=charset, extra=sticky
        )

    def _json_ld(self, article: dict[str, Any], canonical: str) -> str:
        authors = article["expected"]["authors"]
        kind = "Organization" if authors == ["La rédaction"] else "Person"
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": canonical,
            "headline": article["title"],
            "description": article["lead"],
            "datePublished": article["published_iso"],
            "author": [{"@type": kind, "name": name} for name in authors],
            "publisher": {"@type": "Organization", "name": SITE_NAME},
            "articleSection": SECTIONS[article["section"]],
            "keywords": ", ".join(article["tags"]),
            "inLanguage": "fr-FR",
        }
        if not article["title"]:
            del data["headline"]
        return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'

    def _paragraphs(self, article: dict[str, Any], figure: Any) -> str:
        """Paragraphs with the figures spread between them."""
        parts = []
        figures = list(article["figures"])
        step = max(1, len(article["paragraphs"]) // (len(figures) + 1)) if figures else 0
        for number, paragraph in enumerate(article["paragraphs"], start=1):
            if paragraph.startswith("## "):
                parts.append(f"<h2>{_e(paragraph[3:])}</h2>")
            else:
                parts.append(f"<p>{_e(paragraph)}</p>")
            if figures and number % step == 0:
                parts.append(figure(figures.pop(0)))
        parts.extend(figure(f) for f in figures)
        return "\n".join(parts)

    def _dates(self, article: dict[str, Any], css: str) -> str:
        if "|" in article["byline"]:
            return ""  # the byline carries the date, as on the seed page
        html = f'<time class="{css}">{_e(article["date_text"])}</time>'
        if article["updated_text"]:
            html += f' <span class="updated">{_e(article["updated_text"])}</span>'
        return html

    def _tags(self, article: dict[str, Any]) -> str:
        links = " ".join(
            f'<a rel="tag" href="/tag/{slugify(t)}/">{_e(t)}</a>' for t in article["tags"]
        )
        return f'<div class="tags">Mots-clés : {links}</div>'

    def _related(self, related: list[dict[str, Any]]) -> str:
        items = "".join(
            f'<li><a href="{self.article_path(a)}">{_e(a["title"] or "Brève")}</a></li>'
            for a in related
        )
        return f'<aside class="related"><h3>À lire aussi</h3><ul>{items}</ul></aside>'

    def _classic_article(self, article: dict[str, Any], related: list[dict[str, Any]]) -> str:
        def figure(f: dict[str, Any]) -> str:
            return (
                f'<figure class="image"><img src="/{_e(f["src"])}" alt="{_e(f["alt"])}">'
                f"<figcaption>{_e(f['caption'])}</figcaption></figure>"
            )

        title = f"<h1>{_e(article['title'])}</h1>" if article["title"] else ""
        return f"""<article class="post">
<header class="article-header">
  <p class="rubrique"><a href="/tag/{article["section"]}/">{_e(SECTIONS[article["section"]])}</a></p>
  {title}
  <div class="byline">{_e(article["byline"])}</div>
  {self._dates(article, "date")}
</header>
<p class="chapo">{_e(article["lead"])}</p>
<div class="share-bar"><a href="#">Partager sur Facebook</a> <a href="#">Partager sur X</a></div>
<div class="article-content">
{self._paragraphs(article, figure)}
</div>
{self._tags(article)}
{self._related(related)}
{self._classic_comments(article)}
</article>"""

    def _classic_comments(self, article: dict[str, Any]) -> str:
        if not article["comments"]:
            notice = article["no_comments_text"] or "Aucun commentaire."
            items = f"<p>{_e(notice)}</p>"
        else:
            items = "".join(
                f'<div class="comment" id="comment-{_e(c["id"])}" data-parent="{_e(c["parent"] or "")}">'
                f'<span class="comment-author">{_e(c["author"])}</span> '
                f'<span class="comment-date">{_e(c["date_text"])}</span>'
                f'<div class="comment-text"><p>{_e(c["text"])}</p></div>'
                f'<a class="reply" href="#">Répondre</a></div>'
                for c in article["comments"]
            )
        return f"""<section id="comments" class="comments">
<h2>commentaires</h2>
{items}
<form class="comment-form"><label for="message">votre commentaire</label><textarea id="message"></textarea>
<button type="submit">Envoyer</button></form>
</section>"""

    def _wordpress_article(self, article: dict[str, Any], related: list[dict[str, Any]]) -> str:
        def figure(f: dict[str, Any]) -> str:
            return (
                f'<div class="wp-caption"><img src="/{_e(f["src"])}" alt="{_e(f["alt"])}">'
                f'<p class="wp-caption-text">{_e(f["caption"])}</p></div>'
            )

        title = f'<h1 class="entry-title">{_e(article["title"])}</h1>' if article["title"] else ""
        return f"""<article class="post type-post hentry">
<header class="entry-header">
  {title}
  <div class="entry-meta"><span class="byline">{_e(article["byline"])}</span>
  {self._dates(article, "entry-date")}</div>
</header>
<div class="entry-content">
<p class="lead"><strong>{_e(article["lead"])}</strong></p>
<div class="share-buttons"><a href="#">Facebook</a> <a href="#">X</a> <a href="#">E-mail</a></div>
{self._paragraphs(article, figure)}
</div>
<footer class="entry-footer">{self._tags(article)}</footer>
{self._related(related)}
{self._wordpress_comments(article)}
</article>"""

    def _wordpress_comments(self, article: dict[str, Any]) -> str:
        comments = article["comments"]

        def thread(parent: str | None) -> str:
            items = []
            for c in (c for c in comments if c["parent"] == parent):
                replies = thread(c["id"])
                items.append(
                    f'<li id="comment-{_e(c["id"])}" class="comment">'
                    f'<article class="comment-body"><footer class="comment-meta">'
                    f'<div class="comment-author vcard"><b class="fn">{_e(c["author"])}</b> '
                    f'<span class="says">dit :</span></div>'
                    f'<div class="comment-metadata"><a href="#comment-{_e(c["id"])}"><time>{_e(c["date_text"])}</time></a></div>'
                    f'</footer><div class="comment-content"><p>{_e(c["text"])}</p></div>'
                    f'<div class="reply"><a class="comment-reply-link" href="#">Répondre</a></div></article>'
                    + (f'<ol class="children">{replies}</ol>' if replies else "")
                    + "</li>"
                )
            return "".join(items)

        if comments:
            count = len(comments)
            heading = f"{count} commentaire{'s' if count > 1 else ''}"
            listing = f'<ol class="comment-list">{thread(None)}</ol>'
        else:
            heading = "commentaires"
            listing = f'<p class="no-comments">{_e(article["no_comments_text"] or "Aucun commentaire.")}</p>'
        return f"""<div id="comments" class="comments-area">
<h2 class="comments-title">{heading}</h2>
{listing}
<div id="respond"><h3>Laisser un commentaire</h3>
<form class="comment-form"><label for="comment">Votre commentaire</label><textarea id="comment"></textarea>
<button type="submit">Publier</button></form></div>
</div>"""

    # -- feeds --------------------------------------------------------------------------------

    def robots_txt(self, base_url: str) -> str:
        return f"User-agent: *\nDisallow: /admin/\n\nSitemap: {base_url}/sitemap.xml\n"

    def sitemap_xml(self, base_url: str) -> str:
        urls = "".join(
            f"<url><loc>{base_url}{self.article_path(a)}</loc>"
            + (f"<lastmod>{a['published_iso'][:10]}</lastmod>" if a["published_iso"] else "")
            + "</url>"
            for a in self.articles
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
        )

    def rss_xml(self, base_url: str) -> str:
        items = "".join(
            f"<item><title>{_e(a['title'] or 'Brève')}</title>"
            f"<link>{base_url}{self.article_path(a)}</link>"
            f"<description>{_e(a['lead'])}</description></item>"
            for a in self.articles[:20]
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{_e(SITE_NAME)}</title><link>{base_url}/</link>"
            f"<description>Actualité du cinéma, des séries, de la musique et du jeu vidéo</description>"
            f"{items}</channel></rss>\n"
        )
