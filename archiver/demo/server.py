"""Serves the demo site over real HTTP on 127.0.0.1, on a free port, in a background thread."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from archiver.demo.site import DemoSite


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        page = self.server.site.render(self.path, f"http://{host}")
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        self.wfile.write(page.body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the crawl's own log says what was fetched."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default of 5 stalls a crawler's concurrent connections

    def __init__(self, site: DemoSite) -> None:
        self.site = site
        super().__init__(("127.0.0.1", 0), _Handler)


class DemoServer:
    """Start with `start()`, read `url`, stop with `stop()`; usable as a context manager."""

    def __init__(self, site: DemoSite | None = None) -> None:
        self.site = site or DemoSite.bundled()
        self._server = _Server(self.site)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> DemoServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
