"""French dates as printed on news pages -> timezone-aware datetimes.

A regex fast path reads the common absolute, labelled and relative forms in microseconds;
dateparser (French only) is the fallback for anything else. A string whose shape the fast path
recognises but whose values are impossible ("32 octobre 2016") gives None, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from archiver.normalize.text import clean_text, fold

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2,
    "mars": 3, "mar": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7,
    "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}  # fmt: skip

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
# "14h32", "14 h 32", "14:32", "9h", "à 9h05"; the hour must not be glued to a longer number.
_TIME = r"(?:\s*(?:a|,|-|vers)?\s*(?<!\d)(?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?(?!\d))?"

_ISO = re.compile(
    r"(?P<iso>\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:z|[+-]\d{2}:?\d{2})?)"
)
_TEXTUAL = re.compile(
    rf"(?:{_WEEKDAY}\s+)?(?<!\d)(?P<day>\d{{1,2}})(?:er|e)?\s+(?P<month>{_MONTH})\b\.?"
    rf"(?:\s+(?P<year>\d{{4}}))?{_TIME}"
)
_NUMERIC = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})[/.-](?P<month>\d{{1,2}})[/.-](?P<year>\d{{4}}|\d{{2}})(?!\d){_TIME}"
)
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH})\b\.?\s+(?P<year>\d{{4}})(?!\d)")
_RELATIVE_AGO = re.compile(
    r"il y a\s+(?P<count>\d+|une?|quelques)\s+"
    r"(?P<unit>seconde|sec|minute|min|heure|h|jour|semaine|mois|an)s?\b"
)
_RELATIVE_DAY = re.compile(rf"(?P<day>avant-hier|avant hier|hier|aujourd'hui|ce jour){_TIME}")

_UNITS: dict[str, timedelta] = {
    "seconde": timedelta(seconds=1), "sec": timedelta(seconds=1),
    "minute": timedelta(minutes=1), "min": timedelta(minutes=1),
    "heure": timedelta(hours=1), "h": timedelta(hours=1),
    "jour": timedelta(days=1), "semaine": timedelta(weeks=1),
    "mois": timedelta(days=30), "an": timedelta(days=365),
}  # fmt: skip
_DAY_OFFSETS = {"avant-hier": 2, "avant hier": 2, "hier": 1, "aujourd'hui": 0, "ce jour": 0}

# "Publié le X, mis à jour le Y": the update label starts the second date.
_UPDATE_LABEL = re.compile(
    r"(?:mis|mise)\s+a\s+jour|modifie|actualise|\bmaj\b|derniere mise a jour", re.IGNORECASE
)


class _NoMatch:
    """Marks a string the fast path does not recognise, as opposed to an impossible date."""


NO_MATCH = _NoMatch()


def _local(day: date, hour: str | None, minute: str | None, tz: tzinfo) -> datetime | None:
    try:
        clock = time(int(hour), int(minute or 0)) if hour is not None else time(0, 0)
        return datetime.combine(day, clock, tzinfo=tz)
    except ValueError:
        return None


def _year(raw: str | None, month: int, day: int, now: datetime) -> int:
    """Full year from 4 digits, 2 digits, or none (the most recent such day, not in the future)."""
    if raw is None:
        year = now.year
        try:
            if date(year, month, day) > now.date() + timedelta(days=1):
                year -= 1
        except ValueError:
            pass
        return year
    year = int(raw)
    if year < 100:
        year += 2000 if year <= now.year % 100 + 1 else 1900
    return year


def _day_month_year(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """A "3 octobre 2016" or "03/10/2016" match, with its optional time; None if impossible."""
    month = MONTHS.get(match["month"]) or int(match["month"])
    day = int(match["day"])
    try:
        found = date(_year(match["year"], month, day, now), month, day)
    except ValueError:
        return None
    return _local(found, match["hour"], match["minute"], tz)


def parse_fast(text: str, now: datetime, tz: tzinfo) -> datetime | None | _NoMatch:
    """The regex fast path: a datetime, None for an impossible date, or NO_MATCH."""
    folded = fold(clean_text(text))
    if not folded:
        return NO_MATCH
    match = _ISO.search(folded)
    if match:
        try:
            value = datetime.fromisoformat(match["iso"].upper().replace(" ", "T"))
        except ValueError:
            return None
        return value if value.tzinfo else value.replace(tzinfo=tz)
    for pattern in (_TEXTUAL, _NUMERIC):
        match = pattern.search(folded)
        if match:
            return _day_month_year(match, now, tz)
    match = _MONTH_YEAR.search(folded)
    if match:  # a month with no day ("févr. 2016") stands for its first day
        return _local(date(int(match["year"]), MONTHS[match["month"]], 1), None, None, tz)
    match = _RELATIVE_AGO.search(folded)
    if match:
        raw_count = match["count"]
        count = int(raw_count) if raw_count.isdigit() else (3 if raw_count == "quelques" else 1)
        return (now - count * _UNITS[match["unit"]]).astimezone(tz)
    match = _RELATIVE_DAY.search(folded)
    if match:
        found = now.astimezone(tz).date() - timedelta(days=_DAY_OFFSETS[match["day"]])
        if match["hour"] is None:
            return _local(found, None, None, tz)
        return _local(found, match["hour"], match["minute"], tz)
    return NO_MATCH


def split_published_updated(text: str) -> tuple[str | None, str | None]:
    """Split "Publié le X, mis à jour le Y" into its two date strings."""
    cleaned = clean_text(text)
    folded = fold(cleaned)
    match = _UPDATE_LABEL.search(folded)
    if not match:
        return (cleaned or None), None
    # fold() keeps one character per character for French text, so offsets carry over.
    if len(folded) != len(cleaned):
        return (cleaned or None), None
    published = cleaned[: match.start()].strip(" ,;|-–—") or None
    return published, cleaned[match.start() :].strip() or None


def to_iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class FrenchDates:
    """Date reader for one timezone; holds the reused dateparser fallback."""

    timezone: str = "Europe/Paris"
    use_fallback: bool = True
    _tz: ZoneInfo = field(init=False, repr=False)
    _fallback: Any = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self._tz = ZoneInfo(self.timezone)

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    def parse(self, text: str | None, now: datetime | None = None) -> datetime | None:
        """Read one French date; relative forms are resolved against `now` (the fetch time)."""
        if not text:
            return None
        now = now or datetime.now(self._tz)
        value = parse_fast(text, now, self._tz)
        if not isinstance(value, _NoMatch):
            return value
        if not self.use_fallback:
            return None
        return self._parse_with_dateparser(text, now)

    def _parse_with_dateparser(self, text: str, now: datetime) -> datetime | None:
        try:
            if self._fallback is None:
                from dateparser.date import DateDataParser

                self._fallback = DateDataParser(
                    languages=["fr"],
                    settings={
                        "TIMEZONE": self.timezone,
                        "RETURN_AS_TIMEZONE_AWARE": True,
                        "PREFER_DAY_OF_MONTH": "first",
                        "PREFER_DATES_FROM": "past",
                    },
                )
            data = self._fallback.get_date_data(clean_text(text)[:200])
            value = data.date_obj if data else None
        except Exception:  # dateparser raises assorted errors on odd input
            return None
        if value is None or value.year < 1990 or value > now + timedelta(days=2):
            return None  # dateparser guesses wildly on noise; a far-off result is not a date
        return value.astimezone(self._tz)


def has_update_label(text: str) -> bool:
    """True for "Mis à jour le ...", "Modifié le ...": a date of revision, not of publication."""
    return bool(_UPDATE_LABEL.match(fold(clean_text(text))))
