"""The evaluation harness: its scoring on hand-made inputs, and a short run on the real corpus."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from archiver.extract import evaluate as ev
from archiver.items import Article

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
if not CORPUS.exists():
    CORPUS = Path("/work/shared/corpus")


# ---------------------------------------------------------------- snippets (trafilatura-eval)


def test_snippets_found_missing_and_leaked() -> None:
    text = "Le film sort\nen salles  mercredi. Partager sur Facebook"
    counts = ev.snippet_counts(text, ["film sort en salles", "mercredi", "absent"], ["Partager"])
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (2, 1, 1, 0)


def test_no_output_misses_every_snippet_and_leaks_none() -> None:
    counts = ev.snippet_counts(None, ["a", "b"], ["c"])
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (0, 2, 0, 1)


def test_micro_scores_are_taken_from_summed_counts() -> None:
    total = ev.SnippetCounts()
    total.add(ev.SnippetCounts(tp=3, fp=1, fn=0))
    total.add(ev.SnippetCounts(tp=1, fp=0, fn=3))
    precision, recall, f1 = ev.micro_prf(total)
    assert precision == pytest.approx(4 / 5)
    assert recall == pytest.approx(4 / 7)
    assert f1 == pytest.approx(2 * (4 / 5) * (4 / 7) / (4 / 5 + 4 / 7))
    assert ev.micro_prf(ev.SnippetCounts()) == (0.0, 0.0, 0.0)


# ---------------------------------------------------------------- shingles (zyte)


def test_shingles_are_a_multiset_of_four_words() -> None:
    assert ev.shingles("a b c d a b c d") == {
        ("a", "b", "c", "d"): 2,
        ("b", "c", "d", "a"): 1,
        ("c", "d", "a", "b"): 1,
        ("d", "a", "b", "c"): 1,
    }
    assert ev.shingles("two words") == {("two", "words"): 1}
    assert ev.shingles("  ") == {}


def test_shingle_counts_are_scaled_to_one() -> None:
    assert ev.shingle_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    # gold: abcd, bcde; prediction: abcd, bcdx -> one shared, one extra, one missing
    assert ev.shingle_counts("a b c d e", "a b c d x") == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert ev.shingle_counts("", "") == (0.0, 0.0, 0.0)
    assert ev.shingle_counts("a b c d", "") == (0.0, 0.0, 1.0)


def test_macro_scores_average_pages_as_the_benchmark_does() -> None:
    pages = [
        (1.0, 0.0, 0.0),  # perfect
        (0.5, 0.5, 0.0),  # half of the prediction is extra: precision 0.5, recall 1
        (0.0, 0.0, 1.0),  # nothing predicted: counts for recall only
        (0.0, 0.0, 0.0),  # nothing expected, nothing predicted: counts for neither
    ]
    precision, recall, f1 = ev.macro_prf(pages)
    assert precision == pytest.approx((1.0 + 0.5) / 2)
    assert recall == pytest.approx((1.0 + 1.0 + 0.0) / 3)
    assert f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))


# ---------------------------------------------------------------- authors and dates


def test_gold_author_strings_and_lists() -> None:
    assert ev.gold_authors(" Jean Dupont ") == ["Jean Dupont"]
    assert ev.gold_authors("A; B") == ["A", "B"]  # trafilatura's own separator
    assert ev.gold_authors("Benjamin Fischer und Marcus Theurer") == [
        "Benjamin Fischer und Marcus Theurer"
    ]
    assert ev.gold_authors([" A", "B "]) == ["A", "B"]
    assert ev.gold_authors("") == [] and ev.gold_authors(None) == []


def test_author_lists_match_exactly_in_order() -> None:
    assert ev.authors_match(["A", "B"], ["A", "B"])
    assert not ev.authors_match(["B", "A"], ["A", "B"])
    assert not ev.authors_match(["Jean DUPONT"], "Jean Dupont")
    assert not ev.authors_match([], "Jean Dupont")
    assert ev.authors_match(["  Jean   Dupont "], "Jean Dupont")


def test_loose_author_match_ignores_case_order_and_connectors() -> None:
    assert ev.authors_match_loosely(
        ["Marcus Theurer", "Benjamin Fischer"], "Benjamin Fischer und Marcus Theurer"
    )
    assert ev.authors_match_loosely(["JEAN DUPONT"], "Jean Dupont")
    assert not ev.authors_match_loosely(["Jean Dupont"], "Jean Durand")
    assert not ev.authors_match_loosely([], None)


def test_dates_compare_the_day() -> None:
    assert ev.same_day("2019-08-02T23:10:00-04:00", "2019-08-02")
    assert not ev.same_day("2019-08-03T05:10:00+02:00", "2019-08-02")
    assert not ev.same_day(None, "2019-08-02")


def test_the_day_is_the_one_the_page_states() -> None:
    """published_at keeps the offset the page states, so its own day is the publisher's."""
    article = Article(url="https://exemple.test/")
    article.published_raw = "2019-08-02T22:30:00-04:00"
    article.published_at = "2019-08-02T22:30:00-04:00"
    assert ev.stated_day(article) == "2019-08-02"
    article.published_at = None  # unreadable: no day, whatever the raw string says
    article.published_raw = "2019-08-02"
    assert ev.stated_day(article) is None


def test_french_pages_by_domain_or_html_lang() -> None:
    assert ev.is_french("https://www.gala.fr/x", b"<html lang='en'>")
    assert ev.is_french("https://example.com/x", b'<!doctype html><html class="a" lang="fr-FR">')
    assert not ev.is_french("https://example.com/x", b"<html lang='de'>")


# ---------------------------------------------------------------- whole runs


def _tiny_trafilatura_set(directory: Path) -> None:
    (directory / "html").mkdir(parents=True)
    pages = {
        "https://exemple.fr/2020/01/02/un": (
            "un.html",
            "<html lang='fr'><head><title>Un</title><meta name='author' content='Zoé Martin'>"
            "</head><body><nav><a href='/'>Accueil</a></nav><article><h1>Un</h1>"
            "<p>La première phrase de l'article, assez longue pour être de la prose.</p>"
            "<p>La seconde phrase de l'article, elle aussi assez longue pour compter.</p>"
            "</article><footer>Mentions légales</footer></body></html>",
        ),
        "https://example.com/two": ("two.html", "<html><body><p>Short.</p></body></html>"),
    }
    evaldata = {}
    for url, (name, html) in pages.items():
        (directory / "html" / f"{name}.gz").write_bytes(gzip.compress(html.encode()))
        evaldata[url] = {
            "file": name,
            "with": ["première phrase de l'article"] if name == "un.html" else ["Short."],
            "without": ["Mentions légales", "Accueil"],
            "author": "Zoé Martin" if name == "un.html" else "",
            "date": "2020-01-02" if name == "un.html" else None,
        }
    (directory / "evaldata.json").write_text(json.dumps(evaldata), encoding="utf-8")


def test_evaluate_runs_our_pipeline_and_counts_crashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tiny_trafilatura_set(tmp_path)
    report = ev.evaluate("trafilatura-eval", tmp_path)
    ours = report.systems[0]
    assert ours.name == "archiver" and report.pages == 2
    assert (ours.scores.precision, ours.scores.recall) == (1.0, 1.0)
    assert ours.scores.author_accuracy == 1.0 and ours.scores.author_pages == 1
    assert ours.scores.date_accuracy == 1.0 and ours.scores.date_pages == 1
    assert ours.french is not None and ours.french.pages == 1
    assert ours.scores.crashes == 0

    def broken(html: bytes, url: str) -> ev.Extracted:
        raise RuntimeError("boom")

    monkeypatch.setattr(ev, "ours", broken)
    report = ev.evaluate("trafilatura-eval", tmp_path, limit=1)
    assert report.pages == 1
    assert report.systems[0].scores.crashes == 1
    assert report.systems[0].pages[0].error == "RuntimeError: boom"
    assert report.systems[0].scores.recall == 0.0


def test_report_formats_and_serializes(tmp_path: Path) -> None:
    _tiny_trafilatura_set(tmp_path)
    report = ev.evaluate("trafilatura-eval", tmp_path)
    text = ev.format_report(report)
    assert "French pages" in text and "author accuracy" in text and "pages over 1 s" in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["systems"][0]["scores"]["f1"] == 1.0
    assert "pages" not in data["systems"][0]
    assert len(report.to_dict(with_pages=True)["systems"][0]["pages"]) == 2


def test_unknown_dataset_and_missing_ground_truth(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        ev.evaluate("nope", tmp_path)
    with pytest.raises(OSError):
        ev.evaluate("zyte", tmp_path)


@pytest.mark.skipif(not CORPUS.exists(), reason="the shared corpus is not on this machine")
@pytest.mark.parametrize(
    ("dataset", "folder", "floor"),
    [("trafilatura-eval", "trafilatura-eval", 0.88), ("zyte", "zyte-benchmark", 0.93)],
)
def test_a_few_real_pages(dataset: str, folder: str, floor: float) -> None:
    """A smoke test on the first pages of each set; the full figures are the benchmark's."""
    report = ev.evaluate(dataset, CORPUS / folder, limit=25)
    scores = report.systems[0].scores
    assert scores.pages == 25
    assert scores.crashes == 0
    assert scores.f1 >= floor
    assert scores.slowest_seconds < 1.0


def test_field_scores_titles_authors_days_and_minutes() -> None:
    from archiver.extract import goldsets as gs

    assert gs.same_title("Le  titre\u00ad", "Le titre") and not gs.same_title(
        "Le titre | Site", "Le titre"
    )
    assert gs.same_title("Swift’s tour", "Swift&#8217;s tour")
    assert gs.same_author_set(["B  Un", "a deux"], ["A Deux", "B Un"])
    assert not gs.same_author_set(["Folgen"], ["A Deux"])
    # the day is read in the gold's offset
    assert gs.same_day(
        "2024-12-03T23:17:00+09:00", "2024-12-03 14:17:00+00:00", in_gold_offset=True
    )
    assert not gs.same_day(
        "2024-12-04T00:05:00+01:00", "2024-12-03 14:17:00+09:00", in_gold_offset=True
    )
    assert gs.same_day("2024-12-03T00:00:00+01:00", "2024-12-03 00:00:00", in_gold_offset=True)
    assert gs.same_day(
        "2023-11-07T09:00:00+01:00", "2023-11-07T02:00:00-05:00", in_gold_offset=False
    )
    assert gs.gold_has_time("2024-09-03 04:03:19+00:00") and not gs.gold_has_time(
        "2024-09-03 00:00:00"
    )
    assert gs.same_minute("2024-09-03T06:03:40+02:00", "2024-09-03 04:03:19+00:00")
    assert not gs.same_minute("2024-09-03T00:00:00+02:00", "2024-09-03 04:03:19+00:00")


def test_bag_of_words_counts_characters_in_unspaced_scripts() -> None:
    from archiver.extract import goldsets as gs

    assert gs.words("Le chat, le CHAT!") == {"le": 2, "chat": 2}
    assert gs.words("日本語 abc") == {"日": 1, "本": 1, "語": 1, "abc": 1}
    assert gs.word_counts("un deux trois", "deux trois quatre cinq") == (2.0, 2.0, 1.0)


_RAIN = [
    f"On day {n} the rain fell on the town again, and the river rose by {n} feet." for n in range(8)
]


def _tiny_fundus_set(directory: Path) -> None:
    country = directory / "xx"
    country.mkdir()
    page = (
        "<html lang='en'><head><title>Rain falls again | The Daily</title></head><body><article>"
        "<h1>Rain falls again</h1><p class='byline'>By Ann Lee</p>"
        "<time datetime='2024-03-05T08:30:00+00:00'>March 5</time>"
        + "".join(f"<p>{line}</p>" for line in _RAIN)
        + "</article></body></html>"
    )
    (country / "Daily_2024_03_05.html.gz").write_bytes(gzip.compress(page.encode()))
    meta = {
        "Daily_2024_03_05.html.gz": {"url": "https://daily.test/rain", "crawl_date": "2024-03-05"}
    }
    (country / "meta.info").write_text(json.dumps(meta), encoding="utf-8")
    body = {"summary": [], "sections": [{"headline": [], "paragraphs": _RAIN}]}  # fmt: skip
    record = {"title": "Rain falls again", "authors": ["Ann Lee"], "body": body,
              "publishing_date": "2024-03-05 08:30:00+00:00"}  # fmt: skip
    (country / "Daily.json").write_text(json.dumps({"V1": record}), encoding="utf-8")


def test_evaluate_a_set_with_a_gold_per_field(tmp_path: Path) -> None:
    _tiny_fundus_set(tmp_path)
    report = ev.evaluate("fundus", tmp_path)
    scores = report.systems[0].scores
    assert report.pages == 1 and scores.crashes == 0
    assert scores.title_accuracy == 1.0 and scores.author_accuracy == 1.0
    assert scores.date_accuracy == 1.0 and scores.minute_accuracy == 1.0
    assert scores.f1 > 0.99 and scores.empty == 0
    assert "title accuracy" in ev.format_report(report)


def test_a_page_with_no_gold_text_is_not_scored_on_its_body(tmp_path: Path) -> None:
    """newspaper4k gives no text for some pages: their body can be neither right nor wrong,
    and must not count as a page of precision 0 in the mean."""
    (tmp_path / "html").mkdir()
    page = (
        "<html lang='en'><head><title>Rain falls again</title></head><body><article>"
        "<h1>Rain falls again</h1>" + "".join(f"<p>{line}</p>" for line in _RAIN)
        + "</article></body></html>"
    )  # fmt: skip
    truth = {}
    for name in ("with_text", "title_only"):
        (tmp_path / "html" / f"{name}.html.gz").write_bytes(gzip.compress(page.encode()))
        truth[name] = {"url": f"https://daily.test/{name}", "title": "Rain falls again"}
    truth["with_text"]["text"] = "\n\n".join(_RAIN)
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    scores = ev.evaluate("newspaper4k", tmp_path).systems[0].scores
    assert scores.f1 > 0.99 and scores.precision > 0.99
