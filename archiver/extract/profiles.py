"""Site profiles: a TOML file per site that overrides extraction and politeness without Python.

A profile names its domains, and may give CSS selectors for fields the heuristics get wrong on
that site, selectors of boxes to remove from the body, its own politeness and its timezone.
Profiles ship in archiver/profiles/; `-s ARCHIVE_PROFILES=DIR` adds a folder of one's own (its
files win over the bundled ones for the same domain). See archiver/profiles/echo-des-ecrans.toml.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector

from archiver.extract.nodes import drop_all, parse_html, text_of
from archiver.extract.page import extract_article
from archiver.items import Article

FIELDS = ("title", "byline", "date", "updated", "lead", "body", "section", "tags")
_NOT_BODY = "figure, figcaption, [class*=caption], [class*=legende], script, style"
_BLOCKS = ".//p | .//h2 | .//h3 | .//h4 | .//li | .//blockquote"


class ProfileError(ValueError):
    """A profile file that cannot be used, named with its path."""


@dataclass
class SiteProfile:
    name: str
    domains: list[str]
    selectors: dict[str, str] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    download_delay: float | None = None
    concurrency: int | None = None
    timezone: str | None = None

    @classmethod
    def from_toml(cls, name: str, text: str) -> SiteProfile:
        try:
            data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ProfileError(f"{name}: {error}") from None
        domains = data.get("domains")
        if not isinstance(domains, list) or not domains:
            raise ProfileError(f"{name}: `domains` must list at least one host name")
        selectors = data.get("selectors", {})
        unknown = set(selectors) - set(FIELDS)
        if unknown:
            raise ProfileError(f"{name}: unknown selector(s) {sorted(unknown)}; known: {FIELDS}")
        for css in [*selectors.values(), *data.get("remove", [])]:
            try:
                Selector(text="<p></p>").css(css)
            except Exception as error:
                raise ProfileError(f"{name}: bad CSS selector {css!r} ({error})") from None
        politeness = data.get("politeness", {})
        return cls(
            name=name,
            domains=[d.lower().removeprefix("www.") for d in domains],
            selectors=dict(selectors),
            remove=list(data.get("remove", [])),
            download_delay=politeness.get("download_delay"),
            concurrency=politeness.get("concurrency"),
            timezone=data.get("dates", {}).get("timezone"),
        )


@dataclass
class Profiles:
    """All profiles known to a crawl, found by the host of a URL (with or without www.)."""

    by_domain: dict[str, SiteProfile] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: str | Path | None = None) -> Profiles:
        profiles = cls()
        bundled = resources.files("archiver").joinpath("profiles")
        sources = [
            (f.name, f.read_text("utf-8")) for f in bundled.iterdir() if f.name.endswith(".toml")
        ]
        if directory:
            folder = Path(directory)
            if not folder.is_dir():
                raise ProfileError(f"ARCHIVE_PROFILES: no folder at {folder}")
            sources += [(str(p), p.read_text("utf-8")) for p in sorted(folder.glob("*.toml"))]
        for name, text in sources:
            profile = SiteProfile.from_toml(name, text)
            for domain in profile.domains:
                profiles.by_domain[domain] = profile
        return profiles

    def for_url(self, *urls: str | None) -> SiteProfile | None:
        for url in urls:
            host = (urlsplit(url).hostname or "") if url else ""
            profile = self.by_domain.get(host.lower().removeprefix("www."))
            if profile:
                return profile
        return None

    def download_slots(self) -> dict[str, dict[str, float | int]]:
        """Scrapy's DOWNLOAD_SLOTS for the profiles that set their own politeness."""
        slots: dict[str, dict[str, float | int]] = {}
        for domain, profile in self.by_domain.items():
            slot: dict[str, float | int] = {}
            if profile.download_delay is not None:
                slot["delay"] = profile.download_delay
            if profile.concurrency is not None:
                slot["concurrency"] = profile.concurrency
            if slot:
                slots[domain] = slot
                slots[f"www.{domain}"] = slot
        return slots


def extract_with_profile(
    html: str,
    url: str,
    profiles: Profiles,
    *,
    fetched_at: str | None = None,
    selector: Selector | None = None,
    force: bool = False,
) -> Article | None:
    """What a crawl, a reparse and `archiver extract` all do to a page before normalizing it:
    the heuristics, then the site's profile where it has one."""
    article = extract_article(html, url, fetched_at=fetched_at, selector=selector, force=force)
    if article is not None:
        profile = profiles.for_url(url, article.canonical_url)
        if profile is not None:
            apply_profile(article, html, profile)
    return article


def apply_profile(article: Article, html: str, profile: SiteProfile) -> Article:
    """Override the extracted fields the profile has selectors for; records them as "profile"."""
    sel = parse_html(html)
    drop_all(node for css in profile.remove for node in sel.css(css))
    chosen = profile.selectors

    def found(name: str) -> str | None:
        css = chosen.get(name)
        if not css:
            return None
        texts = [text_of(node) for node in sel.css(css)]
        return next((t for t in texts if t), None)

    for name, attribute in (("title", "title"), ("byline", "byline_raw"), ("lead", "lead"),
                            ("section", "section"), ("date", "published_raw"), ("updated", "updated_raw")):  # fmt: skip
        value = found(name)
        if value:
            setattr(article, attribute, value)
            source_field = {"byline": "authors", "date": "published_at", "updated": "updated_at"}
            article.field_sources[source_field.get(name, name)] = "profile"
            if name == "byline":
                article.authors = []  # the profile's byline is the one to read
    if chosen.get("tags"):
        tags = [text_of(node) for node in sel.css(chosen["tags"])]
        if any(tags):
            article.tags = [t for t in tags if t]
            article.field_sources["tags"] = "profile"
    if chosen.get("body"):
        containers = sel.css(chosen["body"])
        if containers:
            drop_all(containers[0].css(_NOT_BODY))  # captions never belong to the text
            blocks = [text_of(node) for node in containers[0].xpath(_BLOCKS)]
            body = "\n\n".join(b for b in blocks if b)
            if body:
                article.body = body
                article.field_sources["body"] = "profile"
    return article
