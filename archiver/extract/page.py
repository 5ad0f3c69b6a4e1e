"""One HTML page -> an Article of raw fields, or None when the page is not an article.

Each field is taken from the most reliable source present (JSON-LD, then OpenGraph and
<meta>, then microdata and <time>, then visible text); `field_sources` says which.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain, islice
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from parsel import Selector

from archiver.extract.body import extract_body
from archiver.extract.candidates import Candidates, attached, find_candidates, own_text_nodes
from archiver.extract.comments import extract_comments
from archiver.extract.figures import extract_images
from archiver.extract.metadata import (
    ARTICLE_TYPES,
    NON_ARTICLE_TYPES,
    MetaTags,
    article_json_ld,
    date_in_url,
    json_ld_index,
    json_ld_objects,
    meta_content,
    other_json_ld_date,
    page_json_ld,
    page_language,
    person_names,
    resolve,
    text_values,
    types_of,
)
from archiver.extract.nodes import (
    TextNode,
    descendant_texts,
    document_elements,
    drop_all,
    element_text,
    following_texts,
    has_class,
    nodes_after,
    parse_html,
    text_of,
    top_elements,
)
from archiver.items import Article
from archiver.normalize.bylines import parse_byline
from archiver.normalize.dates import (
    MONTHS,
    fetch_time,
    find_date_spans,
    find_full_date,
    has_update_label,
    parse_fast,
    reader_day_differs,
    stated_instant,
    updated_before,
)
from archiver.normalize.text import clean_text, dedupe, fold

# Dates that scripts carry for analytics: '"published_at":"2019-03-02T06:22:28+01:00"'.
_SCRIPT_DATE = re.compile(
    r"[\"'](?:datePublished|date_published|published_at|publishedAt|publishDate|publish_date|"
    r"publicationDate|publication_date|first_published|firstPublished|pubDate|publishedDate)"
    r"[\"']\s*:\s*[\"'](\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)[\"']"
)
# What a printed date has and a "Newsletter" label lacks: a year, a day and month in figures or
# words, a time of day, or a relative day ("hier à 19h25", "il y a 2 heures").
_DATE_LIKE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}(?!\d)|(?<!\d)\d{1,2}[./-]\d{1,2}(?!\d)|(?<!\d)\d{1,2} ?[h:]\d{2}"
    r"|(?<!\d)\d{1,2}(?:er|\.)? ?(?:janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|okt|dez)|il y a|\bhier\b|aujourd|avant-hier|\bago\b"
    r"|yesterday|today|gestern|heute",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"\b[\w-]+\.(?:com|fr|de|net|org|eu|info|at|ch|be|it|es|co\.uk)\b", re.I)
_NEAR_TITLE_TEXTS = 60
_NEAR_TITLE_BYLINE_TEXTS = 30
# Words that introduce a byline, alone or before the names ("Auteur :", "par", "By", "Von").
_BYLINE_WORD = r"(?:par|by|von|auteur(?:e|s|\(e\))?|autor(?:in)?|author|texte?)"
_BYLINE_LABEL = re.compile(rf"{_BYLINE_WORD}\s*:?", re.IGNORECASE)
_BYLINE_LABELLED = re.compile(rf"{_BYLINE_WORD}\s*:?\s+\S", re.IGNORECASE)
# Headings for screen readers only ("aural", "sr-only", "visually-hidden", "navSkip").
_HIDDEN = re.compile(r"aural|sr-only|screen-reader|visually-hidden|hidden|hide|skip", re.I)
_TITLE_PARTS = re.compile(r"\s+[|/–—-]\s+|:\s+")
_SAME_MOMENT = timedelta(minutes=1)
_URL_DATE_MARGIN_DAYS = 31
_PARIS = ZoneInfo("Europe/Paris")  # the day a date without a zone names is the same anywhere
# What follows a dateline's date: "27.1.2022 - Bei der ...", "vom 25. Januar 2022 | Berlin".
_DATELINE_END = ("-", "–", "—", "|", ":", "„", '"', "«", "/", "•")
_ISO_START = re.compile(r"\s*\d{4}-\d{2}-\d{2}")


def _outermost_short(elements: list[Any], limit: int) -> list[Selector]:
    """The elements with at most `limit` characters of text that are not inside another such
    element, in page order. A long match is a container, not a byline or a date: WordPress
    gives every post the class "status-publish", and it must not hide the "entry-date" inside
    it. Ancestors are walked in Python, and an element inside a kept one is never measured."""
    kept: list[Selector] = []
    kept_roots: set = set()
    for element in elements:
        parent = element.getparent()
        while parent is not None and parent not in kept_roots:
            parent = parent.getparent()
        if parent is None:
            match = Selector(root=element, type="html")
            if _short(match, limit):
                kept.append(match)
                kept_roots.add(element)
    return kept


def _microformat_date(found: Candidates, root: Any) -> str | None:
    """hAtom's <abbr class="published" title="..."> or RDFa's property="dc:date" content=""."""
    return next((value for node, value in found.microformat_dates if attached(node, root)), None)


def _selectors(elements: list[Any]) -> list[Selector]:
    return [Selector(root=element, type="html") for element in elements]


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


_NAME_IN_BYLINE = (
    ".//*[@itemprop='name'] | .//a[contains(concat(' ', @rel, ' '), ' author ')] | .//*["
    + has_class("fn", "author-name", "author_name", "authorname", "name", "nickname")
    + "] | .//a[contains(@href, '/author/') or contains(@href, '/autor/')"
    " or contains(@href, '/auteur/') or contains(@href, '/authors/')]"
)
_PUBLISHED_META = (
    "og:article:published_time", "og:published_time", "published_time", "article.published",
    "datepublished", "datecreated", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "dcterms.created", "date", "pubdate", "publishdate", "publish-date",
    "publish_date", "publication_date", "publication-date", "sailthru.date",
    "parsely-pub-date", "citation_publication_date", "citation_date",
    "cxenseparse:recs:publishtime", "article:post_date", "dc.created",
)  # fmt: skip
_UPDATED_META = ("og:updated_time", "datemodified", "dcterms.modified", "dc.date.modified")
_BYLINE_MAX = 200
_LEAD_WINDOW = 40  # elements after the headline where a standfirst may stand
_DATE_MAX = 150


def _title_node(headings: list[Any], wanted: list[str]) -> Selector | None:
    """The page's headline element among its h1 to h4: the h1 that reads as one of the page's
    titles (headline, og:title, <title>), else an h2 to h4 that does (blogs and press pages give
    the site's name or a hidden "Navigation" the h1), else the first h1 that is shown."""
    first_h1 = None
    for level in ("h1", "h2", "h3", "h4"):
        for heading in headings:
            if heading.tag != level:
                continue
            if (
                first_h1 is None
                and level == "h1"
                and not _HIDDEN.search(heading.get("class") or "")
            ):
                first_h1 = heading
            text = fold(element_text(heading))
            if text and _reads_as(text, wanted):
                return Selector(root=heading, type="html")
    return Selector(root=first_h1, type="html") if first_h1 is not None else None


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


def _title_forms(titles: list[str | None]) -> list[str]:
    """The titles folded, with the parts a <title> joins with the site's name ("Titre | Site",
    "Site: Rubrique / Titre") when long enough to say the headline on their own."""
    forms: list[str] = []
    for title in titles:
        folded = fold(title or "")
        if not folded:
            continue
        forms.append(folded)
        forms.extend(p for p in _TITLE_PARTS.split(folded) if len(p) >= 20 and p != folded)
    return list(dict.fromkeys(forms))


def _reads_as(text: str, titles: list[str]) -> bool:
    """The heading says a title, or a part of it long enough to be a headline: the site's name
    ("Le Blog" in "Le Blog | Un voyage") or "Navigation" is not."""
    return any(
        text == title or title in text or (len(text) >= 12 and text in title) for title in titles
    )


def _in_sidebar(element: Any) -> bool:
    """Inside an aside, a nav, a footer, or a box whose class says sidebar, widget or archive
    (a date there is another article's)."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("aside", "nav", "footer"):
            return True
        classes = ancestor.get("class") or ""
        if "sidebar" in classes or "widget" in classes or "archive" in classes:
            return True
    return False


def _scope(heading: Selector | None) -> Selector | None:
    """The article element around the headline, where its byline and date are printed."""
    if heading is None:
        return None
    for ancestor in heading.root.iterancestors():  # the nearest, as XPath's ancestor::*[...][1]
        if ancestor.tag in ("article", "main") or ancestor.get("itemprop") == "articleBody":
            return Selector(root=ancestor, type="html")
    return None


def _in_scope_first(nodes: list[Selector], scope: Selector | None) -> list[Selector]:
    """Nodes inside the article first, the others after, each group in page order."""
    if scope is None:
        return nodes
    inside = [n for n in nodes if _contains(scope, n)]
    return inside + [n for n in nodes if not _contains(scope, n)]


def _contains(outer: Selector, inner: Selector) -> bool:
    node = inner.root
    while node is not None:
        if node is outer.root:
            return True
        node = node.getparent()
    return False


def _short(node: Selector, limit: int) -> bool:
    text = text_of(node)
    return bool(text) and len(text) <= limit


def _byline_names(bylines: list[Selector]) -> list[str]:
    """Names marked up inside the first byline that has any (itemprop=name, rel=author...)."""
    for byline in bylines:
        found = dedupe([text_of(n) for n in byline.xpath(_NAME_IN_BYLINE) if _short(n, 80)])
        if found:
            return found
    return []


def _microdata_authors(people: list[Any], scope: Selector | None) -> list[str]:
    nodes = _in_scope_first(_selectors(people), scope)
    for node in nodes:
        value = node.xpath(".//*[@itemprop='name']/@content").get() or (
            text_of(node.xpath(".//*[@itemprop='name']")[0])
            if node.xpath(".//*[@itemprop='name']")
            else node.root.get("content") or text_of(node)
        )
        value = clean_text(value)
        if value and len(value) <= 80 and not any(c.isdigit() for c in value):
            return [value]  # "link78" is a widget's id, not a name
    return []


def _organization_only(authors: list[str], ld: dict, ld_index: dict, metas: MetaTags) -> bool:
    """Authors that are the publisher itself ("L'Opinion", "Deutsche Welle (www.dw.com)"):
    JSON-LD typed Organization, the site's name, or a domain."""
    if not authors:
        return False
    kinds = set()
    for value in ld.get("author") if isinstance(ld.get("author"), list) else [ld.get("author")]:
        resolved = resolve(value, ld_index)
        if isinstance(resolved, dict):
            kinds |= types_of(resolved)
    if kinds and kinds <= {"Organization", "NewsMediaOrganization", "Corporation"}:
        return True
    publisher = resolve(ld.get("publisher"), ld_index)
    site_names = {
        fold(clean_text(n))
        for n in (
            metas.first("og:site_name"),
            metas.first("application-name"),
            publisher.get("name") if isinstance(publisher, dict) else None,
        )
        if isinstance(n, str) and clean_text(n)
    }
    return all(fold(a) in site_names or _DOMAIN.search(a) for a in authors)


def _machine_date(marked: list[Any], scope: Selector | None) -> str | None:
    nodes = _in_scope_first(_selectors(marked), scope)
    for node in nodes:
        # lxml's get(), not parsel's attrib: that dict copies every attribute, and lxml refuses
        # to give back a name with a control character in it ("<p \x1f itemprop=...>")
        value = node.root.get("content") or node.root.get("datetime") or ""
        if clean_text(value):
            return clean_text(value)
    return None


def _time_datetime(sel: Selector, scope: Selector | None) -> str | None:
    """A <time datetime>: one marked as the publication time, else the first in the article."""
    elements = [t for t in document_elements(sel.root, "time") if t.get("datetime") is not None]
    marked = next(
        (
            t.get("datetime")
            for t in elements
            if t.get("pubdate") is not None or t.get("itemprop") == "datePublished"
        ),
        None,
    )
    if marked and clean_text(marked):
        return clean_text(marked)
    times = [Selector(root=t, type="html") for t in elements if clean_text(t.get("datetime"))]
    if not times:
        return None
    inside = [t for t in times if scope is not None and _contains(scope, t)]
    return clean_text((inside or times)[0].root.get("datetime"))


# Standfirsts by other names: "a-lead", "entry__subtitle", "article-teaser", "c-standfirst";
# a part of the class attribute, case and all, as XPath's contains(@class, ...) finds it.
_LEAD_TAGS = frozenset({"p", "div", "h2", "span", "section"})
_LEAD_CLASS_PARTS = (
    "lead", "intro", "teaser", "subtitle", "standfirst", "chapo", "summary", "excerpt", "deck",
    "abstract", "Lead", "Teaser",
)  # fmt: skip


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
        if (scope is not None and _contains(scope, node)) or any(_contains(n, node) for n in near):
            return [node]
    return []


@dataclass
class _NearTitle:
    """The visible text nodes beside the headline: where a page prints its byline and date
    when no markup names them. `after`: the headline's own lines, then the texts after it, as
    far as the byline search reads and one more; `more`: the rest of the texts after it, read
    lazily by the date search alone, right away, before bylines and dates leave the tree (the
    date is nearly always within the first few); `before`: the few just before the headline,
    nearest first."""

    after: list[Any] = field(default_factory=list)
    more: Iterator[Any] = field(default_factory=lambda: iter(()))
    before: list[Any] = field(default_factory=list)


def _near_title_texts(heading: Selector | None, titles: list[str]) -> _NearTitle:
    """The headline's own lines come first ("Titre<br><small>02.02.2022</small>"), but not its
    words: a date in a title ("Wochenbericht 14. - 20. Januar 2022") is what the article is
    about."""
    if heading is None:
        return _NearTitle()
    root = heading.root
    inside = (
        TextNode(text, parent, is_tail)
        for text, parent, is_tail in descendant_texts(root)
        if _readable(text, _inside(parent, is_tail))
        and not any(fold(text) in title for title in titles)
    )
    texts = chain(inside, _visible_after(root, 4 * _NEAR_TITLE_TEXTS, _NEAR_TITLE_TEXTS))
    after = list(islice(texts, _NEAR_TITLE_BYLINE_TEXTS + 1))
    before = _visible(root.xpath("preceding::text()[position() <= 40]"), reverse=True, limit=10)
    return _NearTitle(after, texts, before)


def _visible_after(element: Any, scan: int, keep: int) -> Iterator[TextNode]:
    """_visible of the first `scan` text nodes after the element, the first `keep` of them;
    by a walk that stops there, where XPath's following axis reads to the end of the page."""
    kept = 0
    for text, parent, is_tail in islice(following_texts(element), scan):
        if _readable(text, _inside(parent, is_tail)):
            yield TextNode(text, parent, is_tail)
            kept += 1
            if kept == keep:
                return


def _visible(texts: list[Any], reverse: bool = False, limit: int | None = None) -> list[Any]:
    """Text nodes with something to read, outside scripts and styles, in page order (or the
    nearest first when `reverse`, for what precedes an element); the first `limit` of them."""
    ordered = reversed(texts) if reverse else texts
    found = (t for t in ordered if _readable(t, _element_of(t)))
    return list(islice(found, limit))


def _readable(text: str, inside: Any) -> bool:
    """Text with something to read, in an element that is shown (not a script or style)."""
    return bool(text.strip()) and getattr(inside, "tag", None) not in ("script", "style")


def _element_of(text: Any) -> Any:
    """The element a text node (lxml's, or a TextNode) is inside."""
    return _inside(text.getparent(), getattr(text, "is_tail", False))


def _inside(parent: Any, is_tail: bool) -> Any:
    """The element a text is inside, from the node getparent() gives: lxml's getparent() of a
    tail ("<p>..</p>tail") is the element before it, so a tail's is that element's parent."""
    return parent.getparent() if is_tail and parent is not None else parent


def _date_near_title(near: _NearTitle) -> tuple[str | None, bool]:
    """A date printed just after the headline ("Pressemitteilung vom 20.01.2022", "Lübeck,
    31. März 2003"), or just before it; the last resort of the visible text. A date inside a
    paragraph of the text ("seit 4. August 2014 ...") is what the article tells, not when,
    unless it opens the paragraph as a dateline ("27.1.2022 - Bei der ..."); a date labelled
    as an update ("Article mis à jour le ...") serves only when there is no other, and is
    told so (True beside it)."""
    revised = None
    for chunk in chain(near.after, near.more, near.before):
        found = find_full_date(str(chunk))
        if not found:
            continue
        if updated_before(str(chunk).partition(found)[0]):
            revised = revised or found
            continue
        paragraph = _paragraph_of(_element_of(chunk))
        if paragraph is None or not _long(paragraph) or _dateline(str(chunk), found, paragraph):
            return found, False
    return revised, revised is not None


def _byline_near_title(after: list[Any]) -> str | None:
    """A byline printed after the headline with no markup to name it: a line that starts with
    a byline word ("Auteur : A", "Par A"), or the word alone with the name as the next text
    ("par <span>A</span>", <dt>Auteur</dt><dd>A</dd>)."""
    for index, chunk in enumerate(after[:_NEAR_TITLE_BYLINE_TEXTS]):
        text = clean_text(str(chunk))
        if _BYLINE_LABEL.fullmatch(text) and index + 1 < len(after):
            text = f"{text} {clean_text(str(after[index + 1]))}"
        elif not _BYLINE_LABELLED.match(text) or len(text) > _BYLINE_MAX:
            continue
        if 0 < len(parse_byline(text).authors) <= 3:
            return text
    return None


def _paragraph_of(element: Any) -> Any:
    """The <p> an element is in (or is), else None."""
    while element is not None and getattr(element, "tag", None) != "p":
        element = element.getparent()
    return element


def _long(paragraph: Any) -> bool:
    """Longer than a byline: running text rather than a line of its own."""
    return len(clean_text("".join(paragraph.itertext()))) > _BYLINE_MAX


def _dateline(chunk: str, found: str, paragraph: Any) -> bool:
    """The paragraph opens with the date, at most a few words before it, and a dash, a bar
    or a quote after it: "27.1.2022 - Bei der ...", "Pressemitteilung vom 25. Januar 2022 |"."""
    before, _, after = chunk.partition(found)
    opening = clean_text("".join(paragraph.itertext()))
    return (
        len(before.strip()) <= 25
        and not any(c.isdigit() for c in before)
        and opening.startswith(clean_text(chunk)[:30])
        and after.strip()[:1] in ("", *_DATELINE_END)
    )


def _in_running_text(node: Selector) -> bool:
    """A date inside a paragraph of the text ("le 3 mars dernier, ...") is not the article's;
    one in a short line of its own, even a <p> ("5. November 2021 · admin"), is."""
    paragraph = _paragraph_of(node.root.getparent())
    return paragraph is not None and _long(paragraph)


def _as_the_reader_saw_it(
    raw: str | None,
    machine_dates: Iterable[tuple[str, str | None]],
    printed: list[tuple[str, str | None]],
) -> tuple[str, str] | None:
    """For a publication time given in UTC, the same moment as the page's own zone states it:
    another machine date with a local offset, else the date the page prints when it falls on
    the day before or after (a New York evening is the next day in UTC). None to keep `raw`."""
    instant = _utc_instant(raw)
    if instant is None:
        return None
    for source, value in machine_dates:
        other = stated_instant(value)
        if other is not None and other.utcoffset() and abs(other - instant) <= _SAME_MOMENT:
            return source, value  # type: ignore[return-value]
    for source, text in printed:  # the first printed date decides
        if text and find_full_date(text):
            return (source, text) if reader_day_differs(instant, text) else None
    return None


class _MachineDates:
    """The page's machine-readable publication dates in order of trust, each read when first
    asked for: most pages give an ISO 8601 date in their first source, and some later ones
    (page scripts, <time>) scan the whole page."""

    def __init__(self, readers: list[tuple[str, Callable[[], str | None]]]) -> None:
        self._readers = readers
        self._values: list[tuple[str, str | None]] = []
        self._closed = False

    def __iter__(self) -> Iterator[tuple[str, str | None]]:
        for index, (source, read) in enumerate(self._readers):
            if index == len(self._values):
                if self._closed:
                    return
                self._values.append((source, read()))
            yield self._values[index]

    def read_all(self) -> None:
        for _ in self:
            pass

    def close(self) -> None:
        """Read no more sources: the tree is about to change under them."""
        self._closed = True

    def first(self) -> tuple[str, str] | None:
        """The first ISO 8601 date, which reads without guessing; else the first date in
        whatever form ("Wed, 04 May 2022 02:41:00 GMT")."""
        other = None
        for source, value in self:
            if value and _ISO_START.match(value):
                return source, value
            if value and other is None:
                other = (source, value)
        return other


def _utc_instant(raw: str | None) -> datetime | None:
    """The moment a date states when it states it in UTC, else None: the one kind of date
    _as_the_reader_saw_it compares with the page's other machine dates."""
    instant = stated_instant(raw)
    return instant if instant is not None and not instant.utcoffset() else None


def _far_apart(machine: str | None, url_date: str | None) -> bool:
    """A machine date in ISO 8601 more than a month from the date in the page's URL path."""
    if not machine or not url_date or not _ISO_START.match(machine):
        return False
    stated = _iso_day(machine)
    if stated is None:
        return False
    try:
        return abs((stated - date.fromisoformat(url_date)).days) > _URL_DATE_MARGIN_DAYS
    except ValueError:
        return False


def _after_fetch(url_date: str, fetched_at: str | None) -> bool:
    """A URL's date after the day the page was fetched (a day of margin for the zones ahead
    of ours): not when the article was made, but a day it announces."""
    try:
        return date.fromisoformat(url_date) > fetch_time(fetched_at, _PARIS).date() + timedelta(
            days=1
        )
    except ValueError:
        return False


def _shown_instead(
    machine: str,
    shown: str | None,
    after: list[Any],
    before: list[Any],
    fetched_at: str | None,
) -> bool:
    """True when the page shows its readers, beside the headline, another day than its
    metadata gives, and nowhere there the metadata's day: the article was re-dated when
    updated, or the metadata slipped a day in another zone. A shown day more than a day
    before the metadata's is more likely a date the text mentions, or a day and month read
    in the wrong order, and the metadata stays."""
    if not shown:
        return False
    machine_day, shown_day = _day_of(machine, fetched_at), _day_of(shown, fetched_at)
    # the difference of two days, not a day less one: metadata dated 0001-01-01 has no day before
    if machine_day is None or shown_day is None or (machine_day - shown_day).days > 1:
        return False
    if shown_day == machine_day:
        return False
    nearby = [*after[:_NEAR_TITLE_BYLINE_TEXTS], *before]
    return not any(_day_of(find_full_date(str(t)), fetched_at) == machine_day for t in nearby)


def _day_of(text: str | None, fetched_at: str | None) -> date | None:
    """The day a date string states: an ISO 8601 string's own day (whatever its offset),
    else the day the fast path reads in Paris time; None when it reads none."""
    if not text:
        return None
    if _ISO_START.match(text):
        return _iso_day(text)
    value = parse_fast(text, fetch_time(fetched_at, _PARIS), _PARIS)
    return value.date() if isinstance(value, datetime) else None


def _iso_day(text: str) -> date | None:
    """The day an ISO 8601 string starts with, whatever its offset; None when it is no day."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _script_date(sel: Selector) -> str | None:
    """A publication date in a page script's data (JSON-LD aside: it is read as such)."""
    for script in sel.xpath("//script[not(contains(@type, 'ld+json'))]/text()").getall():
        # each of the regex's keys holds one of these; scanning for them costs a third of the
        # regex's search of a script that has none of them
        if "ublish" not in script and "ublicat" not in script and "ubDate" not in script:
            continue
        match = _SCRIPT_DATE.search(script)
        if match:
            return match.group(1)
    return None


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
    extraction removes nodes from it as it reads them.
    """
    sel = selector if selector is not None else parse_html(html)
    objects = json_ld_objects(sel)
    if not force and not is_article_page(sel, objects):
        return None
    ld = article_json_ld(objects)
    ld_page = page_json_ld(objects)
    ld_index = json_ld_index(objects)
    metas = MetaTags(sel)
    root = sel.root
    candidates = find_candidates(root)  # one walk for bylines, dates, leads, tags, microdata
    tag_texts = [text for link in candidates.tag_links for text in own_text_nodes(link)]
    article = Article(url=url, fetched_at=fetched_at)
    sources = article.field_sources

    def pick(field: str, *candidates: tuple[str, object]) -> object:
        for source, value in candidates:
            if value:
                sources[field] = source
                return value
        return None

    canonical = _canonical_href(candidates.links) or metas.first("og:url")
    article.canonical_url = urljoin(url, canonical.strip()) if canonical else url
    article.site = urlsplit(article.canonical_url).hostname
    page_title = _title_text(candidates.titles)
    article.title = pick(
        "title",
        ("json-ld", clean_text(str(ld.get("headline") or ""))),
        ("opengraph", metas.first("og:title")),
        ("h1", _first_h1_text(candidates.headings, root)),
        ("title", page_title),
    )
    titles = _title_forms(
        [
            article.title if sources.get("title") != "h1" else None,  # the first h1 tells nothing
            metas.first("og:title"),
            page_title,
            clean_text(str(ld.get("headline") or "")),
        ]
    )
    heading = _title_node(candidates.headings, titles)
    scope = _scope(heading)
    article.language = pick(
        "language",
        ("html", page_language(sel)),
        ("json-ld", clean_text(str(ld.get("inLanguage") or ""))[:2].lower()),
    )
    article.section = pick(
        "section",
        ("json-ld", (text_values(ld.get("articleSection")) or [None])[0]),
        ("opengraph", metas.first("article:section")),
        ("meta", metas.first("section", "parsely-section", "sailthru.section")),
    )
    article.tags = (
        pick(
            "tags",
            ("opengraph", metas.all("article:tag")),
            ("json-ld", text_values(ld.get("keywords"))),
            ("meta", text_values(metas.first("keywords", "news_keywords", "parsely-tags"))),
            ("text", dedupe([clean_text(t) for t in tag_texts if clean_text(t)])),
        )
        or []
    )
    meta_authors = metas.authors()
    machine_candidates = (
        ("json-ld", person_names(ld.get("author") or ld.get("creator"), ld_index)),
        ("json-ld", person_names(ld_page.get("author"), ld_index)),
        (
            f"meta:{meta_authors[0]}" if meta_authors else "meta",
            meta_authors[1] if meta_authors else [],
        ),
        (
            "microdata",
            _microdata_authors(candidates.with_itemprop(root, "author", "creator"), scope),
        ),
    )
    machine_updated = pick(
        "updated_at",
        ("json-ld", clean_text(str(ld.get("dateModified") or ld_page.get("dateModified") or ""))),
        ("opengraph", metas.first("article:modified_time")),
        ("meta", metas.first(*_UPDATED_META)),
        ("microdata", _machine_date(candidates.with_itemprop(root, "dateModified"), scope)),
    )
    leads = [n for n in _in_scope_first(_selectors(candidates.leads), scope) if _short(n, 1500)]
    leads = leads or _lead_near_title(heading, scope)
    lead = pick(
        "lead",
        ("text", text_of(leads[0]) if leads else None),
        ("json-ld", clean_text(str(ld.get("description") or ""))),
        ("opengraph", metas.first("og:description", "description")),
    )

    # Visible parts, each taken out of the tree once read so the body never repeats them.
    found = extract_comments(sel, objects, candidates.comments)
    article.comments, article.comment_count_shown = found.comments, found.shown
    if found.source:
        sources["comments"] = found.source
    if found.source and found.source.startswith("external:"):
        article.comments_status = found.source  # loaded by a widget, not in the page
    article.images = extract_images(sel, url)
    # Read once comments are out of the tree: they carry <time> and datePublished of their own.
    machine_dates = _MachineDates(
        [
            (
                "json-ld",
                lambda: clean_text(str(ld.get("datePublished") or ld.get("dateCreated") or "")),
            ),
            ("json-ld", lambda: clean_text(str(ld_page.get("datePublished") or ""))),
            ("opengraph", lambda: metas.first("article:published_time")),
            ("meta", lambda: metas.first(*_PUBLISHED_META)),
            (
                "microdata",
                lambda: _machine_date(candidates.with_itemprop(root, "datePublished"), scope),
            ),
            ("meta", metas.published_fallback),
            ("microformat", lambda: clean_text(_microformat_date(candidates, root))),
            ("time", lambda: _time_datetime(sel, scope)),
            ("json-ld", lambda: other_json_ld_date(objects)),
            ("script", lambda: _script_date(sel)),
        ]
    )
    chosen = machine_dates.first()
    machine_published = pick("published_at", chosen) if chosen else None
    if _utc_instant(machine_published) is not None:
        machine_dates.read_all()  # compared with them below, once bylines and dates are gone
    machine_dates.close()
    near = _near_title_texts(heading, titles)  # read before bylines leave the tree
    near_title_date, near_title_revised = _date_near_title(near)
    near.more = iter(())  # the tree changes from here on: what was not read stays unread
    near_title_byline = _byline_near_title(near.after)
    bylines = _outermost_short([e for e in candidates.bylines if attached(e, root)], _BYLINE_MAX)
    bylines = _in_scope_first(bylines, scope)
    if scope is not None and any(_contains(scope, b) for b in bylines):
        bylines = [b for b in bylines if _contains(scope, b)]
    article.byline_raw = "\n".join(dedupe([text_of(b) for b in bylines[:3]])) or None
    machine = next((c for c in machine_candidates if c[1]), None)
    printed = article.byline_raw or (
        near_title_byline  # a lone first name ("By Pamela") is no better than the site's name
        if any(" " in name for name in parse_byline(near_title_byline).authors)
        else None
    )
    if machine and printed and _organization_only(machine[1], ld, ld_index, metas):
        machine = None  # the publisher's name: the byline printed on the page names people
    if machine is machine_candidates[1] and not article.byline_raw and near_title_byline:
        machine = None  # the WebPage's author is the account that posted it, not the byline
    if machine is None and not article.byline_raw:
        article.byline_raw = near_title_byline
    article.authors = (
        pick("authors", machine)
        if machine
        else pick("authors", ("byline-name", _byline_names(bylines[:3])))
    ) or []
    drop_all(bylines)
    published_texts, updated_texts = [], []
    dates = _outermost_short([e for e in candidates.dates if attached(e, root)], _DATE_MAX)
    dates = [d for d in dates if not _in_running_text(d)]
    for node in _in_scope_first(dates, scope):
        text = text_of(node)
        if _DATE_LIKE.search(text) and not _in_sidebar(node.root):
            (updated_texts if has_update_label(text) else published_texts).append(text)
    # where the dates stood, once they leave the tree: the body tells teaser cards by them
    dated = {ancestor for node in dates for ancestor in node.root.iterancestors()}
    drop_all(dates)
    url_date = date_in_url(url) or date_in_url(article.canonical_url or "")
    if url_date and _after_fetch(url_date, fetched_at):
        url_date = None  # a day to come in a slug ("festival-14-05-2024") is an event's
    if _far_apart(machine_published, url_date):
        # the URL was made when the article was; the metadata's date is kept, not lost
        article.parse_warnings["published_at_metadata"] = machine_published
        machine_published = None
    article.published_raw = machine_published or pick(
        "published_at",
        ("url", url_date),
        ("text", next((t for t in published_texts if find_date_spans(t)), None)),
        ("text-near-title", near_title_date),
        # last, what only the dateparser fallback may read ("17/11" in an agenda box)
        ("text", published_texts[0] if published_texts else None),
    )
    local = _as_the_reader_saw_it(
        machine_published,
        machine_dates,
        [("text-near-title", near_title_date), *(("text", t) for t in published_texts[:1])],
    )
    if local:
        sources["published_at"], article.published_raw = local
    elif machine_published and _shown_instead(
        machine_published, near_title_date, near.after, near.before, fetched_at
    ):
        sources["published_at"], article.published_raw = "text-near-title", near_title_date
        # kept, not lost: it may be the first publication of an article re-dated when updated
        article.parse_warnings["published_at_metadata"] = machine_published
    article.updated_raw = machine_updated or pick(
        "updated_at",
        ("text", updated_texts[0] if updated_texts else None),
        # an update's date that serves as the publication's too, for want of another
        (
            "text-near-title",
            near_title_date
            if near_title_revised and sources.get("published_at") == "text-near-title"
            else None,
        ),
    )
    article.lead = lead
    if leads:
        drop_all([n for n in leads if text_of(n) == lead] or leads[:1])
    blocks = extract_body(sel, article.title, article.parse_warnings, dated)
    if blocks and lead and clean_text(blocks[0]) == lead:
        blocks = blocks[1:]
        sources["lead"] = "text"  # the page shows it too, as the body's first paragraph
    article.body = "\n\n".join(blocks) or None
    metadata_day = article.parse_warnings.get("published_at_metadata")
    if (
        metadata_day
        and sources.get("published_at") == "text-near-title"
        and _says_first_published(article.body, metadata_day, fetched_at)
    ):
        # The text says the article first appeared when the metadata says: the day shown
        # beside the headline is its update's.
        article.updated_raw = article.updated_raw or article.published_raw
        article.published_raw = article.parse_warnings.pop("published_at_metadata")
        sources["published_at"] = chosen[0] if chosen else "metadata"
    return article


_FIRST_PUBLISHED = re.compile(
    r"(?:(?:initialement|originellement|pour la premiere fois|d'abord)\s+(?:ete\s+)?publiee?s?|"
    r"publiee?s?\s+(?:initialement|originellement|pour la premiere fois)|premiere publication)"
    r"\s*:?\s*(?:le\s+|en\s+)?(?:[a-z]+\s+)?(?:\d{1,2}(?:er)?\s+)?(?P<month>[a-z]+)\s+(?P<year>\d{4})"
)


def _says_first_published(text: str | None, machine: str, fetched_at: str | None) -> bool:
    """Whether the text says it was first published in the month the metadata gives ("Cet
    article, initialement publié en avril 2017, a fait l'objet d'une mise à jour")."""
    machine_day = _day_of(machine, fetched_at)
    if not text or machine_day is None:
        return False
    return any(
        MONTHS.get(match["month"]) == machine_day.month and int(match["year"]) == machine_day.year
        for match in _FIRST_PUBLISHED.finditer(fold(text))
    )


def main_text(article: Article) -> str:
    """What a reader reads as the article: the lead when the page shows it, then the body."""
    parts = [article.lead] if article.lead and article.field_sources.get("lead") == "text" else []
    return "\n\n".join(p for p in [*parts, article.body] if p)
