"""The article's main text: the block of paragraphs that carries the most prose.

Runs last, after comments, figures, bylines and the lead have been taken out of the tree.
"""

from __future__ import annotations

from parsel import Selector

from archiver.extract.nodes import drop_all, text_of

_BOILERPLATE_WORDS = (
    "share", "partage", "social", "newsletter", "related", "lire-aussi", "a-lire", "breadcrumb",
    "sticky", "advert", "pub-", "sponsor", "outbrain", "taboola", "promo", "cookie", "paywall",
)  # fmt: skip
_BOILERPLATE = (
    "//nav | //aside | //header | //footer | //form | //script | //style | //noscript | //iframe"
    " | //button | //*[@role='navigation' or @role='complementary' or @aria-hidden='true'"
    + "".join(f" or contains(@class, '{word}')" for word in _BOILERPLATE_WORDS)
    + "]"
)
_BLOCKS = (
    ".//*[self::p or self::h2 or self::h3 or self::h4 or self::h5 or self::li or self::blockquote"
    " or self::pre][not(ancestor::p or ancestor::li or ancestor::blockquote or ancestor::pre)]"
)
_CANDIDATES = "//*[@itemprop='articleBody'] | //article | //main | //section | //div | //body"


def _score(node: Selector) -> int:
    return sum(
        len(text_of(p)) for p in node.xpath("./p | ./blockquote | ./h2 | ./h3 | ./ul | ./ol")
    )


def extract_body(sel: Selector) -> list[str]:
    """Paragraphs, headings and list items of the main text, in order, as plain strings."""
    drop_all(sel.xpath(_BOILERPLATE))
    best, best_score = None, 0
    for node in sel.xpath(_CANDIDATES):
        score = _score(node)
        if score > best_score:
            best, best_score = node, score
    if best is None:
        return []
    blocks = []
    for node in best.xpath(_BLOCKS):
        text = text_of(node)
        if not text:
            continue
        blocks.append(f"- {text}" if node.root.tag == "li" else text)
    return blocks
