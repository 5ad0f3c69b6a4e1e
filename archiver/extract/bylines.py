"""Who wrote the article: the byline the page prints (`byline_raw`, parsed in normalization) and
the names the metadata gives, which win unless they only name the publisher."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector

from archiver.extract.candidates import attached
from archiver.extract.headline import NEAR_TITLE_BYLINE_TEXTS, contains, in_scope_first
from archiver.extract.metadata import person_names, resolve, types_of
from archiver.extract.nodes import drop_all, has_class, text_of
from archiver.extract.sources import PageSources, first_found, outermost_short, selectors, short
from archiver.items import Article
from archiver.normalize.bylines import parse_byline, parse_bylines, parse_given_names
from archiver.normalize.dates import find_date_spans
from archiver.normalize.text import clean_text, dedupe, fold, fold_aligned

BYLINE_MAX = 200
_DOMAIN = re.compile(r"\b[\w-]+\.(?:com|fr|de|net|org|eu|info|at|ch|be|it|es|co\.uk)\b", re.I)
# Words that introduce a byline, alone or before the names ("Auteur :", "par", "By", "Von").
_BYLINE_WORD = r"(?:par|by|von|auteur(?:e|s|\(e\))?|autor(?:in)?|author|texte?)"
_BYLINE_LABEL = re.compile(rf"{_BYLINE_WORD}\s*:?", re.IGNORECASE)
_BYLINE_LABELLED = re.compile(rf"{_BYLINE_WORD}\s*:?\s+\S", re.IGNORECASE)
# A line that introduces its author's name, where the byline has no markup.
_LINE_LABEL = re.compile(
    r"(?:(?:written|posted|published)\s+by|(?:verfasst|geschrieben|ver[öo]ffentlicht|eingestellt|"
    r"gespeichert)\s+von|(?:publi[ée]|[ée]crit|r[ée]dig[ée])\s+par|"
    # "Eine Kolumne von A", "A column by A"; not a picture's credit ("Ein Foto von A")
    r"(?:eine?\s+(?!foto|bild|video|grafik)\w+\s+von|an?\s+(?!photo|picture|video)\w+\s+by)\s|"
    r"(?:autor(?:in)?|author|auteur|text)\s*:|(?:von|by|par)\s)",
    re.IGNORECASE,
)
_BARE_LABEL = re.compile(r"(?:von|by|par)\s", re.IGNORECASE)
_NAME_IN_BYLINE = (
    ".//*[@itemprop='name'] | .//a[contains(concat(' ', @rel, ' '), ' author ')] | .//*["
    + has_class("fn", "author-name", "author_name", "authorname", "name", "nickname")
    + "] | .//a[contains(@href, '/author/') or contains(@href, '/autor/')"
    " or contains(@href, '/auteur/') or contains(@href, '/authors/')]"
)

# (source, names) in order of trust; the second is the WebPage's author.
MetadataAuthors = tuple[tuple[str, list[str]], ...]


def metadata_authors(page: PageSources, scope: Selector | None) -> MetadataAuthors:
    """The names the article's JSON-LD, the WebPage's, <meta> and microdata give, in that
    order: take_byline keeps the first unless the page prints better."""
    meta_authors = page.metas.authors()
    people = page.candidates.with_itemprop(page.root, "author", "creator")
    return (
        ("json-ld", person_names(page.ld.get("author") or page.ld.get("creator"), page.ld_index)),
        ("json-ld", person_names(page.ld_page.get("author"), page.ld_index)),
        (
            f"meta:{meta_authors[0]}" if meta_authors else "meta",
            meta_authors[1] if meta_authors else [],
        ),
        ("microdata", _microdata_authors(people, scope)),
    )


def take_byline(
    article: Article,
    page: PageSources,
    scope: Selector | None,
    metadata: MetadataAuthors,
    near_title: list[Any],
) -> None:
    """The printed byline, the one marked up as such or else a labelled line beside the
    headline, and the authors: the metadata's names, else those marked up in the byline; a
    labelled line of the article where these name no one or only the publisher. The bylines
    leave the tree, for the body not to repeat them."""
    near_title_byline = _byline_near_title(near_title)
    bylines = _printed_bylines(page, scope)
    first = _beside_first(bylines[:3])
    article.byline_raw = "\n".join(dedupe([text_of(b) for b in first])) or None
    machine = _trusted_metadata(article.byline_raw, near_title_byline, metadata, page, article.url)
    printed_names = _byline_names(first)
    if machine and _names_more(_people(printed_names), machine[1]):
        machine = None  # the byline links every author, the metadata only some
        printed_names = _people(printed_names)
    if machine is None and not printed_names and not _reads_people(article.byline_raw):
        article.byline_raw = near_title_byline or article.byline_raw  # "Foto: A" names no author
    drop_all(bylines)  # the labelled line is sought elsewhere
    if _publisher_only(article.byline_raw, machine, printed_names, metadata, page, article.url):
        line = _labelled_line(scope.root if scope is not None else page.root)
        if line and not _shortened(line, machine[1] if machine else printed_names):
            machine, printed_names, article.byline_raw = None, [], line
    article.authors = (
        first_found(
            article.field_sources,
            "authors",
            machine or ("byline-name", printed_names),
        )
        or []
    )


def _printed_bylines(page: PageSources, scope: Selector | None) -> list[Selector]:
    """The elements marked up as bylines, the article's only when it has any."""
    root = page.root
    bylines = outermost_short([e for e in page.candidates.bylines if attached(e, root)], BYLINE_MAX)
    bylines = in_scope_first(bylines, scope)
    if scope is not None and any(contains(scope, b) for b in bylines):
        bylines = [b for b in bylines if contains(scope, b)]
    return bylines


def _beside_first(bylines: list[Selector]) -> list[Selector]:
    """The first byline and those printed beside it: one block of the article's header holds
    its bylines, while the same markup further off signs a teaser, a comment or another
    article of a list."""
    if not bylines:
        return bylines
    ancestors = {id(node) for node in bylines[0].root.iterancestors()}
    ancestors.add(id(bylines[0].root))
    return [bylines[0], *(b for b in bylines[1:] if _close(b.root, ancestors))]


def _close(node: Any, ancestors: set[int]) -> bool:
    """Whether node and the first byline meet in an element of little more text than a byline."""
    while node is not None and id(node) not in ancestors:
        node = node.getparent()
    if node is None:
        return False
    length = 0
    for text in node.itertext():
        length += len(text.strip())
        if length > _BESIDE_TEXT:
            return False
    return True


_BESIDE_TEXT = 2 * BYLINE_MAX


def _trusted_metadata(
    byline_raw: str | None,
    near_title_byline: str | None,
    metadata: MetadataAuthors,
    page: PageSources,
    url: str,
) -> tuple[str, list[str]] | None:
    """The first metadata names, unless the page prints people's names where they give the
    publisher's, or a byline beside the headline where only the WebPage names an author."""
    machine = next((c for c in metadata if c[1] and _reads_names(c[1])), None)
    printed = byline_raw or (
        near_title_byline  # a lone first name ("By Pamela") is no better than the site's name
        if any(" " in name for name in parse_byline(near_title_byline).authors)
        else None
    )
    if machine and printed and _organization_only(machine[1], page, url):
        return None  # the publisher's name: the byline printed on the page names people
    fuller = _fuller_names(machine[1], byline_raw, near_title_byline, metadata) if machine else None
    if fuller:
        return fuller  # "jdoe" or "Jane" where the byline or other metadata print "Jane Doe"
    if machine is metadata[1] and not byline_raw and near_title_byline:
        return None  # the WebPage's author is the account that posted it, not the byline
    return machine


def _byline_near_title(after: list[Any]) -> str | None:
    """A byline printed after the headline with no markup to name it: a line that starts with
    a byline word ("Auteur : A", "Par A"), or the word alone with the name as the next text
    ("par <span>A</span>", <dt>Auteur</dt><dd>A</dd>)."""
    for index, chunk in enumerate(after[:NEAR_TITLE_BYLINE_TEXTS]):
        text = _LEADING_MARKS.sub("", clean_text(str(chunk)))  # "| By", "---- by A"
        if _BYLINE_LABEL.fullmatch(text) and index + 1 < len(after):
            text = f"{text} {clean_text(str(after[index + 1]))}"
        elif len(text) > BYLINE_MAX or not (
            _BYLINE_LABELLED.match(text) or _LINE_LABEL.match(text) or _dated_names(text)
        ):
            continue
        if 0 < len(parse_byline(text).authors) <= 3:
            return text
    return None


_LEADING_MARKS = re.compile(r"^[-–—|•·*/\\]+\s*")


def _dated_names(text: str) -> bool:
    """A date, then the names: "11.12.2019 - Jane Doe", "06.11.2023 13:30 von Jane". Unlabelled,
    only full names count, as a date before a lone word is more often a place's dateline."""
    if not fold_aligned(text[:1]).isalnum():
        return False  # a date, or its label, starts with a letter or a figure: not a quote
    spans = find_date_spans(text)
    if not spans or spans[0][0] != 0:
        return False
    rest = _LEADING_MARKS.sub("", text[spans[0][1] :].strip())
    authors = parse_byline(rest).authors
    return bool(authors) and (bool(_LINE_LABEL.match(rest)) or all(" " in a for a in authors))


def _labelled_line(root: Any) -> str | None:
    """The first short element of the article that starts with a byline's label ("Posted by
    A 21.10.2019", "Autorin: A", "Ein Artikel von A | 27.01.2022"): with no byline marked up
    nor beside the headline, a page prints one where its template puts it, after the text or
    in a box of facts."""
    for element in root.iter():
        text = element.text
        if not text or not isinstance(element.tag, str) or not _LINE_LABEL.match(text.lstrip()):
            continue
        line = text_of(Selector(root=element))
        if _BYLINE_LABEL.fullmatch(line) and element.getparent() is not None:
            line = text_of(Selector(root=element.getparent()))  # "<b>Autor:</b> <a>A</a>"
        authors = parse_byline(line).authors if len(line) <= BYLINE_MAX else []
        bare = _BARE_LABEL.match(text.lstrip())  # "von a", "by the": prose, unless a name follows
        if 0 < len(authors) <= 3 and not (bare and not all(n[:1].isupper() for n in authors)):
            return line
    return None


def _reads_names(given: list[str]) -> bool:
    """Metadata names that read as a name or an agency, not as a book's "Revised Edition
    Edited by A" or a widget's text."""
    read = parse_given_names(given)
    return bool(read.authors or read.agency)


def _reads_people(byline_raw: str | None) -> bool:
    return bool(byline_raw) and bool(parse_bylines((byline_raw or "").split("\n")).authors)


def _shortened(line: str, names: list[str]) -> bool:
    """The line only names part of a name in hand ("By Jane" where the site is "Jane Doe")."""
    held = " ".join(fold(name) for name in names)
    return any(fold(author) in held for author in parse_byline(line).authors)


def _publisher_only(
    byline_raw: str | None,
    machine: tuple[str, list[str]] | None,
    printed_names: list[str],
    metadata: MetadataAuthors,
    page: PageSources,
    url: str,
) -> bool:
    """Whether a labelled line of the article is worth a look: nothing names the author yet, or
    only the publisher does ("finanztreff.de", "Verein e.V.", the site's name as the byline's
    link), or the <meta name=author> a site sets once for all its pages does while no byline
    is printed."""
    names = machine[1] if machine else printed_names
    if not names:
        return not _reads_people(byline_raw)
    if _organization_only(names, page, url):
        return True
    return machine is metadata[2] and not byline_raw


def _byline_names(bylines: list[Selector]) -> list[str]:
    """Names marked up inside the first byline that has any (itemprop=name, rel=author...)."""
    for byline in bylines:
        found = dedupe([text_of(n) for n in byline.xpath(_NAME_IN_BYLINE) if short(n, 80)])
        if found:
            return found
    return []


def _names_more(printed: list[str], metadata: list[str]) -> bool:
    """The byline marks up more people than the metadata names, among them all of those."""
    printed_folded = {fold(name) for name in printed}
    return len(printed) > len(metadata) and all(fold(n) in printed_folded for n in metadata)


def _people(names: list[str]) -> list[str]:
    """The names that read as one person's full name ("Biography" is a link's label) and hold
    no other of the list: a link around its own marked-up name reads "A A", a block around two
    names "A B"."""
    names = [n for n in names if " " in n and len(parse_byline(n).authors) == 1]
    return [n for n in names if not any(o != n and o in n for o in names)]


def _microdata_authors(people: list[Any], scope: Selector | None) -> list[str]:
    nodes = in_scope_first(selectors(people), scope)
    for node in nodes:
        value = node.xpath(".//*[@itemprop='name']/@content").get() or (
            text_of(node.xpath(".//*[@itemprop='name']")[0])
            if node.xpath(".//*[@itemprop='name']")
            else node.root.get("content") or text_of(node)
        )
        value = clean_text(value)
        if value and len(value) <= 80 and not any(c.isdigit() for c in value):
            return [value]  # "link78" is a widget's id, not a name
    return []


def _fuller_names(
    names: list[str], byline_raw: str | None, near_title: str | None, metadata: MetadataAuthors
) -> tuple[str, list[str]] | None:
    """The full names of people the metadata gives by a user name or a first name ("janedoe",
    "jane.doe", "Jane" for "Jane Doe"), as the printed byline or other metadata give them."""
    if not names or any(" " in name for name in names):
        return None  # only names of one word have a fuller form: no byline to read
    lines = (byline_raw if _reads_people(byline_raw) else near_title) or ""
    printed = parse_bylines(lines.split("\n")).authors
    for source, full in (("byline", printed), *metadata):
        found = _full_forms(names, full)
        if found:
            return source, found
    return None


def _full_forms(names: list[str], printed: list[str]) -> list[str]:
    """Each name's full form among the printed ones, or none unless every name has one."""
    full = [name for name in printed if " " in name]
    found = []
    for name in names:
        form = next((f for f in full if " " not in name and _short_for(name, f)), None)
        if form is None:
            return []
        found.append(form)
    return dedupe(found)


def _short_for(name: str, full: str) -> bool:
    return _compact(name) == _compact(full) or fold(name) == fold(full.split()[0])


def _compact(name: str) -> str:
    return _NOT_ALNUM.sub("", fold(name))


_NOT_ALNUM = re.compile(r"[\W_]+")


def _organization_only(authors: list[str], page: PageSources, url: str) -> bool:
    """Authors that are the publisher itself ("L'Opinion", "Deutsche Welle (www.dw.com)"):
    JSON-LD typed Organization, the site's name or its host's, a domain, or an acronym
    ("LWF") where the byline prints people."""
    if not authors:
        return False
    ld, ld_index = page.ld, page.ld_index
    kinds = set()
    for value in ld.get("author") if isinstance(ld.get("author"), list) else [ld.get("author")]:
        resolved = resolve(value, ld_index)
        if isinstance(resolved, dict):
            kinds |= types_of(resolved)
    if kinds and kinds <= {"Organization", "NewsMediaOrganization", "Corporation"}:
        return True
    site_names = {fold(name) for name in page.site_names()}
    site_names |= {_initials(name) for name in site_names if len(name.split()) > 1}
    return all(
        fold(a) in site_names
        or _DOMAIN.search(a)
        or _acronyms(a)
        or _host_like(a, _host_names(url))
        for a in authors
    )


_ACRONYM = re.compile(r"[A-ZÄÖÜ]{2,6}")


def _acronyms(author: str) -> bool:
    """Only acronyms read in the name ("LWF", "Landesanstalt für Wald - LWF")."""
    names = parse_byline(author).authors
    return bool(names) and all(_ACRONYM.fullmatch(name) for name in names)


_ARTICLE = re.compile(r"^(?:the|die|der|das|la|le|les|el|il)\s+", re.IGNORECASE)


@lru_cache(maxsize=64)
def _host_names(url: str) -> frozenset[str]:
    """The names a host spells: "archiv.krimiblog.de" -> "archivkrimiblog", "krimiblog"...
    Memoized: a page asks twice."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    labels = [label for label in host.split(".")[:-1] if len(label) > 2]
    return frozenset(
        {_compact(label) for label in labels} | {_compact(host), _compact(".".join(labels))}
    )


def _host_like(author: str, hosts: frozenset[str]) -> bool:
    """The host's name as an author ("Interscenario" on interscenar.io, "Die Furche" on
    furche.at); a name of several words holding it ("Krimiblog-Archiv") only when it is not
    two words in capitals, as a person's name is ("Daniel Lemire" on lemire.me)."""
    compact = _compact(_ARTICLE.sub("", author))
    if compact in hosts or _compact(author) in hosts:
        return True
    person = len(author.split()) >= 2 and all(w[:1].isupper() for w in author.split())
    return not person and any(len(h) >= 5 and h in compact for h in hosts)


def _initials(name: str) -> str:
    """ "lto" for "legal tribune online": the short name a site signs with."""
    return "".join(word[0] for word in name.split())
