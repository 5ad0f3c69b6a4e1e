"""Cost per date string of our French date reader, beside a reused dateparser in the same run.

Run from the repository root: .venv/bin/python benchmarks/bench_dates.py [--quick]

The strings are the common absolute forms French news pages print. Both readers get the same
strings in the same process; the figure that matters is the ratio, not the absolute time.
Exits with status 1 when our median is above the budget of 0.05 ms per string.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dateparser.date import DateDataParser  # noqa: E402

from archiver.normalize.dates import FrenchDates  # noqa: E402

BUDGET_MS = 0.05
PARIS = ZoneInfo("Europe/Paris")
FETCHED = datetime(2024, 10, 5, 12, 0, tzinfo=PARIS)

# printed date -> the local date and time it means ("YYYY-MM-DD HH:MM")
COMMON: list[tuple[str, str]] = [
    ("3 octobre 2016", "2016-10-03 00:00"),
    ("1er août 2016", "2016-08-01 00:00"),
    ("lundi 3 octobre 2016", "2016-10-03 00:00"),
    ("dimanche 23 juillet 2017", "2017-07-23 00:00"),
    ("03/10/2016", "2016-10-03 00:00"),
    ("15/01/2018 14:32", "2018-01-15 14:32"),
    ("03.10.16", "2016-10-03 00:00"),
    ("3 oct. 2016", "2016-10-03 00:00"),
    ("1 sept. 2024", "2024-09-01 00:00"),
    ("4 sept. 2016", "2016-09-04 00:00"),
    ("12 févr. 2016", "2016-02-12 00:00"),
    ("24 déc 2015", "2015-12-24 00:00"),
    ("16 janv. 2023", "2023-01-16 00:00"),
    ("25 juil. 2016", "2016-07-25 00:00"),
    ("3 octobre 2016 à 14h32", "2016-10-03 14:32"),
    ("3 octobre 2016 à 14 h 32", "2016-10-03 14:32"),
    ("3 octobre 2016 à 14:32", "2016-10-03 14:32"),
    ("24 déc. 2015 à 9h", "2015-12-24 09:00"),
    ("Publié le 04/09/2011 à 11h37", "2011-09-04 11:37"),
    ("Publié le 28/01/2021 à 17h05", "2021-01-28 17:05"),
    ("Publié le 12 octobre 2021 à 7h50", "2021-10-12 07:50"),
    ("Publié le lundi 3 octobre 2016 à 14h32", "2016-10-03 14:32"),
    ("Mis à jour le 4 oct. 2016 à 09:15", "2016-10-04 09:15"),
    ("Mis à jour le 22 févr. 2021 à 21:40", "2021-02-22 21:40"),
    ("Modifié le 21/05/2019 à 12h00", "2019-05-21 12:00"),
    ("Le 03/10/2016 à 09h05", "2016-10-03 09:05"),
    ("08/04/2019 18:05", "2019-04-08 18:05"),
    ("samedi 9 décembre 2017", "2017-12-09 00:00"),
    ("1er mars 2022", "2022-03-01 00:00"),
    ("8 déc. 2023", "2023-12-08 00:00"),
]


def per_call_ms(function: Callable[[str], object], text: str, number: int, repeat: int) -> float:
    """Best of `repeat` runs of `number` calls, in milliseconds per call."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function(text)
        best = min(best, (time.perf_counter() - start) / number)
    return best * 1000


def local_minute(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(PARIS)
    return value.strftime("%Y-%m-%d %H:%M")


def main() -> int:
    quick = "--quick" in sys.argv
    ours = FrenchDates("Europe/Paris")
    theirs = DateDataParser(languages=["fr"])

    def read_ours(text: str) -> datetime | None:
        return ours.parse(text, FETCHED)

    def read_theirs(text: str) -> datetime | None:
        data = theirs.get_date_data(text)
        return data.date_obj if data else None

    for text, _ in COMMON:  # warm-up: dateparser loads its French data on first use
        read_ours(text)
        read_theirs(text)

    ours_ms = [per_call_ms(read_ours, t, 200 if quick else 2000, 5) for t, _ in COMMON]
    theirs_ms = [per_call_ms(read_theirs, t, 5 if quick else 30, 3) for t, _ in COMMON]

    def score(read: Callable[[str], datetime | None]) -> tuple[int, int, list[str]]:
        wrong, missing, misses = 0, 0, []
        for text, expected in COMMON:
            got = local_minute(read(text))
            if got is None:
                missing += 1
                misses.append(f"{text!r}: None")
            elif got != expected:
                wrong += 1
                misses.append(f"{text!r}: {got} (expected {expected})")
        return wrong, missing, misses

    ours_wrong, ours_none, ours_misses = score(read_ours)
    theirs_wrong, theirs_none, theirs_misses = score(read_theirs)
    ours_median, theirs_median = statistics.median(ours_ms), statistics.median(theirs_ms)

    print(f"{len(COMMON)} common absolute French date strings, median cost per string\n")
    print(f"{'reader':<34} {'median ms':>10} {'max ms':>9} {'right':>6} {'wrong':>6} {'None':>5}")
    for name, median, costs, wrong, missing in [
        ("archiver FrenchDates (fast path)", ours_median, ours_ms, ours_wrong, ours_none),
        ("dateparser DateDataParser(fr)", theirs_median, theirs_ms, theirs_wrong, theirs_none),
    ]:
        right = len(COMMON) - wrong - missing
        print(f"{name:<34} {median:>10.4f} {max(costs):>9.4f} {right:>6} {wrong:>6} {missing:>5}")
    print(f"\nratio dateparser / ours: {theirs_median / ours_median:.0f}x")
    for name, misses in [("ours", ours_misses), ("dateparser", theirs_misses)]:
        for miss in misses:
            print(f"  {name} misses {miss}")
    within = ours_median <= BUDGET_MS
    print(f"\nbudget {BUDGET_MS} ms per string: {'met' if within else 'EXCEEDED'}")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
