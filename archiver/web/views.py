"""The pages of `archiver serve`: home, search, browse, article, archived page, author, site and
tag. Each page is also JSON: the same path ending in `.json` (the home page's is /index.json).

The views read through archiver.archive.read_views on Datasette's read-only connections and
render the templates in templates/; values are escaped by Jinja, whatever the archive holds.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlencode

from datasette import Response
from datasette.app import Datasette
from datasette.database import Database
from datasette.utils.asgi import Request

from archiver.archive import read_views
from archiver.archive.limits import TimeLimit
from archiver.archive.read_views import PAGE_SIZE, Selection
from archiver.archive.search import SearchError
from archiver.archive.store import Archive, ArchiveError
from archiver.web.present import comment_thread, month_bars, revision_changes

QUERY_SECONDS = 10.0  # a page whose SQL runs longer says so instead of tying up a thread
MAX_QUERY_CHARS = 500
# An archived page may not run scripts, load anything, submit forms or reach its site:
# `sandbox` without allow-* gives it an opaque origin with scripts and forms off.
ARCHIVED_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; media-src 'none'; form-action 'none'; base-uri 'none'; "
        "frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-DNS-Prefetch-Control": "off",
    "Cache-Control": "private, max-age=3600",
}
# <meta http-equiv="refresh"> would take the visitor to the site without a click: CSP does
# not stop it, so it is the one thing changed in an archived page.
_META_REFRESH = re.compile(rb"""(?i)(<meta\b[^>]*?)\bhttp-equiv(\s*=\s*["']?\s*refresh)""")
_CHARSET = re.compile(r"(?i)charset\s*=\s*[\"']?([a-z0-9._:-]+)")


class PageError(Exception):
    """A page that cannot be given, with its HTTP status and a sentence for the reader."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def archive_database(datasette: Datasette) -> Database:
    """The archive: the one database `archiver serve` opens."""
    return datasette.get_database()


async def read(datasette: Datasette, function: Callable[..., Any], *args: Any) -> Any:
    """Run `function(conn, *args)` on a read connection of the archive, stopped past
    QUERY_SECONDS; bad input becomes a PageError with a status and the reason."""

    def run(conn: sqlite3.Connection) -> Any:
        TimeLimit(conn, QUERY_SECONDS)
        try:
            return function(conn, *args)
        finally:
            TimeLimit(conn, None)

    try:
        return await archive_database(datasette).execute_fn(run)
    except (SearchError, ValueError) as error:
        raise PageError(400, str(error)) from None
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise PageError(503, "la recherche a pris trop de temps : précisez-la") from None
        raise


async def respond(
    datasette: Datasette,
    request: Request,
    template: str,
    data: dict[str, Any],
    *,
    status: int = 200,
) -> Response:
    """The page as HTML, or its data as JSON when the path ends in .json."""
    if request.url_vars.get("format") or request.path == "/index.json":
        return Response.json(data, status=status)
    context = {
        **data,
        "db_name": archive_database(datasette).name,
        "site_title": datasette.metadata("title") or "Archive",
        "page_size": PAGE_SIZE,
        "path": request.path,
        "args": {k: v for k, v in query_args(request).items() if k != "page"},
    }
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


def query_args(request: Request) -> dict[str, str]:
    """The query string, the first value of each name."""
    return {name: request.args.get(name) or "" for name in request.args.keys()}  # noqa: SIM118


def page_number(request: Request) -> int:
    value = request.args.get("page") or "1"
    return int(value) if value.isdigit() else 1


def selection_of(request: Request) -> Selection:
    selection = Selection.from_args(query_args(request))
    try:
        selection.check()
    except ValueError as error:
        raise PageError(400, str(error)) from None
    return selection


async def home(datasette: Datasette, request: Request) -> Response:
    """Counts, the newest articles and the sites, with a search box."""
    return await respond(
        datasette, request, "archiver_home.html", await read(datasette, read_views.summary)
    )


async def search(datasette: Datasette, request: Request) -> Response:
    """Ranked search with filters; without words, the selected articles newest first."""
    text = (request.args.get("q") or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise PageError(400, f"recherche trop longue : {MAX_QUERY_CHARS} caractères au plus")
    selection, page = selection_of(request), page_number(request)
    if text:
        found = await read(datasette, read_views.search_articles, text, selection, page)
    else:
        found = await read(datasette, read_views.list_articles, selection, page)
    data = {"q": text, "selection": selection.as_args(), **found}
    return await respond(datasette, request, "archiver_search.html", data)


async def browse(datasette: Datasette, request: Request) -> Response:
    """Facets, articles per month and the stored queries, over the selected articles."""
    selection, page = selection_of(request), page_number(request)
    found = await read(datasette, read_views.list_articles, selection, page)
    facets = await read(datasette, read_views.facet_counts, selection)
    months = await read(datasette, read_views.month_counts, selection)
    database = archive_database(datasette)
    queries = datasette.metadata("queries", database=database.name) or {}
    data = {
        "selection": selection.as_args(),
        "facets": facets,
        "months": month_bars(months),
        "queries": [
            {"name": name, "title": query.get("title", name), "path": f"/{database.name}/{name}"}
            for name, query in queries.items()
        ],
        **found,
    }
    return await respond(datasette, request, "archiver_browse.html", data)


async def article(datasette: Datasette, request: Request) -> Response:
    """One article as a reader saw it, with its comments, revisions and sources."""
    found = await read(datasette, read_views.article, int(request.url_vars["id"]))
    if found is None:
        raise PageError(404, "aucun article archivé sous ce numéro")
    found["comments"] = comment_thread(found["comments"])
    found["changes"] = revision_changes(found.pop("revisions"))
    found["paragraphs"] = [p for p in (found.pop("body") or "").split("\n\n") if p.strip()]
    return await respond(datasette, request, "archiver_article.html", {"article": found})


def _raw_body(path: str, sha256: str) -> bytes | None:
    with Archive(path, read_only=True) as archive:
        return archive.raw_body(sha256)


async def archived_page(datasette: Datasette, request: Request) -> Response:
    """The page as it was fetched, sandboxed: it can neither run nor load anything."""
    raw = await read(datasette, read_views.raw_page_of, int(request.url_vars["id"]))
    if raw is None:
        raise PageError(404, "la page de cet article n'a pas été gardée (crawl --no-raw ?)")
    try:
        body = await asyncio.to_thread(_raw_body, archive_database(datasette).path, raw["sha256"])
    except ArchiveError as error:
        raise PageError(500, str(error)) from None
    if body is None:
        raise PageError(404, "la page de cet article n'est plus dans l'archive")
    charset = _CHARSET.search(raw["content_type"] or "")
    content_type = "text/html" + (f"; charset={charset.group(1)}" if charset else "")
    body = _META_REFRESH.sub(rb"\1data-archiver-disabled-http-equiv\2", body)
    return Response(body, headers=dict(ARCHIVED_PAGE_HEADERS), content_type=content_type)


async def _listing(
    datasette: Datasette, request: Request, kind: str, name: str, selection: Selection
) -> Response:
    """An author's, a site's or a tag's articles, newest first, with counts by month."""
    found = await read(datasette, read_views.list_articles, selection, page_number(request))
    if not found["total"]:
        raise PageError(404, f"aucun article archivé pour {name!r}")
    months = await read(datasette, read_views.month_counts, selection)
    data = {"kind": kind, "name": name, "months": month_bars(months), **found}
    data["browse"] = "/browse?" + urlencode(selection.as_args())
    return await respond(datasette, request, "archiver_listing.html", data)


async def author_page(datasette: Datasette, request: Request) -> Response:
    found = await read(datasette, read_views.author, int(request.url_vars["id"]))
    if found is None:
        raise PageError(404, "aucun auteur sous ce numéro")
    return await _listing(
        datasette, request, "author", found["name"], Selection(author=found["name"])
    )


async def site_page(datasette: Datasette, request: Request) -> Response:
    site = unquote(request.url_vars["site"])
    return await _listing(datasette, request, "site", site, Selection(site=site))


async def tag_page(datasette: Datasette, request: Request) -> Response:
    tag = unquote(request.url_vars["tag"])
    return await _listing(datasette, request, "tag", tag, Selection(tag=tag))


def guarded(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view, its PageErrors made an error page (or JSON) with their status."""

    async def page(datasette: Datasette, request: Request) -> Response:
        try:
            return await view(datasette, request)
        except PageError as error:
            data = {"ok": False, "error": str(error), "status": error.status}
            return await respond(
                datasette, request, "archiver_error.html", data, status=error.status
            )

    page.__name__ = view.__name__
    return page


_JSON = r"(?P<format>\.json)?"
ROUTES = [
    (r"^/(?:index\.json)?$", home),
    (rf"^/search{_JSON}$", search),
    (rf"^/browse{_JSON}$", browse),
    (rf"^/article/(?P<id>\d{{1,18}}){_JSON}$", article),
    (r"^/article/(?P<id>\d{1,18})/archived$", archived_page),
    (rf"^/author/(?P<id>\d{{1,18}}){_JSON}$", author_page),
    (rf"^/site/(?P<site>[^/]+?){_JSON}$", site_page),
    (rf"^/tag/(?P<tag>[^/]+?){_JSON}$", tag_page),
]
ROUTES = [(pattern, guarded(view)) for pattern, view in ROUTES]
