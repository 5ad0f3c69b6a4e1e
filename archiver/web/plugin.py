"""The Datasette plugin of `archiver serve`: its pages, the archive's SQL functions on every
connection, and the template filters that show dates in French."""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.app import Datasette
from jinja2 import Environment

from archiver.archive.schema import add_functions
from archiver.web.present import french_date, highlight, month_label, path_part, web_url
from archiver.web.views import ROUTES


@hookimpl
def register_routes(datasette: Datasette) -> list[tuple[str, Any]]:
    return ROUTES


@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Datasette) -> None:
    """author_key() for the archive's queries, and query_only on every connection to it, the
    one Datasette would write through included: nothing served can change the archive."""
    if database == "_internal":
        return  # Datasette's own in-memory catalogue, which it has to write
    add_functions(conn)
    conn.execute("PRAGMA query_only = 1")


@hookimpl
def prepare_jinja2_environment(env: Environment, datasette: Datasette) -> None:
    env.filters.update(
        french_date=french_date, highlight=highlight, month_label=month_label,
        path_part=path_part, web_url=web_url,
    )  # fmt: skip
