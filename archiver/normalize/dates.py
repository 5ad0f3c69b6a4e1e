"""French dates as printed on news pages -> timezone-aware datetimes.

A regex fast path reads the common absolute, labelled and relative forms in microseconds;
dateparser (French only) is the fallback, and its answer is kept only when it agrees with the
day, month and year written in the string (dateparser has read "sept." as the number seven).
A string whose shape the fast path recognises but whose values are impossible ("32 octobre
2016", "31/02/2016") gives None, never a guess.

Wall-clock times are read in the page's timezone (see ArticleReader.dates_for); an offset a
date states is kept. In the hour that happens twice when the clocks go back (late October in
Europe) the first occurrence, still summer time, is taken; a time inside the hour skipped when
they go forward (late March) is moved on by the gap, so "2h30" that night is 3h30 summer time,
what a clock not yet changed would have meant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

from archiver.normalize.text import clean_text, fold_aligned

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2,
    "mars": 3, "mar": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juill": 7, "juil": 7,
    "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
    # English and German, for the pages of other languages a crawl meets (and machine dates
    # such as "Wed, 04 May 2022 02:41:00 GMT").
    "january": 1, "januar": 1, "janner": 1,
    "february": 2, "februar": 2, "feb": 2,
    "march": 3, "marz": 3, "maerz": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "may": 5,
    "june": 6, "juni": 6, "jun": 6,
    "july": 7, "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9,
    "october": 10, "oktober": 10, "okt": 10,
    "november": 11,
    "december": 12, "dezember": 12, "dez": 12,
    # Spanish, Italian, Portuguese, Dutch, and Polish in the genitive ("3 maja 2022"), in full
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
    "janeiro": 1, "fevereiro": 2, "marco": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7,
    "sierpnia": 8, "wrzesnia": 9, "pazdziernika": 10, "listopada": 11, "grudnia": 12,
    # Russian and Ukrainian, in the genitive a date puts them in ("15 августа 2016")
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7,
    "серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
}  # fmt: skip

# Years outside this range are a misreading on a news page, and keep datetime far from overflow.
MIN_YEAR, MAX_YEAR = 1900, 2199


def _trie(words: list[str]) -> str:
    """A regex alternation of `words` shared by their first letters ("j(?:an(?:vier|...))"),
    longest first: Python's re tries a plain alternation's words one by one, at every place a
    month may start, and the months of seven languages made that a third of a date's reading."""
    heads: dict[str, list[str]] = {}
    for word in words:
        heads.setdefault(word[:1], []).append(word[1:])
    branches = []
    for head, tails in heads.items():
        if tails == [""]:
            branches.append(re.escape(head))
            continue
        rest = _trie([t for t in tails if t])
        optional = "?" if "" in tails else ""
        branches.append(f"{re.escape(head)}(?:{rest}){optional}")
    return "|".join(branches)


_MONTH = _trie(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_SHORT = r"(?:lun|mar|mer|jeu|ven|sam|dim|mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)"
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_WEEKDAY = (
    rf"(?:{'|'.join(_WEEKDAYS)}"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    rf"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|{_WEEKDAY_SHORT})"
)
# A date span that opens with a weekday's abbreviation and no period ("Do, 3. März", "Sun,
# March 3"): a byline may have cut a surname ("Linh Do", "Jane Sun").
WEEKDAY_ABBREVIATION_START = re.compile(rf"({_WEEKDAY_SHORT})(?![\w.])", re.IGNORECASE)
# "14h32", "14 h 32", "14 heures", "9h", "14:32", "14:32:05", "midi", and English pages'
# "5:22 pm", "11:30 p.m.". A bare "14:" is no time.
_CLOCK = (
    r"(?:(?<!\d)(?P<hour>\d{1,2})(?:\s*h(?:eures?)?\s*(?P<minute>\d{2})?"
    r"|\s*:\s*(?P<minute_c>\d{2})(?::(?P<second>\d{2}))?(?!\d)"
    r"(?:\s?(?P<meridiem>[ap])\.?\s?m\.?(?![a-z]))?)(?!\d)|(?P<noon>midi|minuit)\b)"
)
_TIME_AFTER = rf"(?:\s*(?:a|at|um|,|-|–|—|\||/|•|·|@|vers|des)?\s*{_CLOCK})?"

# Padded or not: some CMSs print "2022-5-3T9:57:00", which dateparser took 0.3 ms to read.
_ISO = re.compile(
    r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[t ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"\s*(?P<offset>z|[+-]\d{2}(?::?\d{2}(?::\d{2})?)?)?)?(?!\d)"
)
# ISO 8601's basic form, without separators ("20180619T055000+0900"): the "T" tells it from
# other runs of eight figures.
_ISO_BASIC = re.compile(
    r"(?<!\d)(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})t(?P<hour>\d{2})(?P<minute>\d{2})"
    r"(?:(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?(?P<offset>z|[+-]\d{2}(?::?\d{2})?)?(?!\d)"
)
# "3 octobre 2016", "3. Mai 2022", and the Spanish and Portuguese "3 de mayo de 2022".
_TEXTUAL = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:er|eme|e|st|nd|rd|th)?\.?\s*(?:de\s+)?(?P<month>{_MONTH})"
    rf"(?![a-z])\.?(?:,?\s*(?:del?\s+)?(?P<year>\d{{4}})(?!\d))?{_TIME_AFTER}"
)
# Chinese, Japanese and Korean: "2019年6月24日 11:30", "2019년 6월 24일".
_CJK_DATE = re.compile(
    r"(?<!\d)(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]"
    rf"{_TIME_AFTER}"
)
_NUMERIC = re.compile(
    r"(?<![\d/.])(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    rf"(?!\d|[/.-]\d){_TIME_AFTER}"
)
# "4. 2. 2022": German pages space the figures.
_NUMERIC_SPACED = re.compile(
    rf"(?<![\d/.])(?P<day>\d{{1,2}})\.\s(?P<month>\d{{1,2}})\.\s(?P<year>\d{{4}})(?!\d){_TIME_AFTER}"
)
_NUMERIC_YMD = re.compile(
    r"(?<![\d/.])(?P<year>\d{4})(?P<sep>[/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    rf"(?!\d|[/.-]\d){_TIME_AFTER}"
)
# English order: "May 19, 2020", "December 29th 2019"; and C's ctime: "Mon Oct 11 14:57:21 CEST 2021".
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![a-z\d])(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
    rf"(?P<year>\d{{4}})(?!\d){_TIME_AFTER}"
)
_CTIME = re.compile(
    rf"(?<![a-z\d])(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})\s+{_CLOCK}\s+(?:[a-z]{{3,5}}\s+)?"
    r"(?P<year>\d{4})(?!\d)"
)
_RFC2822 = re.compile(
    r"^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s*"
    r"(?:[+-]\d{4}|gmt|utc|ut|z|[ecmp][sd]t)$"
)
_MONTH_YEAR = re.compile(
    rf"(?<![a-z\d])(?P<month>{_MONTH})(?![a-z])\.?,?\s*(?P<year>\d{{4}})(?!\d)"
)
_AGO = re.compile(
    r"\bil y a\s+(?P<count>\d{1,6}|une?|quelques)\s*"
    r"(?P<unit>secondes?|sec|semaines?|sem|minutes?|mins?|mn|heures?|h|jours?|j|mois|annees?|ans?|s)"
    r"(?![a-z])(?:(?<=h)(?P<extra>\d{2})(?!\d)|\s*(?:et\s+)?(?P<extra_word>\d{1,2})\s*(?:minutes?|mins?|mn)(?![a-z]))?"
)
_DAY_WORD = re.compile(
    rf"(?<![a-z-])(?P<word>avant-hier|avant hier|hier|aujourd'hui|aujourd hui|ce jour)(?![a-z]){_TIME_AFTER}"
)
_INSTANT = re.compile(r"(?<![a-z])a l'?\s?instant(?![a-z])")
# "mardi dernier (à 20h)": the last such weekday before the fetch day.
_LAST_WEEKDAY = re.compile(
    rf"(?<![a-z])(?P<weekday>{'|'.join(_WEEKDAYS)})\s+dernier(?![a-z]){_TIME_AFTER}"
)
# "Publié à 14h32", "Mis à jour à 9h05": a time alone, which a page prints for the day it shows.
_LABELLED_TIME = re.compile(
    r"(?<![a-z])(?:publie|mise?\s+en\s+ligne|mise?\s+a\s+jour|modifie|actualise)e?s?\s+"
    rf"a\s+{_CLOCK}(?!\s*(?:[,|/•·–—-]\s*)?(?:le\s+)?(?:{_WEEKDAY}\.?,?\s+)?\d)"
)
# A time written before the date it belongs to: "à 14h32, le 3 octobre 2016".
_TIME_BEFORE = re.compile(rf"{_CLOCK}\s*(?:,|-|–|—|\||/|•|·)?\s*(?:le\s+)?(?:{_WEEKDAY}\.?,?\s+)?$")
# Words that introduce a date; a byline cuts them off together with the date.
_LABEL_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:derniere\s+)?(?:publie|poste|ecrit|redige|cree|mise?\s+en\s+ligne|"
    r"mise?\s+a\s+jour|maj|modifie|actualise|edite)e?s?\s*:?\s*(?:le\s+)?)?"
    # and on pages in other languages: "veröffentlicht am", "Stand:", "published on"
    r"(?:(?<![a-z])(?:veroffentlicht|stand|published|posted)\s*:?\s*)?"
    rf"(?:(?<![a-z])(?:le|am|vom|on)\s+)?(?:(?<![a-z]){_WEEKDAY}\.?,?\s+)?$"
)
# Words that label a date as a revision's, for both patterns below.
_UPDATE_WORDS = (
    r"(?:mise?\s+a\s+jour|modifie|actualise|\bmaj\b|aktualisiert|geandert|updated|last\s+modified)"
)
# "Publié le X, mis à jour le Y": the update label starts the second date.
_UPDATE_LABEL = re.compile(rf"(?:(?:derniere|last)\s+)?{_UPDATE_WORDS}", re.IGNORECASE)
# An update label just before a date: "Article mis à jour le", "Aktualisiert am", "Updated:".
_UPDATE_BEFORE = re.compile(rf"{_UPDATE_WORDS}e?\s*:?\s*(?:le|am|on)?\s*:?\s*$")
_PUBLISH_LABEL = re.compile(r"\b(?:publie|mise?\s+en\s+ligne|cree|poste)e?\b")

_DAY_OFFSETS = {"avant-hier": 2, "avant hier": 2, "hier": 1, "aujourd'hui": 0, "aujourd hui": 0,
                "ce jour": 0}  # fmt: skip
_CLOCK_UNITS = {"s": 1, "sec": 1, "seconde": 1, "min": 60, "mn": 60, "minute": 60, "h": 3600,
                "heure": 3600}  # fmt: skip
_CALENDAR_UNITS = {"j": 1, "jour": 1, "sem": 7, "semaine": 7}
_MONTH_UNITS = {"mois": 1, "an": 12, "annee": 12}

# For the fallback's cross-check: what the string itself says.
_MONTH_WORD = re.compile(rf"(?<![a-z])(?P<month>{_MONTH})(?![a-z])")
_YEAR_WORD = re.compile(r"(?<!\d)(?:19|20|21)\d{2}(?!\d)")
_DAY_BEFORE_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}})(?:er|eme|e)?\s*(?:{_MONTH})(?![a-z])")


class _NoMatch:
    """Marks a string the fast path does not recognise, as opposed to an impossible date."""


NO_MATCH = _NoMatch()


def _real(value: datetime) -> datetime:
    """The instant a wall-clock reading means, as a wall-clock time that exists (see above)."""
    return value.astimezone(timezone.utc).astimezone(value.tzinfo)


def _clock(match: re.Match[str]) -> time | None:
    """The time of day a match carries, or None when it has none; ValueError when impossible."""
    if match["noon"]:
        return time(12) if match["noon"] == "midi" else time(0)
    if match["hour"] is None:
        return None
    minute = match["minute"] or match["minute_c"] or 0
    hour = int(match["hour"])
    if match["meridiem"] and 1 <= hour <= 12:  # "14:32 am Montag" is German, not a.m.
        hour = hour % 12 + (12 if match["meridiem"] == "p" else 0)
    return time(hour, int(minute), int(match["second"] or 0))


def _local(day: date, clock: time | None, tz: tzinfo) -> datetime | None:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    return _real(datetime.combine(day, clock or time(0), tzinfo=tz))


def _year(raw: str | None, month: int, day: int, now: datetime) -> int | None:
    """Full year from 4 digits, 2 digits, or none (the most recent such day, not in the future)."""
    if raw is None:
        latest = now.date() + timedelta(days=1)
        for year in range(now.year, now.year - 8, -1):  # 29 February waits for a leap year
            try:
                if date(year, month, day) <= latest:
                    return year
            except ValueError:
                continue
        return None
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year <= now.year % 100 + 1 else 1900
    return year


def _day_month_year(
    match: re.Match[str], folded: str, now: datetime, tz: tzinfo
) -> datetime | None:
    """Day, month and year ("3 octobre 2016", "03/10/2016"), with a time after or before."""
    month = MONTHS.get(match["month"]) or int(match["month"])
    day = int(match["day"])
    year = _year(match["year"], month, day, now)
    if year is None:
        return None
    clock = _clock(match)
    if clock is None:
        before = _TIME_BEFORE.search(folded, 0, match.start())
        clock = _clock(before) if before else None
    return _local(date(year, month, day), clock, tz)


def _iso(match: re.Match[str], folded: str, now: datetime, tz: tzinfo) -> datetime | None:
    """ISO 8601 from metadata. An offset it states is kept: "+09:00" is the publisher's own
    clock, and telling the time in another zone would move its day."""
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    offset = match["offset"]
    zone = _offset_zone(offset) if offset else tz
    value = datetime(
        int(match["year"]), int(match["month"]), int(match["day"]),
        int(match["hour"] or 0), int(match["minute"] or 0), int(match["second"] or 0),
        int(fraction), tzinfo=zone,
    )  # fmt: skip
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return value if offset else _real(value)


def _offset_zone(offset: str) -> tzinfo:
    """The zone an ISO 8601 offset names ("z", "+02:00", "-0400"); ValueError past a day."""
    if offset == "z":
        return timezone.utc
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes, seconds = int(digits[:2]), int(digits[2:4] or 0), int(digits[4:] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes, seconds=seconds))


def _month_year(match: re.Match[str], folded: str, now: datetime, tz: tzinfo) -> datetime | None:
    """A month with no day ("févr. 2016") stands for its first day."""
    return _local(date(int(match["year"]), MONTHS[match["month"]], 1), None, tz)


def _months_back(value: datetime, months: int) -> datetime:
    """The same day and time `months` earlier, on the month's last day when it is shorter."""
    index = value.year * 12 + value.month - 1 - months
    year, month = divmod(index, 12)
    for day in range(value.day, 27, -1):
        try:
            return value.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    return value.replace(year=year, month=month + 1, day=min(value.day, 28))


def _ago(match: re.Match[str], folded: str, now: datetime, tz: tzinfo) -> datetime | None:
    """Hours back are an exact span of time ("il y a 2 heures"); days back are calendar days."""
    raw_count = match["count"]
    if raw_count == "quelques":
        return None  # a vague span gives no date rather than a guessed one
    count = int(raw_count) if raw_count.isdigit() else 1
    unit = match["unit"]
    unit = {"mins": "min", "s": "s", "mois": "mois"}.get(unit, unit.rstrip("s"))
    if unit in _CLOCK_UNITS:
        seconds = count * _CLOCK_UNITS[unit]
        if unit in ("h", "heure"):
            seconds += 60 * int(match["extra"] or match["extra_word"] or 0)
        value = now.astimezone(timezone.utc) - timedelta(seconds=seconds)
        return value.astimezone(tz)
    wall = now.replace(tzinfo=None)
    if unit in _CALENDAR_UNITS:
        wall -= timedelta(days=count * _CALENDAR_UNITS[unit])
    else:
        wall = _months_back(wall, count * _MONTH_UNITS[unit])
    if not MIN_YEAR <= wall.year <= MAX_YEAR:
        return None
    return _real(wall.replace(tzinfo=tz))


def _day_word(match: re.Match[str], folded: str, now: datetime, tz: tzinfo) -> datetime | None:
    """A day counted back from the fetch day ("hier à 19h25", "avant-hier")."""
    day = now.date() - timedelta(days=_DAY_OFFSETS[match["word"]])
    return _local(day, _clock(match), tz)


def _instant(match: re.Match[str], folded: str, now: datetime, tz: tzinfo) -> datetime | None:
    return now


def _last_weekday(match: re.Match[str], folded: str, now: datetime, tz: tzinfo) -> datetime | None:
    back = (now.weekday() - _WEEKDAYS.index(match["weekday"])) % 7 or 7
    return _local(now.date() - timedelta(days=back), _clock(match), tz)


def _labelled_time(match: re.Match[str], folded: str, now: datetime, tz: tzinfo) -> datetime | None:
    """The fetch day at that time, or the day before when that time is still to come."""
    clock = _clock(match)
    value = _local(now.date(), clock, tz)
    if value is not None and value > now:
        value = _local(now.date() - timedelta(days=1), clock, tz)
    return value


_Handler = Callable[[re.Match[str], str, datetime, tzinfo], "datetime | None"]
# In order of preference when two start at the same place.
_FORMS: list[tuple[re.Pattern[str], _Handler]] = [
    (_ISO, _iso),
    (_ISO_BASIC, _iso),
    (_TEXTUAL, _day_month_year),
    (_NUMERIC, _day_month_year),
    (_NUMERIC_YMD, _day_month_year),
    (_NUMERIC_SPACED, _day_month_year),
    (_MONTH_DAY_YEAR, _day_month_year),
    (_CTIME, _day_month_year),
    (_CJK_DATE, _day_month_year),
    (_MONTH_YEAR, _month_year),
    (_AGO, _ago),
    (_DAY_WORD, _day_word),
    (_INSTANT, _instant),
    (_LAST_WEEKDAY, _last_weekday),
    (_LABELLED_TIME, _labelled_time),
]


# What each form needs to match at all: a year of four figures, a figure, or one of the words
# of the forms written in words ("il y a une heure", "hier", "à l'instant", "mardi dernier",
# "publié à midi"). A text is searched only for the forms it can hold: most bylines and lines
# of prose hold no figure, and no such word. Searching a line of 50 characters for a form
# costs about 20,000 instructions; looking for a word in it, a few hundred.
_WITH_YEAR = (
    _ISO, _ISO_BASIC, _NUMERIC_YMD, _NUMERIC_SPACED, _MONTH_DAY_YEAR, _CTIME, _CJK_DATE, _MONTH_YEAR
)  # fmt: skip
_WITH_FIGURE = (_TEXTUAL, _NUMERIC)


def _holdable(pattern: re.Pattern[str], figure: bool, worded: bool) -> bool:
    """Whether a form can match a text without a year, with or without a figure, and with or
    without one of _DATE_WORDS."""
    if pattern in _WITH_YEAR:
        return False
    return figure if pattern in _WITH_FIGURE else worded


# The forms a text without a year can hold, by whether it holds a figure and a date word.
_FORMS_WITHOUT_YEAR = {
    (figure, worded): [form for form in _FORMS if _holdable(form[0], figure, worded)]
    for figure in (False, True)
    for worded in (False, True)
}
# A word that each form written in words holds, in every way it is written.
_DATE_WORDS = (
    "il y a",  # _AGO
    "hier", "jour",  # _DAY_WORD: "(avant-)hier", "aujourd'hui", "ce jour"
    "instant",  # _INSTANT
    "dernier",  # _LAST_WEEKDAY
    "publie", "ligne", "modifie", "actualise",  # _LABELLED_TIME, and "jour" of "mis à jour"
)  # fmt: skip
_YEAR_FIGURES = re.compile(r"\d{4}")
_DIGIT = re.compile(r"\d")


def _forms_for(folded: str) -> list[tuple[re.Pattern[str], _Handler]]:
    """The forms a folded text can hold, in the order of _FORMS."""
    if _YEAR_FIGURES.search(folded):
        return _FORMS
    figure = _DIGIT.search(folded) is not None
    return _FORMS_WITHOUT_YEAR[figure, any(word in folded for word in _DATE_WORDS)]


def fetch_time(fetched_at: str | None, tz: tzinfo) -> datetime:
    """When a page was fetched, from its ISO 8601 stamp (read in `tz` when it names no zone);
    now when it has none or cannot be read. Relative dates ("hier") count from it."""
    try:
        value = datetime.fromisoformat(fetched_at or "")
    except ValueError:
        return datetime.now(tz)
    return value if value.tzinfo else value.replace(tzinfo=tz)


def _aware_now(now: datetime | None, tz: tzinfo) -> datetime:
    if now is None:
        return datetime.now(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=tz)
    return _real(now.astimezone(tz))  # a fetch time given inside a skipped hour, made real


def _rfc2822(text: str) -> datetime:
    """An RFC 2822 date as an aware datetime. "-0000" says UTC with the local zone unknown
    (RFC 2822, 3.3), and the standard library gives it no zone at all: it is UTC here, never
    a naive value that the server's own zone would then read. Raises as parsedate_to_datetime."""
    value = parsedate_to_datetime(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


# A Unix time in a date field: seconds (10 figures, 2001 to 2286) or milliseconds (13).
_UNIX_TIME = re.compile(r"\d{10}(?:\d{3})?")


def _unix_time(figures: str, tz: tzinfo) -> datetime | None:
    """The instant a Unix time names, shown in `tz`; None past the years a page can have."""
    seconds = int(figures) / 1000 if len(figures) == 13 else int(figures)
    value = datetime.fromtimestamp(seconds, timezone.utc).astimezone(tz)
    return value if MIN_YEAR <= value.year <= MAX_YEAR else None


def parse_fast(
    text: str, now: datetime, tz: tzinfo, *, now_is_aware: bool = False
) -> datetime | None | _NoMatch:
    """The regex fast path: a datetime, None for an impossible date, or NO_MATCH.

    The date that starts first in the string wins, so "Publié le X, mis à jour le Y" gives X.
    `now_is_aware`: `now` was made aware and real in `tz` already (FrenchDates.parse does it
    once for each date, and three zone conversions a date were worth saving).
    """
    folded = fold_aligned(clean_text(text))
    if not folded:
        return NO_MATCH
    if _RFC2822.match(folded):  # feeds and HTTP headers: the zone it names is the one to use
        try:
            return _rfc2822(clean_text(text))
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    if _UNIX_TIME.fullmatch(folded):
        return _unix_time(folded, tz)
    best: tuple[re.Match[str], _Handler] | None = None
    for pattern, handler in _forms_for(folded):
        match = pattern.search(folded)
        if match and (best is None or match.start() < best[0].start()):
            best = (match, handler)
            if not match.start():
                break  # none can start earlier, and a tie goes to the form listed first
    if best is None:
        return NO_MATCH
    try:
        return best[1](best[0], folded, now if now_is_aware else _aware_now(now, tz), tz)
    except (ValueError, OverflowError):  # day 31 of February, hour 25, year 10000
        return None


def find_date_spans(text: str) -> list[tuple[int, int]]:
    """Where dates sit in a string, with the words that introduce them ("Publié le", "lundi").

    Offsets index `text` itself, so a byline can cut its dates out and keep the names.
    """
    if not isinstance(text, str):
        return []
    folded = fold_aligned(text)
    spans: list[tuple[int, int]] = []
    for pattern, _ in _forms_for(folded):
        for match in pattern.finditer(folded):
            start = match.start()
            before = _TIME_BEFORE.search(folded, 0, start)
            if before and pattern in (_TEXTUAL, _NUMERIC, _NUMERIC_YMD):
                start = before.start()
            label = _LABEL_BEFORE.search(folded, 0, start)
            if label:
                start = label.start()
            spans.append((start, match.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_TWO_DIGITS = re.compile(r"\d\d")
# Forms that give a whole date on their own: day, month and year, in figures or words.
_FULL_DATE_FORMS = (
    _ISO, _ISO_BASIC, _TEXTUAL, _NUMERIC, _NUMERIC_YMD, _NUMERIC_SPACED, _MONTH_DAY_YEAR,
    _CJK_DATE,
)  # fmt: skip


def _names_year(match: re.Match[str]) -> bool:
    year = match["year"] or ""
    return len(year) == 4 or (len(year) == 2 and len(match["day"]) == len(match["month"]) == 2)


def find_full_date(text: str | None) -> str | None:
    """The first date in running text that names its year ("Lübeck, 31. März 2003", "Benni
    10. September 2017", "Jan 18, 2019"), with the time that follows it; None when there is none.

    For text read as a last resort, where a day and month alone ("17/11") are more often an
    agenda entry than the article's date, and "2.4.10" a version number: a two-digit year
    counts only after a day and month of two digits each ("10.12.19").
    """
    if not isinstance(text, str) or not _TWO_DIGITS.search(text):
        return None  # every full date has a two-digit run (a year, or "10.12.19"); most text none
    folded = fold_aligned(text)
    best: re.Match[str] | None = None
    for pattern in _FULL_DATE_FORMS:
        for match in pattern.finditer(folded):
            if _names_year(match):
                if best is None or match.start() < best.start():
                    best = match
                break
    return text[best.start() : best.end()].strip(" ,") if best else None


def stated_instant(text: str | None) -> datetime | None:
    """A machine date that names its zone ("2022-05-04T00:44:52Z", "...-04:00", "Sat, 19 Oct
    2019 00:04:00 +0200") as an aware datetime in that zone; None for anything else."""
    if not isinstance(text, str):
        return None
    cleaned = clean_text(text)
    folded = fold_aligned(cleaned)
    try:
        if _RFC2822.match(folded):
            return _rfc2822(cleaned)
        match = _ISO.match(folded.strip()) or _ISO_BASIC.match(folded.strip())
        if not match or not match["offset"]:
            return None
        # shown in the zone its own offset names, which is what _iso gives for that zone
        zone = _offset_zone(match["offset"])
        return _iso(match, folded, datetime.now(timezone.utc), zone)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def reader_day_differs(utc: datetime, printed: str) -> bool:
    """True when a page prints, for a time given in UTC, the day before or after it as a reader
    in the page's own zone saw it: "February 24, 2020" for 2020-02-25T02:25Z in New York,
    "19. Oktober 2019 00:04" for 2019-10-18T22:04Z in Vienna. A printed time must then sit a
    whole quarter of an hour away, at most 14 hours; without one, the UTC time of day must allow
    such a zone."""
    found = find_full_date(printed)
    if not found:
        return False
    wall = parse_fast(found, utc, timezone.utc)
    if not isinstance(wall, datetime):
        return False
    if utc.tzinfo is None:
        utc = utc.replace(tzinfo=timezone.utc)  # as named: never read in the server's zone
    at_utc = utc.astimezone(timezone.utc).replace(tzinfo=None)
    wall = wall.replace(tzinfo=None)
    days = (wall.date() - at_utc.date()).days
    if days not in (-1, 1):
        return False
    if wall.time() != time(0):
        offset = wall - at_utc.replace(second=0, microsecond=0)
        minutes = offset.total_seconds() / 60
        return abs(minutes) <= 14 * 60 and minutes % 15 == 0
    hour = at_utc.hour + at_utc.minute / 60
    return hour < 12 if days == -1 else hour >= 10


def split_published_updated(text: str) -> tuple[str | None, str | None]:
    """Split "Publié le X, mis à jour le Y" (or "Mis à jour le Y | Publié le X") in two."""
    cleaned = clean_text(text)
    folded = fold_aligned(cleaned)
    update = _UPDATE_LABEL.search(folded)
    if not update:
        return (cleaned or None), None
    if update.start() == 0 or not cleaned[: update.start()].strip(" ,;|-–—([/"):
        published = _PUBLISH_LABEL.search(folded, update.end())
        if not published:
            return None, _trim(cleaned)
        return _trim(cleaned[published.start() :]), _trim(cleaned[: published.start()])
    return _trim(cleaned[: update.start()]), _trim(cleaned[update.start() :])


def _trim(text: str) -> str | None:
    """Drop the separators and the unmatched bracket left where a string was cut in two."""
    text = text.strip(" ,;|-–—/([")
    if text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1]
    if text.startswith(")"):
        text = text[1:]
    return text.strip(" ,;|-–—/([") or None


def has_update_label(text: str | None) -> bool:
    """True for "Mis à jour le ...", "Modifié le ...", "Aktualisiert am ...", "Updated ...": a
    date of revision, not of publication."""
    folded = fold_aligned(clean_text(text)).lstrip(" ([")
    return bool(_UPDATE_LABEL.match(folded))


def updated_before(text: str | None) -> bool:
    """True when `text` ends with an update label ("Article mis à jour le", "Aktualisiert
    am"): the date that follows it is a revision's."""
    if not isinstance(text, str):
        return False
    return bool(_UPDATE_BEFORE.search(fold_aligned(clean_text(text))[-60:]))


def to_iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _agrees_with_text(value: datetime, folded: str) -> bool:
    """False when a date contradicts the day, month or year written in its own string."""
    months = {MONTHS[m] for m in _MONTH_WORD.findall(folded)}
    if months and value.month not in months:
        return False
    years = {int(y) for y in _YEAR_WORD.findall(folded)}
    if years and value.year not in years:
        return False
    days = {int(d) for d in _DAY_BEFORE_MONTH.findall(folded)}
    return not days or value.day in days


@dataclass
class FrenchDates:
    """Date reader for one timezone; holds the dateparser fallback between calls."""

    timezone: str = "Europe/Paris"
    use_fallback: bool = True
    # A time stated in UTC is told in `timezone`: the zone is the page's own. Not when it is
    # one guess among a country's several zones, or nobody's: the day might then move.
    utc_in_zone: bool = True
    _tz: ZoneInfo = field(init=False, repr=False)
    _fallback: tuple[datetime, Any] | None = field(init=False, default=None, repr=False)
    # The last fetch time given, made aware and real: a page's dates all come with the same.
    _now: tuple[datetime, datetime] | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self._tz = ZoneInfo(self.timezone)

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    def _aware(self, now: datetime | None) -> datetime:
        """_aware_now, kept for the last `now` given (three zone conversions a date)."""
        if now is None:
            return _aware_now(None, self._tz)
        if self._now is None or self._now[0] is not now:
            self._now = (now, _aware_now(now, self._tz))
        return self._now[1]

    def parse(self, text: str | None, now: datetime | None = None) -> datetime | None:
        """Read one French date; relative forms are resolved against `now` (the fetch time)."""
        if not text or not isinstance(text, str):
            return None
        try:
            now = self._aware(now)
        except (ValueError, OverflowError):
            return None
        value = parse_fast(text, now, self._tz, now_is_aware=True)
        if isinstance(value, datetime) and self.utc_in_zone and value.tzinfo is timezone.utc:
            return value.astimezone(self._tz)
        if not isinstance(value, _NoMatch):
            return value
        if not self.use_fallback:
            return None
        return self._parse_with_dateparser(text, now)

    def _parser_for(self, now: datetime) -> Any:
        """A DateDataParser whose relative base is `now`; built again only when `now` changes."""
        if self._fallback is None or self._fallback[0] != now:
            from dateparser.date import DateDataParser

            parser = DateDataParser(
                languages=["fr"],
                settings={
                    "TIMEZONE": self.timezone,
                    "RETURN_AS_TIMEZONE_AWARE": True,
                    "PREFER_DAY_OF_MONTH": "first",
                    "PREFER_DATES_FROM": "past",
                    "RELATIVE_BASE": now.replace(tzinfo=None),
                },
            )
            self._fallback = (now, parser)
        return self._fallback[1]

    def _parse_with_dateparser(self, text: str, now: datetime) -> datetime | None:
        cleaned = clean_text(text)[:200]
        try:
            data = self._parser_for(now).get_date_data(cleaned)
            value = data.date_obj if data else None
            period = data.period if data else None
            if value is None or period not in ("day", "time"):
                return None  # a week, month or year alone has no day to give
            value = value.replace(tzinfo=self._tz) if value.tzinfo is None else value
            value = value.astimezone(self._tz)
        except Exception:  # dateparser raises assorted errors on odd input
            return None
        if value.year < 1990 or value > now + timedelta(days=2):
            return None  # dateparser guesses wildly on noise; a far-off result is not a date
        if not _agrees_with_text(value, fold_aligned(cleaned)):
            return None  # e.g. "sept." read as the number seven, giving July
        return value
