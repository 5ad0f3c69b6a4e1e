"""Small helpers over parsel selectors and lxml elements shared by the extractors.

Element-level helpers walk the tree in Python: on a page of a few hundred elements one walk
costs less than one XPath query whose predicate tests every element's class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import Any

from lxml import etree
from parsel import Selector

from archiver.normalize.text import clean_text

_INVISIBLE = frozenset({"script", "style", "noscript"})
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def parse_html(html: str | bytes | None) -> Selector:
    """The page as a Selector over a plain lxml tree, always read as HTML. parsel's own parse
    gives lxml.html elements, each looked up by a Python class lookup whenever the extractors
    touch it (about 7% of extraction on a 60 KB page; nothing here needs their extra methods),
    and reads a page that opens with an XML declaration as XML, with namespaced tags.
    NULs are looked for in the UTF-8 bytes, a seventh of the time of a search of the text; no
    extractor looks elements up by id, so lxml keeps no table of them (4% of the parse).
    Bytes are UTF-8 (decode_html's `utf8`), taken as they are: encoding the text again cost 3%
    of a page's reading. Unless they open and end with a tag, the text's strip() may take off
    more than theirs (a no-break space), so they are decoded first."""
    body = html.strip() if isinstance(html, bytes) else None
    if body is None or not (body.startswith(b"<") and body.endswith(b">")):
        if isinstance(html, bytes):
            html = html.decode("utf-8", "replace")
        body = (html or "").strip().encode("utf-8", "replace")
    if b"\x00" in body:
        body = body.replace(b"\x00", b"")
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True, collect_ids=False)
    root = etree.fromstring(body, parser=parser) if body else None
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser)
    return Selector(root=root, type="html")


def element_text(element: Any) -> str:
    """The visible text of an lxml element, whitespace collapsed (scripts and styles left out)."""
    if element is None or not isinstance(element.tag, str) or element.tag in _INVISIBLE:
        return ""
    if within(element, _INVISIBLE):
        return ""
    if not len(element):  # no child: its own text is all there is
        return clean_text(element.text)
    parts: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "start":
            if node.tag in _INVISIBLE:
                walker.skip_subtree()  # its tail is still text, read at its "end"
            elif node.text and isinstance(node.tag, str):  # an entity's text is its name
                parts.append(node.text)
        elif node is not element and node.tail:  # "end", or a comment's text after it
            parts.append(node.tail)
    return clean_text(" ".join(parts))


def within(element: Any, tags: frozenset[str]) -> bool:
    """Whether an ancestor of the element has one of these tags. A walk in Python, while the
    page's elements are held (find_candidates): half the time of lxml's iterancestors(*tags),
    which reads the tags anew at each call."""
    parent = element.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


class TextNode(str):
    """A text node as lxml's XPath gives it: the text, getparent() (the element it is in or,
    for a tail, the node it follows) and is_tail."""

    is_tail: bool

    def __new__(cls, text: str, parent: Any, is_tail: bool) -> TextNode:
        node = super().__new__(cls, text)
        node._parent = parent  # type: ignore[attr-defined]
        node.is_tail = is_tail
        return node

    def getparent(self) -> Any:
        return self._parent  # type: ignore[attr-defined]


def descendant_texts(element: Any) -> Iterator[tuple[str, Any, bool]]:
    """The text nodes inside an element, in page order, as XPath's descendant::text() sees
    them: (text, the node getparent() gives, is_tail). Its own tail is not inside it, nor is an
    empty text that dropping an element can leave (XPath would list it)."""
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, inner in walker:
        if event == "start":
            if inner.text:
                yield inner.text, inner, False
        elif inner is not element and inner.tail:  # "end", or after a comment
            yield inner.tail, inner, True


def following_texts(element: Any) -> Iterator[tuple[str, Any, bool]]:
    """The text nodes after the element's end, in page order, as XPath's following::text()
    sees them: (text, the node getparent() gives, is_tail). Lazy, so that a caller wanting the
    next few stops there; libxml2 builds the whole axis to the end of the page first."""
    node = element
    while node is not None:
        if node.tail:
            yield node.tail, node, True
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str):
                yield from descendant_texts(sibling)
            if sibling.tail:
                yield sibling.tail, sibling, True
        node = node.getparent()


def nodes_after(element: Any, count: int) -> list[Any]:
    """The `count` nodes (elements, comments, processing instructions) that follow the element
    in the order `getroottree().iter()` lists its tree: its own subtree first, then what comes
    after it under the root element. An element outside the root element (a top element beside
    it, or taken out of the tree) gets the first nodes after the root element's start. A walk
    from the element, where listing the whole tree to find its place took 0.5 ms on a large
    page."""
    root = element.getroottree().getroot()
    top = element
    while (parent := top.getparent()) is not None:
        top = parent
    if top is not root:
        return list(islice(root.iter(), 1, count + 1))
    found = list(islice(element.iter(), 1, count + 1))
    node = element
    while len(found) < count and node is not root:
        for sibling in node.itersiblings():
            found.extend(islice(sibling.iter(), count - len(found)))
            if len(found) >= count:
                break
        node = node.getparent()
    return found


def text_of(node: Selector | None) -> str:
    """The visible text of a node, whitespace collapsed."""
    if node is None:
        return ""
    return element_text(node.root) if hasattr(node.root, "tag") else clean_text(str(node.root))


def top_elements(root: Any) -> list[Any]:
    """The document's top elements, as XPath's `//` sees them: a broken page can leave elements
    beside the root element ("<html><head></head></html><html><body>..."), not under it."""
    before = list(root.itersiblings(etree.Element, preceding=True))
    return [*reversed(before), root, *root.itersiblings(etree.Element)]


def document_elements(root: Any, *tags: str) -> Iterator[Any]:
    """Every element of root's document (or those of `tags`), in page order, top elements
    beside the root included. A page with one top element, nearly every page, gets lxml's own
    iterator: the walks over every element of the page pay no generator step per element."""
    tags = tags or (etree.Element,)
    tops = top_elements(root)
    if len(tops) == 1:
        return root.iter(*tags)
    return chain.from_iterable(top.iter(*tags) for top in tops)


# What XPath's normalize-space() splits on; str.split() would also split on no-break spaces.
_XPATH_SPACE = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def class_words(value: str | None) -> list[str]:
    """The words of a class attribute as XPath's `contains(concat(' ', normalize-space(@class),
    ' '), ' word ')` sees them: split on spaces, tabs and line breaks only."""
    if not value:
        return []
    if value.isprintable():  # its only whitespace is the ASCII space: str.split() is exact
        return value.split()
    return [word for word in value.translate(_XPATH_SPACE).split(" ") if word]


def drop_all(nodes: Iterable[Selector]) -> None:
    """Remove nodes from the tree so that later extractors (the body) never see them."""
    drop_elements(node.root for node in nodes if hasattr(node.root, "getparent"))


def drop_elements(elements: Iterable[Any]) -> None:
    """drop_all for lxml elements: each leaves the tree, its tail text stays."""
    for element in elements:
        parent = element.getparent()
        if parent is None:
            continue  # the root, or gone already
        if element.tail:
            previous = element.getprevious()
            if previous is not None:
                previous.tail = writable((previous.tail or "") + element.tail)
            else:
                parent.text = writable((parent.text or "") + element.tail)
        parent.remove(element)


def writable(text: str) -> str:
    """Text lxml accepts back into a tree: the page's text less the characters XML forbids
    (a control character in a page would otherwise cost the whole run of text around it)."""
    return _NOT_XML.sub("", text)


def has_class(*names: str) -> str:
    """An XPath predicate for an element carrying any of these exact class tokens."""
    # The plain contains() first: it is cheap and false for almost every element, so the
    # normalize-space() that makes the test exact runs on a few elements only.
    tests = [
        f'(contains(@class, "{name}") and '
        f'contains(concat(" ", normalize-space(@class), " "), " {name} "))'
        for name in names
    ]
    return " or ".join(tests)
