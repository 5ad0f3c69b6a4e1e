"""How archived values are shown to a reader: dates in French, highlighted snippets, comment
threads, what changed between revisions, bars of articles per month. Pure functions, no
Datasette, so that they are tested on their own."""

from __future__ import annotations

import difflib
import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

from archiver.archive.read_views import MARK_END, MARK_START

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
REVISED_FIELDS = ("title", "lead", "authors", "published_at", "updated_at")


def french_date(iso: str | None) -> str | None:
    """ "2016-10-03T14:32:00+02:00" as a French reader writes it, "3 octobre 2016 à 14 h 32",
    in the offset the page gave; a time of exactly midnight is taken for no time at all (a
    page that printed a date only). None when `iso` is missing; the string itself when it
    cannot be read, so that nothing archived is hidden."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    day = "1er" if moment.day == 1 else str(moment.day)
    text = f"{day} {MONTHS[moment.month - 1]} {moment.year}"
    if len(iso) > 10 and (moment.hour, moment.minute, moment.second) != (0, 0, 0):
        text += f" à {moment.hour} h {moment.minute:02d}"
        if moment.utcoffset() == timedelta(0):
            text += " UTC"  # times the crawl recorded, not the page's own
    return text


def web_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address, else None: a link made from archived data must
    never be a javascript: or data: URL."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def path_part(value: str) -> str:
    """A value quoted to be one segment of a path: a tag with a slash stays one segment."""
    return quote(str(value), safe="")


def month_label(month: str) -> str:
    """ "2016-10" as "octobre 2016"."""
    year, _, number = month.partition("-")
    try:
        return f"{MONTHS[int(number) - 1]} {year}"
    except (ValueError, IndexError):
        return month


def highlight(snippet: str | None) -> Markup:
    """A search snippet with the words found in <mark>, everything else escaped: the marks
    are control characters no article holds (read_views.MARK_START and MARK_END)."""
    text = str(escape(snippet or ""))
    return Markup(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def comment_thread(comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Comments in reading order, each reply after the comment it answers, with its depth
    (0 for a comment on the article). A reply whose parent was not archived stays at the top
    level rather than vanish; a loop in parent ids cannot hang it."""
    known = {c["comment_id"] for c in comments}
    replies: dict[str | None, list[dict[str, Any]]] = {}
    for comment in comments:
        parent = comment["parent_id"] if comment["parent_id"] in known else None
        replies.setdefault(parent, []).append(comment)
    ordered: list[dict[str, Any]] = []
    seen: set[str] = set()
    stack = [(c, 0) for c in reversed(replies.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        if comment["comment_id"] in seen:
            continue
        seen.add(comment["comment_id"])
        ordered.append({**comment, "depth": depth})
        children = replies.get(comment["comment_id"], [])
        stack.extend((child, depth + 1) for child in reversed(children))
    ordered.extend({**c, "depth": 0} for c in comments if c["comment_id"] not in seen)
    return ordered


def _field_value(name: str, value: Any) -> str:
    if name == "authors" and value:
        try:
            return ", ".join(json.loads(value))
        except (ValueError, TypeError):
            return str(value)
    if name in ("published_at", "updated_at"):
        return french_date(value) or "—"
    return "" if value is None else str(value)


def revision_changes(revisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What changed from each revision to the next, newest change first: the fields before
    and after, and the paragraphs removed and added, in the order of the text."""
    changes = []
    for before, after in zip(revisions, revisions[1:], strict=False):
        fields = [
            {
                "name": name,
                "before": _field_value(name, before[name]),
                "after": _field_value(name, after[name]),
            }
            for name in REVISED_FIELDS
            if before[name] != after[name]
        ]
        old = [p for p in (before["body"] or "").split("\n\n") if p.strip()]
        new = [p for p in (after["body"] or "").split("\n\n") if p.strip()]
        paragraphs = [
            {"change": "removed" if line.startswith("- ") else "added", "text": line[2:]}
            for line in difflib.ndiff(old, new)
            if line.startswith(("- ", "+ "))
        ]
        changes.append(
            {
                "from_revision": before["number"],
                "to_revision": after["number"],
                "before_at": before["captured_at"],
                "after_at": after["captured_at"],
                "fields": fields,
                "paragraphs": paragraphs,
            }
        )
    return list(reversed(changes))


def month_bars(months: list[dict[str, Any]], height: int = 80) -> dict[str, Any]:
    """Articles per month as bars for an SVG chart: each bar's label, count and height in
    pixels, scaled to the busiest month."""
    busiest = max((m["articles"] for m in months), default=0)
    bars = [
        {
            "month": m["month"],
            "label": month_label(m["month"]),
            "articles": m["articles"],
            "height": max(1, round(height * m["articles"] / busiest)) if busiest else 0,
        }
        for m in months
    ]
    return {"bars": bars, "height": height, "busiest": busiest}
