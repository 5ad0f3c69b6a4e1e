"""Machine-readable metadata: JSON-LD, OpenGraph, <meta>, microdata and <time datetime>."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector

from archiver.extract.nodes import document_elements, top_elements
from archiver.normalize.text import clean_text

ARTICLE_TYPES = {
    "NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "Review",
    "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle",
    "Report", "TechArticle", "LiveBlogPosting",
}  # fmt: skip
NON_ARTICLE_TYPES = {"CollectionPage", "ProfilePage", "SearchResultsPage", "ItemList"}


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _walk(node["@graph"])


def json_ld_objects(sel: Selector) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph and arrays flattened; broken scripts skipped."""
    objects: list[dict[str, Any]] = []
    root = sel.root
    # the scripts by lxml's own walk: half the time of the XPath query, on every page
    scripts = document_elements(root, "script") if hasattr(root, "iter") else ()
    for element in scripts:
        script = element.text
        if element.get("type") != "application/ld+json" or not script:
            continue
        try:
            data = json.loads(script, strict=False)
        except ValueError:
            continue
        objects.extend(_walk(data))
    return objects


def types_of(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type") or []
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def article_json_ld(objects: list[dict[str, Any]]) -> dict[str, Any]:
    for obj in objects:
        if types_of(obj) & ARTICLE_TYPES:
            return obj
    return {}


def names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organisation field: a string, an object, or a list of them."""
    found: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, list):  # {"name": ["A", "B"]}
            found.extend(names(item))
        elif isinstance(item, str) and clean_text(item):
            found.append(clean_text(html.unescape(item)))  # "Redacci&oacute;n" happens
    return found


def text_values(value: Any) -> list[str]:
    """Keywords and sections come as a list, or as one comma-separated string."""
    if isinstance(value, list):
        return [clean_text(str(v)) for v in value if clean_text(str(v))]
    if isinstance(value, str):
        return [v for v in (clean_text(p) for p in value.split(",")) if v]
    return []


def meta_content(sel: Selector, *keys: str) -> str | None:
    """The first non-empty <meta> content among property= or name= keys, in the order given:
    for each key and attribute, the content of the first <meta> with both, as the XPath
    `//meta[@property="og:type"]/@content` gives it. The <meta> elements are listed once, not
    searched for by a query for each key and attribute."""
    root = sel.root
    if not isinstance(getattr(root, "tag", None), str):
        return None
    metas = [meta for meta in document_elements(root, "meta") if meta.get("content") is not None]
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            value = next((meta.get("content") for meta in metas if meta.get(attr) == key), None)
            if value and clean_text(value):
                return clean_text(value)
    return None


def page_language(sel: Selector) -> str | None:
    root = sel.root
    tops = top_elements(root) if isinstance(getattr(root, "tag", None), str) else []
    declared = next(  # /html/@lang: the first top <html> that has one (a broken page has two)
        (top.get("lang") for top in tops if top.tag == "html" and top.get("lang") is not None),
        None,
    )
    lang = declared or meta_content(sel, "og:locale", "language")
    if not lang:
        return None
    match = re.match(r"[a-zA-Z]{2,3}", lang.strip())
    return match.group(0).lower() if match else None


# ---------------------------------------------------------------- layered sources

PAGE_TYPES = {"WebPage", "ItemPage", "AboutPage", "MedicalWebPage"}
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_.]|$)"
)
# Day first, as German and Italian newsrooms write it: "/newsroom/23-01-2022-titel",
# "/meldungen/29-10-2021", "_vom_22.04.2020_".
_URL_DATE_DMY = re.compile(
    r"[/_-](0?[1-9]|[12]\d|3[01])[.-](0?[1-9]|1[0-2])[.-]((?:19|20)\d{2})(?=[/_.-]|$)"
)
_LINK_LIKE = re.compile(r"^(?:https?:|www\.|/)|\.(?:com|org|net|de|fr)/", re.IGNORECASE)
# Yoast and others print "Written by" / "Geschrieben von" beside the author for Twitter cards.
_WRITTEN_BY = re.compile(
    r"\b(?:written by|by|von|verfasst|geschrieben|par|écrit|escrito|por|door|da|przez|autor|author|auteur)\b",
    re.IGNORECASE,
)


_PUBLISHED_KEY = re.compile(r"publish|pubdate|release|created|date")
_NOT_PUBLISHED_KEY = re.compile(r"modif|updat|expir|revis|edit|birth|event|start|end")
_ISO_DATE = re.compile(r"\s*(?:19|20)\d{2}-\d{2}-\d{2}")


def _in_comment_item(meta: Any) -> bool:
    """A <meta itemprop> inside a schema.org Comment speaks of the comment, not the article."""
    if meta.get("itemprop") is None:
        return False
    parent = meta.getparent()
    while parent is not None:
        if "Comment" in (parent.get("itemtype") or ""):
            return True
        parent = parent.getparent()
    return False


class MetaTags:
    """Every <meta> of a page by lower-cased name, property or itemprop, read in one pass."""

    def __init__(self, sel: Selector) -> None:
        self.values: dict[str, list[str]] = {}
        root = sel.root
        if not isinstance(getattr(root, "tag", None), str):
            return
        for meta in root.iter("meta"):
            content = clean_text(meta.get("content"))
            if not content or _in_comment_item(meta):
                continue
            for attr in ("property", "name", "itemprop"):
                key = (meta.get(attr) or "").strip().lower()
                if key:
                    self.values.setdefault(key, []).append(content)

    def first(self, *keys: str) -> str | None:
        """The first value among keys, in the order given."""
        for key in keys:
            for value in self.values.get(key, []):
                return value
        return None

    def all(self, key: str) -> list[str]:
        return list(self.values.get(key, []))

    def published_fallback(self) -> str | None:
        """An ISO date under any key that speaks of publication ("sw-pubdate", "release_date")."""
        for key, values in self.values.items():
            if not _PUBLISHED_KEY.search(key) or _NOT_PUBLISHED_KEY.search(key):
                continue
            for value in values:
                if _ISO_DATE.match(value):
                    return value
        return None

    def authors(self) -> tuple[str, list[str]] | None:
        """(key, names) from the first author-like meta that names a person, not a URL."""
        for key in ("author", "article:author", "dc.creator", "dcterms.creator", "sailthru.author",
                    "parsely-author", "citation_author", "byl", "cxenseparse:author"):  # fmt: skip
            found = [v for v in self.values.get(key, []) if not _LINK_LIKE.search(v)]
            if key in _SURNAME_FIRST_KEYS:
                found = [_given_name_first(v) for v in found]
            if found:
                return key, dedupe_names(found)
        for index in ("1", "2"):
            label = self.first(f"twitter:label{index}") or ""
            value = self.first(f"twitter:data{index}")
            if value and _WRITTEN_BY.search(label) and not _LINK_LIKE.search(value):
                return f"twitter:data{index}", [value]
        return None


# Dublin Core and Highwire (Google Scholar) metadata give one person a tag, surname first.
_SURNAME_FIRST_KEYS = frozenset({"dc.creator", "dcterms.creator", "citation_author"})
_SURNAME_COMMA_GIVEN = re.compile(r"^([^\W\d][^,;]{0,40}),\s*([^\W\d][^,;]{0,40})$")


def _given_name_first(value: str) -> str:
    """ "You, Xiaoying" -> "Xiaoying You", as the byline prints it; else the value as given."""
    match = _SURNAME_COMMA_GIVEN.match(value)
    if not match or len(match[1].split()) > 3 or len(match[2].split()) > 3:
        return value
    return f"{match[2]} {match[1]}"


def dedupe_names(values: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for value in values:
        if value.lower() not in seen:
            seen.add(value.lower())
            kept.append(value)
    return kept


def json_ld_index(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Objects by @id, nested ones included, so that {"@id": ...} references can be followed."""
    index: dict[str, dict[str, Any]] = {}

    def visit(node: Any, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(node, list):
            for child in node:
                visit(child, depth + 1)
        elif isinstance(node, dict):
            key = node.get("@id")
            if isinstance(key, str) and (len(node) > 1 or key not in index):
                index[key] = node  # a full object wins over a bare reference to it
            for child in node.values():
                if isinstance(child, dict | list):
                    visit(child, depth + 1)

    visit(objects, 0)
    return index


def resolve(value: Any, index: dict[str, dict[str, Any]]) -> Any:
    """A {"@id": ...} reference replaced by the object it names, where the page has it."""
    if isinstance(value, list):
        return [resolve(v, index) for v in value]
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        return index.get(value["@id"], value)
    return value


def person_names(value: Any, index: dict[str, dict[str, Any]]) -> list[str]:
    """Names from a JSON-LD author field, references followed, URLs and empty names left out."""
    found = []
    for name in names(resolve(value, index)):
        if not _LINK_LIKE.search(name) and len(name) <= 120:
            found.append(name)
    return dedupe_names(found)


def page_json_ld(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """A WebPage object: Yoast and others put dates and author there when no article has them."""
    for obj in objects:
        if types_of(obj) & PAGE_TYPES:
            return obj
    return {}


# Types whose datePublished is not the page's: its site, people, media embedded in it, comments.
_NOT_THE_PAGE_TYPES = {
    "WebSite", "Organization", "NewsMediaOrganization", "Person", "ImageObject", "VideoObject",
    "AudioObject", "MediaObject", "Comment", "BreadcrumbList", "SiteNavigationElement",
}  # fmt: skip


def other_json_ld_date(objects: list[dict[str, Any]]) -> str | None:
    """The datePublished of the first JSON-LD object that is the page's content under a type
    other than an article ("HowTo", "Recipe", "Event"...), for pages that have no article."""
    for obj in objects:
        kinds = types_of(obj)
        value = obj.get("datePublished")
        if kinds and not kinds & _NOT_THE_PAGE_TYPES and isinstance(value, str) and value.strip():
            return clean_text(value)
    return None


def date_in_url(url: str) -> str | None:
    """ "2019-08-02" from a URL path like /2019/08/02/slug/ or /02-08-2019-slug; None when
    there is no full date."""
    path = urlsplit(url or "").path if isinstance(url, str) else ""
    match = _URL_DATE.search(path)
    if match:
        year, month, day = match.groups()
    else:
        match = _URL_DATE_DMY.search(path)
        if not match:
            return None
        day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"
