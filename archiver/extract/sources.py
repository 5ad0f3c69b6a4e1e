"""What a page offers for its fields, read once, and the rule that chooses among it: the first
source that gives a value, in order of trust, recorded in the article's `field_sources` for a
user to audit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from parsel import Selector

from archiver.extract.candidates import Candidates, find_candidates
from archiver.extract.metadata import (
    MetaTags,
    article_json_ld,
    json_ld_index,
    page_json_ld,
    resolve,
)
from archiver.extract.nodes import text_of
from archiver.normalize.text import clean_text

T = TypeVar("T")


@dataclass
class PageSources:
    """The page's JSON-LD (the article's object, the WebPage's, every object by @id), its <meta>
    and the candidates of one walk of its tree: bylines, dates, leads, tags, microdata."""

    sel: Selector
    objects: list[dict[str, Any]]
    ld: dict[str, Any]
    ld_page: dict[str, Any]
    ld_index: dict[str, dict[str, Any]]
    metas: MetaTags
    candidates: Candidates

    @classmethod
    def read(cls, sel: Selector, objects: list[dict[str, Any]]) -> PageSources:
        return cls(
            sel=sel,
            objects=objects,
            ld=article_json_ld(objects),
            ld_page=page_json_ld(objects),
            ld_index=json_ld_index(objects),
            metas=MetaTags(sel),
            candidates=find_candidates(sel.root),
        )

    @property
    def root(self) -> Any:
        return self.sel.root

    def site_names(self) -> list[str]:
        """The names the site gives itself (og:site_name, application-name, the JSON-LD
        publisher's name), cleaned: a title or a byline that only says one names no article."""
        publisher = resolve(self.ld.get("publisher"), self.ld_index)
        names = (
            self.metas.first("og:site_name"),
            self.metas.first("application-name"),
            publisher.get("name") if isinstance(publisher, dict) else None,
        )
        return [clean_text(n) for n in names if isinstance(n, str) and clean_text(n)]


def first_found(sources: dict[str, str], field: str, *candidates: tuple[str, T]) -> T | None:
    """The first candidate with a value; `sources[field]` says where it came from."""
    for source, value in candidates:
        if value:
            sources[field] = source
            return value
    return None


def selectors(elements: list[Any]) -> list[Selector]:
    return [Selector(root=element, type="html") for element in elements]


def short(node: Selector, limit: int) -> bool:
    text = text_of(node)
    return bool(text) and len(text) <= limit


def outermost_short(elements: list[Any], limit: int) -> list[Selector]:
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
            if short(match, limit):
                kept.append(match)
                kept_roots.add(element)
    return kept
