"""Reader comments: one raw record per comment, with the comment it replies to.

Handles flat lists that name their parent (data-parent) and nested lists (WordPress
`ol.children`), where the parent is the enclosing comment.
"""

from __future__ import annotations

from parsel import Selector

from archiver.extract.nodes import drop_all, has_class, text_of
from archiver.items import Comment
from archiver.normalize.comments import is_comment_text, is_empty_notice, parse_comment_count

_SECTION = (
    "//*[@id='comments' or @id='commentaires' or @id='respond' or "
    + has_class("comments", "commentaires", "comment-section", "comments-area", "commentlist")
    + " or @itemprop='comment']"
)
_ITEM = (
    "descendant::*[("
    + has_class("comment", "commentaire", "comment-item")
    + " or contains(@itemtype, 'schema.org/Comment')) and not(self::form)]"
)
# Each list is in order of preference: WordPress wraps ".fn" in ".comment-author" with "dit :".
_AUTHOR = [
    ".//*[" + has_class("fn") + " or @itemprop='author']",
    ".//*[" + has_class("comment-author", "author", "pseudo", "username") + "]",
]
_DATE = [".//time", ".//*[" + has_class("comment-date", "date", "comment-metadata") + "]"]
_TEXT = [
    ".//*[" + has_class("comment-content", "comment-text") + " or @itemprop='text']",
    ".//*[" + has_class("text", "comment-body", "message") + "]",
]
_HEADING = ".//*[self::h2 or self::h3 or self::h4 or " + has_class("comments-title", "count") + "]"


def _own(item: Selector, paths: list[str], items: set[object]) -> Selector | None:
    """The first match under `item` that belongs to it and not to a nested reply."""
    for path in paths:
        for node in item.xpath(path):
            owner = node.root.getparent()
            while owner is not None and owner not in items:
                owner = owner.getparent()
            if owner is item.root:
                return node
    return None


def _comment_id(item: Selector, position: int) -> str:
    raw = item.attrib.get("data-id") or item.attrib.get("data-comment-id") or item.attrib.get("id")
    if not raw:
        return f"c{position}"
    for prefix in ("comment-", "commentaire-", "li-comment-"):
        if raw.startswith(prefix):
            return raw[len(prefix) :]
    return raw


def extract_comments(sel: Selector) -> tuple[list[Comment], int | None]:
    """The comments and the count the page shows; the section is then removed from the tree."""
    sections = sel.xpath(_SECTION)
    if not sections:
        return [], None
    section = sections[0]
    shown = None
    for heading in section.xpath(_HEADING):
        shown = parse_comment_count(text_of(heading))
        if shown is not None:
            break
    items = section.xpath(_ITEM)
    roots = {item.root for item in items}
    comments: list[Comment] = []
    ids: dict[object, str] = {}
    for position, item in enumerate(items, start=1):
        text_node = _own(item, _TEXT, roots)
        text = text_of(text_node) if text_node is not None else ""
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
        date = _own(item, _DATE, roots)
        date_raw = None
        if date is not None:
            date_raw = date.attrib.get("datetime") or text_of(date) or None
        comments.append(
            Comment(
                id=comment_id,
                parent_id=parent_id,
                author=text_of(author) or None if author is not None else None,
                published_raw=date_raw,
                text=text,
            )
        )
    if (
        shown is None
        and not comments
        and any(is_empty_notice(line) for line in section.xpath(".//text()").getall())
    ):
        shown = 0
    drop_all(sections)
    return comments, shown
