"""Turn an Article of raw strings into clean values; the raw strings stay beside them."""

from __future__ import annotations

from datetime import datetime, timedelta

from archiver.items import Article
from archiver.normalize.bylines import (
    Byline,
    agency_signature,
    parse_bylines,
    parse_given_names,
)
from archiver.normalize.captions import parse_caption
from archiver.normalize.dates import (
    FrenchDates,
    fetch_time,
    has_update_label,
    split_published_updated,
    to_iso,
)
from archiver.normalize.text import clean_text, dedupe


def normalize_article(article: Article, dates: FrenchDates) -> Article:
    """Fill authors, dates, captions and comments from their raw strings, in place."""
    fetched = fetch_time(article.fetched_at, dates.tz)
    article.fetched_at = to_iso(fetched)
    article.title = clean_text(article.title) or None
    article.lead = clean_text(article.lead) or None
    article.tags = dedupe([clean_text(t) for t in article.tags if clean_text(t)])

    visible = parse_bylines((article.byline_raw or "").split("\n"))
    _set_authors(article, visible)

    published_raw, updated_raw = article.published_raw, article.updated_raw
    if published_raw and has_update_label(published_raw):
        published_raw, updated_raw = None, updated_raw or published_raw
    if published_raw:
        published_raw, also_updated = split_published_updated(published_raw)
        updated_raw = updated_raw or also_updated
    if not published_raw and visible.date_raw:
        published_raw = visible.date_raw
        article.field_sources["published_at"] = "byline"
    if not updated_raw and visible.updated_raw:
        updated_raw = visible.updated_raw
        article.field_sources["updated_at"] = "byline"
    article.published_raw, article.updated_raw = published_raw, updated_raw
    article.published_at = _date(article, "published_at", published_raw, dates, fetched)
    article.updated_at = _date(article, "updated_at", updated_raw, dates, fetched)

    for image in article.images:
        image.caption, image.credit = parse_caption(image.caption_raw)
    # Comments come as extract_comments keeps them: comment text only ("Aucun commentaire."
    # and the form's labels are left out there, where a reply's parent must be a kept
    # comment). Testing each again here cost a tenth of normalization.
    for comment in article.comments:
        comment.text = clean_text(comment.text)
        comment.author = clean_text(comment.author) or None
        comment.published_at = to_iso(dates.parse(comment.published_raw, fetched))
    article.comment_count = len(article.comments)
    return article


def _set_authors(article: Article, visible: Byline) -> None:
    """The names extraction took, else those of the printed byline: where the names taken read
    as none ("View all posts by A" is a link's label, "admin" an account), the byline's."""
    given = article.authors
    from_meta = _given_authors(article) if given else Byline()
    article.authors = from_meta.authors or _agency_alone(given, from_meta)
    article.agency = from_meta.agency or visible.agency
    if not article.authors and not from_meta.agency:
        lines = (article.byline_raw or "").split("\n")
        article.authors = visible.authors or _agency_alone(lines, visible)
        if article.authors or (visible.agency and not given):
            article.field_sources["authors"] = "byline"


def _given_authors(article: Article) -> Byline:
    """The names extraction took: read as given where metadata gave them, as bylines where they
    are names marked up in the printed byline."""
    if article.field_sources.get("authors", "").startswith("byline"):
        return parse_bylines(article.authors)
    return parse_given_names(article.authors)


def _agency_alone(raws: list[str], parsed: Byline) -> list[str]:
    """The agency as the author where it alone signs ("Associated Press", "DPA"), as printed:
    no person wrote the article, the agency did."""
    names = dedupe([clean_text(raw) for raw in raws if clean_text(raw)])
    signed = agency_signature(names[0]) if parsed.agency and len(names) == 1 else None
    return [signed] if signed else []


def _date(
    article: Article, field: str, raw: str | None, dates: FrenchDates, fetched: datetime
) -> str | None:
    """Parse one date; an unreadable one is flagged in parse_warnings with its raw string."""
    if not raw:
        return None
    value = dates.parse(raw, fetched)
    if value is None:
        article.parse_warnings[field] = raw
        return None
    if dates.parse(raw, fetched + timedelta(days=1)) != value:
        article.relative_dates.append(field)  # "il y a 2 heures": only as exact as the fetch
    return value.isoformat()
