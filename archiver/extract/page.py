"""One HTML page -> an Article of raw fields, or None when the page is not an article.

Each field is taken from the most reliable source present (JSON-LD, then OpenGraph and
<meta>, then microdata and <time>, then visible text); `field_sources` says which. Bylines are
chosen in archiver.extract.bylines, dates in archiver.extract.dates.
"""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

from archiver.extract.body import extract_body
from archiver.extract.bylines import metadata_authors, take_byline
from archiver.extract.candidates import own_text_nodes
from archiver.extract.comments import extract_comments
from archiver.extract.dates import (
    choose_dates,
    date_near_title,
    metadata_published,
    metadata_updated,
    restore_first_publication,
    take_printed_dates,
)
from archiver.extract.figures import extract_images
from archiver.extract.headline import (
    Headline,
    SiteName,
    contains,
    find_headline,
    in_scope_first,
    near_title_texts,
    shown_headline,
    title_forms,
)
from archiver.extract.metadata import (
    ARTICLE_TYPES,
    NON_ARTICLE_TYPES,
    json_ld_objects,
    meta_content,
    page_language,
    text_values,
    types_of,
)
from archiver.extract.nodes import (
    document_elements,
    drop_all,
    element_text,
    nodes_after,
    parse_html,
    text_of,
    top_elements,
)
from archiver.extract.sources import PageSources, first_found, selectors, short
from archiver.items import Article
from archiver.normalize.text import clean_text, dedupe

_LEAD_WINDOW = 40  # elements after the headline where a standfirst may stand
# Standfirsts by other names: "a-lead", "entry__subtitle", "article-teaser", "c-standfirst";
# a part of the class attribute, case and all, as XPath's contains(@class, ...) finds it.
_LEAD_TAGS = frozenset({"p", "div", "h2", "span", "section"})
_LEAD_CLASS_PARTS = (
    "lead", "intro", "teaser", "subtitle", "standfirst", "chapo", "summary", "excerpt", "deck",
    "abstract", "Lead", "Teaser",
)  # fmt: skip


def extract_article(
    html: str,
    url: str,
    *,
    fetched_at: str | None = None,
    force: bool = False,
    selector: Selector | None = None,
) -> Article | None:
    """Raw article fields from one page; None for pages that are not articles, unless `force`
    (for pages known to be articles, as in an evaluation corpus).

    A caller that has parsed `html` already passes its `selector` to spare a second parse;
    extraction removes nodes from it as it reads them: the comments, the images, the bylines,
    the dates and the standfirst leave the tree once read, for the body never to repeat them.
    So the steps run in this order, each reading while the tree still holds what it reads.
    """
    sel = selector if selector is not None else parse_html(html)
    objects = json_ld_objects(sel)
    if not force and not is_article_page(sel, objects):
        if not _may_be_unmarked_article(sel, objects):
            return None
        article = _read_fields(sel, objects, url, fetched_at, unmarked=True)
        return article if article is not None and _reads_as_article(article) else None
    return _read_fields(sel, objects, url, fetched_at)


def _read_fields(
    sel: Selector, objects: list[dict], url: str, fetched_at: str | None, unmarked: bool = False
) -> Article | None:
    """Every field of the page, in the order the tree allows (see extract_article). An
    `unmarked` page, kept only if it reads as an article, is given up (None) as soon as it
    has no title, or no date once the dates are read: its body is not read then, the most
    costly field."""
    page = PageSources.read(sel, objects)
    article = Article(url=url, fetched_at=fetched_at)
    _choose_address(article, page)
    headline = _choose_title(article, page)
    if unmarked and not article.title:
        return None
    _choose_labels(article, page)
    authors_in_metadata = metadata_authors(page, headline.scope)
    metadata_updated(article, page, headline.scope)
    leads = _choose_lead(article, page, headline)
    _take_comments_and_images(article, page)
    published_in_metadata = metadata_published(article, page, headline.scope)
    near = near_title_texts(headline)
    near_title_date = date_near_title(near)
    take_byline(article, page, headline.scope, authors_in_metadata, near.after)
    printed_dates = take_printed_dates(page, headline.scope)
    choose_dates(article, published_in_metadata, near_title_date, printed_dates)
    if unmarked and not article.published_raw:
        return None  # restore_first_publication never gives a date where there was none
    _take_body(article, page, leads, printed_dates.dated)
    restore_first_publication(article, published_in_metadata)
    return article


# Prose enough for an article: a listing's teasers rarely add up to this outside lists. A
# character of Chinese or Japanese says about what a word does.
_UNMARKED_ARTICLE_TEXT = 1500
_UNMARKED_ARTICLE_CJK = 500
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0e7f\u1000-\u109f]")


def _may_be_unmarked_article(sel: Selector, objects: list[dict]) -> bool:
    """A page whose markup does not say it is an article but that has a heading and prose
    enough to be one: worth reading in full to decide. Not one whose JSON-LD says it is a
    listing (a CollectionPage, a ProfilePage...), nor one that looks like a listing, its
    teasers' titles linked and next to no running text around them: their lines and dates gave
    it a title and a date, so that refusing it took a full reading, four times what the test
    costs."""
    if objects and set().union(*(types_of(obj) for obj in objects)) & NON_ARTICLE_TYPES:
        return False
    if not sel.xpath("//h1 | //h2") and not _MARKED_HEADLINE(sel.root):
        return False
    running, listed = _paragraph_text(sel.root)
    if running + listed < _UNMARKED_ARTICLE_CJK:
        return False
    return running >= _LISTING_MOST_TEXT or _linked_headings(sel.root) < _LISTING_HEADINGS


# A headline without an h1 or h2: an element microdata or hAtom marks so.
_MARKED_HEADLINE = etree.XPath(
    "boolean(//*[@itemprop = 'headline' or contains(concat(' ', normalize-space(@class), ' '),"
    " ' entry-title ')])"
)

# A listing: this many headings that are links (its teasers' titles) over less running text
# than this, two thirds of what an article without markup must print.
_LISTING_HEADINGS = 10
_LISTING_MOST_TEXT = 1000
_NAVIGATION = frozenset({"nav", "footer"})
_LISTED = frozenset({"li", "a"})
_AWAY = "a[@href != '' and not(starts-with(@href, '#'))]"  # a link to another page
_LINKED_HEADINGS = etree.XPath(
    f"count((//h2 | //h3 | //h4 | //h5 | //h6)[ancestor::{_AWAY} or 2 * string-length("
    f"normalize-space(.//{_AWAY})) >= string-length(normalize-space())][normalize-space()])"
)


def _paragraph_text(root: Any) -> tuple[int, int]:
    """Characters of the paragraphs outside navigation: those of running text, and those in
    list items or links, where a listing's teasers print their lines."""
    running = listed = 0
    for paragraph in document_elements(root, "p"):
        in_list, parent = False, paragraph.getparent()
        while parent is not None and parent.tag not in _NAVIGATION:
            in_list = in_list or parent.tag in _LISTED
            parent = parent.getparent()
        if parent is not None:
            continue
        if in_list:
            listed += len(element_text(paragraph))
        else:
            running += len(element_text(paragraph))
    return running, listed


def _linked_headings(root: Any) -> int:
    """Headings below the first level that are links to another page, or whose first such
    link holds half their text at least. One XPath query: half the instructions of a walk in
    Python."""
    return int(_LINKED_HEADINGS(root))


def _reads_as_article(article: Article) -> bool:
    """A long, dated body of several paragraphs under a headline is an article, whatever the
    markup says."""
    body = article.body or ""
    if not (article.title and article.published_raw) or body.count("\n\n") < 2:
        return False
    cjk = len(_CJK.findall(body[:2000])) > len(body[:2000]) / 3
    return len(body) >= (_UNMARKED_ARTICLE_CJK if cjk else _UNMARKED_ARTICLE_TEXT)


def _choose_address(article: Article, page: PageSources) -> None:
    canonical = _canonical_href(page.candidates.links) or page.metas.first("og:url")
    article.canonical_url = urljoin(article.url, canonical.strip()) if canonical else article.url
    article.site = urlsplit(article.canonical_url).hostname


def _choose_title(article: Article, page: PageSources) -> Headline:
    """The title, and the headline element that prints it: the byline, the date and the
    standfirst are looked for around it."""
    ld, metas, found = page.ld, page.metas, page.candidates
    page_title = _title_text(found.titles)
    site_name = SiteName(page.site_names(), article.site)

    def own(title: str | None) -> str:
        return site_name.without(title) if title else ""

    article.title = first_found(
        article.field_sources,
        "title",
        ("json-ld", own(clean_text(str(ld.get("headline") or "")))),
        ("opengraph", own(metas.first("og:title"))),
        ("twitter", own(metas.first("twitter:title"))),
        ("h1", own(_first_h1_text(found.headings, page.root))),
        ("title", own(page_title)),
    )
    full_titles = [
        # the first h1 tells nothing
        article.title if article.field_sources.get("title") != "h1" else None,
        metas.first("og:title"),
        metas.first("twitter:title"),
        page_title,
        clean_text(str(ld.get("headline") or "")),
    ]
    headline = find_headline(found.headings, title_forms(full_titles))
    shown = shown_headline(headline, [own(t) for t in full_titles if t])
    if shown and shown != article.title:
        article.title, article.field_sources["title"] = shown, "headline"
    return headline


def _choose_labels(article: Article, page: PageSources) -> None:
    """The language, the section and the tags."""
    ld, metas, sources = page.ld, page.metas, article.field_sources
    tag_texts = [text for link in page.candidates.tag_links for text in own_text_nodes(link)]
    article.language = first_found(
        sources,
        "language",
        ("html", page_language(page.sel)),
        ("json-ld", clean_text(str(ld.get("inLanguage") or ""))[:2].lower()),
    )
    article.section = first_found(
        sources,
        "section",
        ("json-ld", (text_values(ld.get("articleSection")) or [None])[0]),
        ("opengraph", metas.first("article:section")),
        ("meta", metas.first("section", "parsely-section", "sailthru.section")),
    )
    article.tags = (
        first_found(
            sources,
            "tags",
            ("opengraph", metas.all("article:tag")),
            ("json-ld", text_values(ld.get("keywords"))),
            ("meta", text_values(metas.first("keywords", "news_keywords", "parsely-tags"))),
            ("text", dedupe([clean_text(t) for t in tag_texts if clean_text(t)])),
        )
        or []
    )


def _choose_lead(article: Article, page: PageSources, headline: Headline) -> list[Selector]:
    """The standfirst: one printed as such, by its class or just after the headline, else the
    metadata's description. The printed ones are returned: they leave the tree with the body."""
    scope = headline.scope
    leads = [n for n in in_scope_first(selectors(page.candidates.leads), scope) if short(n, 1500)]
    leads = leads or _lead_near_title(headline.node, scope)
    article.lead = first_found(
        article.field_sources,
        "lead",
        ("text", text_of(leads[0]) if leads else None),
        ("json-ld", clean_text(str(page.ld.get("description") or ""))),
        ("opengraph", page.metas.first("og:description", "description")),
    )
    return leads


def _take_comments_and_images(article: Article, page: PageSources) -> None:
    found = extract_comments(page.sel, page.objects, page.candidates.comments)
    article.comments, article.comment_count_shown = found.comments, found.shown
    if found.source:
        article.field_sources["comments"] = found.source
    if found.source and found.source.startswith("external:"):
        article.comments_status = found.source  # loaded by a widget, not in the page
    article.images = extract_images(page.sel, article.url)


def _take_body(article: Article, page: PageSources, leads: list[Selector], dated: set[Any]) -> None:
    """The main text, read last from what the other fields left in the tree; the standfirst
    it opens with is the lead, which the page then shows."""
    lead = article.lead
    if leads:
        drop_all([n for n in leads if text_of(n) == lead] or leads[:1])
    blocks = extract_body(page.sel, article.title, article.parse_warnings, dated)
    in_data = _body_in_data(page) if sum(len(b) for b in blocks) < _SHORT_BODY else []
    if sum(len(b) for b in in_data) > sum(len(b) for b in blocks):
        blocks = in_data  # the page prints its text with JavaScript, from its data
        article.field_sources["body"] = "json-ld"
    if blocks and lead and clean_text(blocks[0]) == lead:
        blocks = blocks[1:]
        article.field_sources["lead"] = "text"  # shown too, as the body's first paragraph
    article.body = "\n\n".join(blocks) or None


# Under this many characters, the body the HTML gives is a shell a script fills in.
_SHORT_BODY = 200
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<(?:br|/p|/div|/h[1-6]|/li)\b[^>]*>", re.IGNORECASE)


_BODY_KEYS = frozenset({"articleBody", "body"})


def _body_in_data(page: PageSources) -> list[str]:
    """The paragraphs of the JSON-LD articleBody, else of the longest "articleBody" or "body"
    string in Next.js's __NEXT_DATA__, for pages whose HTML holds no text of its own; tags
    some sites leave in it become paragraph breaks, then go."""
    text = page.ld.get("articleBody")
    if not isinstance(text, str) or not text.strip():
        text = _next_data_body(page.sel)
    if not text:
        return []
    text = _TAG.sub("", _BREAK.sub("\n", unescape(text)))
    return [p for p in (clean_text(line) for line in text.split("\n")) if p]


def _next_data_body(sel: Selector) -> str | None:
    script = sel.xpath("//script[@id='__NEXT_DATA__']/text()").get()
    try:
        data = json.loads(script) if script else None
    except ValueError:
        return None
    found: list[str] = []
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key in _BODY_KEYS and isinstance(item, str):
                    found.append(item)
                else:
                    stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
    return max(found, key=len) if found else None


def is_article_page(sel: Selector, objects: list[dict]) -> bool:
    """Article pages say so (og:type, JSON-LD); listing, tag and author pages don't."""
    kinds = set().union(*(types_of(obj) for obj in objects)) if objects else set()
    if kinds & ARTICLE_TYPES:
        return True  # without scanning the page for microdata
    og_type = (meta_content(sel, "og:type") or "").lower()
    if og_type == "article":
        return True  # microdata could only say so too; its query took 0.1 ms a page
    microdata = {t.rsplit("/", 1)[-1] for t in sel.xpath("//*[@itemscope]/@itemtype").getall()}
    if microdata & ARTICLE_TYPES:
        return True
    if og_type:
        return False
    if kinds & NON_ARTICLE_TYPES:
        return False
    article = sel.xpath("//article[.//h1]")
    return bool(article) and sum(len(text_of(p)) for p in article[0].xpath(".//p")) >= 400


def _first_h1_text(headings: list[Any], root: Any) -> str | None:
    """The text of the first h1 under the root element that has any (a broken page's second
    document beside the root is not looked in, as a query from the root would not)."""
    beside = len(top_elements(root)) > 1
    for heading in headings:
        if heading.tag != "h1":
            continue
        if beside and heading is not root and not any(a is root for a in heading.iterancestors()):
            continue
        text = element_text(heading)
        if text:
            return text
    return None


def _canonical_href(links: list[Any]) -> str | None:
    """The href of the first <link rel="canonical"> that has one."""
    for link in links:
        if link.get("rel") == "canonical" and link.get("href") is not None:
            return str(link.get("href"))
    return None


def _title_text(titles: list[Any]) -> str:
    """The first text of a <title>, cleaned (as `//title/text()` gives it)."""
    for title in titles:
        texts = own_text_nodes(title)
        if texts:
            return clean_text(texts[0])
    return ""


def _lead_like(element: Any) -> bool:
    if element.tag not in _LEAD_TAGS:
        return False
    classes = element.get("class")
    return classes is not None and any(part in classes for part in _LEAD_CLASS_PARTS)


def _lead_near_title(heading: Selector | None, scope: Selector | None) -> list[Selector]:
    """A standfirst printed with the headline: just after it, inside the article or the same
    header, worded as sentences rather than links (a teaser box or a list of "top stories" is
    neither)."""
    if heading is None:
        return []
    near = heading.xpath("ancestor::*[position() <= 3]")
    # only the nodes just after the headline are looked at: an XPath query for standfirst
    # classes over the whole page, and the page's order listed to find them, took 0.7 ms a
    # page on the corpus, a tenth of its reading
    for element in nodes_after(heading.root, _LEAD_WINDOW):
        if not _lead_like(element):
            continue
        node = Selector(root=element, type="html")
        text = text_of(node)
        if not 40 <= len(text) <= 1000 or len(node.xpath(".//p")) > 2 or node.xpath(".//h1"):
            continue
        links = sum(len(text_of(a)) for a in node.xpath(".//a"))
        if links > 0.2 * len(text) or not re.search(r"[.!?…:]", text):
            continue
        if node.xpath("ancestor::*[self::nav or self::aside or self::footer or self::li]"):
            continue
        if (scope is not None and contains(scope, node)) or any(contains(n, node) for n in near):
            return [node]
    return []


def main_text(article: Article) -> str:
    """What a reader reads as the article: the lead when the page shows it, then the body."""
    parts = [article.lead] if article.lead and article.field_sources.get("lead") == "text" else []
    return "\n\n".join(p for p in [*parts, article.body] if p)
