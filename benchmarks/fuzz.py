"""Fuzz run: at least 100,000 hypothesis-generated inputs through every normalizer and extractor.

Run: .venv/bin/python benchmarks/fuzz.py [--examples-per-target N]
Prints, per target, how many inputs were tried and how many raised (must be 0).
The strategies are the ones of tests/test_fuzz.py and tests/test_normalize_properties.py's kind:
HTML fragments built from the markup and French strings real pages carry, raw bytes, and text.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_fuzz import html_fragments  # noqa: E402

from archiver.extract.body import extract_blocks  # noqa: E402
from archiver.extract.decode import decode_html  # noqa: E402
from archiver.extract.discover import feed_entries, parse_date, sitemap_entries  # noqa: E402
from archiver.extract.nodes import parse_html  # noqa: E402
from archiver.extract.page import extract_article  # noqa: E402
from archiver.normalize.article import normalize_article  # noqa: E402
from archiver.normalize.bylines import parse_byline  # noqa: E402
from archiver.normalize.captions import parse_caption  # noqa: E402
from archiver.normalize.comments import is_comment_text, parse_comment_count  # noqa: E402
from archiver.normalize.dates import FrenchDates  # noqa: E402

DATES = FrenchDates()
FRENCH = st.text(
    alphabet=st.sampled_from(list("abcdéèàçùôêîAÉ0123456789 /.:-|,'’()©hH\u00a0")), max_size=60
)
TEXT = st.one_of(st.text(max_size=80), FRENCH)


def extraction(html: str) -> None:
    article = extract_article(
        html, "https://exemple.test/a", fetched_at="2016-10-05T12:00:00+02:00", force=True
    )
    if article is not None:
        normalize_article(article, DATES)


def body_reader(html: str) -> None:
    """The reader under extract_body, which turns its errors into an empty body: one here
    would cost a page its text without a crash to show for it."""
    extract_blocks(parse_html(html), "Titre")


def strings(text: str) -> None:
    parse_byline(text)
    DATES.parse(text)
    parse_caption(text)
    is_comment_text(text)
    parse_comment_count(text)
    parse_date(text)


def documents(body: bytes) -> None:
    decode_html(body, "text/html; charset=utf-8")
    sitemap_entries(body, "https://exemple.test/")
    feed_entries(body, "https://exemple.test/")


TARGETS: list[tuple[str, Any, Callable[[Any], None]]] = [
    ("normalizers on text (bylines, dates, captions, comments)", TEXT, strings),
    ("extract + normalize on HTML fragments", html_fragments(), extraction),
    ("the body reader on HTML fragments", html_fragments(), body_reader),
    (
        "decode, sitemaps, feeds on bytes",
        st.one_of(st.binary(max_size=3000), html_fragments().map(str.encode)),
        documents,
    ),
]


def fuzzer(
    strategy: Any, function: Callable[[Any], None], examples: int
) -> tuple[Callable[[], None], list[int]]:
    """A hypothesis test over `strategy` calling `function`, and a counter of inputs tried."""
    seen = [0]

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def fuzz(value: Any) -> None:
        seen[0] += 1
        function(value)

    return fuzz, seen


def run(examples: int) -> int:
    total, crashes = 0, 0
    print("| target | inputs | crashes | seconds |\n| --- | --- | --- | --- |")
    for name, strategy, function in TARGETS:
        fuzz, seen = fuzzer(strategy, function, examples)
        started = time.perf_counter()
        failed = 0
        try:
            fuzz()
        except Exception as error:  # hypothesis re-raises the shrunk failing example
            failed = 1
            print(f"CRASH in {name}: {error!r}", file=sys.stderr)
            traceback.print_exc()  # with hypothesis's note of the falsifying example
        total += seen[0]
        crashes += failed
        print(f"| {name} | {seen[0]:,} | {failed} | {time.perf_counter() - started:.0f} |")
    print(f"| all | {total:,} | {crashes} | |")
    return crashes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples-per-target", type=int, default=34_000)
    args = parser.parse_args()
    sys.exit(1 if run(args.examples_per_target) else 0)


if __name__ == "__main__":
    main()
