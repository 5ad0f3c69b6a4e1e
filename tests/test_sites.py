"""SiteGuard: the addresses a crawl may fetch, judged on the URL and on what its name resolves to."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy import Request
from scrapy.settings import Settings

from archiver.crawl import sites
from archiver.crawl.sites import SiteGuard, SiteRefusal, is_public


class _Crawler:
    def __init__(self, start_urls: list[str], **settings: Any) -> None:
        self.settings = Settings({"ARCHIVE_ALLOW_PRIVATE": False, **settings})
        self.spider = type("Spider", (), {"start_urls": start_urls})()


def _fetch(guard: SiteGuard, url: str, **meta: Any) -> None:
    """Run process_request as Scrapy would; raises SiteRefusal when refused."""
    result = guard.process_request(Request(url, meta=meta))
    if result is not None:
        asyncio.run(result)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    answers = {"www.exemple.fr": "93.184.216.34", "rebound.exemple.fr": "127.0.0.1"}
    asked: list[str] = []

    async def resolve(host: str) -> str:
        asked.append(host)
        return answers[host]

    monkeypatch.setattr(sites, "resolve", resolve)
    answers["asked"] = asked  # type: ignore[assignment]
    return answers


def test_is_public() -> None:
    assert is_public("93.184.216.34") and is_public("2606:2800:220:1::")
    for address in ("127.0.0.1", "10.1.2.3", "169.254.169.254", "192.168.0.1", "::1",
                    "fe80::1", "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1", "oops"):  # fmt: skip
        assert not is_public(address), address


def test_a_name_resolving_to_a_private_address_is_refused_once_resolved(
    dns: dict[str, Any],
) -> None:
    guard = SiteGuard(_Crawler(["https://www.exemple.fr/"]))  # type: ignore[arg-type]
    _fetch(guard, "https://www.exemple.fr/a.html")
    with pytest.raises(SiteRefusal) as refused:
        _fetch(guard, "https://rebound.exemple.fr/")
    assert refused.value.reason == "private_address"
    assert "rebound.exemple.fr resolves to 127.0.0.1" in str(refused.value)
    with pytest.raises(SiteRefusal):
        _fetch(guard, "https://rebound.exemple.fr/other")
    with pytest.raises(SiteRefusal):
        _fetch(guard, "http://169.254.169.254/latest/meta-data/")  # on the URL, no lookup
    _fetch(guard, "https://www.exemple.fr/b.html")
    assert dns["asked"] == ["www.exemple.fr", "rebound.exemple.fr"]  # each host resolved once


def test_a_private_start_url_or_the_setting_allows_private_addresses(dns: dict[str, Any]) -> None:
    guard = SiteGuard(_Crawler(["http://127.0.0.1:8080/"]))  # type: ignore[arg-type]
    _fetch(guard, "http://127.0.0.1:8080/page.html")
    with pytest.raises(SiteRefusal):
        _fetch(guard, "http://10.0.0.1/")  # another private address than the start URL's
    allowed = SiteGuard(_Crawler(["https://www.exemple.fr/"], ARCHIVE_ALLOW_PRIVATE=True))  # type: ignore[arg-type]
    _fetch(allowed, "https://rebound.exemple.fr/")
    _fetch(allowed, "http://10.0.0.1/")
