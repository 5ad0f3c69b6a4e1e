"""Elements that may hold a byline, a date, a lead, tags or comments, found in one walk over
the page.

Each test here says in Python what an XPath predicate of the page extractor said, class words
and all: on a page of a few hundred elements, one walk that tests every element for all of
them costs less than one XPath query that tests every element's class for one of them.
Extraction takes nodes out of the tree as it reads them; `attached` tells which are left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from archiver.extract.comments import CommentParts, is_comment_microdata, is_section
from archiver.extract.nodes import class_words, document_elements, top_elements, within

# Bylines: these class words, rel or itemprop "author", or any class spelling of author or byline
# ("author_header", "c-byline__name", "autorenzeile") on an element smaller than the page.
_BYLINE_WORDS = frozenset(
    {"byline", "author", "auteur", "signature", "article-author", "post-author", "by"}
)
_BYLINE_PART = re.compile("author|byline|autor|Author|Byline")
_NOT_BYLINE_TAGS = frozenset({"body", "article", "main", "html"})
# A control beside the author's name ("Folgen", "Follow", "Abbrechen") is not the byline, whatever
# else its class says ("followAuthorBtn", "author-button", "btn"; not a type style, "text-button-m").
_CONTROL_TAGS = frozenset({"button", "input", "select", "option", "textarea", "label"})
_CONTROL_CLASS = re.compile(r"^(?:btn|button)(?:[-_]|$)|(?:[-_](?:btn|button)|Btn|Button)$")
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
_LISTED_TAGS = frozenset({"link", "title", "h1", "h2", "h3", "h4"})
_TABLE = frozenset({"table"})


class _Marks(NamedTuple):
    """What an element's tag and attributes say it may be, whatever the page around it."""

    byline: bool
    date: bool
    date_outside_table: bool  # a date only when no <table> encloses it
    lead: bool
    tag_box: bool
    rel_tag: bool
    published: bool  # hAtom: class "published"
    comment_section: bool


@lru_cache(maxsize=8192)
def _marks(
    tag: str, classes: str | None, id_: str | None, rel: str | None, itemprop: str | None
) -> _Marks | None:
    """Memoized: a site repeats its few hundred tag and attribute combinations on every page,
    so the tests run once per combination for the whole crawl, not once per element."""
    words = frozenset(class_words(classes)) if classes else _NO_WORDS
    byline = date = outside_table = lead = False
    if classes or id_ or rel is not None or itemprop is not None:
        byline = _is_byline(tag, classes, id_, rel, itemprop, words)
        date = tag == "time" or not words.isdisjoint(_DATE_WORDS)
        outside_table = (
            not date and tag not in _NOT_DATE_TAGS and _DATE_PART.search(classes or "") is not None
        )
        lead = not words.isdisjoint(_LEAD_WORDS) or itemprop == "description"
    else:
        date = tag == "time"
    marks = _Marks(
        byline,
        date,
        outside_table,
        lead,
        not words.isdisjoint(_TAG_BOX_WORDS),
        tag == "a" and "tag" in class_words(rel),
        "published" in words,
        is_section(id_, classes, itemprop),
    )
    return marks if any(marks) else None


def _is_byline(
    tag: str,
    classes: str | None,
    id_: str | None,
    rel: str | None,
    itemprop: str | None,
    words: frozenset[str],
) -> bool:
    if tag in _CONTROL_TAGS or any(_CONTROL_CLASS.search(word) for word in words):
        return False
    if not words.isdisjoint(_BYLINE_WORDS) or rel == "author" or itemprop == "author":
        return True
    return (
        _BYLINE_PART.search(classes or "") is not None or "author" in (id_ or "")
    ) and tag not in _NOT_BYLINE_TAGS


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
    comments: CommentParts = field(default_factory=CommentParts)
    # every <link>, <title> and h1 to h4 of the page, in page order
    links: list[Any] = field(default_factory=list)
    titles: list[Any] = field(default_factory=list)
    headings: list[Any] = field(default_factory=list)
    # Every element of the page, held while the page is read: lxml then keeps one Python
    # object for each element, where each later walk (body, furniture, comments) made and
    # freed its own. About 2% of extraction.
    elements: list[Any] = field(default_factory=list)

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
    listed = {"link": found.links, "title": found.titles}
    found.elements = list(document_elements(root))
    for element in found.elements:
        names = element.keys()  # one list; values are read only for the names it holds
        tag = element.tag
        if tag in _LISTED_TAGS:
            listed.get(tag, found.headings).append(element)
        if not names:
            if tag == "time":
                found.dates.append(element)
            elif boxes and tag == "a" and _in_any(element, boxes):
                found.tag_links.append(element)
            continue
        get = element.get
        prop = get("itemprop") if "itemprop" in names else None
        marks = _marks(
            tag,
            get("class") if "class" in names else None,
            get("id") if "id" in names else None,
            get("rel") if "rel" in names else None,
            prop,
        )
        if "itemtype" in names and is_comment_microdata(get("itemtype")):
            found.comments.microdata.append(element)
        if marks is not None:
            if marks.comment_section:
                found.comments.sections.append(element)
            if marks.byline:
                found.bylines.append(element)
            if marks.date or (marks.date_outside_table and not within(element, _TABLE)):
                found.dates.append(element)
            if marks.lead:
                found.leads.append(element)
            if marks.tag_box:
                boxes.add(element)
            if marks.published and "title" in names:
                found.microformat_dates.append((element, get("title")))
        if tag == "a" and (
            (marks is not None and marks.rel_tag) or (boxes and _in_any(element, boxes))
        ):
            found.tag_links.append(element)
        if "property" in names and get("property") in _DATE_PROPERTIES and "content" in names:
            found.microformat_dates.append((element, get("content")))
        if prop is not None:
            found.itemprops.append((prop, element))
    return found


def attached(element: Any, root: Any) -> bool:
    """Whether the element is still in root's document (extraction drops what it reads)."""
    top = element
    while (parent := top.getparent()) is not None:
        top = parent
    if top is root:
        return True
    if top.getprevious() is None and top.getnext() is None:
        return False  # taken out of the tree; a top element beside the root has siblings
    return any(top is other for other in top_elements(root))


def own_text_nodes(element: Any) -> list[str]:
    """The text directly inside an element, as XPath's `text()` children: not its children's."""
    texts = [element.text] if element.text else []
    texts.extend(child.tail for child in element if child.tail)
    return texts
