"""A misbehaving news site on 127.0.0.1 for fault tests: slow, flaky, lying and broken pages.

Pages are generated from their number, so the test knows exactly what the site holds.
Behaviours are switched per path, and can be changed while the server runs.
"""

from __future__ import annotations

import os
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PER_LISTING = 10


def article_html(
    number: int, *, date: str = "3 octobre 2016 à 14h32", charset: str = "utf-8"
) -> str:
    paragraphs = "".join(
        f"<p>Paragraphe {i} de l'article {number} : la série revient avec une saison "
        f"inédite, des acteurs confirmés et une bande-son signée par un compositeur français.</p>"
        for i in range(1, 5)
    )
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="{charset}">'
        f"<title>Article {number}</title>"
        f'<meta property="og:type" content="article"></head><body>'
        f"<article><h1>Article numéro {number} : été à Noël</h1>"
        f'<p class="byline">Par Jeanne Dupré</p><time class="date">{date}</time>'
        f"{paragraphs}</article></body></html>"
    )


@dataclass
class FaultSite:
    articles: int = 30
    delay: float = 0.0  # seconds before each article response
    fail_first: dict[str, int] = field(default_factory=dict)  # path -> 500s before recovery
    reset: set[str] = field(default_factory=set)  # paths whose connection is reset, always
    reset_first: dict[str, int] = field(default_factory=dict)  # path -> resets before recovery
    stall: set[str] = field(default_factory=set)  # paths that never answer
    special: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)  # path -> response
    truncate: set[str] = field(default_factory=set)  # special paths cut short of Content-Length
    unlisted: set[str] = field(default_factory=set)  # special paths no listing links to
    homepage_head: str = ""  # extra <head> markup of the listing pages (feed links)
    redirects: dict[str, tuple[int, str]] = field(default_factory=dict)  # path -> status, Location
    robots_txt: bytes = b"User-agent: *\nDisallow:\n"
    hits: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def article_paths(self) -> list[str]:
        return [f"/articles/{n}.html" for n in range(1, self.articles + 1)] + list(self.special)

    def listing(self, page: int) -> bytes:
        numbers = range((page - 1) * PER_LISTING + 1, min(self.articles, page * PER_LISTING) + 1)
        links = "".join(f'<li><a href="/articles/{n}.html">Article {n}</a></li>' for n in numbers)
        if page == 1:
            listed = [
                path for path in [*self.special, *self.redirects] if path not in self.unlisted
            ]
            links += "".join(f'<li><a href="{path}">{path}</a></li>' for path in listed)
        pages = -(-self.articles // PER_LISTING)
        more = f'<a href="/page/{page + 1}.html">Suivante</a>' if page < pages else ""
        return (
            f'<html lang="fr"><head><meta property="og:type" content="website">{self.homepage_head}</head><body>'
            f"<h1>Page {page}</h1><ul>{links}</ul>{more}</body></html>"
        ).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        site = self.server.site
        path = self.path
        with site.lock:
            site.hits[path] += 1
            hit = site.hits[path]
        if path in site.stall:
            time.sleep(3600)
            return
        if path in site.reset or hit <= site.reset_first.get(path, 0):
            # SO_LINGER 0, then close the descriptor itself: the peer gets a TCP reset.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            os.close(self.connection.detach())
            self.close_connection = True
            return
        if hit <= site.fail_first.get(path, 0):
            return self._send(500, "text/html", b"<h1>Erreur interne</h1>")
        if path.startswith("/redirect/"):  # an endless chain of redirects
            self.send_response(302)
            self.send_header("Location", f"/redirect/{int(path.rsplit('/', 1)[1]) + 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path in site.redirects:
            status, location = site.redirects[path]
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path in site.special:
            status, content_type, body = site.special[path]
            if path in site.truncate:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body) + 5000))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                self.close_connection = True
                return
            return self._send(status, content_type, body)
        if path == "/robots.txt":
            return self._send(200, "text/plain", site.robots_txt)
        if path in ("/", "/page/1.html"):
            return self._send(200, "text/html; charset=utf-8", site.listing(1))
        if path.startswith("/page/"):
            return self._send(
                200, "text/html; charset=utf-8", site.listing(int(path[6:].split(".")[0]))
            )
        if path.startswith("/articles/"):
            number = int(path.rsplit("/", 1)[1].split(".")[0])
            if 1 <= number <= site.articles:
                if site.delay:
                    time.sleep(site.delay)
                return self._send(200, "text/html; charset=utf-8", article_html(number).encode())
        return self._send(404, "text/html", b"<h1>Introuvable</h1>")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, site: FaultSite) -> None:
        self.site = site
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Resets are what this server is for; don't print them."""


class FaultServer:
    def __init__(self, site: FaultSite) -> None:
        self.site = site
        self._server = _Server(site)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
