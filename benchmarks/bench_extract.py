"""Extraction quality and speed on the shared corpora, beside trafilatura in the same run.

Run from the repository root:

    .venv/bin/python benchmarks/bench_extract.py [--quick] [--no-compare] [--corpus DIR]

Both sets of shared/corpus are scored by archiver.extract.evaluate (see its docstring for the rules).
When trafilatura is installed it runs on the same pages in the same process, so that speed is
read as a ratio and quality as a difference, not as absolute figures of one machine.
Exits with status 1 when one of our figures is below its floor (FLOORS), the values CI
should enforce; with --quick (the first 100 pages of each set) the floors are not checked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archiver.extract.evaluate import EvalReport, evaluate, format_report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# Figures measured on the whole sets (990 and 181 pages) less 0.01: below one is a regression.
FLOORS: dict[str, dict[str, float]] = {
    "trafilatura-eval": {
        "precision": 0.900, "recall": 0.929, "f1": 0.914,
        "author_accuracy": 0.605, "date_accuracy": 0.892,
    },
    "zyte": {"precision": 0.937, "recall": 0.968, "f1": 0.952},
}  # fmt: skip
MAX_CRASHES = 0
MAX_SLOWEST_SECONDS = 1.0
SETS = {"trafilatura-eval": "trafilatura-eval", "zyte": "zyte-benchmark"}


def _corpus(argument: str | None) -> Path:
    if argument:
        return Path(argument)
    for candidate in (ROOT.parent / "shared" / "corpus", ROOT / ".." / "shared" / "corpus"):
        if candidate.exists():
            return candidate
    return ROOT.parent / "shared" / "corpus"


def _comparison(report: EvalReport) -> list[str]:
    """Our figures against trafilatura's from the same run, when it ran."""
    if len(report.systems) < 2:
        return []
    ours, theirs = report.systems[0].scores, report.systems[1].scores
    lines = [f"  F1 difference (ours - trafilatura): {ours.f1 - theirs.f1:+.3f}"]
    if ours.author_accuracy is not None and theirs.author_accuracy is not None:
        lines.append(
            f"  author accuracy difference: {ours.author_accuracy - theirs.author_accuracy:+.3f}"
        )
    if ours.date_accuracy is not None and theirs.date_accuracy is not None:
        lines.append(
            f"  date accuracy difference: {ours.date_accuracy - theirs.date_accuracy:+.3f}"
        )
    if theirs.pages_per_second:
        lines.append(
            f"  speed ratio (ours / trafilatura): {ours.pages_per_second / theirs.pages_per_second:.2f}"
        )
    return lines


def _failures(dataset: str, report: EvalReport) -> list[str]:
    scores = report.systems[0].scores
    failures = []
    for name, floor in FLOORS[dataset].items():
        value = getattr(scores, name)
        if value is None or value < floor:
            failures.append(f"{dataset}: {name} {value} below its floor {floor}")
    if scores.crashes > MAX_CRASHES:
        failures.append(f"{dataset}: {scores.crashes} crashes")
    if scores.slowest_seconds > MAX_SLOWEST_SECONDS:
        failures.append(f"{dataset}: slowest page {scores.slowest_seconds:.2f} s")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first 100 pages of each set")
    parser.add_argument("--no-compare", action="store_true", help="do not run trafilatura")
    parser.add_argument("--corpus", help="the folder holding trafilatura-eval/ and zyte-benchmark/")
    args = parser.parse_args()
    corpus = _corpus(args.corpus)
    if not corpus.exists():
        print(f"no corpus at {corpus}; nothing to measure")
        return 0
    failures: list[str] = []
    for dataset, folder in SETS.items():
        report = evaluate(
            dataset,
            corpus / folder,
            limit=100 if args.quick else None,
            compare_trafilatura=not args.no_compare,
        )
        print(format_report(report))
        print("\n".join(_comparison(report)))
        print()
        if not args.quick:
            failures += _failures(dataset, report)
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
