"""One page -> one normalized article: the chain the crawl, reparse, `extract`, `eval` and the
benchmarks share, so that they cannot drift apart.

Extraction gives raw strings (`byline_raw`, `published_raw`, captions); normalization turns them
into clean fields. A crawl runs the two apart (extraction in its worker, normalization in an item
pipeline, where a user's own spider's items get it too); everything else calls `read_article`.
"""

from __future__ import annotations

from functools import lru_cache

from parsel import Selector

from archiver.extract.decode import Decoded, decode_html
from archiver.extract.nodes import parse_html
from archiver.extract.profiles import Profiles, extract_with_profile
from archiver.items import Article
from archiver.normalize.article import normalize_article
from archiver.normalize.dates import FrenchDates
from archiver.normalize.zones import zone_is_certain

DEFAULT_TIMEZONE = "Europe/Paris"


class ArticleReader:
    """The page -> article chain with what it is slow to build kept between pages: the site
    profiles and a date reader per timezone (dateparser's fallback takes a while to load)."""

    def __init__(self, profiles: Profiles | None = None, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.profiles = profiles if profiles is not None else Profiles.load()
        self.timezone = timezone
        self.readers: dict[tuple[str, bool], FrenchDates] = {}

    def dates_for(self, article: Article) -> FrenchDates:
        """Dates a page prints without an offset are read in its site profile's timezone,
        else in the one the page tells (article.timezone), else in the reader's own. A time
        given in UTC is told in that zone unless it is a guess (see zone_is_certain)."""
        profile = self.profiles.for_url(article.url, article.canonical_url)
        if profile and profile.timezone:
            timezone, certain = profile.timezone, True
        else:
            timezone = article.timezone
            certain = timezone is not None and zone_is_certain(timezone)
        key = (timezone or self.timezone, certain)
        if key not in self.readers:
            self.readers[key] = FrenchDates(key[0], utc_in_zone=certain)
        return self.readers[key]

    def extract(
        self,
        page: str | bytes,
        url: str,
        *,
        content_type: str | None = None,
        fetched_at: str | None = None,
        force: bool = False,
        selector: Selector | None = None,
    ) -> Article | None:
        """The raw fields of a page (bytes are decoded as the crawl decodes them); None for a
        page that is not an article, unless `force`."""
        if isinstance(page, str):
            return extract_with_profile(
                page, url, self.profiles, fetched_at=fetched_at, selector=selector, force=force
            )
        decoded = decode_html(page, content_type)
        if selector is None:
            selector = parse_html(decoded.utf8 if decoded.utf8 is not None else decoded.text)
        return self.extract_decoded(
            decoded, url, selector=selector, fetched_at=fetched_at, force=force
        )

    def extract_decoded(
        self,
        decoded: Decoded,
        url: str,
        *,
        selector: Selector,
        fetched_at: str | None = None,
        force: bool = False,
    ) -> Article | None:
        """extract() for a page decoded and parsed already (the crawl reads its links from the
        same tree first); how its text had to be repaired is kept in parse_warnings."""
        article = extract_with_profile(
            decoded.text, url, self.profiles, fetched_at=fetched_at, selector=selector, force=force
        )
        if article is not None and decoded.note:
            article.parse_warnings["encoding"] = decoded.note
        return article

    def normalize(self, article: Article) -> Article:
        return normalize_article(article, self.dates_for(article))

    def read(self, page: str | bytes, url: str, **options: object) -> Article | None:
        article = self.extract(page, url, **options)  # type: ignore[arg-type]
        return self.normalize(article) if article is not None else None


@lru_cache(maxsize=8)
def default_reader(timezone: str = DEFAULT_TIMEZONE) -> ArticleReader:
    return ArticleReader(timezone=timezone)


def read_article(
    page: str | bytes,
    url: str,
    *,
    content_type: str | None = None,
    fetched_at: str | None = None,
    force: bool = False,
    timezone: str = DEFAULT_TIMEZONE,
) -> Article | None:
    """The normalized article of one page, or None when the page is not an article (unless
    `force`). `page` is the HTML as text, or the response's bytes with its Content-Type."""
    return default_reader(timezone).read(
        page, url, content_type=content_type, fetched_at=fetched_at, force=force
    )
