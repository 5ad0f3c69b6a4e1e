"""Finding article URLs without fetching the articles: robots.txt, sitemaps, RSS and Atom feeds.

Pure functions over bytes and strings, so the spider stays thin and these stay testable.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import lxml.etree
from parsel import Selector

from archiver.extract.nodes import document_elements


@dataclass(frozen=True)
class Entry:
    url: str
    date: datetime | None = None


def robots_sitemaps(robots_txt: str, base_url: str) -> list[str]:
    """The `Sitemap:` URLs a robots.txt lists, made absolute."""
    found = []
    for line in robots_txt.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            found.append(urljoin(base_url, value.strip()))
    return found


def parse_date(text: str | None) -> datetime | None:
    """W3C dates (sitemaps, Atom) and RFC 822 dates (RSS), as aware datetimes; None if unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# What a sitemap is read as at most once gunzipped: a gzip bomb stops there.
_MOST_GUNZIPPED = 50_000_000
# A DOCTYPE, with its internal subset, in the prologue: where entities (billion laughs) are made.
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.DOTALL | re.IGNORECASE)
# URLs longer than this are left out: Scrapy's URLLENGTH_LIMIT, and what browsers took.
MAX_URL_LENGTH = 2083


def shortened(url: str) -> str:
    """A URL too long to request, as a failure's detail says it: its start and its length."""
    return f"{url[:100]}... ({len(url):,} characters)"


@dataclass
class Listing:
    """What a sitemap or a feed gave: its entries, the URLs left out for their length, and
    why it could not be read whole (None when it was), so that the crawl records it."""

    kind: str  # "index" or "urlset" (sitemaps), "feed"
    entries: list[Entry] = field(default_factory=list)
    too_long: list[str] = field(default_factory=list)  # their first 100 characters and length
    damage: str | None = None

    def closed(self) -> Listing:
        """The listing, its damage saying how many entries were kept despite it."""
        if self.damage:
            self.damage = f"{self.damage}; {len(self.entries)} entries kept"
        return self

    def add(self, url: str, base_url: str, date: datetime | None, max_length: int) -> None:
        """An entry, unless its URL is too long to request: measured before urljoin copies a
        10 MB <loc> and Scrapy builds a request of it (a gigabyte of memory)."""
        if len(url) > max_length:
            self.too_long.append(shortened(url))
            return
        with contextlib.suppress(ValueError):  # "http://[oops/" is no address
            self.entries.append(Entry(urljoin(base_url, url), date))


def _xml_body(body: bytes, listing: Listing) -> bytes:
    """The body to parse: gunzipped up to _MOST_GUNZIPPED bytes, and without a DOCTYPE, which
    a sitemap or a feed has no use for and a billion-laughs bomb needs for its entities. Their
    references are then left out, and the entries after them read."""
    if body[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as unzipped:
                data = unzipped.read(_MOST_GUNZIPPED + 1)
        except (OSError, EOFError) as error:
            listing.damage = f"gzip: {error}"
            return b""
        if len(data) > _MOST_GUNZIPPED:
            listing.damage = f"gunzipped past {_MOST_GUNZIPPED:,} bytes; read as far as that"
            data = data[:_MOST_GUNZIPPED]
        body = data
    start = body.find(b"<!DOCTYPE", 0, 4096)
    if start < 0:
        start = body.find(b"<!doctype", 0, 4096)
    if start >= 0:
        found = _DOCTYPE.match(body, start)
        if found:
            if b"<!ENTITY" in found.group():
                listing.damage = "declares entities, which were not read"
            body = body[:start] + body[found.end() :]
    return body


def _parse_errors(log: lxml.etree._ListErrorLog, listing: Listing) -> None:
    """The first fatal error lxml met, as the listing's damage; lesser errors it recovered
    from (a stray "&" in a URL) are not worth a row."""
    fatal = log.filter_from_fatals()
    if fatal and listing.damage is None:
        error = fatal[0]
        listing.damage = f"line {error.line}: {error.message}"


def read_sitemap(body: bytes, base_url: str, max_url_length: int = MAX_URL_LENGTH) -> Listing:
    """A sitemap ("index" or "urlset"), gzipped or not, Google News ones included; an entry's
    date is its news:publication_date, else its lastmod. A damaged sitemap gives what could be
    read of it, and says why it stopped."""
    listing = Listing("urlset")
    parser = lxml.etree.iterparse(
        io.BytesIO(_xml_body(body, listing)),
        events=("end",),
        recover=True,
        resolve_entities=False,
        huge_tree=False,
        no_network=True,
    )
    try:
        for _, element in parser:
            name = _local(element.tag)
            if name == "sitemapindex":
                listing.kind = "index"
            if name not in ("url", "sitemap"):
                continue
            fields = {_local(child.tag): (child.text or "").strip() for child in element.iter()}
            if fields.get("loc"):
                date = parse_date(fields.get("publication_date") or fields.get("lastmod"))
                listing.add(fields["loc"], base_url, date, max_url_length)
            element.clear()
    except lxml.etree.XMLSyntaxError as error:
        listing.damage = listing.damage or str(error)  # keep what was read before the damage
    _parse_errors(parser.error_log, listing)
    return listing.closed()


def sitemap_entries(body: bytes, base_url: str) -> tuple[str, list[Entry]]:
    """("index" or "urlset", entries) of a sitemap: read_sitemap without its notes."""
    listing = read_sitemap(body, base_url)
    return listing.kind, listing.entries


def read_feed(body: bytes, base_url: str, max_url_length: int = MAX_URL_LENGTH) -> Listing:
    """Article links of an RSS 2.0, RSS 1.0 or Atom feed, with their dates."""
    listing = Listing("feed")
    parser = lxml.etree.XMLParser(
        recover=True, resolve_entities=False, huge_tree=False, no_network=True
    )
    try:
        root = lxml.etree.fromstring(_xml_body(body, listing), parser)
    except (ValueError, lxml.etree.XMLSyntaxError) as error:
        root = None
        listing.damage = listing.damage or str(error)
    _parse_errors(parser.error_log, listing)
    if root is not None:
        sel = Selector(root=root, type="xml")
        sel.remove_namespaces()
        for item in sel.xpath("//item | //entry"):
            link = (
                item.xpath("./link[@rel='alternate']/@href").get()
                or item.xpath("./link/@href").get()
                or item.xpath("./link/text()").get()
                or item.xpath("./guid[not(@isPermaLink='false')]/text()").get()
            )
            if not link or not link.strip():
                continue
            date = item.xpath(
                "./pubDate/text() | ./published/text() | ./updated/text() | ./date/text()"
            ).get()
            listing.add(link.strip(), base_url, parse_date(date), max_url_length)
    return listing.closed()


def feed_entries(body: bytes, base_url: str) -> list[Entry]:
    """The entries of a feed: read_feed without its notes."""
    return read_feed(body, base_url).entries


_FEED_TYPES = re.compile(r"application/(?:rss|atom|rdf)\+xml|application/xml|text/xml", re.I)


def feed_links(sel: Selector, base_url: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml">. The tree
    is walked by lxml, without a parsel Selector made for each <link>: asked of every page."""
    links = []
    for link in document_elements(sel.root, "link"):
        if "alternate" not in (link.get("rel") or ""):
            continue
        href = link.get("href")
        if href and _FEED_TYPES.search(link.get("type") or ""):
            with contextlib.suppress(ValueError):  # "http://[oops/" is no address
                links.append(urljoin(base_url, href.strip()))
    return links


def page_links(sel: Selector, base_url: str) -> list[str]:
    """The distinct targets of a page's <a href>, absolute and without their #fragment, in
    page order: what `urljoin(base_url, href)` less its fragment gives for each href. An href
    urljoin cannot read ("http://[oops/") is left out rather than losing the page.

    A page repeats its links and its "#comment-3" anchors; each href is read once (the same
    string is dropped in C, before the loop), each target resolved once, and a plain "/path" is
    joined to the page's origin without urljoin's parsing. lxml's own iteration finds the links
    in two thirds of the time of the XPath "//a/@href".
    """
    split = urlsplit(base_url)
    origin = f"{split.scheme}://{split.netloc}" if split.scheme in ("http", "https") else None
    targets: dict[str, None] = {}
    resolved: set[str] = set()
    hrefs = dict.fromkeys([link.get("href") for link in document_elements(sel.root, "a")])
    for value in hrefs:
        if value is None:
            continue
        href = value.strip()
        # the same path with another fragment is the same target; but urljoin gives an empty
        # href the base as it is, and any "#x" the base rewritten ("p;" becomes "p")
        key = href.split("#", 1)[0] or href[:1]
        if key in resolved:
            continue
        resolved.add(key)
        if origin and _PLAIN_PATH.fullmatch(key) and "/." not in key and "//" not in key:
            url = origin + key
        elif _PLAIN_ABSOLUTE.fullmatch(key):
            url = key
        else:
            try:
                url = urljoin(base_url, href).split("#", 1)[0]
            except ValueError:
                continue
        targets[url] = None
    return list(targets)


# A root-relative path that urljoin would return as it is: no query, parameters, line breaks
# or tabs (urljoin drops an empty "?" or ";" and removes tabs and line breaks).
_PLAIN_PATH = re.compile(r"/[^?;#\t\r\n]*")
# An absolute http(s) URL that urljoin would return as it is, whatever the base: a lower-case
# scheme, a plain host and port, no parameters, no empty query, no space or control character
# (urljoin parses and rebuilds an absolute URL, but does not resolve its dot segments).
_PLAIN_ABSOLUTE = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[^?;#\s\x00-\x1f\x7f]*)?(?:\?[^;#\s\x00-\x1f\x7f]+)?"
)


def parse_since(value: str) -> datetime:
    """--since accepts a date or a datetime; a bare date means its midnight UTC."""
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(f"--since expects a date like 2024-01-31, got {value!r}")
    return parsed
