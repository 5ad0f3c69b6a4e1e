"""robots.txt fetched once a site, where the spider requests it too.

The news spider requests each start site's robots.txt itself, for the sitemaps it lists (as
Scrapy's SitemapSpider does), and writes it down in the frontier like any other URL. Scrapy's
RobotsTxtMiddleware fetched the same file a second time for its rules, before the first request
to the site. Here, when a spider's request for a site's robots.txt comes before any other request
to that site, its response is the one the rules are read from: the site's other requests wait
for it rather than for a download of their own. A site whose robots.txt the spider asks for
later, or never, gets Scrapy's own fetch.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

# In the meta of a spider's request for robots.txt: the site (netloc) whose rules it brings.
# Kept by the copies that retries and redirects make of the request.
RULES_FOR = "robotstxt_rules_for"


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, the same rules and stats, reading a site's robots.txt from
    the spider's own request for it when that request comes first."""

    async def process_request(self, request: Request) -> None:
        if RULES_FOR in request.meta:
            return  # robots.txt itself, which the site's rules wait for: always fetched
        url = urlparse_cached(request)
        if (
            url.path == "/robots.txt"
            and url.netloc not in self._parsers
            and not request.meta.get("dont_obey_robotstxt")  # the middleware's own fetch
        ):
            self._parsers[url.netloc] = Deferred()
            request.meta[RULES_FOR] = url.netloc
            self._stats.inc_value("robotstxt/request_count")
            return
        await super().process_request(request)

    async def process_response(self, request: Request, response: Response) -> Response:
        """Any status, as Scrapy's own fetch reads it: a 404 page gives no rules."""
        site = request.meta.get(RULES_FOR)
        if site is not None and isinstance(self._parsers.get(site), Deferred):
            await self._parse_robots(response, site, request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        """A robots.txt that cannot be fetched (after any retries) allows everything, as in
        Scrapy."""
        site = request.meta.get(RULES_FOR)
        if site is not None and isinstance(self._parsers.get(site), Deferred):
            self._robots_error(exception, site)
