"""Datasette set up for one archive: the plugin registered, the templates and the static files
mounted, and the configuration in metadata.yml applied to the archive's database whatever the
file is called (`--db news.db` keeps the facets and the stored queries)."""

from __future__ import annotations

import asyncio
import errno
import socket
import webbrowser
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette
from datasette.plugins import pm

from archiver.archive.store import Archive, ArchiveError
from archiver.web import plugin

HERE = Path(str(resources.files("archiver.web")))
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SETTINGS = {
    "sql_time_limit_ms": 5000,  # Datasette's own SQL view, over a large archive
    "facet_time_limit_ms": 1000,  # array facets read every row's JSON
    "default_facet_size": 15,
    "num_sql_threads": 4,
}


class ServeError(Exception):
    """The server cannot start, worded for the user."""


def metadata_for(database: str) -> dict[str, Any]:
    """Datasette metadata with metadata.yml's `database` section under the archive's name."""
    config = yaml.safe_load((HERE / "metadata.yml").read_text("utf-8"))
    section = config.pop("database")
    return {**config, "databases": {database: section}}


def check_archive(path: Path) -> None:
    """ArchiveError unless `path` is an archive. Opening it read-only indexes, for search,
    the articles other tools added, as `archiver search` does; nothing else is written."""
    with Archive(path, read_only=True) as archive:
        if not archive.db["articles"].exists() or not archive.db["articles_fts"].exists():
            raise ArchiveError(f"{path} is a SQLite file but not an archive (no articles table)")


def build_datasette(path: Path) -> Datasette:
    """A Datasette instance serving the archive at `path` with the project's pages."""
    if not pm.is_registered(plugin):
        pm.register(plugin, name="archiver.web")
    return Datasette(
        [str(path)],
        metadata=metadata_for(path.stem),
        template_dir=str(HERE / "templates"),
        static_mounts=[("archiver-static", str(HERE / "static"))],
        settings=SETTINGS,
    )


def is_local(host: str) -> bool:
    return host in LOCAL_HOSTS


def check_port(host: str, port: int) -> None:
    """ServeError, with what to do, when the address cannot be listened on: uvicorn would
    only log it and exit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ServeError(
                    f"port {port} is already in use on {host}: choose another with --port"
                ) from None
            raise ServeError(f"cannot listen on {host}:{port}: {error.strerror}") from None


def serve(
    path: Path, *, host: str, port: int, announce: Callable[[str], None], open_browser: bool = False
) -> None:
    """Serve the archive until interrupted; `announce` is told the address once it is sure."""
    import uvicorn

    check_archive(path)
    check_port(host, port)
    datasette = build_datasette(path)
    asyncio.run(datasette.invoke_startup())
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    announce(url)
    if open_browser:
        webbrowser.open(url)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
