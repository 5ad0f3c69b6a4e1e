"""When the article was published and updated: which of the dates a page gives are its own.

`choose_dates` is the cascade: the metadata's date (JSON-LD, <meta>, microdata, hAtom, <time>,
page scripts), unless over a month from the date in the URL; else the URL's; else a date the page
prints. Its readers run before it, each while the tree still holds what it reads (extraction
takes the comments, bylines and dates out as it reads them). Parsing the strings it keeps is
archiver.normalize.dates' part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree
from parsel import Selector

from archiver.extract.bylines import BYLINE_MAX
from archiver.extract.candidates import Candidates, attached
from archiver.extract.headline import (
    NEAR_TITLE_BYLINE_TEXTS,
    NearTitle,
    contains,
    element_of,
    in_scope_first,
)
from archiver.extract.metadata import date_in_url, other_json_ld_date
from archiver.extract.nodes import document_elements, drop_all, element_text, text_of
from archiver.extract.sources import PageSources, first_found, outermost_short, selectors
from archiver.items import Article
from archiver.normalize.dates import (
    MONTHS,
    fetch_time,
    find_date_spans,
    find_full_date,
    has_update_label,
    parse_fast,
    stated_instant,
    updated_before,
)
from archiver.normalize.text import clean_text, fold, fold_aligned
from archiver.normalize.zones import locale_zone, offset_zone, zone_is_certain

# Dates that scripts carry for analytics: '"published_at":"2019-03-02T06:22:28+01:00"'.
_SCRIPT_DATE = re.compile(
    r"[\"'](?:datePublished|date_published|published_at|publishedAt|publishDate|publish_date|"
    r"publicationDate|publication_date|first_published|firstPublished|pubDate|publishedDate)"
    r"[\"']\s*:\s*[\"'](\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)[\"']"
)
# What a printed date has and a "Newsletter" label lacks: a year, a day and month in figures or
# words, a time of day, or a relative day ("hier à 19h25", "il y a 2 heures").
_DATE_LIKE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}(?!\d)|(?<!\d)\d{1,2}[./-]\d{1,2}(?!\d)|(?<!\d)\d{1,2} ?[h:]\d{2}"
    r"|(?<!\d)\d{1,2}(?:er|\.)? ?(?:janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|okt|dez|ene|gen|abr|mag|giu|lug|ago|set|ott|dic"
    r"|maa|mei|sty|lut|kwi|maj|cze|lip|sie|wrz|paz|lis|gru)|\d{4}\s*[年년]|il y a|\bhier\b|aujourd|avant-hier|\bago\b"
    r"|yesterday|today|gestern|heute",
    re.IGNORECASE,
)
_PUBLISHED_META = (
    "og:article:published_time", "og:published_time", "published_time", "article.published",
    "datepublished", "datecreated", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "dcterms.created", "date", "pubdate", "publishdate", "publish-date",
    "publish_date", "publication_date", "publication-date", "sailthru.date",
    "parsely-pub-date", "citation_publication_date", "citation_date",
    "cxenseparse:recs:publishtime", "article:post_date", "dc.created",
)  # fmt: skip
_UPDATED_META = ("og:updated_time", "datemodified", "dcterms.modified", "dc.date.modified")
_DATE_MAX = 150
_SAME_MOMENT = timedelta(minutes=1)
_URL_DATE_MARGIN_DAYS = 31
_PARIS = ZoneInfo("Europe/Paris")  # the day a date without a zone names is the same anywhere
# What follows a dateline's date: "27.1.2022 - Bei der ...", "vom 25. Januar 2022 | Berlin".
_DATELINE_END = ("-", "–", "—", "|", ":", "„", '"', "«", "/", "•")
# ISO 8601's day, in its extended form or its basic one ("20180619T055000+0900").
_ISO_START = re.compile(r"\s*(?:(\d{4}-\d{2}-\d{2})|(\d{8})(?=[Tt]))")
_CLOCK_IN_DATE = re.compile(r"(?<!\d)(?P<hour>[01]?\d|2[0-3])\s?[:hH]\s?(?P<minute>[0-5]\d)(?!\d)")
# Words that label a publication date: "Veröffentlicht am", "Publié le", "Posted on",
# "Geschrieben von X am", "Pubblicato il".
_PUBLISHED_LABEL = re.compile(
    r"(?<![a-z])(?:published|posted|publiee?s?|mise? en ligne|veroffentlicht|erschienen|"
    r"geschrieben|gepostet|publiziert|publicad[oa]|pubblicat[oa]|gepubliceerd|opublikowano)"
    r"(?![a-z])"
)
# A date the page says is its print edition's: "Erschienen in der Ausgabe vom 18.05.2026",
# "édition du 10 décembre 2019", "print edition of May 3, 2022".
_EDITION_LABEL = re.compile(r"(?<![a-z])(?:ausgabe|edition|zeitung)(?![a-z])")
# How far after its label a date may start, and how much text around a label is read.
_LABEL_REACH = 40
_BODY_TEXT = etree.XPath("string(//body)")
_BODY_TEXTS = etree.XPath("//body//text()")
_LABELLED_TEXT_MAX = 300
_FIRST_PUBLISHED = re.compile(
    r"(?:(?:initialement|originellement|pour la premiere fois|d'abord)\s+(?:ete\s+)?publiee?s?|"
    r"publiee?s?\s+(?:initialement|originellement|pour la premiere fois)|premiere publication)"
    r"\s*:?\s*(?:le\s+|en\s+)?(?:[a-z]+\s+)?(?:\d{1,2}(?:er)?\s+)?(?P<month>[a-z]+)\s+(?P<year>\d{4})"
)


@dataclass
class MetadataDates:
    """The metadata's publication date, (source, value), and every machine date read: a time
    in UTC is compared with the others."""

    chosen: tuple[str, str] | None
    read: _MachineDates

    @property
    def published(self) -> str | None:
        return self.chosen[1] if self.chosen else None

    @property
    def source(self) -> str:
        return self.chosen[0] if self.chosen else "metadata"


@dataclass
class NearTitleDate:
    """The date printed beside the headline, whether it is labelled as an update's, and the
    texts around the headline, where the metadata's day is looked for."""

    found: str | None
    revised: bool
    near: NearTitle
    document: Any = None  # the page's tree, where a label of a print edition is looked for


@dataclass
class PrintedDates:
    """The texts of the elements marked up as dates, publication and update apart, and the
    elements they stood in: the body tells teaser cards by them."""

    published: list[str]
    updated: list[str]
    dated: set[Any]
    document: Any = None  # the page's tree, read for a labelled date when there is no other


def choose_dates(
    article: Article, metadata: MetadataDates, near_title: NearTitleDate, printed: PrintedDates
) -> None:
    """The publication date: the metadata's, unless over a month from the URL's (the URL was made
    when the article was); else the URL's, a printed date that reads as one, the one beside
    the headline, any printed one. A time the metadata gives in UTC is then told with the
    offset another machine date states for the same moment, and a day the page shows beside
    the headline instead of the metadata's wins (see _shown_instead). The update: the metadata's, else a printed update."""
    sources, warnings = article.field_sources, article.parse_warnings
    url_date = _url_date(article)
    published = metadata.published
    if _far_apart(published, url_date):
        warnings["published_at_metadata"] = published  # kept, not lost
        published = None
    article.published_raw = published or first_found(
        sources,
        "published_at",
        ("url", url_date),
        ("text", next((t for t in printed.published if find_date_spans(t)), None)),
        ("text-near-title", near_title.found),
        # last, what only the dateparser fallback may read ("17/11" in an agenda box)
        ("text", printed.published[0] if printed.published else None),
    )
    if not article.published_raw and not find_date_spans(article.byline_raw or ""):
        # a date labelled as the publication's anywhere outside the sidebars, else none
        article.published_raw = first_found(
            sources, "published_at", ("text", _labelled_date(printed.document))
        )
    local = _same_moment_with_offset(published, metadata.read)
    if local:
        sources["published_at"], article.published_raw = local
    elif published and _shown_instead(published, near_title, article):
        sources["published_at"], article.published_raw = "text-near-title", near_title.found
        # kept, not lost: it may be the first publication of an article re-dated when updated
        warnings["published_at_metadata"] = published
    elif published:
        _confirm_zone(article, published, [near_title.found, url_date])
    article.updated_raw = article.updated_raw or first_found(
        sources,
        "updated_at",
        ("text", printed.updated[0] if printed.updated else None),
        # an update's date that serves as the publication's too, for want of another
        (
            "text-near-title",
            near_title.found
            if near_title.revised and sources.get("published_at") == "text-near-title"
            else None,
        ),
    )


def restore_first_publication(article: Article, metadata: MetadataDates) -> None:
    """When the text says the article first appeared when the metadata says ("initialement
    publié en avril 2017"), the day shown beside the headline is its update's. Once the body
    is read."""
    metadata_day = article.parse_warnings.get("published_at_metadata")
    if (
        metadata_day
        and article.field_sources.get("published_at") == "text-near-title"
        and _says_first_published(article.body, metadata_day, article.fetched_at)
    ):
        article.updated_raw = article.updated_raw or article.published_raw
        article.published_raw = article.parse_warnings.pop("published_at_metadata")
        article.field_sources["published_at"] = metadata.source


def metadata_updated(article: Article, page: PageSources, scope: Selector | None) -> None:
    """The update time the metadata gives, in order of trust; choose_dates looks for a printed
    one only without it."""
    ld, ld_page, metas = page.ld, page.ld_page, page.metas
    article.updated_raw = first_found(
        article.field_sources,
        "updated_at",
        ("json-ld", clean_text(str(ld.get("dateModified") or ld_page.get("dateModified") or ""))),
        ("opengraph", metas.first("article:modified_time")),
        ("meta", metas.first(*_UPDATED_META)),
        (
            "microdata",
            _machine_date(page.candidates.with_itemprop(page.root, "dateModified"), scope),
        ),
    )


def metadata_published(
    article: Article, page: PageSources, scope: Selector | None
) -> MetadataDates:
    """The metadata's publication date, its source recorded now, where field_sources lists it
    ahead of the authors' (choose_dates may yet set it aside); all of them are read when it is
    in UTC. Read once the comments are out of the tree: they carry <time> and datePublished of
    their own."""
    machine_dates = _MachineDates(_machine_date_readers(page, scope))
    chosen = machine_dates.first()
    machine_published = (
        first_found(article.field_sources, "published_at", chosen) if chosen else None
    )
    article.timezone = page_timezone(page, machine_published, article.updated_raw)
    if _utc_instant(machine_published) is not None:
        machine_dates.read_all()  # compared with them once bylines and dates are gone
    machine_dates.close()
    return MetadataDates(chosen, machine_dates)


def page_timezone(page: PageSources, *machine_dates: str | None) -> str | None:
    """The zone the page's dates without an offset are told in: its locale's (<html lang>,
    og:locale, content-language), else a fixed zone of the offset its machine dates state;
    None when the page says neither."""
    root = page.root
    declared = chain(
        (root.get("lang") if getattr(root, "tag", None) == "html" else None,),
        (page.metas.first("og:locale"), page.metas.first("content-language", "language")),
        (m.get("content") for m in root.iter("meta") if _is_content_language(m)),
    )  # read in turn, the whole <head> only when the first say nothing
    zone = next((z for z in map(locale_zone, declared) if z), None)
    return zone or next(
        (z for z in (offset_zone(stated_instant(d)) for d in machine_dates) if z), None
    )


def _is_content_language(meta: Any) -> bool:
    return (meta.get("http-equiv") or "").lower() == "content-language"


def _machine_date_readers(
    page: PageSources, scope: Selector | None
) -> list[tuple[str, Callable[[], str | None]]]:
    ld, ld_page, metas, found, root = page.ld, page.ld_page, page.metas, page.candidates, page.root
    return [
        (
            "json-ld",
            lambda: clean_text(str(ld.get("datePublished") or ld.get("dateCreated") or "")),
        ),
        ("json-ld", lambda: clean_text(str(ld_page.get("datePublished") or ""))),
        ("opengraph", lambda: metas.first("article:published_time")),
        ("meta", lambda: metas.first(*_PUBLISHED_META)),
        ("microdata", lambda: _machine_date(found.with_itemprop(root, "datePublished"), scope)),
        ("meta", metas.published_fallback),
        ("microformat", lambda: clean_text(_microformat_date(found, root))),
        ("time", lambda: _time_datetime(page.sel, scope)),
        ("json-ld", lambda: other_json_ld_date(page.objects)),
        ("script", lambda: _script_date(page.sel)),
    ]


def date_near_title(near: NearTitle) -> NearTitleDate:
    """The date printed beside the headline, read before the bylines leave the tree."""
    found, revised = _date_near_title(near)
    near.more = iter(())  # the tree changes from here on: what was not read stays unread
    first = next(chain(near.after, near.before), None)
    document = element_of(first).getroottree() if first is not None else None
    return NearTitleDate(found, revised, near, document)


def take_printed_dates(page: PageSources, scope: Selector | None) -> PrintedDates:
    """The dates printed where the markup names them ("date", "published" classes), the
    article's first; they leave the tree, for the body not to repeat them."""
    root = page.root
    dates = outermost_short([e for e in page.candidates.dates if attached(e, root)], _DATE_MAX)
    dates = [d for d in dates if not _in_running_text(d)]
    published: list[str] = []
    updated: list[str] = []
    for node in in_scope_first(dates, scope):
        text = text_of(node)
        if _DATE_LIKE.search(text) and not _in_sidebar(node.root):
            (updated if has_update_label(text) else published).append(text)
    dated = {ancestor for node in dates for ancestor in node.root.iterancestors()}
    drop_all(dates)
    return PrintedDates(published, updated, dated, root.getroottree())


class _MachineDates:
    """The page's machine-readable publication dates in order of trust, each read when first
    asked for: most pages give an ISO 8601 date in their first source, and some later ones
    (page scripts, <time>) scan the whole page."""

    def __init__(self, readers: list[tuple[str, Callable[[], str | None]]]) -> None:
        self._readers = readers
        self._values: list[tuple[str, str | None]] = []
        self._closed = False

    def __iter__(self) -> Iterator[tuple[str, str | None]]:
        for index, (source, read) in enumerate(self._readers):
            if index == len(self._values):
                if self._closed:
                    return
                self._values.append((source, read()))
            yield self._values[index]

    def read_all(self) -> None:
        for _ in self:
            pass

    def close(self) -> None:
        """Read no more sources: the tree is about to change under them."""
        self._closed = True

    def first(self) -> tuple[str, str] | None:
        """The first ISO 8601 date, which reads without guessing; else the first date in
        whatever form ("Wed, 04 May 2022 02:41:00 GMT")."""
        other = None
        for source, value in self:
            if value and _ISO_START.match(value):
                return source, value
            if value and other is None:
                other = (source, value)
        return other


def _machine_date(marked: list[Any], scope: Selector | None) -> str | None:
    nodes = in_scope_first(selectors(marked), scope)
    for node in nodes:
        # lxml's get(), not parsel's attrib: that dict copies every attribute, and lxml refuses
        # to give back a name with a control character in it ("<p \x1f itemprop=...>")
        value = node.root.get("content") or node.root.get("datetime") or ""
        if clean_text(value):
            return clean_text(value)
    return None


def _microformat_date(found: Candidates, root: Any) -> str | None:
    """hAtom's <abbr class="published" title="..."> or RDFa's property="dc:date" content=""."""
    return next((value for node, value in found.microformat_dates if attached(node, root)), None)


def _time_datetime(sel: Selector, scope: Selector | None) -> str | None:
    """A <time datetime>: one marked as the publication time, else the first in the article."""
    elements = [t for t in document_elements(sel.root, "time") if t.get("datetime") is not None]
    marked = next(
        (
            t.get("datetime")
            for t in elements
            if t.get("pubdate") is not None or t.get("itemprop") == "datePublished"
        ),
        None,
    )
    if marked and clean_text(marked):
        return clean_text(marked)
    times = [Selector(root=t, type="html") for t in elements if clean_text(t.get("datetime"))]
    if not times:
        return None
    inside = [t for t in times if scope is not None and contains(scope, t)]
    return clean_text((inside or times)[0].root.get("datetime"))


def _script_date(sel: Selector) -> str | None:
    """A publication date in a page script's data (JSON-LD aside: it is read as such)."""
    for script in sel.xpath("//script[not(contains(@type, 'ld+json'))]/text()").getall():
        # each of the regex's keys holds one of these; scanning for them costs a third of the
        # regex's search of a script that has none of them
        if "ublish" not in script and "ublicat" not in script and "ubDate" not in script:
            continue
        match = _SCRIPT_DATE.search(script)
        if match:
            return match.group(1)
    return None


def _date_near_title(near: NearTitle) -> tuple[str | None, bool]:
    """A date printed just after the headline ("Pressemitteilung vom 20.01.2022", "Lübeck,
    31. März 2003"), or just before it; the last resort of the visible text. A date inside a
    paragraph of the text ("seit 4. August 2014 ...") is what the article tells, not when,
    unless it opens the paragraph as a dateline ("27.1.2022 - Bei der ..."); a date labelled
    as an update ("Article mis à jour le ...") serves only when there is no other, and is
    told so (True beside it)."""
    revised = None
    for chunk in chain(near.after, near.more, near.before):
        found = find_full_date(str(chunk))
        if not found:
            continue
        if updated_before(str(chunk).partition(found)[0]):
            revised = revised or found
            continue
        paragraph = _paragraph_of(element_of(chunk))
        if paragraph is None or not _long(paragraph) or _dateline(str(chunk), found, paragraph):
            return found, False
    return revised, revised is not None


def _paragraph_of(element: Any) -> Any:
    """The <p> an element is in (or is), else None."""
    while element is not None and getattr(element, "tag", None) != "p":
        element = element.getparent()
    return element


def _long(paragraph: Any) -> bool:
    """Longer than a byline: running text rather than a line of its own."""
    return len(clean_text("".join(paragraph.itertext()))) > BYLINE_MAX


def _dateline(chunk: str, found: str, paragraph: Any) -> bool:
    """The paragraph opens with the date, at most a few words before it, and a dash, a bar
    or a quote after it: "27.1.2022 - Bei der ...", "Pressemitteilung vom 25. Januar 2022 |"."""
    before, _, after = chunk.partition(found)
    opening = clean_text("".join(paragraph.itertext()))
    return (
        len(before.strip()) <= 25
        and not any(c.isdigit() for c in before)
        and opening.startswith(clean_text(chunk)[:30])
        and after.strip()[:1] in ("", *_DATELINE_END)
    )


def _in_running_text(node: Selector) -> bool:
    """A date inside a paragraph of the text ("le 3 mars dernier, ...") is not the article's;
    one in a short line of its own, even a <p> ("5. November 2021 · admin"), is."""
    paragraph = _paragraph_of(node.root.getparent())
    return paragraph is not None and _long(paragraph)


def _in_sidebar(element: Any) -> bool:
    """Inside an aside, a nav, a footer, or a box whose class says sidebar, widget or archive
    (a date there is another article's)."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("aside", "nav", "footer"):
            return True
        classes = ancestor.get("class") or ""
        if "sidebar" in classes or "widget" in classes or "archive" in classes:
            return True
    return False


def _url_date(article: Article) -> str | None:
    """The date in the page's URL path; not a day to come ("festival-14-05-2024" is an
    event's)."""
    url_date = date_in_url(article.url) or date_in_url(article.canonical_url or "")
    if url_date and _after_fetch(url_date, article.fetched_at):
        return None
    return url_date


def _far_apart(machine: str | None, url_date: str | None) -> bool:
    """A machine date in ISO 8601 more than a month from the date in the page's URL path."""
    if not machine or not url_date or not _ISO_START.match(machine):
        return False
    stated = _iso_day(machine)
    if stated is None:
        return False
    try:
        return abs((stated - date.fromisoformat(url_date)).days) > _URL_DATE_MARGIN_DAYS
    except ValueError:
        return False


def _after_fetch(url_date: str, fetched_at: str | None) -> bool:
    """A URL's date after the day the page was fetched (a day of margin for the zones ahead
    of ours): not when the article was made, but a day it announces."""
    try:
        return date.fromisoformat(url_date) > fetch_time(fetched_at, _PARIS).date() + timedelta(
            days=1
        )
    except ValueError:
        return False


def _same_moment_with_offset(
    raw: str | None, machine_dates: Iterable[tuple[str, str | None]]
) -> tuple[str, str] | None:
    """For a publication time given in UTC, another machine date of the page that states the
    same moment with the publisher's own offset; None to keep `raw`."""
    instant = _utc_instant(raw)
    if instant is None:
        return None
    for source, value in machine_dates:
        other = stated_instant(value)
        if other is not None and other.utcoffset() and abs(other - instant) <= _SAME_MOMENT:
            return source, value  # type: ignore[return-value]
    return None


def _confirm_zone(article: Article, published: str, shown: list[str | None]) -> None:
    """A page's zone that is one of its country's several is taken as its own when a time the
    metadata gives in UTC falls there on the day the page shows (beside the headline or in
    its URL) and in UTC on another: as that zone's offset at that time, which FrenchDates
    may tell the time in."""
    instant, zone = _utc_instant(published), article.timezone
    if instant is None or zone is None or zone_is_certain(zone):
        return
    local = instant.astimezone(ZoneInfo(zone))
    days = {_day_of(text, article.fetched_at) for text in shown}
    if local.date() != instant.date() and local.date() in days:
        article.timezone = offset_zone(local) or zone


def _utc_instant(raw: str | None) -> datetime | None:
    """The moment a date states when it states it in UTC, else None: the one kind of date
    _as_the_reader_saw_it compares with the page's other machine dates."""
    instant = stated_instant(raw)
    return instant if instant is not None and not instant.utcoffset() else None


def _shown_instead(machine: str, near_title: NearTitleDate, article: Article) -> bool:
    """True when the page shows its readers, beside the headline, another day than its
    metadata gives, and nowhere there the metadata's day: the article was re-dated when
    updated, or dated for the next day's edition. Not when a day apart that the zone explains
    (see _zone_slip). A shown day more than a day before the metadata's is more likely a date
    the text mentions, or a day and month read in the wrong order, and the metadata stays."""
    shown, fetched_at = near_title.found, article.fetched_at
    if not shown:
        return False
    machine_day, shown_day = _day_of(machine, fetched_at), _day_of(shown, fetched_at)
    # the difference of two days, not a day less one: metadata dated 0001-01-01 has no day before
    if machine_day is None or shown_day is None or (machine_day - shown_day).days > 1:
        return False
    if shown_day == machine_day or _zone_slip(machine, machine_day, shown, shown_day):
        return False
    nearby = [*near_title.near.after[:NEAR_TITLE_BYLINE_TEXTS], *near_title.near.before]
    if any(_day_of(find_full_date(str(t)), fetched_at) == machine_day for t in nearby):
        return False
    return shown_day not in _edition_days(near_title.document, fetched_at)


def _edition_days(document: Any, fetched_at: str | None) -> set[date]:
    """The days the page says are its print edition's ("Erschienen in der Ausgabe vom
    18.05.2026"): a newspaper's site shows the edition's day beside the headline, and the
    metadata gives when the article went online, often the evening before."""
    if document is None:
        return set()
    days = set()
    for text in _texts_with(document, _EDITION_LABEL):
        for found in _dates_after_label(str(text), _EDITION_LABEL):
            days.add(_day_of(found, fetched_at))
    return days - {None}  # type: ignore[return-value]


def _texts_with(document: Any, label: re.Pattern[str]) -> Iterator[Any]:
    """The text nodes of the page's body in which one of `label`'s words stands; the body's
    whole text is searched first, in one piece, as most pages have none."""
    if not label.search(fold_aligned(_BODY_TEXT(document))):
        return
    for text in _BODY_TEXTS(document):
        if label.search(fold_aligned(text)):
            yield text


def _dates_after_label(text: str, label: re.Pattern[str]) -> Iterator[str]:
    """The full dates that follow one of `label`'s words in `text` within a few words, with
    no figure between them ("Veröffentlicht am 16.08.2019", "Geschrieben von Ann am ...")."""
    folded = fold_aligned(text)
    for match in label.finditer(folded):
        after = text[match.end() : match.end() + _LABEL_REACH + _DATE_MAX]
        found = find_full_date(after)
        if found:
            before = after.partition(found)[0]
            if len(before) <= _LABEL_REACH and not any(c.isdigit() for c in before):
                yield found


def _labelled_date(document: Any) -> str | None:
    """A date the page labels as its publication's ("Veröffentlicht am 16.08.2019", "Posted
    on May 3, 2022"), where no markup names one: outside sidebars and navigation, and not
    inside running text (a report "published on 3 May" that the article tells of)."""
    if document is None:
        return None
    for text in _texts_with(document, _PUBLISHED_LABEL):
        element = text.getparent()
        if element is None or _in_sidebar(element) or _in_running_text_at(element, str(text)):
            continue
        for _ in range(3):  # the label's element, else its parent ("<span>By <a>Ann</a></span>")
            block = element_text(element)[:_LABELLED_TEXT_MAX]
            found = next(_dates_after_label(block, _PUBLISHED_LABEL), None)
            if found:
                return found
            element = element.getparent()
            if element is None or element.tag in ("body", "html"):
                break
    return None


def _in_running_text_at(element: Any, text: str) -> bool:
    """A label in a long paragraph, past its opening words: the text tells of a publication."""
    paragraph = _paragraph_of(element)
    if paragraph is None or not _long(paragraph):
        return False
    opening = fold_aligned(clean_text("".join(paragraph.itertext()))[:_LABEL_REACH])
    return _PUBLISHED_LABEL.search(opening) is None


def _zone_slip(machine: str, machine_day: date, shown: str, shown_day: date) -> bool:
    """A time the metadata gives in UTC or with no offset, a day from the day shown without
    a time: the publisher's clock read the shown day at that moment (a New York evening is
    the next day in UTC), and the metadata's time is the more exact."""
    instant = stated_instant(machine)
    return (
        abs((machine_day - shown_day).days) == 1
        and (instant is None or not instant.utcoffset())
        and _has_clock(machine)
        and not _has_clock(shown)
    )


def _has_clock(text: str) -> bool:
    """Whether a date gives a time of day other than midnight ("2024-09-03T04:03:19Z",
    "18.07.2024, 11:08"); midnight is how a CMS writes a day without one."""
    match = _CLOCK_IN_DATE.search(text)
    return match is not None and (int(match["hour"]), int(match["minute"])) != (0, 0)


def _day_of(text: str | None, fetched_at: str | None) -> date | None:
    """The day a date string states: an ISO 8601 string's own day (whatever its offset),
    else the day the fast path reads in Paris time; None when it reads none."""
    if not text:
        return None
    if _ISO_START.match(text):
        return _iso_day(text)
    value = parse_fast(text, fetch_time(fetched_at, _PARIS), _PARIS)
    return value.date() if isinstance(value, datetime) else None


def _iso_day(text: str) -> date | None:
    """The day an ISO 8601 string starts with, whatever its offset; None when it is no day."""
    match = _ISO_START.match(text)
    try:
        return date.fromisoformat(match[1] or match[2]) if match else None
    except ValueError:
        return None


def _says_first_published(text: str | None, machine: str, fetched_at: str | None) -> bool:
    """Whether the text says it was first published in the month the metadata gives ("Cet
    article, initialement publié en avril 2017, a fait l'objet d'une mise à jour")."""
    machine_day = _day_of(machine, fetched_at)
    if not text or machine_day is None:
        return False
    return any(
        MONTHS.get(match["month"]) == machine_day.month and int(match["year"]) == machine_day.year
        for match in _FIRST_PUBLISHED.finditer(fold(text))
    )
