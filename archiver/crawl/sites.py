"""Every request a crawl makes stays on the crawl's sites, and off private addresses.

The news spider checks each link against its start sites, but Scrapy's redirect middlewares
make requests of their own: a page answering `302 Location: http://other.example/` had the
other site fetched and stored as an article of the crawled one. SiteGuard, a downloader
middleware, sees every request before it is fetched, redirects and retries included, and asks
the spider whether it leaves the crawl's sites; a redirect that does is recorded in
`fetch_errors` as `offsite_redirect` (or `denied_redirect`, off --allow/--deny) and not followed.

It also keeps the crawl off addresses that are not on the public internet (loopback, private,
link-local, ...), whatever name leads there, unless a start URL is such an address (the demo,
the tests) or ARCHIVE_ALLOW_PRIVATE is set: a site's DNS answering 127.0.0.1 or 169.254.169.254
must not turn the crawler against the machine it runs on. Names are resolved through the
reactor's resolver, whose cache (Scrapy's DNSCACHE) the download then reads the same address
from; each host is judged once. The address a response came from is checked again, for a
cache entry that was dropped and resolved anew.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Coroutine
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import DNSLookupError


class SiteRefusal(IgnoreRequest):
    """A request the crawl will not make; `reason` is its fetch_errors reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet; False for anything unreadable."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_global


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class SiteGuard:
    """Downloader middleware: refuses requests that leave the crawl's sites or reach a
    private address. Put before every other (its process_request runs first), so that not even
    a robots.txt is fetched for a site the crawl refuses."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("ARCHIVE_ALLOW_PRIVATE")
        self._verdicts: dict[str, str | None] = {}  # host -> why refused, None when fine
        self._exempt_hosts: tuple[tuple[str, ...], set[str]] = ((), set())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteGuard:
        return cls(crawler)

    def process_request(self, request: Request) -> Coroutine[Any, Any, None] | None:
        spider = self.crawler.spider
        if "redirect_urls" in request.meta:
            self._check_redirect(request, spider)
        host = urlparse_cached(request).hostname or ""
        if host in self._verdicts:
            return self._judge(host, request)
        if self.allow_private or host in self._exempt(spider):
            self._verdicts[host] = None
            return None
        if is_ip(host):
            self._verdicts[host] = None if is_public(host) else self._private(host, host)
            return self._judge(host, request)
        return self._resolve(host, request)

    def process_response(self, request: Request, response: Response) -> Response:
        """The address the response came from, checked too: a host judged on an address the
        resolver's cache has since dropped may have resolved to another one."""
        address = response.ip_address
        if address is None or self.allow_private or is_public(str(address)):
            return response
        host = urlparse_cached(request).hostname or ""
        if host in self._exempt(self.crawler.spider):
            return response
        raise SiteRefusal("private_address", self._private(host, str(address)))

    def _check_redirect(self, request: Request, spider: Spider | None) -> None:
        leaves_site = getattr(spider, "leaves_site", None)
        if leaves_site is None:
            return  # another spider: Scrapy's OffsiteMiddleware and its allowed_domains
        kind = request.meta.get("kind", "page")
        why = leaves_site(request.url, kind, redirected=True)
        first = request.meta["redirect_urls"][0]
        if why == "denied" and leaves_site(first, kind, redirected=True) == "denied":
            why = None  # a start page outside --allow: the crawl asked for it as it is
        adopt = getattr(spider, "adopt_redirect", None)
        if why == "offsite" and adopt is not None and adopt(first, request.url):
            why = None
        if why is not None:
            source = request.meta["redirect_urls"][-1]
            reason = "offsite_redirect" if why == "offsite" else "denied_redirect"
            raise SiteRefusal(reason, f"{source} redirects to {request.url} ({why})")

    def _judge(self, host: str, request: Request) -> None:
        verdict = self._verdicts[host]
        if verdict is not None:
            raise SiteRefusal("private_address", f"{request.url}: {verdict}")
        return None

    async def _resolve(self, host: str, request: Request) -> None:
        try:
            address = await resolve(host)
        except DNSLookupError:
            return None  # the download fails the same way, and says so as dns_error
        self._verdicts[host] = None if is_public(address) else self._private(host, address)
        return self._judge(host, request)

    @staticmethod
    def _private(host: str, address: str) -> str:
        where = host if host == address else f"{host} resolves to {address}"
        return (
            f"{where}, not a public address; a crawl fetches one only when a start URL is one,"
            " or with -s ARCHIVE_ALLOW_PRIVATE=True"
        )

    def _exempt(self, spider: Spider | None) -> set[str]:
        """The hosts of start URLs that are private addresses themselves, or localhost. The
        demo spider learns its start URL once it runs: kept for the start URLs it was made of."""
        start_urls = tuple(getattr(spider, "start_urls", ()))
        if start_urls != self._exempt_hosts[0]:
            hosts = {urlsplit(url).hostname or "" for url in start_urls}
            self._exempt_hosts = (start_urls, {host for host in hosts if _names_private(host)})
        return self._exempt_hosts[1]


async def resolve(host: str) -> str:
    """The address the reactor's resolver gives `host`, and caches for the download."""
    from twisted.internet import reactor

    return await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[attr-defined]


def _names_private(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    return is_ip(host) and not is_public(host)
