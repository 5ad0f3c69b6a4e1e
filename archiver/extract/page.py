"""One HTML page -> an Article of raw fields, or None when the page is not an article.

Each field is taken from the most reliable source present (JSON-LD, then OpenGraph and
<meta>, then microdata and <time>, then visible text); `field_sources` says which.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from parsel import Selector

from archiver.extract.body import extract_body
from archiver.extract.comments import extract_comments
from archiver.extract.figures import extract_images
from archiver.extract.metadata import (
    ARTICLE_TYPES,
    NON_ARTICLE_TYPES,
    article_json_ld,
    json_ld_objects,
    meta_content,
    meta_contents,
    names,
    page_language,
    text_values,
    types_of,
)
from archiver.extract.nodes import drop_all, first_text, has_class, text_of
from archiver.items import Article
from archiver.normalize.dates import has_update_label
from archiver.normalize.text import clean_text, dedupe

_BYLINE = (
    has_class("byline", "author", "auteur", "signature", "article-author", "post-author", "by")
    + " or @rel='author' or @itemprop='author'"
)
_DATE = (
    "self::time or "
    + has_class(
        "date", "published", "post-date", "article-date", "entry-date", "updated", "maj",
        "date-publication", "publication-date", "timestamp", "dateline",
    )
)  # fmt: skip
_LEAD = (
    ".lead, .chapo, .chapeau, .article-lead, .standfirst, .intro, .excerpt, [itemprop=description]"
)
_TAGS = "a[rel~=tag]::text, .tags a::text, .article-tags a::text, .keywords a::text"


def _outermost(sel: Selector, predicate: str) -> list[Selector]:
    return list(sel.xpath(f"//*[{predicate}][not(ancestor::*[{predicate}])]"))


def is_article_page(sel: Selector, objects: list[dict]) -> bool:
    """Article pages say so (og:type, JSON-LD); listing, tag and author pages don't."""
    kinds = set().union(*(types_of(obj) for obj in objects)) if objects else set()
    if kinds & ARTICLE_TYPES:
        return True
    og_type = (meta_content(sel, "og:type") or "").lower()
    if og_type:
        return og_type == "article"
    if kinds & NON_ARTICLE_TYPES:
        return False
    article = sel.xpath("//article[.//h1]")
    return bool(article) and sum(len(text_of(p)) for p in article[0].xpath(".//p")) >= 400


def extract_article(
    html: str, url: str, *, fetched_at: str | None = None, force: bool = False
) -> Article | None:
    """Raw article fields from one page; None for pages that are not articles, unless `force`
    (for pages known to be articles, as in an evaluation corpus)."""
    sel = Selector(text=html or "<html></html>")
    objects = json_ld_objects(sel)
    if not force and not is_article_page(sel, objects):
        return None
    ld = article_json_ld(objects)
    article = Article(url=url, fetched_at=fetched_at)
    sources = article.field_sources

    def pick(field: str, *candidates: tuple[str, object]) -> object:
        for source, value in candidates:
            if value:
                sources[field] = source
                return value
        return None

    canonical = sel.xpath("//link[@rel='canonical']/@href").get() or meta_content(sel, "og:url")
    article.canonical_url = urljoin(url, canonical.strip()) if canonical else url
    article.site = urlsplit(article.canonical_url).hostname
    article.title = pick(
        "title",
        ("json-ld", clean_text(str(ld.get("headline") or ""))),
        ("opengraph", meta_content(sel, "og:title")),
        ("h1", first_text(sel, "h1")),
        ("title", clean_text(sel.xpath("//title/text()").get())),
    )
    article.language = pick(
        "language",
        ("html", page_language(sel)),
        ("json-ld", clean_text(str(ld.get("inLanguage") or ""))[:2].lower()),
    )
    article.section = pick(
        "section",
        ("json-ld", (text_values(ld.get("articleSection")) or [None])[0]),
        ("opengraph", meta_content(sel, "article:section")),
        ("meta", meta_content(sel, "section", "parsely-section")),
    )
    article.tags = (
        pick(
            "tags",
            ("opengraph", meta_contents(sel, "article:tag")),
            ("json-ld", text_values(ld.get("keywords"))),
            ("meta", text_values(meta_content(sel, "keywords", "news_keywords"))),
            ("text", dedupe([clean_text(t) for t in sel.css(_TAGS).getall() if clean_text(t)])),
        )
        or []
    )
    article.authors = (
        pick(
            "authors",
            ("json-ld", names(ld.get("author"))),
            (
                "meta",
                [a for a in [meta_content(sel, "author", "article:author", "dc.creator")] if a],
            ),
        )
        or []
    )
    machine_published = pick(
        "published_at",
        ("json-ld", clean_text(str(ld.get("datePublished") or ""))),
        ("opengraph", meta_content(sel, "article:published_time")),
        (
            "meta",
            meta_content(sel, "date", "dc.date", "pubdate", "sailthru.date", "parsely-pub-date"),
        ),
        ("microdata", sel.xpath("//*[@itemprop='datePublished']/@datetime").get()),
    )
    machine_updated = pick(
        "updated_at",
        ("json-ld", clean_text(str(ld.get("dateModified") or ""))),
        ("opengraph", meta_content(sel, "article:modified_time")),
        ("microdata", sel.xpath("//*[@itemprop='dateModified']/@datetime").get()),
    )
    lead = pick(
        "lead",
        ("text", first_text(sel, _LEAD)),
        ("json-ld", clean_text(str(ld.get("description") or ""))),
        ("opengraph", meta_content(sel, "og:description", "description")),
    )

    # Visible parts, each taken out of the tree once read so the body never repeats them.
    article.comments, article.comment_count_shown = extract_comments(sel)
    article.images = extract_images(sel, url)
    bylines = _outermost(sel, _BYLINE)
    article.byline_raw = "\n".join(dedupe([text_of(b) for b in bylines if text_of(b)])) or None
    drop_all(bylines)
    published_texts, updated_texts = [], []
    dates = _outermost(sel, _DATE)
    for node in dates:
        text = text_of(node)
        if text:
            (updated_texts if has_update_label(text) else published_texts).append(text)
    time_attr = sel.xpath("//time/@datetime").get()
    drop_all(dates)
    article.published_raw = machine_published or pick(
        "published_at",
        ("time", clean_text(time_attr)),
        ("text", published_texts[0] if published_texts else None),
    )
    article.updated_raw = machine_updated or pick(
        "updated_at", ("text", updated_texts[0] if updated_texts else None)
    )
    article.lead = lead
    drop_all(sel.css(_LEAD))
    blocks = extract_body(sel, article.title)
    if blocks and lead and clean_text(blocks[0]) == lead:
        blocks = blocks[1:]
        sources["lead"] = "text"  # the page shows it too, as the body's first paragraph
    article.body = "\n\n".join(blocks) or None
    return article


def main_text(article: Article) -> str:
    """What a reader reads as the article: the lead when the page shows it, then the body."""
    parts = [article.lead] if article.lead and article.field_sources.get("lead") == "text" else []
    return "\n\n".join(p for p in [*parts, article.body] if p)
