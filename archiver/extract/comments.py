"""Reader comments: one raw record per comment, with the comment it replies to.

Handles flat lists that name their parent (data-parent), nested lists (WordPress
`ol.children`), where the parent is the enclosing comment, schema.org Comment in microdata
anywhere on the page, and Comment objects in JSON-LD. Comments that a widget (Disqus, Facebook)
loads from elsewhere are not in the page: `comment_platform` names the widget instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parsel import Selector

from archiver.extract.metadata import names, types_of
from archiver.extract.nodes import drop_all, has_class, text_of
from archiver.items import Comment
from archiver.normalize.comments import is_comment_text, is_empty_notice, parse_comment_count
from archiver.normalize.text import clean_text

_SECTION = (
    "//*[@id='comments' or @id='commentaires' or @id='respond' or "
    + has_class(
        "comments", "commentaires", "comment-section", "comments-area", "commentlist",
        "comment-list", "comments-list", "commentlist",
    )
    + " or @itemprop='comment']"
)  # fmt: skip
_MICRODATA_COMMENT = "//*[contains(@itemtype, 'schema.org/Comment')]"
# Widgets that load comments from their own servers, by what they leave in the page.
_PLATFORMS = (
    (
        "disqus",
        "//*[@id='disqus_thread'] | //script[contains(@src, 'disqus.com')]"
        " | //script[contains(., 'disqus_shortname') or contains(., 'disqus_config')]",
    ),
    (
        "facebook",
        "//*[" + has_class("fb-comments") + "] | //*[local-name()='fb:comments']"
        " | //*[local-name()='comments' and contains(name(), 'fb')]",
    ),
    ("coral", "//*[@id='coral_thread'] | //script[contains(@src, 'coral')]"),
    (
        "openweb",
        "//*[contains(@data-spotim-module, 'conversation')]"
        " | //script[contains(@src, 'spot.im') or contains(@src, 'openweb')]",
    ),
    ("commento", "//*[@id='commento'] | //script[contains(@src, 'commento')]"),
    ("hyvor", "//*[@id='hyvor-talk-view']"),
    ("utterances", "//script[contains(@src, 'utteranc.es') or contains(@src, 'giscus')]"),
    ("vuukle", "//*[@id='vuukle-comments'] | //script[contains(@src, 'vuukle')]"),
)
# Words each widget's markup contains: a page with none of them is spared that widget's scan.
_PLATFORM_MARKERS = {
    "disqus": ("disqus",), "facebook": ("fb-comments", "fb:comments"), "coral": ("coral",),
    "openweb": ("spotim", "spot.im", "openweb"), "commento": ("commento",), "hyvor": ("hyvor",),
    "utterances": ("utteranc", "giscus"), "vuukle": ("vuukle",),
}  # fmt: skip
_ITEM = (
    "descendant::*[("
    + has_class("comment", "commentaire", "comment-item")
    + " or contains(@itemtype, 'schema.org/Comment')) and not(self::form)]"
)
# Comment items of plugins and forums: "wc-comment" (wpDiscuz), "xenforo-comment".
_ITEM_CLASS = re.compile(r"(?:^|\s)[a-z]+[-_]comment(?:\s|$)")
# Each list is in order of preference: WordPress wraps ".fn" in ".comment-author" with "dit :".
_AUTHOR = [
    ".//*["
    + has_class("fn", "comment-author-name", "comment-author-link")
    + " or @itemprop='author']",
    ".//cite",
    ".//*[" + has_class("comment-author", "author", "pseudo", "username") + "]",
]
_DATE = [
    ".//*[@itemprop='dateCreated' or @itemprop='datePublished']",
    ".//time",
    ".//*[" + has_class("comment-date", "date", "comment-metadata", "commentmetadata") + "]",
]
_TEXT = [
    ".//*["
    + has_class("comment-content", "comment-text", "comment_text", "commentText")
    + " or @itemprop='text' or @itemprop='commentText']",
    # Older WordPress themes: the paragraphs of .comment-body, without its author and date.
    ".//*[" + has_class("comment-body") + "]/p",
    ".//*[contains(@class, 'comment') and (contains(@class, 'text')"
    " or contains(@class, 'content') or contains(@class, 'body'))]",
    ".//*[" + has_class("text", "message") + "]",
]
_HEADING = ".//*[self::h2 or self::h3 or self::h4 or " + has_class("comments-title", "count") + "]"


def _items(section: Selector) -> list[Selector]:
    items = list(section.xpath(_ITEM))
    if items:
        return items
    return [
        node
        for node in section.xpath("descendant::*[@class]")
        if _ITEM_CLASS.search(node.attrib.get("class", "").lower())
    ]


def _owned(node: Selector, item: Selector, items: set[object]) -> bool:
    owner = node.root.getparent()
    while owner is not None and owner not in items:
        owner = owner.getparent()
    return owner is item.root


def _own(item: Selector, paths: list[str], items: set[object]) -> Selector | None:
    """The first match under `item` that belongs to it and not to a nested reply."""
    for path in paths:
        for node in item.xpath(path):
            if _owned(node, item, items):
                return node
    return None


def _own_text(item: Selector, items: set[object]) -> str:
    """The comment's own text: the first text element that belongs to it, or all of the
    paragraphs when the text is a run of <p> (older WordPress themes)."""
    for path in _TEXT:
        nodes = [n for n in item.xpath(path) if _owned(n, item, items)]
        if nodes:
            if path.endswith("/p"):
                return "\n".join(t for t in (text_of(n) for n in nodes) if t)
            return text_of(nodes[0])
    return ""


def _comment_id(item: Selector, position: int) -> str:
    raw = (
        item.attrib.get("data-id")
        or item.attrib.get("data-comment-id")
        or item.attrib.get("id")
        or item.xpath("./*[starts-with(@id, 'comment-')]/@id").get()  # li > div#comment-12
    )
    if not raw:
        return f"c{position}"
    for prefix in ("li-comment-", "comment-", "commentaire-"):
        if raw.startswith(prefix):
            return raw[len(prefix) :]
    return raw


def _date_raw(node: Selector | None) -> str | None:
    if node is None:
        return None
    return node.attrib.get("datetime") or node.attrib.get("content") or text_of(node) or None


def _read_items(items: list[Selector]) -> list[Comment]:
    roots = {item.root for item in items}
    comments: list[Comment] = []
    ids: dict[object, str] = {}
    for position, item in enumerate(items, start=1):
        text = _own_text(item, roots)
        if not is_comment_text(text):
            continue
        comment_id = _comment_id(item, position)
        ids[item.root] = comment_id
        parent_id = item.attrib.get("data-parent") or item.attrib.get("data-parent-id") or None
        if parent_id is None:
            ancestor = item.root.getparent()
            while ancestor is not None and ancestor not in roots:
                ancestor = ancestor.getparent()
            parent_id = ids.get(ancestor) if ancestor is not None else None
        author = _own(item, _AUTHOR, roots)
        comments.append(
            Comment(
                id=comment_id,
                parent_id=parent_id,
                author=text_of(author) or None if author is not None else None,
                published_raw=_date_raw(_own(item, _DATE, roots)),
                text=text,
            )
        )
    return comments


@dataclass
class Comments:
    """What the page says about its comments, and where it says it."""

    comments: list[Comment] = field(default_factory=list)
    shown: int | None = None  # the count the page prints
    source: str | None = None  # "html", "microdata", "json-ld", or "external:disqus"...


def extract_comments(
    sel: Selector, objects: list[dict[str, Any]] | None = None, html: str | None = None
) -> Comments:
    """The comments and the count the page shows; the section is then removed from the tree.

    Sources, first that gives comments: the page's comment section, schema.org Comment
    microdata anywhere, Comment objects in JSON-LD (`objects`); when none, a widget that
    loads them from elsewhere (Disqus, Facebook...) is named as the source."""
    platform = comment_platform(sel, html)
    sections = sel.xpath(_SECTION)
    shown = None
    source = None
    comments: list[Comment] = []
    if sections:
        # The first section that holds comment items; a "#respond" form or a count link
        # may come before the list itself.
        section = next((s for s in sections if _items(s)), sections[0])
        for heading in section.xpath(_HEADING):
            shown = parse_comment_count(text_of(heading))
            if shown is not None:
                break
        comments = _read_items(_items(section))
        source = "html" if comments else None
        if (
            shown is None
            and not comments
            and any(is_empty_notice(line) for line in section.xpath(".//text()").getall())
        ):
            shown = 0
    if not comments:
        microdata = sel.xpath(_MICRODATA_COMMENT)
        comments = _read_items(list(microdata))
        source = "microdata" if comments else None
        drop_all(microdata)
    if not comments and objects:
        comments = json_ld_comments(objects)
        source = "json-ld" if comments else None
    if shown is None and objects:
        shown = _json_ld_count(objects)
    if not comments and platform:
        source = f"external:{platform}"
    drop_all(sections)
    return Comments(comments, shown, source)


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
            if is_comment_text(text):
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


def comment_platform(sel: Selector, html: str | None = None) -> str | None:
    """The widget that loads the comments from elsewhere (Disqus, Facebook...), or None.

    Given the page's `html`, widgets whose marker words it lacks are not looked for.
    """
    lowered = html.lower() if html is not None else None
    for name, path in _PLATFORMS:
        markers = _PLATFORM_MARKERS.get(name)
        if lowered is not None and markers and not any(m in lowered for m in markers):
            continue
        try:
            if sel.xpath(path):
                return name
        except ValueError:  # a prefixed name lxml's XPath cannot take
            continue
    return None
