"""The items a crawl produces: plain dataclasses that itemadapter and Scrapy understand.

Raw strings as found on the page (`byline_raw`, `published_raw`, `caption_raw`, ...) sit beside
their normalized values, so a user can audit every conversion.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter

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
    # The URL as discovered, before redirects: how the crawl frontier knows this page is done.
    requested_url: str | None = field(default=None, repr=False, metadata=NOT_EXPORTED)
    # The response itself, bytes included, for the archive's raw_pages.
    raw: RawPage | None = field(default=None, repr=False, compare=False, metadata=NOT_EXPORTED)


def exported_fields(item_class: type) -> list[str]:
    """The fields of a dataclass item that feed exports write, in their order."""
    return [f.name for f in fields(item_class) if f.metadata.get("export", True)]


def article_from(item: Any) -> Article | None:
    """The Article an item stands for, so that a spider of one's own may yield plain dicts,
    scrapy.Items or any item itemadapter reads, with the raw fields an extractor gives
    (`byline_raw`, `published_raw`, images' `caption_raw`, ...), and have them normalized and
    archived like the news spider's articles.

    An Article is itself; any other item with a `url` and a `title` field is copied into one,
    its `images` and `comments` being lists of items (or dicts) too, and its `site` the host of
    its URL when it names none. Fields an Article has no place for are left out, and so are
    images without a `src`. Any other item (no url or no title) is not an article: None.
    """
    if isinstance(item, Article):
        return item
    if not ItemAdapter.is_item(item):
        return None
    adapter = ItemAdapter(item)
    if not {"url", "title"} <= set(adapter.field_names()):
        return None
    values = _known_fields(adapter, Article)
    for name in ("authors", "tags"):
        if isinstance(values.get(name), str):
            values[name] = [values[name]]
    images = [
        {"src": i} if isinstance(i, str) else _known_fields(i, Image)
        for i in values.get("images") or []
    ]
    values["images"] = [Image(**image) for image in images if image.get("src")]
    values["comments"] = [
        _comment(_known_fields(comment, Comment), position)
        for position, comment in enumerate(values.get("comments") or [], start=1)
    ]
    article = Article(**values)
    article.site = article.site or urlsplit(article.canonical_url or article.url).hostname
    return article


def _known_fields(item: Any, item_class: type) -> dict[str, Any]:
    """The fields of `item` that `item_class` has, those set to None left to their default."""
    adapter = item if isinstance(item, ItemAdapter) else ItemAdapter(item)
    names = {f.name for f in fields(item_class)}
    return {name: value for name, value in adapter.items() if name in names and value is not None}


def _comment(values: dict[str, Any], position: int) -> Comment:
    """Ids are strings, an empty parent is none, and a comment given no id is known by its
    position."""
    parent = values.get("parent_id")
    values["id"] = str(values.get("id", position))
    values["parent_id"] = None if parent in (None, "") else str(parent)
    return Comment(**values)
