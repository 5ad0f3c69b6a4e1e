"""An example of a spider of one's own: it yields plain dicts of the strings found on the page,
and the project's item pipelines normalize them (authors, ISO 8601 dates, caption and credit,
comments) and archive them, as they do the news spider's articles.

Its selectors fit the demo site's two markups, a hand-made one and a WordPress one. With the
site served by archiver.demo.server.DemoServer, from the repository root:

    scrapy crawl example_dicts -a url=http://127.0.0.1:PORT/ -s ARCHIVE_DB=example.db
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from parsel import Selector, SelectorList
from scrapy.http import Response


def text_of(selection: SelectorList[Selector]) -> str:
    """The text of the selected elements, tags left out."""
    return "".join(selection.css("::text").getall())


class ExampleDictsSpider(scrapy.Spider):
    """Follows the listing pages from `-a url=...` and yields each article as a dict."""

    name = "example_dicts"

    def __init__(self, url: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = [url] if url else []

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """An article page gives its article; a listing gives its articles and the next page."""
        if response.css("article"):
            yield self.article(response)
        yield from response.follow_all(css=".teasers h2 a, a[rel=next]", callback=self.parse)

    def article(self, response: Response) -> dict[str, Any]:
        """The raw strings: the byline as printed ("Par A et B", "A | 3 octobre 2016"), the
        date as printed, each caption with its credit ("Photo X (© Y)")."""
        header = response.css("article header")
        return {
            "url": response.url,
            "title": text_of(response.css("article h1")),
            "byline_raw": header.css(".byline::text").get(),
            "published_raw": header.css("time::text").get(),
            "updated_raw": header.css(".updated::text").get(),
            "lead": text_of(response.css(".chapo, .lead")),
            "body": "\n\n".join(
                text_of(block)
                for block in response.css(
                    ".article-content > p, .article-content > h2,"
                    " .entry-content > p:not(.lead), .entry-content > h2"
                )
            ),
            "tags": response.css(".tags a[rel=tag]::text").getall(),
            "images": [
                {
                    "src": response.urljoin(figure.css("img::attr(src)").get()),
                    "caption_raw": figure.css("figcaption::text, .wp-caption-text::text").get(),
                }
                for figure in response.css("article figure, article .wp-caption")
            ],
            "comments": [self.comment(c) for c in response.css("#comments .comment")],
        }

    @staticmethod
    def comment(comment: Selector) -> dict[str, Any]:
        """A reply names its parent in data-parent, or sits in the parent's <ol class=children>."""
        parent = comment.attrib.get("data-parent") or comment.xpath(
            "parent::ol[@class='children']/parent::li/@id"
        ).get("")
        return {
            "id": comment.attrib["id"].removeprefix("comment-"),
            "parent_id": parent.removeprefix("comment-"),
            "author": comment.css("span.comment-author::text, .fn::text").get(),
            "published_raw": comment.css(".comment-date::text, time::text").get(),
            "text": comment.css(".comment-text p::text, .comment-content p::text").get(),
        }
