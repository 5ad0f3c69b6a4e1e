"""Reader comments: one raw record per comment, with the comment it replies to.

Handles flat lists that name their parent (data-parent), nested lists (WordPress
`ol.children`), where the parent is the enclosing comment, schema.org Comment in microdata
anywhere on the page, and Comment objects in JSON-LD. Comments that a widget (Disqus, Facebook)
loads from elsewhere are not in the page: `comment_platform` names the widget instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from lxml import etree
from parsel import Selector

from archiver.extract.metadata import names, types_of
from archiver.extract.nodes import (
    class_words,
    document_elements,
    drop_elements,
    element_text,
)
from archiver.items import Comment
from archiver.normalize.comments import (
    is_clean_comment_text,
    is_empty_notice,
    parse_comment_count,
)
from archiver.normalize.text import clean_text

# Comment sections, by id, class token or microdata.
_SECTION_IDS = frozenset({"comments", "commentaires", "respond"})
_SECTION_CLASSES = frozenset(
    {"comments", "commentaires", "comment-section", "comments-area", "commentlist",
     "comment-list", "comments-list", "divforum", "forum"}
)  # fmt: skip
# SPIP, the French CMS, calls its comments a forum: <ul class="forum"><li class="forum-fil">.
# A box named only "forum" is read as a section, and left in the page when it holds no comment.
_MICRODATA_COMMENT = "schema.org/Comment"
# Widgets that load comments from their own servers, by what they leave in the page: an element
# id, a part of a script's src, words in a script's code, a class token, a tag, an attribute. A
# page that shows several is named after the first in this order.
_PLATFORMS = ("disqus", "facebook", "coral", "openweb", "commento", "hyvor", "utterances", "vuukle")
_PLATFORM_IDS = {
    "disqus_thread": "disqus", "coral_thread": "coral", "commento": "commento",
    "hyvor-talk-view": "hyvor", "vuukle-comments": "vuukle",
}  # fmt: skip
_PLATFORM_SOURCES = (
    ("disqus.com", "disqus"), ("coral", "coral"), ("spot.im", "openweb"), ("openweb", "openweb"),
    ("commento", "commento"), ("utteranc.es", "utterances"), ("giscus", "utterances"),
    ("vuukle", "vuukle"),
)  # fmt: skip
_PLATFORM_CODE = ("disqus_shortname", "disqus_config")  # Disqus, set up by inline code
_PLATFORM_CLASSES = frozenset({"fb-comments"})  # Facebook, by class token
_SPIP_ANCHOR = re.compile(r"forum\d+$")
_ITEM_CLASSES = frozenset({"comment", "commentaire", "comment-item", "forum-fil"})
# Comment items of plugins and forums: "wc-comment" (wpDiscuz), "xenforo-comment".
_ITEM_CLASS = re.compile(r"(?:^|\s)[a-z]+[-_]comment(?:\s|$)")


class _Node(NamedTuple):
    """What the rules read of an element: its tag, class, class words and itemprop, and for a
    <p> its parent's class."""

    tag: str
    classes: str
    tokens: frozenset[str]
    itemprop: str | None
    parent_classes: str | None


Rule = Callable[[_Node], bool]


def _classed(*names: str) -> Rule:
    wanted = frozenset(names)
    return lambda node: not wanted.isdisjoint(node.tokens)


def _itemprop(*names: str) -> Rule:
    return lambda node: node.itemprop in names


# What a comment's author, date and text are marked up as, in order of preference (WordPress
# wraps ".fn" in ".comment-author" with "dit :"); each is looked for among the comment's own
# elements, never in a nested reply.
_AUTHOR: tuple[Rule, ...] = (
    lambda node: (
        not node.tokens.isdisjoint({"fn", "comment-author-name", "comment-author-link"})
        or node.itemprop == "author"
    ),
    lambda node: node.tag == "cite",
    _classed("comment-author", "author", "pseudo", "username", "forum-qui"),
    # SPIP's editing plugin numbers it: "forum-qui-226837"
    lambda node: any(token.startswith("forum-qui-") for token in node.tokens),
)
_DATE: tuple[Rule, ...] = (
    _itemprop("dateCreated", "datePublished"),
    lambda node: node.tag == "time",
    _classed(
        "comment-date", "date", "comment-metadata", "commentmetadata", "forum-date", "forum-nav"
    ),
)
_TEXT: tuple[Rule, ...] = (
    lambda node: (
        not node.tokens.isdisjoint(
            {"comment-content", "comment-text", "comment_text", "commentText", "forum-texte"}
        )
        or node.itemprop in ("text", "commentText")
    ),
    # Older WordPress themes: the paragraphs of .comment-body, without its author and date.
    lambda node: node.tag == "p" and "comment-body" in class_words(node.parent_classes),
    lambda node: (
        "comment" in node.classes
        and ("text" in node.classes or "content" in node.classes or "body" in node.classes)
    ),
    _classed("text", "message"),
)
_RULES = (*_AUTHOR, *_DATE, *_TEXT)
_RUN_OF_PARAGRAPHS = 1  # the _TEXT rule whose matches are all read, joined
_NO_CLASS: frozenset[str] = frozenset()
_HEADING = frozenset({"h2", "h3", "h4"})
_HEADING_CLASSES = frozenset({"comments-title", "count"})


def is_section(name: str | None, classes: str | None, itemprop: str | None) -> bool:
    return (
        name in _SECTION_IDS
        or itemprop == "comment"
        # every section class says "comment" or "forum": the split is for the few that do
        or (
            classes is not None
            and ("comment" in classes or "forum" in classes)
            and not _SECTION_CLASSES.isdisjoint(class_words(classes))
        )
    )


@dataclass
class CommentParts:
    """Where a page's comments may be: its comment sections and its schema.org Comment
    microdata, in page order (find_candidates gathers them in its walk)."""

    sections: list[Any] = field(default_factory=list)
    microdata: list[Any] = field(default_factory=list)


def comment_parts(root: Any) -> CommentParts:
    parts = CommentParts()
    for element in document_elements(root):
        get = element.attrib.get
        if is_section(get("id"), get("class"), get("itemprop")):
            parts.sections.append(element)
        if is_comment_microdata(get("itemtype")):
            parts.microdata.append(element)
    return parts


def is_comment_microdata(itemtype: str | None) -> bool:
    return itemtype is not None and _MICRODATA_COMMENT in itemtype


@lru_cache(maxsize=4096)
def _names_one_of(classes: str | None, words: frozenset[str]) -> bool:
    """Whether a class attribute holds one of these words; memoized per class value."""
    return classes is not None and not words.isdisjoint(class_words(classes))


def _items(section: Any) -> list[Any]:
    items = [
        element
        for element in section.iterdescendants(etree.Element)
        if (
            _names_one_of(element.get("class"), _ITEM_CLASSES)
            or is_comment_microdata(element.get("itemtype"))
        )
        and element.tag != "form"
    ]
    if items:
        return items
    return [
        element
        for element in section.iterdescendants(etree.Element)
        if _ITEM_CLASS.search((element.get("class") or "").lower())
    ]


@lru_cache(maxsize=8192)
def _rules_matched(
    tag: str, classes: str | None, itemprop: str | None, parent_classes: str | None
) -> tuple[int, ...]:
    """The indexes of the rules an element matches. Memoized: the comments of a site repeat a
    few element kinds, so each kind is tested once for the whole crawl."""
    tokens = frozenset(class_words(classes)) if classes else _NO_CLASS
    node = _Node(tag, classes or "", tokens, itemprop, parent_classes)
    return tuple(index for index, rule in enumerate(_RULES) if rule(node))


_FIRST_DATE_RULE = len(_AUTHOR)
_FIRST_TEXT_RULE = len(_AUTHOR) + len(_DATE)
_PARAGRAPH_RULE = _FIRST_TEXT_RULE + _RUN_OF_PARAGRAPHS


def _own_parts(item: Any, items: set[Any]) -> tuple[Any, Any, str]:
    """The comment's author and date elements and its text, from one walk of its own
    elements: the first match of each rule, the most preferred rule that matched. A nested
    reply is met (it is the comment's own element) but not what is inside it."""
    first: list[Any] = [None] * len(_RULES)
    paragraphs: list[Any] = []
    walker = etree.iterwalk(item, events=("start",))
    for _, element in walker:
        tag = element.tag
        if element is item or not isinstance(tag, str):
            continue
        parent = element.getparent() if tag == "p" else None
        parent_classes = parent.get("class") if parent is not None else None
        for index in _rules_matched(
            tag, element.get("class"), element.get("itemprop"), parent_classes
        ):
            if index == _PARAGRAPH_RULE:
                paragraphs.append(element)
            if first[index] is None:
                first[index] = element
        if element in items:
            walker.skip_subtree()
    author = date = None
    text = ""
    for index, found in enumerate(first):
        if found is None:
            continue
        if index < _FIRST_DATE_RULE:
            author = author if author is not None else found
        elif index < _FIRST_TEXT_RULE:
            date = date if date is not None else found
        else:
            if index == _PARAGRAPH_RULE:
                text = "\n".join(t for t in (element_text(p) for p in paragraphs) if t)
            else:
                text = element_text(found)
            break
    return author, date, text


def _comment_id(item: Any, position: int) -> str:
    raw = (
        item.get("data-id")
        or item.get("data-comment-id")
        or item.get("id")
        or next(  # li > div#comment-12
            (
                child.get("id")
                for child in item.iterchildren(etree.Element)
                if (child.get("id") or "").startswith("comment-")
            ),
            None,
        )
        or next(  # SPIP: li.forum-fil > div > a#forum226836, the message's permalink
            (
                anchor.get("id")
                for anchor in item.iterdescendants("a")
                if _SPIP_ANCHOR.match(anchor.get("id") or "")
            ),
            None,
        )
    )
    if not raw:
        return f"c{position}"
    if _SPIP_ANCHOR.match(raw):
        return raw[len("forum") :]
    for prefix in ("li-comment-", "comment-", "commentaire-"):
        if raw.startswith(prefix):
            return raw[len(prefix) :]
    return raw


def _date_raw(element: Any) -> str | None:
    if element is None:
        return None
    return element.get("datetime") or element.get("content") or element_text(element) or None


def _read_items(items: list[Any]) -> list[Comment]:
    roots = set(items)
    comments: list[Comment] = []
    ids: dict[object, str] = {}
    for position, item in enumerate(items, start=1):
        author, date, text = _own_parts(item, roots)
        # its paragraphs are clean, and one line each: clean_text would only join the lines
        if not is_clean_comment_text(text.replace("\n", " ")):
            continue
        comment_id = _comment_id(item, position)
        ids[item] = comment_id
        parent_id = item.get("data-parent") or item.get("data-parent-id") or None
        if parent_id is None:
            ancestor = item.getparent()
            while ancestor is not None and ancestor not in roots:
                ancestor = ancestor.getparent()
            parent_id = ids.get(ancestor) if ancestor is not None else None
        comments.append(
            Comment(
                id=comment_id,
                parent_id=parent_id,
                author=(element_text(author) or None) if author is not None else None,
                published_raw=_date_raw(date),
                text=text,
            )
        )
    return comments


def _shown_count(section: Any, items: list[Any]) -> int | None:
    """The count printed in the section's heading ("12 commentaires"), outside the comments
    themselves: a reader's comment may hold a heading or a "count" of its own."""
    inside = set(items)
    walker = etree.iterwalk(section, events=("start",))
    for _, element in walker:
        if element in inside:
            walker.skip_subtree()
        elif element is not section and (
            element.tag in _HEADING or _names_one_of(element.get("class"), _HEADING_CLASSES)
        ):
            shown = parse_comment_count(element_text(element))
            if shown is not None:
                return shown
    return None


@dataclass
class Comments:
    """What the page says about its comments, and where it says it."""

    comments: list[Comment] = field(default_factory=list)
    shown: int | None = None  # the count the page prints
    source: str | None = None  # "html", "microdata", "json-ld", or "external:disqus"...


def extract_comments(
    sel: Selector, objects: list[dict[str, Any]] | None = None, parts: CommentParts | None = None
) -> Comments:
    """The comments and the count the page shows; the section is then removed from the tree.

    Sources, first that gives comments: the page's comment section, schema.org Comment
    microdata anywhere, Comment objects in JSON-LD (`objects`); when none, a widget that
    loads them from elsewhere (Disqus, Facebook...) is named as the source. `parts` are the
    sections and microdata a walk of the page found already."""
    root = sel.root
    if parts is None:
        parts = comment_parts(root) if hasattr(root, "iter") else CommentParts()
    sections, microdata = parts.sections, parts.microdata
    section = None
    platform = None
    shown = None
    source = None
    comments: list[Comment] = []
    if sections:
        # The first section that holds comment items; a "#respond" form or a count link
        # may come before the list itself.
        section, items = next(
            ((s, found) for s in sections if (found := _items(s))), (sections[0], [])
        )
        shown = _shown_count(section, items)
        comments = _read_items(items)
        source = "html" if comments else None
        if shown is None and not comments and any(is_empty_notice(t) for t in section.itertext()):
            shown = 0
    if not comments:
        # looked for only now, on the whole page still: a page with comments needs no widget
        if hasattr(root, "iter"):
            platform = comment_platform(root)
        comments = _read_items(microdata)
        source = "microdata" if comments else None
        drop_elements(microdata)
    if not comments and objects:
        comments = json_ld_comments(objects)
        source = "json-ld" if comments else None
    if shown is None and objects:
        shown = _json_ld_count(objects)
    if not comments and platform:
        source = f"external:{platform}"
    drop_elements(s for s in sections if s is section or not _only_a_forum(s))
    return Comments(comments, shown, source)


def _only_a_forum(element: Any) -> bool:
    """A box whose only sign of comments is a class that says "forum"."""
    get = element.get
    return not is_section(get("id"), None, get("itemprop")) and "comment" not in (
        get("class") or ""
    )


def json_ld_comments(objects: list[dict[str, Any]]) -> list[Comment]:
    """Comment objects of JSON-LD: under an article's "comment", or on their own; replies
    nested under "comment" keep their parent."""
    found: list[Comment] = []
    seen: set[int] = set()

    def visit(node: Any, parent_id: str | None, depth: int) -> None:
        if depth > 8:
            return
        for item in node if isinstance(node, list) else [node]:
            if not isinstance(item, dict) or id(item) in seen:
                continue
            seen.add(id(item))
            if "Comment" not in types_of(item):
                continue
            text = clean_text(str(item.get("text") or item.get("commentText") or ""))
            raw_id = item.get("@id") or item.get("identifier") or item.get("url")
            comment_id = str(raw_id).rsplit("#", 1)[-1] if raw_id else f"ld{len(found) + 1}"
            if is_clean_comment_text(text):
                authors = names(item.get("author"))
                date = item.get("dateCreated") or item.get("datePublished")
                found.append(
                    Comment(
                        id=comment_id,
                        parent_id=parent_id,
                        author=authors[0] if authors else None,
                        published_raw=clean_text(str(date)) if date else None,
                        text=text,
                    )
                )
            visit(item.get("comment"), comment_id, depth + 1)

    for obj in objects:
        if "Comment" in types_of(obj):
            visit(obj, None, 0)
        else:
            visit(obj.get("comment"), None, 0)
    return found


def _json_ld_count(objects: list[dict[str, Any]]) -> int | None:
    for obj in objects:
        count = obj.get("commentCount")
        if isinstance(count, int) or (isinstance(count, str) and count.strip().isdigit()):
            return int(count)
    return None


def comment_platform(root: Any) -> str | None:
    """The widget that loads the comments from elsewhere (Disqus, Facebook...), or None.

    One walk of the page, testing each element as the widgets' XPath queries did: ids, class
    tokens and script sources exactly, a script's code as its whole text. The queries, each
    run when a hint string of the page's ids, classes and scripts held the widget's name, took
    1 ms a page on the corpus, where most pages have no comments; the walk takes half that."""
    found: set[str] = set()
    for element in document_elements(root):
        tag = element.tag
        if tag == "script":
            source = element.get("src")
            if source:
                found.update(name for part, name in _PLATFORM_SOURCES if part in source)
            code = "".join(element.itertext()) if len(element) else element.text or ""
            if any(words in code for words in _PLATFORM_CODE):
                found.add("disqus")
        elif tag == "fb:comments":  # Facebook's XFBML tag, prefix and all in an HTML tree
            found.add("facebook")
        names = element.keys()  # one list: most elements have no attribute read below
        if not names:
            continue
        if "id" in names and (platform := _PLATFORM_IDS.get(element.get("id"))) is not None:
            found.add(platform)
        if "class" in names:
            # the substring first: the memoized token test of every class made the walk 40% slower
            classes = element.get("class")
            if "fb-comments" in classes and _names_one_of(classes, _PLATFORM_CLASSES):
                found.add("facebook")
        if "data-spotim-module" in names and "conversation" in element.get("data-spotim-module"):
            found.add("openweb")
    return next((name for name in _PLATFORMS if name in found), None)
