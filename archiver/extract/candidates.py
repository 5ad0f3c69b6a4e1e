"""Elements that may hold a byline, a date, a lead or tags, found in one walk over the page.

Each test here says in Python what an XPath predicate of the page extractor said, class words
and all: on a page of a few hundred elements, one walk that tests every element for all of
them costs less than one XPath query that tests every element's class for one of them.
Extraction takes nodes out of the tree as it reads them; `attached` tells which are left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from archiver.extract.nodes import class_words, document_elements, top_elements

# Bylines: these class words, rel or itemprop "author", or any class spelling of author or byline
# ("author_header", "c-byline__name", "autorenzeile") on an element smaller than the page.
_BYLINE_WORDS = frozenset(
    {"byline", "author", "auteur", "signature", "article-author", "post-author", "by"}
)
_BYLINE_PART = re.compile("author|byline|autor|Author|Byline")
_NOT_BYLINE_TAGS = frozenset({"body", "article", "main", "html"})
# Dates: <time>, these class words, or a class that says date, datum or publish ("meta__date",
# "pubdate", "article-datum") outside tables and on an element smaller than the page.
_DATE_WORDS = frozenset(
    {"date", "published", "post-date", "article-date", "entry-date", "updated", "maj",
     "date-publication", "publication-date", "timestamp", "dateline"}
)  # fmt: skip
_DATE_PART = re.compile("date|datum|Date|publish")
_NOT_DATE_TAGS = frozenset({"body", "article", "main", "td", "th"})
# Standfirsts ("chapô" in French newsrooms) by their usual class words, or itemprop=description.
_LEAD_WORDS = frozenset(
    {"lead", "chapo", "chapeau", "article-lead", "standfirst", "intro", "excerpt"}
)
_TAG_BOX_WORDS = frozenset({"tags", "article-tags", "keywords"})
# hAtom and RDFa dates: <abbr class="published" title="...">, <span property="dc:date" content>.
_DATE_PROPERTIES = frozenset(
    {"schema:datePublished", "schema:dateCreated", "dc:date", "dc:created", "dcterms:created",
     "dcterms:issued"}
)  # fmt: skip
_NO_WORDS: frozenset[str] = frozenset()


def is_byline(element: Any, words: frozenset[str]) -> bool:
    if not words.isdisjoint(_BYLINE_WORDS):
        return True
    attributes = element.attrib
    if attributes.get("rel") == "author" or attributes.get("itemprop") == "author":
        return True
    return (
        _BYLINE_PART.search(attributes.get("class") or "") is not None
        or "author" in (attributes.get("id") or "")
    ) and element.tag not in _NOT_BYLINE_TAGS


def is_date(element: Any, words: frozenset[str]) -> bool:
    if element.tag == "time" or not words.isdisjoint(_DATE_WORDS):
        return True
    if element.tag in _NOT_DATE_TAGS or not _DATE_PART.search(element.get("class") or ""):
        return False
    return not any(True for _ in element.iterancestors("table"))


def is_lead(element: Any, words: frozenset[str]) -> bool:
    return not words.isdisjoint(_LEAD_WORDS) or element.get("itemprop") == "description"


@dataclass
class Candidates:
    """What one walk found, each list in page order."""

    bylines: list[Any] = field(default_factory=list)
    dates: list[Any] = field(default_factory=list)
    leads: list[Any] = field(default_factory=list)
    tag_links: list[Any] = field(default_factory=list)  # <a> of tags: rel=tag, or in a tags box
    # hAtom title= and RDFa content= values, with the element that carries them
    microformat_dates: list[tuple[Any, str]] = field(default_factory=list)
    itemprops: list[tuple[str, Any]] = field(default_factory=list)

    def with_itemprop(self, root: Any, *names: str) -> list[Any]:
        """Elements whose itemprop is one of `names` and that are still in root's page."""
        return [e for name, e in self.itemprops if name in names and attached(e, root)]


def _in_any(element: Any, boxes: set[Any]) -> bool:
    for ancestor in element.iterancestors():
        if ancestor in boxes:
            return True
    return False


def find_candidates(root: Any) -> Candidates:
    found = Candidates()
    boxes: set[Any] = set()  # the tags boxes seen so far
    for element in document_elements(root):
        attributes = element.attrib
        tag = element.tag
        if not attributes and tag != "time" and not (boxes and tag == "a"):
            continue
        classes = attributes.get("class")
        words = frozenset(class_words(classes)) if classes else _NO_WORDS
        if classes or "id" in attributes or "rel" in attributes or "itemprop" in attributes:
            if is_byline(element, words):
                found.bylines.append(element)
            if is_date(element, words):
                found.dates.append(element)
            if is_lead(element, words):
                found.leads.append(element)
        elif tag == "time":
            found.dates.append(element)
        if tag == "a" and (
            "tag" in class_words(attributes.get("rel")) or (boxes and _in_any(element, boxes))
        ):
            found.tag_links.append(element)
        if not words.isdisjoint(_TAG_BOX_WORDS):
            boxes.add(element)
        if "published" in words and "title" in attributes:
            found.microformat_dates.append((element, attributes["title"]))
        if attributes.get("property") in _DATE_PROPERTIES and "content" in attributes:
            found.microformat_dates.append((element, attributes["content"]))
        prop = attributes.get("itemprop")
        if prop is not None:
            found.itemprops.append((prop, element))
    return found


def attached(element: Any, root: Any) -> bool:
    """Whether the element is still in root's document (extraction drops what it reads)."""
    top = element
    while (parent := top.getparent()) is not None:
        top = parent
    return top is root or any(top is other for other in top_elements(root))


def own_text_nodes(element: Any) -> list[str]:
    """The text directly inside an element, as XPath's `text()` children: not its children's."""
    texts = [element.text] if element.text else []
    texts.extend(child.tail for child in element if child.tail)
    return texts
