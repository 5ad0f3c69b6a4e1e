"""A page to read from where a person points at it: a saved file or a URL, as raw bytes, so
that it is decoded exactly as a crawl decodes a response."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import NamedTuple

from archiver.settings import USER_AGENT


class PageSourceError(OSError):
    """A file that cannot be read or a URL that cannot be fetched, said in one line."""


class PageSource(NamedTuple):
    body: bytes
    content_type: str | None
    url: str  # the page's own URL: the one fetched, or the file's as a file:// URI


def load_page(source: str, timeout: float = 30) -> PageSource:
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return PageSource(response.read(), response.headers.get("Content-Type"), source)
        except OSError as error:
            raise PageSourceError(f"cannot fetch {source}: {error}") from None
    try:
        return PageSource(Path(source).read_bytes(), None, Path(source).resolve().as_uri())
    except OSError as error:
        raise PageSourceError(f"cannot read {source}: {error.strerror}") from None
