"""The article's main text: paragraphs, headings, list items and table rows, in reading order.

The page is cut into blocks of text. The element whose subtree holds the most prose and the
least furniture (link lists, short lines, boxes whose class or id says share, related,
newsletter, comments...) is taken to be the article; its blocks are then kept in order, minus
what still reads as furniture. Runs last, after comments, figures, bylines and the lead have
been taken out of the tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any

import lxml.html
from lxml import etree
from parsel import Selector

from archiver.extract.nodes import document_elements, element_text, writable
from archiver.normalize.text import clean_text, fold

# Elements that end the current line of text and start a new block.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset figcaption"
    " figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre"
    " section summary table tbody thead tfoot tr td th caption ul legend".split()
)
# Elements whose text is never prose: code, controls, embedded media.
_SKIP_TAGS = frozenset(
    "script style noscript iframe svg canvas button select option input textarea object embed"
    " template head title meta link map video audio label datalist math rt rp".split()
)  # rt and rp: a ruby's reading, shown above the word, not in the line ("子<rt>こ</rt>")
# Structural elements that hold furniture when they are inside the article.
# <noscript> is among them: it usually says "enable JavaScript", but an unclosed element in it
# can swallow the whole page, and then it must be read.
_FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "menu", "dialog"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# Class or id words of furniture; matched at the start of a word of the attribute, so that
# "share-bar", "sharedaddy" and "socialIcons" match and "shadow" or "bookmarks" do not.
# Strong words name boxes that never wrap the article (comments, footers, cookie banners);
# a live report's "live-comment" or "match-comment" is the article itself, minute by minute;
# weak ones are sometimes found on a wrapper of the whole page ("has-sidebar", "no-ads").
_COMMENT = (
    r"(?<!live.)(?<!match.)comment(?!ar)|kommentar(?:e|bereich|liste|[-_])|disqus|respond|replies"
)
_STRONG_WORDS = re.compile(
    rf"(?:^|[^a-z0-9])(?:{_COMMENT}|footer|ligatus|plista|jp-relatedposts|yarpp|crp_related|"
    r"shariff|addthis|addtoany|sharedaddy)|cookie|consent|gdpr|outbrain|taboola|newsletter"
)
_COMMENT_WORDS = re.compile(rf"(?:^|[^a-z0-9])(?:{_COMMENT})")
_WEAK_WORDS = re.compile(
    r"(?:^|[^a-z0-9])(?:share|sharing|social|soc-|related|relatedposts|recommend|"
    r"subscri|abonn|breadcrumb|fil-ariane|ariane|sidebar|side-bar|"
    r"(?<!elementor-)widget(?:$|[\s_]|-area|s)|menu|navbar|navigation|nav(?:$|[^a-z])|"
    r"pagination|pager|paging|promo|advert|ads?(?:$|[^a-z])|adsense|dfp|banner|sponsor|"
    r"popup|modal|lightbox|overlay|reply|tags(?:$|[^a-z])|tag-?(?:list|cloud|links|box)|"
    r"tagcloud|keywords|meta(?:$|[^a-z])|entry-meta|postmetadata|toolbar|tools(?:$|[^a-z])|"
    r"rating|vote|login|signup|register|skip|sr-only|screen-reader|visually-?hidden|"
    r"caption|legende|credit|teaser|read-?more|more-stories|more-articles|trending|popular|"
    r"most-?read|lire-aussi|a-lire|alire|see-?also|also-read|next-post|prev-post|post-nav|"
    r"nextprev|sticky|author-?box|author-bio|about-author|bio(?:$|[^a-z])|byline|dateline|"
    r"copyright|disclaimer|rss|feed|follow|donate|app-promo|a2a|sociable|wp-block-buttons)"
    r"|(?:^|\s)(?:hidden|d-none|is-hidden|invisible)(?:\s|$)"
)
# Words of the class or id that vouch for the article itself.
_CONTENT_WORDS = re.compile(
    r"(?:^|[^a-z0-9])(?:article[-_]?body|article[-_]?content|article[-_]?text|entry[-_]content|"
    r"entry[-_]body|post[-_]?content|post[-_]?body|post-entry|story[-_]?body|story[-_]?content|"
    r"body[-_]?text|article__body|article__content|main[-_]?content|content[-_]body|"
    r"text-content|field-body|field-name-body|rich-?text|td-post-content|single-content)"
)
_BEM_MODIFIER = re.compile(r"--[\w-]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Short lines that are furniture in any of the languages the pages come in.
_FURNITURE_TEXT = re.compile(
    r"^(?:partage[rz]?|share|teilen|tweet(?:er)?|imprimer|print|drucken|e-?mail|envoyer|"
    r"(?:à |a )?lire (?:aussi|également|egalement|la suite)|voir aussi|sur le même sujet|"
    r"read (?:more|also|next)|see also|related(?: articles| posts| stories)?|more on this|"
    r"weiterlesen|mehr (?:zum thema|dazu|lesen)|auch interessant|das könnte sie auch interessieren|"
    r"lesen sie auch|anzeige|werbung|advertisement|publicité|sponsored|"
    r"abonnez-vous|s'abonner|subscribe|newsletter|follow us|suivez-nous|"
    r"tags?|mots-clés|mots clés|schlagworte|schlagwörter|étiquettes|"
    r"commentaires?|comments?|kommentare?|\d+ (?:commentaires?|comments?|kommentare?)|"
    r"leave a (?:comment|reply)|laisser un commentaire|"
    r"all rights reserved|tous droits réservés|alle rechte vorbehalten|©.*|copyright.*|"
    r"retour en haut|back to top|nach oben|zurück|top|menu|navigation|"
    r"like this:|j'aime ceci|gefällt mir|loading\.*|chargement\.*|"
    r"facebook|twitter|linkedin|whatsapp|pinterest|xing|reddit|instagram|"
    # what French news sites print around the text: reading time, paywall, buttons
    r"(?:temps de )?lecture\s*:?\s*\d+\s*min(?:utes?)?|"
    r"partager (?:sur|par) \w+(?: \w+)?|envoyer par (?:e-?)?mail|copier le lien|"
    r"(?:abonnez|inscrivez)-vous (?:à|a) (?:notre|la|nos) newsletters?.*|"
    r"(?:cet )?article (?:est )?réservé aux abonnés|la suite est réservée aux abonnés|"
    r"il vous reste \d+\s*% de (?:cet |l')article à lire|offrir cet article|"
    r"déjà abonné\s*\?.*|se connecter|pour lire la suite\b.*|(?:ou )?si vous avez déjà un compte\b.*|"
    r"permalien(?:\s*:?\s*\S+)?|vous avez aimé cet article\s*\?|"
    r"suivez-nous sur google (?:news|actualités)|contenus? sponsorisés?|"
    r"signaler (?:un contenu|un abus|une erreur)|(?:ajouter à )?(?:mes|vos) favoris|"
    r"lire plus tard|écouter (?:cet |l')article|voir les commentaires|réagir|commenter)\W*$",
    re.IGNORECASE | re.DOTALL,  # a line the page breaks with <br> is still one line of furniture
)
# Headings of the boxes that point elsewhere ("Articles liés", "À lire aussi"): a box that opens
# with one is furniture, however much prose its teasers hold.
_RELATED_HEADING = re.compile(
    r"^(?:(?:nos |les |d'autres |autres |des )?articles? (?:liés|similaires|en relation|"
    r"connexes|recommandés|populaires|les plus lus)|(?:à |a )?lire (?:aussi|également|egalement|"
    r"encore)|à découvrir(?: aussi| également)?|voir aussi|sur le même (?:sujet|thème)|"
    r"dans la même rubrique|vous aimerez (?:aussi|peut-être(?: aussi)?)|les plus lus|"
    r"(?:les )?derniers articles|plus d'articles|related (?:articles|posts|stories|content)|"
    r"you (?:may|might) also like|more stories|read (?:more|next|also)|lesen sie auch|"
    r"weitere artikel|ähnliche artikel|das könnte sie auch interessieren)"
    r"\W*$",
    re.IGNORECASE,
)
# How much a character of furniture inside a candidate costs against a character of prose.
_FURNITURE_COST = 0.4
_TAIL_MAX = 50
_SIBLING_MIN = 100
_SIBLING_SHARE = 0.3
_SKIPPED_COST = 0.25
_SENTENCE = re.compile(r"[.!?…:;,。、！？]")
_COOKIE_NOTICE = re.compile(
    r"\bcookies?\b.*\b(?:accept|consent|privacy|browser|navigat|datenschutz|akzeptier|"
    r"einverstanden|utilis|naviga|confidentialit)",
    re.IGNORECASE | re.DOTALL,
)


@dataclass
class Block:
    """One block of text and the element it belongs to."""

    element: Any
    kind: str
    text: str
    link_chars: int = 0
    prose: bool = field(init=False)  # read once: the container search asks for every block

    def __post_init__(self) -> None:
        self.prose = _reads_as_prose(self)

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


@dataclass
class _Reader:
    """Walks a tree and cuts its text into blocks at block-level elements and double <br>."""

    skip: set[Any] = field(default_factory=set)
    blocks: list[Block] = field(default_factory=list)
    # Each block element read, with the blocks it holds (first index, end index); and those
    # with text of their parent's right before or right after them (see _blocks_within).
    spans: dict[Any, tuple[int, int]] = field(default_factory=dict)
    text_beside: set[Any] = field(default_factory=set)

    def read(self, root: Any) -> list[Block]:
        """Walk without recursion: a page nested thousands of levels deep must not raise. One
        loop, its state in locals: it meets every element twice, and every run of text."""
        blocks, spans, text_beside, skip = self.blocks, self.spans, self.text_beside, self.skip
        owner = root  # the block element the current text belongs to
        owners: list[Any] = []  # and those of the enclosing blocks, with
        starts: list[int] = []  # the index of their first block
        ended: list[Any] = []  # block elements ended since the last boundary
        parts: list[str] = []
        links = 0  # characters of link text among the parts
        in_link = 0
        addresses: set[Any] = set()  # links to an e-mail address or phone number: text to read
        in_pre = 0  # inside <pre> or <code>, where the source's line breaks are the reader's too
        broken = False  # a <br> ended the line, and no text came since
        skipped = None  # the element whose subtree was just skipped: its end comes next

        def boundary() -> bool:
            """End the current block; whether it held text. That text came right after the
            block elements ended since the last boundary."""
            nonlocal parts, links, broken
            broken = made = False
            if parts:
                joined = "".join(parts)
                if joined.isspace():  # the indentation between two block elements
                    text = ""
                elif "\n" not in joined:
                    text = clean_text(joined)
                else:
                    text = "\n".join(line for line in map(clean_text, joined.split("\n")) if line)
                if text:
                    blocks.append(Block(owner, _KINDS.get(owner.tag, "p"), text, links))
                    text_beside.update(ended)
                    made = True
                parts, links = [], 0
            ended.clear()
            return made

        actions: list[str | None] = []  # the action of each element read and not ended yet
        walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
        for event, element in walker:
            if event == "start":
                tag = element.tag
                action = _ACTIONS.get(tag) if isinstance(tag, str) else _LEAVE_OUT
                if action is _LEAVE_OUT or action is _LINE_BREAK or (skip and element in skip):
                    walker.skip_subtree()
                    skipped = element
                    if action is _LINE_BREAK:
                        # two line breaks in a row end a paragraph; one is a break within it
                        if broken:
                            boundary()
                        else:
                            parts.append("\n")
                            broken = True
                    continue
                if action is _BLOCK:
                    if not parts:  # nothing read since the last boundary: no call needed
                        ended.clear()
                    elif boundary():
                        text_beside.add(element)
                    starts.append(len(blocks))
                    owners.append(owner)
                    owner = element
                    if tag == "pre":
                        in_pre += 1
                elif action is _LINK:
                    if _shows_an_address(element):
                        addresses.add(element)
                    else:
                        in_link += 1
                elif action is _CODE:
                    in_pre += 1
                actions.append(action)
                text = element.text
            elif event == "end":
                if element is skipped:
                    skipped = None
                else:
                    action = actions.pop()  # rather than its tag read again: a new str each time
                    if action is _BLOCK:
                        if parts:
                            boundary()
                        else:
                            ended.clear()
                        spans[element] = (starts.pop(), len(blocks))
                        ended.append(element)
                        owner = owners.pop() if owners else root
                        if element.tag == "pre":
                            in_pre -= 1
                    elif action is _LINK:
                        if element not in addresses:
                            in_link -= 1
                    elif action is _CODE:
                        in_pre -= 1
                if element is root:
                    continue
                text = element.tail
            else:  # a comment or processing instruction: the text after it is in the flow
                text = element.tail
            if text and (parts or not text.isspace()):  # a block's indentation is not read
                if "\n" in text and not in_pre:
                    text = text.replace("\n", " ")  # the source's line break: a space on screen
                if "\u00ad" in text:
                    text = text.replace("\u00ad", "")  # soft hyphens split words for the eye
                parts.append(text)
                if broken and not text.isspace():
                    broken = False
                if in_link:
                    links += len(clean_text(text))
        boundary()
        return blocks


def _shows_an_address(link: Any) -> bool:
    """A link that shows the e-mail address or phone number it dials: a contact to read, not a
    way elsewhere ("Envoyer par e-mail", a share button, is a way elsewhere)."""
    href = link.get("href") or ""
    if not href.startswith(("mailto:", "tel:")):
        return False
    shown = link.text or ""
    return "@" in shown if href.startswith("mailto:") else any(c.isdigit() for c in shown)


_BLOCK, _LEAVE_OUT, _LINE_BREAK, _LINK, _CODE = "block", "leave out", "line break", "link", "code"
# What the reader does at the start of an element, by tag; other elements are read inline.
_ACTIONS: dict[str, str] = {
    **{tag: _BLOCK for tag in _BLOCK_TAGS},
    **{tag: _LEAVE_OUT for tag in _SKIP_TAGS},
    "br": _LINE_BREAK,
    "a": _LINK,
    "code": _CODE,  # shown as written, line by line, on nearly every site that has code
}
_KINDS: dict[Any, str] = {
    **{tag: tag for tag in (*_HEADINGS, "pre", "blockquote")},
    **{tag: "li" for tag in ("li", "dt", "dd")},
    **{tag: "cell" for tag in ("td", "th")},
}


def _attributes(element: Any) -> str:
    """Class and id, lower-cased, without BEM modifiers ("section--ads" is still a section)."""
    return _class_and_id(element.get("class"), element.get("id"))


@lru_cache(maxsize=8192)
def _class_and_id(classes: str | None, id_: str | None) -> str:
    return _BEM_MODIFIER.sub("", f"{classes or ''} {id_ or ''}").lower()


_NEVER_FURNITURE = frozenset({"html", "body", "main", "article", "p", *_HEADINGS})


def _furniture_kind(element: Any) -> str | None:
    """How an element says it is furniture: "strong" for boxes that never wrap the article,
    "tag" for structural elements (nav, header, aside...), "weak" for class words, else None."""
    tag = element.tag
    if tag in _NEVER_FURNITURE:
        # an <article> is the article, unless it is a dialog that waits for a click
        return "weak" if tag == "article" and _is_dialog(element) else None
    if tag in _FURNITURE_TAGS:
        return "tag"
    names = element.keys()  # one list: most elements have no attribute read below
    if not names:
        return None
    if "hidden" in names or "aria-hidden" in names or "style" in names or "role" in names:
        if _is_hidden(element):
            return "weak"
        role = element.get("role") or ""
        if role in ("navigation", "complementary", "contentinfo", "search", "banner", "dialog"):
            return "tag"
    if "class" not in names and "id" not in names:
        return None
    return _words_kind(element.get("class"), element.get("id"))


_DIALOG_WORDS = re.compile(r"(?:^|[^a-z0-9])(?:modal|popup|pop-up|lightbox|dialog)(?:$|[^a-z])")


def _is_dialog(element: Any) -> bool:
    return element.get("role") in ("dialog", "alertdialog") or bool(
        _DIALOG_WORDS.search(_attributes(element))
    )


@lru_cache(maxsize=8192)
def _words_kind(classes: str | None, id_: str | None) -> str | None:
    """What a class and id pair says. Memoized: a site repeats its class names on every page."""
    attributes = _class_and_id(classes, id_)
    if _CONTENT_WORDS.search(attributes):
        return None
    if _STRONG_WORDS.search(attributes):
        return "strong"
    if _WEAK_WORDS.search(attributes):
        return "weak"
    return None


def _reads_as_prose(block: Block) -> bool:
    if block.kind in _HEADINGS and len(block.text) < 100:
        return False
    own = len(block.text) - block.link_chars
    if own < 30 or block.link_density > 0.33 or not _SENTENCE.search(block.text):
        return False
    return not _is_cookie_notice(block.text)


def _is_cookie_notice(text: str) -> bool:
    """A short text about cookies and consent. The case-blind regex costs 7 µs on a paragraph
    of 500 characters, and is asked of nearly every block twice. It needs "cookie", so a text
    is ruled out first by three scans for a k (k, K, or the Kelvin sign, the one other character
    the regex takes for a k; French prose seldom has one), then by "ook" in its lower-cased
    text (the Kelvin sign lower-cases to k)."""
    if len(text) >= 600 or ("k" not in text and "K" not in text and "\u212a" not in text):
        return False
    return "ook" in text.lower() and _COOKIE_NOTICE.search(text) is not None


def _ancestors(element: Any, stop: Any) -> Iterator[Any]:
    while element is not None:
        yield element
        if element is stop:
            return
        element = element.getparent()


@dataclass
class _Amounts:
    """Characters of prose, of any text and of link text under each element."""

    prose: dict[Any, int] = field(default_factory=dict)
    text: dict[Any, int] = field(default_factory=dict)
    links: dict[Any, int] = field(default_factory=dict)
    # each block's element and its ancestors up to the root, in the order of the blocks
    chains: list[tuple[Any, ...]] = field(default_factory=list)


def _amounts(blocks: list[Block], root: Any) -> _Amounts:
    """Counted once from the blocks, so that no element's subtree is walked again. Each block's
    element is counted, then every element passes its sums to its parent, children first: one
    step per element, where adding each block to each of its ancestors took one per ancestor."""
    amounts = _Amounts()
    prose, text, links = amounts.prose, amounts.text, amounts.links
    chains: dict[Any, tuple[Any, ...]] = {}  # parents are added before their children
    for block in blocks:
        element = block.element
        chain = chains.get(element) or _chain(element, root, chains)
        amounts.chains.append(chain)
        text[element] = text.get(element, 0) + len(block.text)
        if block.link_chars:
            links[element] = links.get(element, 0) + block.link_chars
        if block.prose and len(block.text) > block.link_chars:
            prose[element] = prose.get(element, 0) + len(block.text) - block.link_chars
    for element in reversed(chains):
        chain = chains[element]
        if len(chain) < 2:
            continue
        parent = chain[1]
        text[parent] = text.get(parent, 0) + text[element]
        if element in links:
            links[parent] = links.get(parent, 0) + links[element]
        if element in prose:
            prose[parent] = prose.get(parent, 0) + prose[element]
    return amounts


def _chain(element: Any, root: Any, chains: dict[Any, tuple[Any, ...]]) -> tuple[Any, ...]:
    """The element and its ancestors up to root (or up to the top, if root is not one of them),
    built on the chains already known and added to them, ancestors first."""
    path: list[Any] = []
    chain: tuple[Any, ...] = ()
    node = element
    while node is not None:
        known = chains.get(node)
        if known is not None:
            chain = known
            break
        path.append(node)
        if node is root:
            break
        node = node.getparent()
    for node in reversed(path):
        chain = (node, *chain)
        chains[node] = chain
    return chain


def _furniture_kinds(root: Any) -> dict[Any, str]:
    """Each element under root that says it is furniture, and how: read once for the page,
    then looked up for the container."""
    kinds: dict[Any, str] = {}
    for element in root.iterdescendants(etree.Element):
        kind = _furniture_kind(element)
        if kind is not None:
            kinds[element] = kind
    return kinds


def _teaser_cards(reader: _Reader, dated: Collection[Any], total: int) -> list[Any]:
    """Cards that point to other articles, three or more side by side: each a box with one
    heading that is all a link to another page, a date (a <time>, or one the page extractor has
    already taken out of the tree: `dated` holds where those stood), and a few lines of text
    ("More from ..." below an article, a sidebar of the latest news). Together their lines can
    outweigh the article itself. A listicle's items carry no date of their own, and a live
    report's entries link their headings to themselves, if at all. Cards beside the headline,
    or holding most of the page's prose (`total`), are the article: a digest of the news."""
    blocks, spans = reader.blocks, reader.spans
    # heading blocks before each index: whether a span holds another heading is a subtraction
    headings_before = [0]
    for block in blocks:
        headings_before.append(headings_before[-1] + (block.kind in _HEADINGS))
    side_by_side: dict[Any, dict[Any, int]] = {}  # the cards under each parent, with their lines
    for block in blocks:
        heading = block.element
        if block.kind not in _CARD_HEADINGS or len(block.text) > _CARD_HEADING_MAX:
            continue
        if block.link_chars < 0.9 * len(block.text) or not _links_elsewhere(heading):
            continue
        first, end = spans.get(heading, (0, 0))
        own = headings_before[end] - headings_before[first]  # a heading split by <br><br>
        card = None
        for level, ancestor in enumerate(heading.iterancestors()):
            span = spans.get(ancestor)
            if level >= _CARD_DEPTH or span is None:
                break
            if headings_before[span[1]] - headings_before[span[0]] > own:
                break  # another heading: a list of cards, not one
            card = ancestor
        if card is None or (card not in dated and next(card.iter("time"), None) is None):
            continue
        lines = sum(len(blocks[i].text) for i in range(*spans[card]) if blocks[i].prose)
        if lines <= _CARD_TEXT_MAX:
            side_by_side.setdefault(card.getparent(), {})[card] = lines
    found: list[Any] = []
    for parent, cards in side_by_side.items():
        if len(cards) < 3 or sum(cards.values()) > 0.8 * total:
            continue
        if parent is not None and next(parent.iter("h1"), None) is not None:
            continue
        found.extend(cards)
    return found


_CARD_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_CARD_HEADING_MAX = 200
_CARD_DEPTH = 5
_CARD_TEXT_MAX = 600


def _links_elsewhere(heading: Any) -> bool:
    """Whether a heading links to another page, not to a place in a page: a live report links
    an entry's heading to the entry ("#post-3", or the report's own URL with it)."""
    for link in heading.iter("a"):
        href = (link.get("href") or "").strip()
        if href and "#" not in href:
            return True
    return False


def _related_boxes(reader: _Reader) -> list[Any]:
    """The elements whose text opens with a heading of links elsewhere ("Articles liés"): the
    heading's own element and each ancestor whose first block it is."""
    found: list[Any] = []
    for index, block in enumerate(reader.blocks):
        if len(block.text) > 60 or not _RELATED_HEADING.match(block.text):
            continue
        element = block.element
        while element is not None and reader.spans.get(element, (None,))[0] == index:
            found.append(element)
            element = element.getparent()
    return found


def _furniture(
    root: Any, marked: Iterable[tuple[Any, str]], prose: dict[Any, int], text: dict[Any, int]
) -> set[Any]:
    """Furniture under root, among the `marked` elements under it (with how each is marked).
    A weakly marked element that holds much of root's prose, and holds it densely, is a wrapper
    of the article: a "has-sidebar" layout div, an ASP.NET <form> around the whole page, a post
    whose classes happen to say "share"."""
    total = prose.get(root, 0)
    found: set[Any] = set()
    for element, kind in marked:
        if kind != "strong" and _wraps_article(element, kind, total, prose, text):
            continue
        if kind == "strong" and _strong_wrapper(element, total, prose):
            continue
        found.add(element)
    return found


def _strong_wrapper(element: Any, total: int, prose: dict[Any, int]) -> bool:
    """Even "footer" or "taboola" can name a wrapper of the whole page ("above-footer",
    "theme-taboola"): one that holds the headline and most of the prose, the rest being the
    page's own furniture (disclosures, a footer of legal text). Never comments."""
    if _COMMENT_WORDS.search(_attributes(element)) or not total:
        return False
    if prose.get(element, 0) <= 0.5 * total:
        return False
    for _ in element.iterdescendants("h1"):
        return True
    return False


def _wraps_article(
    element: Any, kind: str, total: int, prose: dict[Any, int], text: dict[Any, int]
) -> bool:
    """Broken markup and odd class names put "furniture" around the article itself: an
    unclosed <header> or <nav>, a post whose classes say "share", a "sidebar-layout" div."""
    share = prose.get(element, 0) / total if total else 0.0
    if share > 0.75 or (share > 0.5 and _holds_article(element, total, prose)):
        return True
    dense = prose.get(element, 0) > 0.5 * text.get(element, 1)
    return share > 0.3 and dense and kind != "tag"


def _holds_article(element: Any, total: int, prose: dict[Any, int]) -> bool:
    """A wrapper around the article holds its title, its <main> or the <article> that holds
    most of the prose (`total`: the page's, or the container's when the container is searched
    for furniture); a cookie dialog, a footer with long legal text, or a sidebar of teasers
    that are each an <article> of a few lines does not."""
    for found in element.iterdescendants("h1", "article", "main"):
        if found.tag != "article" or prose.get(found, 0) > 0.5 * total:
            return True
    return bool(element.xpath(".//*[@itemprop='articleBody']"))


def _choose_container(
    root: Any, blocks: list[Block], chains: list[tuple[Any, ...]], furniture: set[Any]
) -> tuple[Any, dict[Any, float], dict[Any, float]]:
    """The element holding the most prose, less the furniture text it would bring along; with
    the prose and the cost counted under every element (`chains`: each block's ancestors).
    A page with next to no prose (a photo post's short lines, a table of results) is weighed
    by its lines of plain text instead, so that its text, not a cookie notice, is read."""
    good, bad = _weigh(blocks, chains, furniture, loose=False)
    if good.get(root, 0) < _LITTLE_PROSE:
        good, bad = _weigh(blocks, chains, furniture, loose=True)
    if not good:
        return root, good, bad
    return _best(root, good, bad, good), good, bad


_LITTLE_PROSE = 200


def _weigh(
    blocks: list[Block], chains: list[tuple[Any, ...]], furniture: set[Any], loose: bool
) -> tuple[dict[Any, float], dict[Any, float]]:
    """The prose and the furniture text under each element; `loose`: short sentences count
    as prose too."""
    good: dict[Any, float] = {}
    bad: dict[Any, float] = {}
    for block, chain in zip(blocks, chains, strict=True):
        if not furniture.isdisjoint(chain):
            # Skipped anyway if the candidate is chosen; it only hints that it is too wide.
            weight, target = len(block.text) * _SKIPPED_COST, bad
        elif block.prose or (loose and _plain_line(block)):
            weight, target = len(block.text) - block.link_chars, good
        elif block.kind in _HEADINGS:
            continue
        else:
            weight, target = len(block.text) * _FURNITURE_COST, bad
        for element in chain:
            target[element] = target.get(element, 0) + weight
    return good, bad


def _plain_line(block: Block) -> bool:
    """A short sentence ("Film: Fuji 400."), where a line of furniture is a label ("Date
    23.05.2011", "Auteur : ...") or a link."""
    if block.kind in _HEADINGS or block.link_density > 0.5:
        return False
    if not _SENTENCE_END.search(block.text) or _FURNITURE_TEXT.match(block.text):
        return False
    return not _is_cookie_notice(block.text)


_SENTENCE_END = re.compile(r"[.!?…。！？][\"'»”)]*$")


def _best(root: Any, good: dict[Any, float], bad: dict[Any, float], among: Iterable[Any]) -> Any:
    """The element of `among` with the most prose less furniture; a content class helps."""
    best, best_score = root, float("-inf")
    for element in among:
        prose = good[element]
        score = prose - bad.get(element, 0)
        if _CONTENT_WORDS.search(_attributes(element)) or element.get("itemprop") == "articleBody":
            score += prose * 0.25
        if score > best_score or (score == best_score and element in set(_ancestors(best, root))):
            best, best_score = element, score
    return best


_STORY_MIN = 500  # characters of prose of an article stacked under another
_TITLED_SHARE = 0.2  # of the container's prose, that the box around the headline must hold


def _under_headline(
    container: Any, heading: Any, good: dict[Any, float], bad: dict[Any, float]
) -> Any:
    """A sidebar, a shop's product blurbs or a blog's "about" box can hold more prose than a
    short post; the post is the one under the page's headline. When the nearest box around the
    heading that says the title holds prose of its own and not the container, the article is
    read in that box. A heading alone is never the article: its box is."""
    if heading is not None and heading is not container and not _within(heading, container):
        floor = max(_LITTLE_PROSE, _TITLED_SHARE * good.get(container, 0))
        box = next((a for a in heading.iterancestors() if good.get(a, 0) >= floor), None)
        if box is not None and box is not container and not _within(container, box):
            container = _best(box, good, bad, (e for e in box.iter() if e in good))
    while container.tag in _HEADINGS and container.getparent() is not None:
        container = container.getparent()
    return container


def _title_heading(body: Any, title: str | None) -> Any:
    """The first h1, h2 or h3 whose text is the title."""
    folded = fold(title or "")
    if not folded:
        return None
    for heading in body.iter("h1", "h2", "h3"):
        if fold(element_text(heading)) == folded:
            return heading
    return None


def _headline_story(
    body: Any, container: Any, good: dict[Any, float], bad: dict[Any, float], title: str | None
) -> tuple[Any, set[Any]]:
    """Pages that load the next article under the first as the reader scrolls stack whole
    articles, each an <article> with its own <h1>. The article is the one whose <h1> is the
    page's title, else the first: a container around several, or inside another, moves there.
    Returns the container and the elements that hold the other articles, never to be joined
    to it."""
    if next(islice(body.iter("h1"), 1, None), None) is None:
        return container, set()  # one headline at most: no stack
    stories: dict[Any, Any] = {}  # each headline's outermost <article> of prose, by headline
    for story in body.iter("article"):
        own = list(story.iter("h1"))
        if len(own) == 1 and own[0] not in stories and good.get(story, 0) >= _STORY_MIN:
            stories[own[0]] = story
    if len(stories) < 2:
        return container, set()
    folded = fold(title or "")
    chosen = next((s for h, s in stories.items() if fold(element_text(h)) == folded), None)
    chosen = chosen if chosen is not None else next(iter(stories.values()))
    around = set(_ancestors(container, body))
    if not any(story in around or _within(story, container) for story in stories.values()):
        return container, set()  # the stack is elsewhere: cards of some listing
    others = {e for s in stories.values() if s is not chosen for e in _ancestors(s, body)}
    others -= set(_ancestors(chosen, body))
    if chosen in around:
        return container, others  # in the article already
    return _best(chosen, good, bad, (e for e in chosen.iter() if e in good)), others


def _within(element: Any, container: Any) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())


def _with_siblings(
    container: Any, good: dict[Any, float], bad: dict[Any, float], furniture: set[Any]
) -> tuple[Any, set[Any]]:
    """Articles split in sibling boxes (an intro box, the text, a box after an ad): siblings
    of the container that hold clean prose of their own are read with it. Returns the element
    to read and the siblings to leave out."""
    parent = container.getparent()
    if parent is None:
        return container, set()
    floor = max(_SIBLING_MIN, _SIBLING_SHARE * good.get(container, 0))
    taken: list[Any] = []
    left: set[Any] = set()
    for sibling in parent:
        if sibling is container or not isinstance(sibling.tag, str):
            continue
        prose = good.get(sibling, 0)
        if sibling not in furniture and prose >= floor and bad.get(sibling, 0) <= 0.5 * prose:
            taken.append(sibling)
        else:
            left.add(sibling)
    return (parent, left) if taken else (container, set())


def _link_lists(container: Any, amounts: _Amounts) -> set[Any]:
    """Lists and boxes inside the article made mostly of links: related stories, tag clouds."""
    found: set[Any] = set()
    for element in container.iterdescendants("ul", "ol", "div", "section", "table", "dl"):
        text = amounts.text.get(element, 0)
        if not text or text > 3000:
            continue
        links = amounts.links.get(element, 0)
        if links / text > 0.6 and text - links < 200:
            found.add(element)
    return found


def _keep(block: Block, title: str | None) -> bool:
    text = block.text
    if block.kind == "h1" and title and fold(text) == fold(title):
        return False
    if _FURNITURE_TEXT.match(text):
        return False
    if block.link_density > 0.5 and len(text) < 400:
        return False
    if _is_cookie_notice(text):
        return False
    return not _is_teaser(block)


_CUT_SHORT = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\W{0,2}$")
_TEASER_LINK_MIN = 20  # characters of a linked title


def _is_teaser(block: Block) -> bool:
    """A linked title, then the opening of another article cut short: a ticker's or a
    sidebar's item (a list item, a card). A paragraph that opens with a link is prose."""
    if block.link_chars < _TEASER_LINK_MIN or _CUT_SHORT.search(block.text) is None:
        return False
    element = block.element
    first = next(element.iterchildren(etree.Element), None)
    if element.tag == "p" or first is None or (element.text and not element.text.isspace()):
        return False
    return first.tag == "a" or next(first.iter("a"), None) is not None


def _open_templates(root: Any) -> None:
    """Some platforms (Blogger) ship the article as HTML inside <script type="text/template">,
    for a script to insert; put that HTML in the tree where the script stands."""
    for script in list(root.iter("script")):
        html = (script.text or "").strip()
        if (script.get("type") or "").lower() != "text/template" or not html.startswith("<"):
            continue
        if "<p" not in html:
            continue
        try:
            fragment = lxml.html.fragment_fromstring(html, create_parent="div")
        except (etree.LxmlError, ValueError):
            continue
        # "BorlabsCookieBox" must still say what it is; lxml reads control characters in a
        # page but refuses them back, and a template's body must not be lost for one
        for name in ("id", "class"):
            if script.get(name):
                fragment.set(name, writable(script.get(name)))
        parent = script.getparent()
        if parent is not None:
            fragment.tail = writable(script.tail) if script.tail else None
            parent.replace(script, fragment)


_DATA_MIN = 500  # characters of an attribute's JSON worth parsing for the article's HTML


def _blocks_in_data(root: Any, title: str | None) -> list[Block]:
    """Pages a script builds from JSON embedded in them (a component's "data-react-props", an
    application/json script) and whose HTML holds next to no text: the article is the object
    of that JSON that carries the title, its HTML paragraphs in order."""
    folded = fold(title or "")
    if not folded:
        return []
    for value in _embedded_json(root):
        try:
            data = json.loads(value)
        except ValueError:
            continue
        article = _titled_object(data, folded)
        if article is None:
            continue
        html = "".join(s for s in _json_strings(article) if "<p" in s)
        try:
            fragment = lxml.html.fragment_fromstring(html, create_parent="div")
        except (etree.LxmlError, ValueError):
            return []
        return _Reader().read(fragment)
    return []


def _titled_object(data: Any, folded_title: str) -> dict | None:
    """The first object (breadth first) with the title as one of its own values."""
    queue = [data]
    for value in queue:
        if isinstance(value, dict):
            own = value.values()
            if any(isinstance(v, str) and fold(v) == folded_title for v in own):
                return value
            queue.extend(v for v in own if isinstance(v, dict | list))
        elif isinstance(value, list):
            queue.extend(v for v in value if isinstance(v, dict | list))
    return None


def _embedded_json(root: Any) -> Iterator[str]:
    for element in root.iter(etree.Element):
        if element.tag == "script":
            # __NEXT_DATA__ is the page extractor's, as JSON-LD is
            json_type = (element.get("type") or "").lower() == "application/json"
            if json_type and element.text and element.get("id") != "__NEXT_DATA__":
                yield element.text
            continue
        for name, value in element.items():
            if name.startswith("data-") and len(value) > _DATA_MIN and value[0] in "{[":
                yield value


def _json_strings(data: Any) -> Iterator[str]:
    """Every string in a JSON value, in order, walked without recursion."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            stack.extend(reversed(list(value.values())))
        elif isinstance(value, list):
            stack.extend(reversed(value))


def _open_noscripts(body: Any) -> bool:
    """A page whose text is all in <noscript> (what a script-built page serves to readers
    without scripts) is read there: each <noscript> becomes a <div>. Whether there was one."""
    opened = False
    for element in list(body.iter("noscript")):
        element.tag = "div"
        opened = True
    return opened


def _text_length(element: Any) -> int:
    return sum(len(text.strip()) for text in element.itertext())


@dataclass
class _Layout:
    """The first read of a page's body, and where in it the article is: the container to read
    and the boxes in it to leave out."""

    reader: _Reader
    body: Any
    container: Any
    skip: set[Any]
    lead: list[Block] = field(default_factory=list)  # a standfirst above the container


def _layout(root: Any, dated: Collection[Any] = (), title: str | None = None) -> _Layout:
    _open_templates(root)
    bodies = list(document_elements(root, "body"))
    # a broken page may hold two documents: the article is in the one with more text
    body = max(bodies, key=_text_length) if len(bodies) > 1 else (bodies or [root])[0]
    reader = _Reader()
    blocks = reader.read(body)
    if sum(len(b.text) for b in blocks) < _LITTLE_PROSE and _open_noscripts(body):
        reader = _Reader()
        blocks = reader.read(body)
    amounts = _amounts(blocks, body)
    prose, text = amounts.prose, amounts.text
    kinds = _furniture_kinds(body)  # every marked element under the body, walked once
    for box in _related_boxes(reader):
        kinds.setdefault(box, "weak")
    for card in _teaser_cards(reader, dated, prose.get(body, 0)):
        kinds[card] = "strong"
    furniture = _furniture(body, kinds.items(), prose, text)
    container, good, bad = _choose_container(body, blocks, amounts.chains, furniture)
    heading = _title_heading(body, title)
    container = _under_headline(container, heading, good, bad)
    container, others = _headline_story(body, container, good, bad, title)
    container, skip = _with_siblings(container, good, bad, furniture | others)
    inside = [(e, kinds[e]) for e in container.iterdescendants(etree.Element) if e in kinds]
    skip |= _furniture(container, inside, prose, text) | _link_lists(container, amounts)
    hidden = [e for e, kind in inside if kind == "weak" and e not in skip and _is_hidden(e)]
    if hidden:
        skip |= _hidden_copies(container, hidden, reader)
    lead = _standfirst(reader, container, heading, furniture)
    return _Layout(reader, body, container, skip, lead)


_LEAD_GAP = 8  # blocks between the headline and the container, at most, for a standfirst
_LEAD_MIN = 40  # characters: a shorter line under the headline is a kicker or a tagline


def _standfirst(reader: _Reader, container: Any, heading: Any, furniture: set[Any]) -> list[Block]:
    """The paragraphs between the headline and a container that does not hold it: the
    standfirst, printed in the header of the article with its title, byline and date. Only
    sentences, outside furniture and figures, and only right under the headline."""
    if heading is None or _within(heading, container):
        return []
    above, below = reader.spans.get(heading), reader.spans.get(container)
    if above is None or below is None or not 0 <= below[0] - above[1] <= _LEAD_GAP:
        return []
    return [
        block
        for block in reader.blocks[above[1] : below[0]]
        if block.prose
        and len(block.text) >= _LEAD_MIN
        and _SENTENCE_END.search(block.text)
        and not _in_any(block.element, furniture)
        and not _in_figure(block, reader.spans)
    ]


def _in_any(element: Any, boxes: set[Any]) -> bool:
    return element in boxes or any(a in boxes for a in element.iterancestors())


def _in_figure(block: Block, spans: dict[Any, tuple[int, int]]) -> bool:
    """A caption: in a figure, or the one line of text in the box of a picture."""
    element, parent = block.element, block.element.getparent()
    first, end = spans.get(parent, (0, 0))
    if end - first == 1 and next(parent.iter("img", "picture", "video"), None) is not None:
        return True
    return element.tag in ("figure", "figcaption") or any(
        a.tag in ("figure", "figcaption") for a in element.iterancestors()
    )


def _is_hidden(element: Any) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style") or ""))


_COPY_KEY = 80  # characters that tell a copy of the text shown


def _hidden_copies(container: Any, hidden: list[Any], reader: _Reader) -> set[Any]:
    """Hidden boxes that repeat the text shown beside them: a paywall's or a script's copy of
    the article, as one run of text. A hidden box that holds text of its own (the rest of the
    article, for a "read more" button to show) is read; so is one that holds nearly all of it."""
    blocks, spans = reader.blocks, reader.spans
    first, end = spans.get(container, (0, 0))
    found: set[Any] = set()
    for box in hidden:
        start, stop = spans.get(box, (0, 0))
        opening = next((b.text for b in blocks[start:stop] if len(b.text) >= _COPY_KEY), None)
        if opening is None:
            continue
        shown = " ".join(b.text for b in blocks[first:start] + blocks[stop:end])
        if opening[:_COPY_KEY] in shown:
            found.add(box)
    return found


def extract_blocks(
    sel: Selector, title: str | None = None, dated: Collection[Any] = ()
) -> list[Block]:
    """The article's blocks, in order; [] when the page holds no text. `dated`: the elements
    that held a date taken out of the tree before (teaser cards are told by their dates)."""
    root = sel.root
    if not isinstance(getattr(root, "tag", None), str):
        return []
    layout = _layout(root, dated, title)
    within = _blocks_within(layout)
    if within is None:
        within = _Reader(skip=layout.skip).read(layout.container)
    within = layout.lead + within
    if sum(len(b.text) for b in within) < _LITTLE_PROSE:
        within = _blocks_in_data(root, title) or within
    kept: list[Block] = []
    seen: set[str] = set()
    for block in within:
        if not _keep(block, title):
            continue
        text = block.text  # collapsed already, but for the lines of a <pre> or of <br>s
        key = fold(" ".join(text.split()) if "\n" in text else text)  # a <pre> = its one-line copy
        if key in seen and len(key) > 20:
            continue
        seen.add(key)
        kept.append(block)
    kept = _without_end_matter(_without_orphan_headings(kept))
    # Short lines after the last paragraph are the article's furniture ("Mehr Themen:", "Lust
    # auf mehr?"); a page without any paragraph keeps whatever it has.
    if any(b.prose for b in kept):
        while not kept[-1].prose and len(kept[-1].text) < _TAIL_MAX:
            kept.pop()
    return kept


def _blocks_within(layout: _Layout) -> list[Block] | None:
    """The blocks a second read of the container leaving out the skipped boxes gives, taken
    from the first read of the body when they are sure to be the same; else None. They are when
    the container is a block element outside any link (whose text the first read counted as
    link text), and each box left out of it is a block element with no text of its parent's
    right before or after it: leaving out a box then joins no two runs of text into one block."""
    reader, body, container, skip = layout.reader, layout.body, layout.container, layout.skip
    span = reader.spans.get(container)
    if span is None:
        return None
    for ancestor in container.iterancestors():
        if ancestor is body:
            break
        if ancestor.tag == "a":
            return None
    left_out = [False] * len(reader.blocks)
    for box in skip:
        ancestor = box.getparent()
        while ancestor is not None and ancestor is not container and ancestor not in skip:
            ancestor = ancestor.getparent()
        if ancestor is not container:
            continue  # outside the container, or in another box left out: never met
        if box.tag in _SKIP_TAGS:
            continue  # the first read left it out too
        box_span = reader.spans.get(box)
        if box_span is None or box in reader.text_beside:
            return None
        left_out[box_span[0] : box_span[1]] = [True] * (box_span[1] - box_span[0])
    first, end = span
    return [reader.blocks[i] for i in range(first, end) if not left_out[i]]


# Headings of what follows an article: its author's bio, contacts, sources, links.
_END_MATTER = re.compile(
    r"^(?:über (?:den autor|die autorin|die autoren)|zur person|(?:about )?the authors?|"
    r"autor(?:in|en)?|(?:à propos de )?l'auteur|(?:presse)?kontakt|ansprechpartner(?:in)?|"
    r"weitere informationen|zusatzinformationen|more information|originalpublikation|"
    r"mehr zum thema|suggested citation|zitiervorschlag)\W*$",
    re.IGNORECASE,
)
_END_SHARE = 0.3  # of the text, at most, that end matter may take from the end


def _without_end_matter(blocks: list[Block]) -> list[Block]:
    """The article ends at the first line that opens its end matter ("Über den Autor",
    "Kontakt") in the last part of the text."""
    total = sum(len(b.text) for b in blocks)
    after, end = 0, len(blocks)
    for index in range(len(blocks) - 1, 0, -1):
        after += len(blocks[index].text)
        if after > _END_SHARE * total:
            break
        if len(blocks[index].text) < _TAIL_MAX and _END_MATTER.match(blocks[index].text):
            end = index
    return blocks[:end]


_SENTENCE_HEADING = re.compile(r"^.{30,}[^.…][.!?]$")  # not a "..." that cuts a teaser


def _without_orphan_headings(blocks: list[Block]) -> list[Block]:
    """Headings left with nothing under them: the title of a related-links box whose links
    were removed, "Mehr zum Thema", "Newsletter"; read from the end, so that a heading over
    only such headings goes too. A heading written as a sentence, with text after it, is text
    of its own: a listicle's points, each a heading over a picture."""
    kept: list[Block] = []  # from the last
    following: Block | None = None
    for block in reversed(blocks):
        if block.kind in _HEADINGS:
            if following is None:
                continue
            if following.kind in _HEADINGS and following.kind <= block.kind:
                if not _SENTENCE_HEADING.search(block.text):
                    continue
        kept.append(block)
        following = block
    kept.reverse()
    return kept


def extract_body(
    sel: Selector,
    title: str | None = None,
    warnings: dict[str, str] | None = None,
    dated: Collection[Any] = (),
) -> list[str]:
    """Paragraphs, headings and list items of the main text, in order, as plain strings. A
    tree the reader cannot read gives no body rather than losing the page, and says why in
    `warnings` (the article's parse_warnings, where a user can query it)."""
    try:
        blocks = extract_blocks(sel, title, dated)
    except (ValueError, TypeError, etree.LxmlError) as error:
        if warnings is not None:
            warnings["body"] = f"the body could not be read: {type(error).__name__}: {error}"[:300]
        return []
    return [f"- {b.text}" if b.kind == "li" else b.text for b in blocks]
