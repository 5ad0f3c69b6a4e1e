"""The items a crawl produces: plain dataclasses that itemadapter and Scrapy understand.

Raw strings as found on the page (`byline_raw`, `published_raw`, `caption_raw`, ...) sit beside
their normalized values, so a user can audit every conversion.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# The metadata of a field that feed exports leave out (FEED_EXPORT_FIELDS in archiver.settings).
NOT_EXPORTED = {"export": False}


@dataclass
class Image:
    src: str
    caption: str | None = None
    credit: str | None = None
    caption_raw: str | None = None
    alt: str | None = None


@dataclass
class Comment:
    id: str
    parent_id: str | None = None
    author: str | None = None
    published_at: str | None = None
    published_raw: str | None = None
    text: str = ""


@dataclass
class RawPage:
    """The response an article was extracted from, kept so it can be re-parsed offline."""

    url: str
    body: bytes
    final_url: str | None = None
    status: int = 200
    content_type: str | None = None
    last_modified: str | None = None
    etag: str | None = None
    fetched_at: str | None = None


@dataclass
class Article:
    url: str
    canonical_url: str | None = None
    site: str | None = None
    title: str | None = None
    lead: str | None = None
    body: str | None = None
    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    byline_raw: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    published_raw: str | None = None
    updated_raw: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    images: list[Image] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    comment_count: int = 0
    comment_count_shown: int | None = None
    # Where the comments are when they are not in the page: "external:disqus", "external:facebook".
    comments_status: str | None = None
    fetched_at: str | None = None
    # Which source each metadata field came from ("json-ld", "opengraph", "meta", "text", ...).
    field_sources: dict[str, str] = field(default_factory=dict)
    # Date fields resolved from relative text ("il y a 2 heures"), so only as exact as the fetch.
    relative_dates: list[str] = field(default_factory=list)
    # Fields whose raw text could not be normalized, e.g. {"published_at": "32 octobre 2016"}.
    parse_warnings: dict[str, str] = field(default_factory=dict)
    # The zone the page tells its dates in ("America/New_York"), from its locale or its dates'
    # offsets; a site profile's zone, else the configured one, where it says none.
    timezone: str | None = field(default=None, repr=False, metadata=NOT_EXPORTED)
    # The URL as discovered, before redirects: how the crawl frontier knows this page is done.
    requested_url: str | None = field(default=None, repr=False, metadata=NOT_EXPORTED)
    # The response itself, bytes included, for the archive's raw_pages.
    raw: RawPage | None = field(default=None, repr=False, compare=False, metadata=NOT_EXPORTED)


def exported_fields(item_class: type) -> list[str]:
    """The fields of a dataclass item that feed exports write, in their order."""
    return [f.name for f in fields(item_class) if f.metadata.get("export", True)]
