"""Machine-readable metadata: JSON-LD, OpenGraph, <meta>, microdata and <time datetime>."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from parsel import Selector

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
    for script in sel.xpath('//script[@type="application/ld+json"]/text()').getall():
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
        if isinstance(item, str) and clean_text(item):
            found.append(clean_text(item))
    return found


def text_values(value: Any) -> list[str]:
    """Keywords and sections come as a list, or as one comma-separated string."""
    if isinstance(value, list):
        return [clean_text(str(v)) for v in value if clean_text(str(v))]
    if isinstance(value, str):
        return [v for v in (clean_text(p) for p in value.split(",")) if v]
    return []


def meta_content(sel: Selector, *keys: str) -> str | None:
    """The first non-empty <meta> content among property= or name= keys, in the order given."""
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            value = sel.xpath(f'//meta[@{attr}="{key}"]/@content').get()
            if value and clean_text(value):
                return clean_text(value)
    return None


def meta_contents(sel: Selector, key: str) -> list[str]:
    values = sel.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content').getall()
    return [clean_text(v) for v in values if clean_text(v)]


def page_language(sel: Selector) -> str | None:
    lang = sel.xpath("/html/@lang").get() or meta_content(sel, "og:locale", "language")
    if not lang:
        return None
    match = re.match(r"[a-zA-Z]{2,3}", lang.strip())
    return match.group(0).lower() if match else None
