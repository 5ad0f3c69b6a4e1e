"""Any item a spider yields, read through itemadapter, as the Article the pipelines work on.

A spider of one's own may yield plain dicts, scrapy.Items or any item itemadapter reads, with
the raw fields an extractor gives (`byline_raw`, `published_raw`, images' `caption_raw`, ...),
and have them normalized and archived like the news spider's articles. This lives with the crawl
and not in archiver.items: itemadapter imports Scrapy, which the archive alone does without.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter

from archiver.items import Article, Comment, Image


def article_from(item: Any) -> Article | None:
    """The Article an item stands for. An Article is itself; any other item with a `url` and a
    `title` field is copied into one, its `images` and `comments` being lists of items (or
    dicts) too, and its `site` the host of its URL when it names none. Fields an Article has no
    place for are left out, and so are images without a `src`. Any other item (no url or no
    title) is not an article: None.
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
