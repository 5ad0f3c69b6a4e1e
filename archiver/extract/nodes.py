"""Small helpers over parsel selectors shared by the extractors."""

from __future__ import annotations

from collections.abc import Iterable

from parsel import Selector

from archiver.normalize.text import clean_text

_VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"


def text_of(node: Selector | None) -> str:
    """The visible text of a node, whitespace collapsed."""
    if node is None:
        return ""
    return clean_text(" ".join(node.xpath(_VISIBLE_TEXT).getall()))


def first_text(sel: Selector, css: str) -> str | None:
    for node in sel.css(css):
        text = text_of(node)
        if text:
            return text
    return None


def drop_all(nodes: Iterable[Selector]) -> None:
    """Remove nodes from the tree so that later extractors (the body) never see them."""
    for node in nodes:
        try:
            node.drop()
        except Exception:  # the node may already be gone with an ancestor
            continue


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
