"""Measure our extraction on real third-party pages that come with published ground truth.

Two sets are understood (see shared/corpus/README.md for where they come from):

- "trafilatura-eval": `evaldata.json` lists, per page, snippets the main text must contain
  ("with") and must not contain ("without"), plus gold author and date for some pages. A found
  "with" snippet is a true positive, a missing one a false negative, a found "without" snippet a
  false positive; precision, recall and F1 are computed from the counts summed over all pages.
  Snippets and text are compared with whitespace collapsed.
- "zyte": `ground-truth.json` gives each page's articleBody. Body and gold are cut into 4-word
  shingles (words are runs of \\w characters), counted as multisets; each page's tp/fp/fn are
  scaled to sum to 1 so long pages weigh no more than short ones; precision is the mean over pages
  that predicted something or expected nothing, recall the mean over pages that expected
  something, and F1 is taken from those two means, as the benchmark's own script does.

Authors are compared as ordered lists after trimming: a gold list is used as it is, a gold string
is one name (or several when it holds ";", the separator trafilatura prints). A page counts as
right only when our list equals the gold list exactly. A looser figure ignores case, order and
the connector used ("A und B" against ["A", "B"]), to tell wrong names from different splitting.
Dates count as right when the day (YYYY-MM-DD) of the publication date equals the gold day.

Every page is an article here, so extraction is forced (`extract_article(..., force=True)`).
Exceptions are caught and counted as crashes, never propagated. trafilatura, when installed, can
be run on the same pages in the same run for comparison; our package never requires it.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archiver.extract import goldsets
from archiver.extract.goldsets import DATASETS as DATASETS  # the sets `archiver eval` knows
from archiver.extract.goldsets import FIELD_DATASETS, GoldPage, load_gold, read_html

SLOW_PAGE_SECONDS = 1.0
_FETCHED_AT = "2024-01-01T12:00:00+01:00"  # no fetch time in the corpora: one after every page
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_AUTHOR_CONNECTORS = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\bet\b|\bi\b|\boraz\b)\s*", re.I)
_HTML_LANG_FR = re.compile(rb"<html\b[^>]*\blang\s*=\s*[\"']?fr\b", re.IGNORECASE)


# ---------------------------------------------------------------- scoring functions


def normalize_space(text: str | None) -> str:
    """Whitespace collapsed, so line breaks in our output never cost a snippet."""
    return _SPACES.sub(" ", text or "").strip()


@dataclass
class SnippetCounts:
    """Counts of the trafilatura-eval scoring for one page or summed over pages."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, other: SnippetCounts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn


def snippet_counts(text: str | None, with_: Sequence[str], without: Sequence[str]) -> SnippetCounts:
    """Score one page: "with" snippets found are tp, missing are fn; "without" found are fp."""
    haystack = normalize_space(text)
    found = sum(1 for s in with_ if normalize_space(s) in haystack) if haystack else 0
    leaked = sum(1 for s in without if normalize_space(s) in haystack) if haystack else 0
    return SnippetCounts(tp=found, fp=leaked, fn=len(with_) - found, tn=len(without) - leaked)


def micro_prf(counts: SnippetCounts) -> tuple[float, float, float]:
    """Precision, recall and F1 from summed counts; 0.0 where a denominator is empty."""
    precision = counts.tp / (counts.tp + counts.fp) if counts.tp + counts.fp else 0.0
    recall = counts.tp / (counts.tp + counts.fn) if counts.tp + counts.fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-word shingles; a text shorter than n words is one shingle of all its words."""
    words = _WORD.findall(text or "")
    if len(words) < n:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def shingle_counts(gold: str | None, predicted: str | None, n: int = 4) -> tuple[float, ...]:
    """(tp, fp, fn) of one page's shingles, scaled to sum to 1 (all zero when both are empty)."""
    expected, got = shingles(gold, n), shingles(predicted, n)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _page_precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _page_recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def macro_prf(pages: Sequence[tuple[float, ...]]) -> tuple[float, float, float]:
    """Zyte benchmark averaging: mean precision over pages with a prediction, mean recall over
    pages with a gold text, then F1 of the two means."""
    precisions = [_page_precision(*c) for c in pages if c[0] + c[1] > 0]
    recalls = [_page_recall(*c) for c in pages if c[0] + c[2] > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def gold_authors(gold: str | Sequence[str] | None) -> list[str]:
    """The gold author list: a list as given, a string as one name unless it holds ";"."""
    if not gold:
        return []
    items = [gold] if isinstance(gold, str) else list(gold)
    names: list[str] = []
    for item in items:
        names.extend(normalize_space(part) for part in str(item).split(";"))
    return [name for name in names if name]


def authors_match(found: Sequence[str] | None, gold: str | Sequence[str] | None) -> bool:
    """Exact, ordered match of the trimmed author lists."""
    return [normalize_space(a) for a in found or [] if normalize_space(a)] == gold_authors(gold)


def _loose_names(names: Sequence[str]) -> set[str]:
    parts = (_AUTHOR_CONNECTORS.split(normalize_space(name)) for name in names)
    return {part.casefold() for chunk in parts for part in chunk if part.strip()}


def authors_match_loosely(found: Sequence[str] | None, gold: str | Sequence[str] | None) -> bool:
    """Same names in any order and case, whichever connector joins them."""
    expected = gold_authors(gold)
    return bool(expected) and _loose_names(list(found or [])) == _loose_names(expected)


def same_day(found: str | None, gold: str | None) -> bool:
    """True when the found date's YYYY-MM-DD equals the gold day."""
    return bool(found and gold) and str(found)[:10] == str(gold)[:10]


def is_french(url: str, html: bytes) -> bool:
    """A page on a .fr domain, or whose <html lang> says French."""
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(".fr") or bool(_HTML_LANG_FR.search(html[:5000]))


# ---------------------------------------------------------------- results


@dataclass
class PageResult:
    """What one system did with one page; the gold values sit beside for auditing."""

    page: str
    url: str
    french: bool = False
    seconds: float = 0.0
    error: str | None = None
    text_counts: list[float] = field(default_factory=list)  # tp, fp, fn (and tn for snippets)
    authors: list[str] | None = None
    authors_gold: list[str] | None = None
    date: str | None = None
    date_gold: str | None = None
    title: str | None = None
    title_gold: str | None = None
    day_right: bool | None = None
    minute_right: bool | None = None
    refused: bool = False

    @property
    def text_f1(self) -> float:
        tp, fp, fn = self.text_counts[:3] if self.text_counts else (0, 0, 0)
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


@dataclass
class Scores:
    """Summary figures of one system over a set of pages."""

    pages: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    author_pages: int = 0
    author_accuracy: float | None = None
    author_accuracy_loose: float | None = None
    date_pages: int = 0
    date_accuracy: float | None = None
    crashes: int = 0
    title_pages: int = 0
    title_accuracy: float | None = None
    minute_pages: int = 0
    minute_accuracy: float | None = None
    refused: int = 0
    empty: int = 0
    seconds: float = 0.0
    pages_per_second: float = 0.0
    slowest_seconds: float = 0.0
    slowest_page: str | None = None
    pages_over_1s: int = 0


@dataclass
class SystemReport:
    name: str
    version: str
    scores: Scores
    french: Scores | None = None
    pages: list[PageResult] = field(default_factory=list)


@dataclass
class EvalReport:
    dataset: str
    directory: str
    pages: int
    systems: list[SystemReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self, with_pages: bool = False) -> dict[str, Any]:
        """Plain data for --json; per-page results only on request (they are long)."""
        data = asdict(self)
        if not with_pages:
            for system in data["systems"]:
                system.pop("pages")
        return data


# ---------------------------------------------------------------- systems


@dataclass
class Extracted:
    """What a system returns for one page: main text, author list, publication date."""

    text: str | None
    authors: list[str] | None
    date: str | None
    title: str | None = None
    published: str | None = None
    refused: bool = False


def ours(html: bytes, url: str) -> Extracted:
    """Our pipeline, as a crawl runs it on the response's bytes; a page it refuses is read
    again, forced (every page of an evaluation corpus is an article), and counted as refused."""
    from archiver.extract.page import main_text
    from archiver.extract.read import read_article

    article = read_article(html, url, fetched_at=_FETCHED_AT)
    refused = article is None
    if refused:
        article = read_article(html, url, fetched_at=_FETCHED_AT, force=True)
    if article is None:
        return Extracted(None, None, None, refused=refused)
    return Extracted(
        main_text(article), list(article.authors), stated_day(article), article.title,
        article.published_at, refused,
    )  # fmt: skip


def _warm_up() -> None:
    """Our imports and readers, loaded before the timing starts, as a crawl loads them at start."""
    from archiver.extract.read import read_article

    read_article(b"<title>Titre</title><p>Texte.</p>", "https://example.fr/", force=True)


def stated_day(article: Any) -> str | None:
    """The publication day as the page states it: normalize keeps the offset a time states and
    tells a time in UTC in the page's own zone, so the day is the publisher's."""
    return article.published_at[:10] if article.published_at else None


# its defaults, with the time of day kept for the minute scores
_TRAFILATURA_DATES = {
    "extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}  # fmt: skip


def trafilatura_runner() -> tuple[Callable[[bytes, str], Extracted], str] | None:
    """trafilatura with the settings of its own evaluation (tables in, comments out), or None."""
    try:
        import trafilatura
    except ImportError:
        return None

    def run(html: bytes, url: str) -> Extracted:
        document = trafilatura.bare_extraction(
            html, url=url, include_comments=False, include_tables=True, with_metadata=True,
            date_extraction_params=_TRAFILATURA_DATES,
        )  # fmt: skip
        if document is None:
            return Extracted(None, None, None)
        data = document if isinstance(document, dict) else document.as_dict()
        author = data.get("author")
        return Extracted(
            data.get("text"), gold_authors(author) if author else [], data.get("date"),
            data.get("title"), data.get("date"),
        )  # fmt: skip

    return run, getattr(trafilatura, "__version__", "?")


# ---------------------------------------------------------------- the run


def _run_page(
    system: Callable[[bytes, str], Extracted], gold: GoldPage, html: bytes, dataset: str
) -> PageResult:
    result = PageResult(page=gold.page, url=gold.url, french=is_french(gold.url, html))
    started = time.perf_counter()
    try:
        extracted = system(html, gold.url)
    except Exception as error:  # a crash is a figure of the report, never the end of the run
        extracted = Extracted(None, None, None)
        result.error = f"{type(error).__name__}: {error}"[:300]
    result.seconds = time.perf_counter() - started
    if dataset == "zyte":
        result.text_counts = list(shingle_counts(gold.body, extracted.text))
    elif dataset in FIELD_DATASETS and gold.body is not None:  # a page with no gold text
        result.text_counts = list(goldsets.word_counts(gold.body, extracted.text))  # is not scored
    else:
        counts = snippet_counts(extracted.text, gold.with_, gold.without)
        result.text_counts = [counts.tp, counts.fp, counts.fn, counts.tn]
    result.authors = extracted.authors
    result.date = extracted.date
    if gold.author:
        result.authors_gold = gold_authors(gold.author)
    result.date_gold = gold.date
    if dataset in FIELD_DATASETS:
        _score_fields(result, gold, extracted, dataset)
    return result


def _score_fields(result: PageResult, gold: GoldPage, extracted: Extracted, dataset: str) -> None:
    """Title, day and minute of a set with a gold per field; the date shown is the full one."""
    result.title, result.title_gold = extracted.title, gold.title
    result.date = extracted.published
    result.refused = extracted.refused
    if gold.date:
        result.day_right = goldsets.same_day(
            extracted.published, gold.date, in_gold_offset=dataset == "fundus"
        )
    if goldsets.gold_has_time(gold.date):
        result.minute_right = goldsets.same_minute(extracted.published, gold.date)


def summarize(dataset: str, pages: Sequence[PageResult]) -> Scores:
    """The summary figures over some pages of one system."""
    scores = Scores(pages=len(pages))
    if not pages:
        return scores
    if dataset == "zyte":
        scores.precision, scores.recall, scores.f1 = macro_prf(
            [tuple(p.text_counts) for p in pages]
        )
    elif dataset in FIELD_DATASETS:
        _summarize_fields(scores, pages)
    else:
        total = SnippetCounts()
        for page in pages:
            total.add(SnippetCounts(*(int(c) for c in page.text_counts)))
        scores.precision, scores.recall, scores.f1 = micro_prf(total)
    with_author = [p for p in pages if p.authors_gold]
    scores.author_pages = len(with_author)
    same = goldsets.same_author_set if dataset in FIELD_DATASETS else authors_match
    if with_author:
        right = sum(same(p.authors, p.authors_gold) for p in with_author)
        loose = sum(authors_match_loosely(p.authors, p.authors_gold) for p in with_author)
        scores.author_accuracy = right / len(with_author)
        scores.author_accuracy_loose = loose / len(with_author)
    with_date = [p for p in pages if p.date_gold]
    scores.date_pages = len(with_date)
    if with_date and dataset in FIELD_DATASETS:
        scores.date_accuracy = sum(bool(p.day_right) for p in with_date) / len(with_date)
    elif with_date:
        scores.date_accuracy = sum(same_day(p.date, p.date_gold) for p in with_date) / len(
            with_date
        )
    scores.crashes = sum(1 for p in pages if p.error)
    scores.seconds = sum(p.seconds for p in pages)
    scores.pages_per_second = len(pages) / scores.seconds if scores.seconds else 0.0
    slowest = max(pages, key=lambda p: p.seconds)
    scores.slowest_seconds, scores.slowest_page = slowest.seconds, slowest.page
    scores.pages_over_1s = sum(1 for p in pages if p.seconds > SLOW_PAGE_SECONDS)
    return scores


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _summarize_fields(scores: Scores, pages: Sequence[PageResult]) -> None:
    """Mean body precision, recall and F1 over pages; title and minute accuracy; pages refused
    or given an empty body."""
    counted = [p for p in pages if sum(p.text_counts[:3])]
    scores.precision = _mean([_page_precision(*p.text_counts[:3]) for p in counted]) or 0.0
    scores.recall = _mean([_page_recall(*p.text_counts[:3]) for p in counted]) or 0.0
    scores.f1 = _mean([p.text_f1 for p in pages]) or 0.0
    titled = [p for p in pages if p.title_gold]
    scores.title_pages = len(titled)
    scores.title_accuracy = _mean([goldsets.same_title(p.title, p.title_gold) for p in titled])
    timed = [p for p in pages if p.minute_right is not None]
    scores.minute_pages = len(timed)
    scores.minute_accuracy = _mean([bool(p.minute_right) for p in timed])
    scores.refused = sum(p.refused for p in pages)
    scores.empty = sum(1 for p in pages if p.text_counts[:2] == [0.0, 0.0])


def _pages(dataset: str, directory: Path, limit: int | None) -> Iterator[tuple[GoldPage, bytes]]:
    golds = load_gold(dataset, directory)
    if limit is not None:
        golds = golds[: max(limit, 0)]
    for gold in golds:
        try:
            html = read_html(gold.path)
        except OSError:
            html = b""
        yield gold, html


def evaluate(
    dataset: str,
    directory: Path,
    *,
    limit: int | None = None,
    compare_trafilatura: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Run our pipeline (and trafilatura, if asked and installed) on a corpus and score both.

    `dataset` is "trafilatura-eval" or "zyte"; `directory` holds its ground-truth file and html/.
    Raises ValueError for an unknown dataset and OSError when the ground truth cannot be read;
    nothing a page does can stop the run.
    """
    directory = Path(directory)
    pages = list(_pages(dataset, directory, limit))
    report = EvalReport(dataset=dataset, directory=str(directory), pages=len(pages))
    systems: list[tuple[str, str, Callable[[bytes, str], Extracted]]] = [
        ("archiver", _our_version(), ours)
    ]
    if compare_trafilatura:
        runner = trafilatura_runner()
        if runner is None:
            report.notes.append("trafilatura is not installed: no comparison")
        else:
            systems.append(("trafilatura", runner[1], runner[0]))
    missing = sum(1 for _, html in pages if not html)
    if missing:
        report.notes.append(f"{missing} page files missing or empty (scored as empty output)")
    _warm_up()
    for name, version, system in systems:
        results = []
        for index, (gold, html) in enumerate(pages, start=1):
            results.append(_run_page(system, gold, html, dataset))
            if progress is not None:
                progress(index, len(pages))
        french = [r for r in results if r.french] if dataset == "trafilatura-eval" else None
        report.systems.append(
            SystemReport(
                name=name,
                version=version,
                scores=summarize(dataset, results),
                french=summarize(dataset, french) if french is not None else None,
                pages=results,
            )
        )
    return report


def _our_version() -> str:
    try:
        from importlib.metadata import version

        return version("archiver")
    except Exception:  # not installed as a distribution (run from a source tree)
        return "source"


# ---------------------------------------------------------------- output


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


_FIELD_ROWS: list[tuple[str, Callable[[Scores], str]]] = [
    ("title accuracy", lambda s: _figure(s.title_accuracy)),
    ("  pages with gold", lambda s: str(s.title_pages)),
    ("minute accuracy", lambda s: _figure(s.minute_accuracy)),
    ("  pages with gold", lambda s: str(s.minute_pages)),
    ("pages refused", lambda s: str(s.refused)),
    ("pages with no body", lambda s: str(s.empty)),
]


def _score_lines(label: str, systems: list[tuple[str, Scores]], fields: bool = False) -> list[str]:
    header = f"{label:<22}" + "".join(f"{name:>16}" for name, _ in systems)
    rows: list[tuple[str, Callable[[Scores], str]]] = [
        ("pages", lambda s: str(s.pages)),
        ("precision", lambda s: _figure(s.precision)),
        ("recall", lambda s: _figure(s.recall)),
        ("F1" if not fields else "body mean F1", lambda s: _figure(s.f1)),
        *(_FIELD_ROWS if fields else []),
        ("author accuracy", lambda s: _figure(s.author_accuracy)),
        ("  loose", lambda s: _figure(s.author_accuracy_loose)),
        ("  pages with gold", lambda s: str(s.author_pages)),
        ("date accuracy", lambda s: _figure(s.date_accuracy)),
        ("  pages with gold", lambda s: str(s.date_pages)),
        ("crashes", lambda s: str(s.crashes)),
        ("pages per second", lambda s: f"{s.pages_per_second:.1f}"),
        ("slowest page (s)", lambda s: f"{s.slowest_seconds:.3f}"),
        ("pages over 1 s", lambda s: str(s.pages_over_1s)),
    ]
    lines = [header]
    for title, cell in rows:
        lines.append(f"  {title:<20}" + "".join(f"{cell(s):>16}" for _, s in systems))
    return lines


def format_report(report: EvalReport) -> str:
    """A plain-text table: one column per system, all pages then the French subset."""
    named = [(f"{s.name} {s.version}"[:15], s) for s in report.systems]
    lines = [f"Evaluation on {report.dataset} ({report.pages} pages, {report.directory})"]
    fields = report.dataset in FIELD_DATASETS
    lines += _score_lines("all pages", [(name, s.scores) for name, s in named], fields)
    french = [(name, s.french) for name, s in named if s.french is not None]
    if french:
        lines += _score_lines("French pages", french)
    for system in report.systems:
        slow = system.scores.slowest_page
        if slow:
            lines.append(f"slowest page for {system.name}: {slow}")
    if fields and report.systems:
        lines += worst_pages(report.systems[0].pages)
    lines += [f"note: {note}" for note in report.notes]
    return "\n".join(lines)


def worst_pages(pages: Sequence[PageResult], count: int = 5) -> list[str]:
    """Where our extraction loses, per field: the first wrong titles, authors and days, and the
    lowest body scores, each with the gold beside."""
    lines: list[str] = []
    wrong: list[tuple[str, list[PageResult], Callable[[PageResult], str]]] = [
        ("title", [p for p in pages if p.title_gold and not goldsets.same_title(p.title, p.title_gold)],
         lambda p: f"{p.title!r} for {p.title_gold!r}"),
        ("authors", [p for p in pages if p.authors_gold and not goldsets.same_author_set(p.authors, p.authors_gold)],
         lambda p: f"{p.authors} for {p.authors_gold}"),
        ("day", [p for p in pages if p.day_right is False], lambda p: f"{p.date} for {p.date_gold}"),
        ("body", sorted((p for p in pages if p.text_f1 < 0.9), key=lambda p: p.text_f1),
         lambda p: f"F1 {p.text_f1:.2f}" + (" (refused)" if p.refused else "")),
    ]  # fmt: skip
    for name, losing, show in wrong:
        lines.append(f"worst pages, {name} ({len(losing)} wrong):")
        lines += [f"  {p.page}: {show(p)}"[:240] for p in losing[:count]]
    return lines
