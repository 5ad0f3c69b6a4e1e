"""`archiver serve` in a real browser: Playwright drives Debian's chromium against the demo archive,
served by the real command. One browser for the whole module.

Skipped when chromium or Playwright is missing, unless ARCHIVER_BROWSER_TESTS=required (as
.ci/run sets it). Screenshots go to ARCHIVER_SCREENSHOTS when set (docs/screenshots/ for the
README), to a temporary folder otherwise.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import archiver_command

CHROMIUM = os.environ.get("ARCHIVER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = os.environ.get("ARCHIVER_BROWSER_TESTS") == "required"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # the test extra is not installed
    sync_playwright = None  # type: ignore[assignment]

if not REQUIRED and (sync_playwright is None or not Path(CHROMIUM).exists()):
    pytest.skip("no chromium or Playwright here", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[str]:
    """`archiver serve` on the demo archive, on a free port; its base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [archiver_command(), "serve", "--db", str(demo_db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/index.json", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"archiver serve did not start: {process.communicate()}"
                ) from None
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="fr-FR")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("ARCHIVER_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_search_then_read_the_seed_article(page: Page, server: str, shots: Path) -> None:
    page.goto(server + "/")
    page.screenshot(path=shots / "home.png")
    page.fill(".bigsearch input[name=q]", "netflix")
    page.click(".bigsearch button")
    page.wait_for_url("**/search?q=netflix")
    assert page.locator("ol.articles mark").count() > 0
    page.screenshot(path=shots / "search.png")
    page.click("text=Luke Cage a-t-il fait crasher les serveurs de Netflix ?")
    page.wait_for_url("**/article/*")
    reader = page.locator("article.reader")
    assert reader.get_by_text("Christophe Foltzer").count() == 1
    assert page.locator(".byline a.author").inner_text() == "Christophe Foltzer"
    assert page.locator(".dates time").first.inner_text() == "3 octobre 2016"
    captions = page.locator("figure.image figcaption").all_inner_texts()
    assert captions == ["Photo Mike Colter", "Photo Mike Colter"]
    assert page.locator(".comments h2").inner_text() == "Commentaires (0)"
    assert page.locator(".comments .comment").count() == 0
    assert page.locator(".sources").evaluate("el => el.open") is False
    page.screenshot(path=shots / "article.png", full_page=True)
    page.click(".byline a.author")
    page.wait_for_url("**/author/*")
    assert page.locator("h1").inner_text() == "Christophe Foltzer"


def test_an_author_facet_narrows_the_list(page: Page, server: str) -> None:
    page.goto(server + "/browse")
    everything = page.locator("ol.articles li").count()
    facet = page.locator("[data-facet=author] li").first
    name, count = facet.locator("a").inner_text(), int(facet.locator(".num").inner_text())
    facet.locator("a").click()
    page.wait_for_url("**/browse?author=*")
    assert page.locator(".chip").inner_text().startswith(f"Auteurs : {name}")
    assert page.locator("p.total").first.inner_text().startswith(f"{count} article")
    assert page.locator("ol.articles li").count() == min(count, 20) < everything + 1
    bylines = page.locator("ol.articles .meta").all_inner_texts()
    assert all(name in byline for byline in bylines)


def test_an_archived_page_runs_no_script(page: Page, server: str) -> None:
    page.goto(server + "/search?q=netflix")
    page.click("text=Luke Cage a-t-il fait crasher les serveurs de Netflix ?")
    page.wait_for_url("**/article/*")
    answered: list[str] = []
    blocked: list[str | None] = []
    page.on("response", lambda response: answered.append(response.url))
    page.on("requestfailed", lambda request: blocked.append(request.failure))
    errors: list[Any] = []
    page.on("pageerror", lambda error: errors.append(error))
    page.click("a.archived")
    page.wait_for_url("**/archived")
    page.wait_for_load_state("load")
    assert (
        page.title()
        == "Luke Cage a-t-il fait crasher les serveurs de Netflix ? - L'Écho des Écrans"
    )
    assert page.title() != "Script exécuté"
    assert page.locator("h1").first.inner_text().startswith("Luke Cage")
    # the page itself was fetched; what it asked for (its logo, its images) was refused
    assert answered == [page.url], answered
    assert blocked and set(blocked) == {"csp"}, blocked
