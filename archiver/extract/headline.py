"""The headline element and what stands around it: the article element, where its byline, date
and standfirst are printed, and the visible texts beside it, where a page prints them when no
markup names them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from parsel import Selector

from archiver.extract.nodes import TextNode, descendant_texts, element_text, following_texts
from archiver.normalize.text import clean_text, fold

# Headings for screen readers only ("aural", "sr-only", "visually-hidden", "navSkip").
_HIDDEN = re.compile(r"aural|sr-only|screen-reader|visually-hidden|hidden|hide|skip", re.I)
# Headings for screen readers and search engines only, never the headline shown: the page's
# title often, site's name and all ("Titel | Amt").
_SCREEN_READER = re.compile(r"aural|sr-only|screen-reader|visually-?hidden|offscreen", re.I)
_TITLE_PARTS = re.compile(r"\s+[|/–—-]\s+|:\s+")
_NEAR_TITLE_TEXTS = 60
# Characters enough for a part of a title to say the headline on its own.
_HEADLINE_LENGTH = 20
# Typographic quotes and apostrophes as metadata often spells them, straight.
_PLAIN_QUOTES = str.maketrans("\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f", "''''" + '""""')
_TYPOGRAPHIC_QUOTES = re.compile("[\u2018-\u201f]")  # the same eight, found by one scan
NEAR_TITLE_BYLINE_TEXTS = 30


# A heading that repeats the title for search engines or in the breadcrumb trail, not the
# headline readers see ("Breadcrumbs_seotitle", "breadcrumb__headline", "breadcrumb_last").
_NOT_SHOWN_HEADING = re.compile(r"breadcrumb|seo-?title", re.I)
# The small line above a headline ("Spitzmarke", "kicker", "overline") and text for screen
# readers only: printed in the heading element, not part of the headline.
_BESIDE_HEADLINE = re.compile(
    r"kicker|overline|dachzeile|roofline|eyebrow|spitzmarke|supertitle|pretitle"
    r"|surtitre|offscreen|sr-only|visually-hidden|screen-reader",
    re.I,
)
# What joins a title and the site's name: "Titre | Site", "Titel - Site.de", "Site :: Titre".
_SITE_SEPARATOR = re.compile(r"(\s+(?:[|│·•»›:]{1,2}|[-–—]{1,2})\s+|:\s+)")
_SPELLED_OUT = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))
_NOT_ALNUM = re.compile(r"[\W_]+")
# Words at most in a title part that starts with the domain's name, or ends with the domain
# ("Rezept von Backen.de"), and names the site.
_SITE_NAME_WORDS = 3


def _site_key(text: str) -> str:
    """A name as a domain spells it: "Börsen-Zeitung" -> "boersenzeitung". An ASCII text is only
    lower-cased; the umlauts are replaced one by one, only when present: str.translate() with a
    table of strings cost 8 µs a title, 5% of reading an article with the keys of every title
    part of each of its titles."""
    lowered = text.lower()
    if lowered.isascii():
        return _NOT_ALNUM.sub("", lowered)
    for letter, spelled in _SPELLED_OUT:
        if letter in lowered:
            lowered = lowered.replace(letter, spelled)
    return _NOT_ALNUM.sub("", fold(lowered))


class SiteName:
    """The names a site gives itself (`site_names`, and its domain), to take out of the titles
    of one page. Their keys are worked out once, and each title once: a page asks for the
    same two or three titles about eight times (each source of the title, then each form the
    headline is compared with)."""

    def __init__(self, site_names: list[str], host: str | None) -> None:
        labels = (host or "").lower().removeprefix("www.").split(".")
        self.host_key = _site_key("".join(labels)) if len(labels) >= 2 else ""
        self.keys = {_site_key(name) for name in site_names} | {self.host_key}
        self.main_label = _site_key(labels[-2]) if len(labels) >= 2 else ""
        self.keys.add(self.main_label)
        self._titles: dict[str, str] = {}

    def names_site(self, part: str, last: bool = False) -> bool:
        """The part is the site's name, or ends with its domain's name ("Golem.de", "Die Neue
        Südtiroler Tageszeitung"); or, as the `last` part of a title, a few words around it:
        "Prachatai.com" after the name in another script, "Ultima Hora Mallorca" on
        ultimahora.es. Not a longer part ("Neue Karten auf Gipfelbuch.ch"), nor a first part
        that only begins with the name ("9to5Mac Gift Guide: ..."): headlines say them."""
        key = _site_key(part)
        if not key:
            return False
        long_label = len(self.main_label) >= 6
        if key in self.keys or (long_label and key.endswith(self.main_label)):
            return True
        if not last or len(part.split()) > _SITE_NAME_WORDS:
            return False
        return bool(self.host_key and key.endswith(self.host_key)) or (
            long_label and key.startswith(self.main_label)
        )

    def without(self, title: str) -> str:
        """The title without the site's name that a <title> or og:title joins to it, before or
        after ("Titel | Börsen-Zeitung", "Titre - Golem.de"): a part that the site calls itself
        or that its domain spells. The headline a page prints never carries it. A title that is
        only the site's name is no title: "" then."""
        found = self._titles.get(title)
        if found is None:
            found = self._titles[title] = self._without(title)
        return found

    def _without(self, title: str) -> str:
        if _site_key(title) in self.keys:
            return ""
        parts = _SITE_SEPARATOR.split(title)  # text, separator, text, ...
        while len(parts) >= 3 and self.names_site(parts[-1], last=True):
            parts = parts[:-2]
        while len(parts) >= 3 and self.names_site(parts[0]):
            parts = parts[2:]
        return "".join(parts)


def without_site_name(title: str, site_names: list[str], host: str | None) -> str:
    """The title without the site's name (SiteName.without), for one title."""
    return SiteName(site_names, host).without(title)


@dataclass
class Headline:
    """The page's headline element (None when no heading says a title), the article element
    around it, and the forms of the title: words of the title are the title's, not a byline or
    a date."""

    node: Selector | None
    scope: Selector | None
    titles: list[str]


def find_headline(headings: list[Any], titles: list[str]) -> Headline:
    node = _title_node(headings, titles)
    return Headline(node, _scope(node), titles)


def title_forms(titles: list[str | None]) -> list[str]:
    """The titles folded, with the parts a <title> joins with the site's name ("Titre | Site",
    "Site: Rubrique / Titre") when long enough to say the headline on their own."""
    forms: list[str] = []
    for title in dict.fromkeys(titles):  # a page gives the same title in several places
        folded = _folded(title or "")
        if not folded:
            continue
        forms.append(folded)
        forms.extend(
            p for p in _TITLE_PARTS.split(folded) if len(p) >= _HEADLINE_LENGTH and p != folded
        )
    return list(dict.fromkeys(forms))


def _title_node(headings: list[Any], wanted: list[str]) -> Selector | None:
    """The page's headline element among its h1 to h4: the h1 that reads as one of the page's
    titles (headline, og:title, <title>), else an h2 to h4 that does (blogs and press pages give
    the site's name or a hidden "Navigation" the h1), else the first h1 that is shown. Headings
    in breadcrumbs count only when no other reads as a title."""
    found = _reading_as_title(headings, wanted)
    if found is not None:
        return Selector(root=found, type="html")
    first_h1 = next(
        (h for h in headings if h.tag == "h1" and not _HIDDEN.search(h.get("class") or "")), None
    )
    return Selector(root=first_h1, type="html") if first_h1 is not None else None


def _reading_as_title(headings: list[Any], wanted: list[str]) -> Any:
    """The first heading, h1 first, that reads as a title and is not in breadcrumbs, else the
    first in breadcrumbs that does. Only the headings that read as a title are asked whether
    they are in breadcrumbs: asking it of every heading, ancestors and all, cost 1% of reading
    an article."""
    in_breadcrumbs = None
    for level in ("h1", "h2", "h3", "h4"):
        for heading in headings:
            if heading.tag == level and not _SCREEN_READER.search(heading.get("class") or ""):
                text = _folded(element_text(heading))
                if text and _reads_as(text, wanted):
                    if not _in_breadcrumbs(heading):
                        return heading
                    if in_breadcrumbs is None:
                        in_breadcrumbs = heading
    return in_breadcrumbs


def _in_breadcrumbs(heading: Any) -> bool:
    """A heading in the breadcrumb trail or kept for search engines: the page's headline is
    printed elsewhere, often in an h2 that og:title gives."""
    if _NOT_SHOWN_HEADING.search(heading.get("class") or ""):
        return True
    return any(
        a.tag == "nav" or _NOT_SHOWN_HEADING.search(f"{a.get('class')} {a.get('itemtype')}")
        for a in islice(heading.iterancestors(), 4)
    )


@lru_cache(maxsize=1024)
def _folded(text: str) -> str:
    """A title or a heading's text as they are compared: folded, and its quotes straight, as
    metadata often gives them where the heading prints typographic ones. Memoized: a page
    compares the same few titles about ten times, and folding one costs 60,000 instructions."""
    folded = fold(text)
    return folded.translate(_PLAIN_QUOTES) if _TYPOGRAPHIC_QUOTES.search(folded) else folded


def _spaceless(text: str) -> str:
    """A title as compared with a heading's text, which holds a space wherever an element
    ended ("Akkutechnik : Hat ..." for "Akkutechnik: Hat ...")."""
    return "".join(_folded(text).split())


def shown_headline(headline: Headline, titles: list[str]) -> str | None:
    """The headline as the page prints it: the title the heading says after a kicker printed
    in an element of its own, else the title its whole text says (with the quotes it prints),
    else its text without the kicker and screen-reader text that its classes name, when that
    is a title or a part of one ("Overline - «Quote»" for og:title "Topic: «Quote»"); None
    otherwise, so that a heading that only holds a part of the title is never taken for it."""
    if headline.node is None:
        return None
    root = headline.node.root
    titles = list(dict.fromkeys(titles))  # a page gives the same title in several places
    return (
        _after_kicker(root, titles)
        or _said_whole(root, titles)
        or _without_beside(root, headline.titles)
    )


def _after_kicker(root: Any, titles: list[str]) -> str | None:
    """The title that the heading's last texts say, after a kicker in an element of its own
    ("<span>Umbau</span> – <span>Trump plant ...</span>"), when the site also gives that title
    on its own: the headline proper, the kicker being a label above it."""
    texts = [
        text
        for text, parent, is_tail in descendant_texts(root)
        if _readable(text, _inside(parent, is_tail))
    ]
    if len(texts) < 2:
        return None  # no kicker in an element of its own
    wanted = {_spaceless(title): title for title in titles if len(title) >= _HEADLINE_LENGTH}
    for start in range(1, len(texts)):
        rest = clean_text(" ".join(texts[start:]))
        title = wanted.get(_spaceless(rest))
        if title is not None and any(c.isalnum() for c in "".join(texts[:start])):
            return _respelled(title, rest)
    return None


def _said_whole(root: Any, titles: list[str]) -> str | None:
    """The title that the heading's whole text says, spaces and letter case aside."""
    said = element_text(root)
    spaceless = _spaceless(said)
    for title in titles:
        if spaceless and _spaceless(title) == spaceless:
            return _respelled(title, said)
    return None


def _respelled(title: str, shown: str) -> str:
    """The title with the quotes and apostrophes the heading prints ("Heartsteel’s" where the
    metadata says "Heartsteel's"), when they are all that differ; the title's spaces are kept,
    as a heading's text holds one wherever an element ended."""
    title_marks = "".join(title.split())
    shown_marks = "".join(shown.split())
    if title_marks == shown_marks or title_marks.translate(_PLAIN_QUOTES) != shown_marks.translate(
        _PLAIN_QUOTES
    ):
        return title
    marks = iter(shown_marks)
    return "".join(c if c.isspace() else next(marks) for c in title)


def _without_beside(root: Any, forms: list[str]) -> str | None:
    """The heading's text without the elements its classes name a kicker or screen-reader
    text, when that is one of the title's forms."""
    beside = {
        e for e in root.iterdescendants() if _BESIDE_HEADLINE.search(str(e.get("class") or ""))
    }
    if not beside:
        return None
    parts = [
        part
        for part, parent, is_tail in descendant_texts(root)
        if not _within_any(_inside(parent, is_tail), beside, root)
    ]
    text = clean_text(" ".join(parts))
    wanted = {_spaceless(form) for form in forms}
    return text if text and _spaceless(text) in wanted else None


def _within_any(element: Any, elements: set[Any], root: Any) -> bool:
    while element is not None and element is not root:
        if element in elements:
            return True
        element = element.getparent()
    return False


def _reads_as(text: str, titles: list[str]) -> bool:
    """The heading says a title, or a part of it long enough to be a headline: the site's name
    ("Le Blog" in "Le Blog | Un voyage") or "Navigation" is not."""
    return any(
        text == title or title in text or (len(text) >= 12 and text in title) for title in titles
    )


def _scope(heading: Selector | None) -> Selector | None:
    """The article element around the headline, where its byline and date are printed."""
    if heading is None:
        return None
    for ancestor in heading.root.iterancestors():  # the nearest, as XPath's ancestor::*[...][1]
        if ancestor.tag in ("article", "main") or ancestor.get("itemprop") == "articleBody":
            return Selector(root=ancestor, type="html")
    return None


def in_scope_first(nodes: list[Selector], scope: Selector | None) -> list[Selector]:
    """Nodes inside the article first, the others after, each group in page order."""
    if scope is None:
        return nodes
    inside = [n for n in nodes if contains(scope, n)]
    return inside + [n for n in nodes if not contains(scope, n)]


def contains(outer: Selector, inner: Selector) -> bool:
    node = inner.root
    while node is not None:
        if node is outer.root:
            return True
        node = node.getparent()
    return False


@dataclass
class NearTitle:
    """The visible text nodes beside the headline: where a page prints its byline and date
    when no markup names them. `after`: the headline's own lines, then the texts after it, as
    far as the byline search reads and one more; `more`: the rest of the texts after it, read
    lazily by the date search alone, right away, before bylines and dates leave the tree (the
    date is nearly always within the first few); `before`: the few just before the headline,
    nearest first."""

    after: list[Any] = field(default_factory=list)
    more: Iterator[Any] = field(default_factory=lambda: iter(()))
    before: list[Any] = field(default_factory=list)


def near_title_texts(headline: Headline) -> NearTitle:
    """The headline's own lines come first ("Titre<br><small>02.02.2022</small>"), but not its
    words: a date in a title ("Wochenbericht 14. - 20. Januar 2022") is what the article is
    about."""
    if headline.node is None:
        return NearTitle()
    root = headline.node.root
    inside = (
        TextNode(text, parent, is_tail)
        for text, parent, is_tail in descendant_texts(root)
        if _readable(text, _inside(parent, is_tail)) and not _in_title(text, headline.titles)
    )
    texts = chain(inside, _visible_after(root, 4 * _NEAR_TITLE_TEXTS, _NEAR_TITLE_TEXTS))
    after = list(islice(texts, NEAR_TITLE_BYLINE_TEXTS + 1))
    before = _visible(root.xpath("preceding::text()[position() <= 40]"), reverse=True, limit=10)
    return NearTitle(after, texts, before)


def _in_title(text: str, titles: list[str]) -> bool:
    folded = _folded(text)
    return any(folded in title for title in titles)


def _visible_after(element: Any, scan: int, keep: int) -> Iterator[TextNode]:
    """_visible of the first `scan` text nodes after the element, the first `keep` of them;
    by a walk that stops there, where XPath's following axis reads to the end of the page."""
    kept = 0
    for text, parent, is_tail in islice(following_texts(element), scan):
        if _readable(text, _inside(parent, is_tail)):
            yield TextNode(text, parent, is_tail)
            kept += 1
            if kept == keep:
                return


def _visible(texts: list[Any], reverse: bool = False, limit: int | None = None) -> list[Any]:
    """Text nodes with something to read, outside scripts and styles, in page order (or the
    nearest first when `reverse`, for what precedes an element); the first `limit` of them."""
    ordered = reversed(texts) if reverse else texts
    found = (t for t in ordered if _readable(t, element_of(t)))
    return list(islice(found, limit))


def _readable(text: str, inside: Any) -> bool:
    """Text with something to read, in an element that is shown (not a script or style)."""
    return bool(text.strip()) and getattr(inside, "tag", None) not in ("script", "style")


def element_of(text: Any) -> Any:
    """The element a text node (lxml's, or a TextNode) is inside."""
    return _inside(text.getparent(), getattr(text, "is_tail", False))


def _inside(parent: Any, is_tail: bool) -> Any:
    """The element a text is inside, from the node getparent() gives: lxml's getparent() of a
    tail ("<p>..</p>tail") is the element before it, so a tail's is that element's parent."""
    return parent.getparent() if is_tail and parent is not None else parent
