import time
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import archiver.normalize.dates as dates_module
from archiver.normalize.dates import (
    NO_MATCH,
    FrenchDates,
    find_date_spans,
    find_full_date,
    has_update_label,
    parse_fast,
    reader_day_differs,
    split_published_updated,
    stated_instant,
    updated_before,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2016, 10, 5, 12, 0, tzinfo=PARIS)  # the page's fetch time


@pytest.fixture(scope="module")
def dates() -> FrenchDates:
    return FrenchDates("Europe/Paris")


# printed date -> ISO 8601, read on a page fetched on Wednesday 5 October 2016 at noon.
ABSOLUTE: list[tuple[str, str]] = [
    ("3 octobre 2016", "2016-10-03T00:00:00+02:00"),
    # ISO 8601 without its zeros, and Unix times (seconds, milliseconds) from a date field
    ("2016-10-3T9:05:00", "2016-10-03T09:05:00+02:00"),
    ("2016-5-3T23:57:00+02:00", "2016-05-03T23:57:00+02:00"),
    ("2016-5-3", "2016-05-03T00:00:00+02:00"),
    ("1475485200", "2016-10-03T11:00:00+02:00"),
    ("1475485200000", "2016-10-03T11:00:00+02:00"),
    ("1er août 2016", "2016-08-01T00:00:00+02:00"),
    ("1ᵉʳ août 2016", "2016-08-01T00:00:00+02:00"),
    ("lundi 3 octobre 2016", "2016-10-03T00:00:00+02:00"),
    ("Lundi, 3 octobre 2016", "2016-10-03T00:00:00+02:00"),
    ("03/10/2016", "2016-10-03T00:00:00+02:00"),
    ("3/10/2016", "2016-10-03T00:00:00+02:00"),
    ("03.10.16", "2016-10-03T00:00:00+02:00"),
    ("03-10-2016", "2016-10-03T00:00:00+02:00"),
    ("3 oct. 2016", "2016-10-03T00:00:00+02:00"),
    ("4 sept. 2016", "2016-09-04T00:00:00+02:00"),
    ("1 sept. 2016", "2016-09-01T00:00:00+02:00"),
    ("12 févr. 2016", "2016-02-12T00:00:00+01:00"),
    ("24 déc 2015", "2015-12-24T00:00:00+01:00"),
    ("24 déc. 2015 à 9h", "2015-12-24T09:00:00+01:00"),
    ("3 juil. 2016", "2016-07-03T00:00:00+02:00"),
    ("3 juill. 2016", "2016-07-03T00:00:00+02:00"),
    ("15 janv. 2016", "2016-01-15T00:00:00+01:00"),
    ("7 avr. 2016", "2016-04-07T00:00:00+02:00"),
    ("22 nov 2015", "2015-11-22T00:00:00+01:00"),
    ("févr. 2016", "2016-02-01T00:00:00+01:00"),
    ("3 octobre 2016 à 14h32", "2016-10-03T14:32:00+02:00"),
    ("3 octobre 2016 à 14 h 32", "2016-10-03T14:32:00+02:00"),
    ("3 octobre 2016 à 14:32", "2016-10-03T14:32:00+02:00"),
    ("3 octobre 2016, 14:32", "2016-10-03T14:32:00+02:00"),
    ("3 octobre 2016 - 14h32", "2016-10-03T14:32:00+02:00"),
    ("3 octobre 2016 | 14h32", "2016-10-03T14:32:00+02:00"),
    ("(3 octobre 2016 @14h32)", "2016-10-03T14:32:00+02:00"),
    ("03/10/2016 14:32", "2016-10-03T14:32:00+02:00"),
    ("03/10/2016 à 9h", "2016-10-03T09:00:00+02:00"),
    ("Le 03/10/2016 à 09h05", "2016-10-03T09:05:00+02:00"),
    ("3 octobre 2016 à 14 heures", "2016-10-03T14:00:00+02:00"),
    ("3 octobre 2016 à midi", "2016-10-03T12:00:00+02:00"),
    ("14h32, le 3 octobre 2016", "2016-10-03T14:32:00+02:00"),
    ("À 9h, le lundi 3 octobre 2016", "2016-10-03T09:00:00+02:00"),
    ("Publié le 04/09/2011 à 11h37", "2011-09-04T11:37:00+02:00"),
    ("Publié le 3 octobre 2016 à 14h32", "2016-10-03T14:32:00+02:00"),
    ("Publié le lundi 3 octobre 2016 à 14h32", "2016-10-03T14:32:00+02:00"),
    ("Publié le 12 mars 2017 à 9h05", "2017-03-12T09:05:00+01:00"),
    ("Mis à jour le 4 oct. 2016 à 09:15", "2016-10-04T09:15:00+02:00"),
    ("Modifié le 04/10/2016 à 18h00", "2016-10-04T18:00:00+02:00"),
    ("Mis en ligne le 3 octobre 2016 à 7h50", "2016-10-03T07:50:00+02:00"),
    ("Dernière mise à jour : 04/10/2016 09:15:27", "2016-10-04T09:15:27+02:00"),
    ("Publié le 3 octobre 2016 à 14h32 (heure de Paris)", "2016-10-03T14:32:00+02:00"),
    ("Publié le 03/10/2016 à 14h32, mis à jour le 04/10/2016 à 09h15", "2016-10-03T14:32:00+02:00"),
    ("Christophe Foltzer | 3 octobre 2016", "2016-10-03T00:00:00+02:00"),
    ("2016-10-03T14:32:00+02:00", "2016-10-03T14:32:00+02:00"),
    ("2016-10-03T12:32:00Z", "2016-10-03T14:32:00+02:00"),
    ("2016-10-03T12:32:00.000+0000", "2016-10-03T14:32:00+02:00"),
    ("2016-10-03", "2016-10-03T00:00:00+02:00"),
    ("2016/10/03", "2016-10-03T00:00:00+02:00"),
    ("2016.10.03 14:32", "2016-10-03T14:32:00+02:00"),
    # no year: the most recent such day, never one in the future
    ("1er août", "2016-08-01T00:00:00+02:00"),
    ("24 décembre", "2015-12-24T00:00:00+01:00"),
    ("29 février", "2016-02-29T00:00:00+01:00"),
]  # fmt: skip

RELATIVE: list[tuple[str, str]] = [
    ("il y a 2 heures", "2016-10-05T10:00:00+02:00"),
    ("il y a 2h", "2016-10-05T10:00:00+02:00"),
    ("il y a 1h30", "2016-10-05T10:30:00+02:00"),
    ("il y a une heure", "2016-10-05T11:00:00+02:00"),
    ("il y a 45 minutes", "2016-10-05T11:15:00+02:00"),
    ("il y a 5 min", "2016-10-05T11:55:00+02:00"),
    ("il y a 30 secondes", "2016-10-05T11:59:30+02:00"),
    ("il y a 3 jours", "2016-10-02T12:00:00+02:00"),
    ("il y a 2 semaines", "2016-09-21T12:00:00+02:00"),
    ("il y a 1 mois", "2016-09-05T12:00:00+02:00"),
    ("il y a un an", "2015-10-05T12:00:00+02:00"),
    ("Publié il y a 2 heures", "2016-10-05T10:00:00+02:00"),
    ("hier à 19h25", "2016-10-04T19:25:00+02:00"),
    ("Hier, 19:25", "2016-10-04T19:25:00+02:00"),
    ("hier", "2016-10-04T00:00:00+02:00"),
    ("aujourd'hui à 8h", "2016-10-05T08:00:00+02:00"),
    ("Aujourd’hui à 08:15", "2016-10-05T08:15:00+02:00"),
    ("avant-hier", "2016-10-03T00:00:00+02:00"),
    ("avant-hier à 23h10", "2016-10-03T23:10:00+02:00"),
    ("à l'instant", "2016-10-05T12:00:00+02:00"),
    # a time alone with a publication label: that day, or the day before if still to come
    ("Publié à 9h05", "2016-10-05T09:05:00+02:00"),
    ("Mis à jour à 14h32", "2016-10-04T14:32:00+02:00"),
    ("Publié à 14h32, le 03/10/2016", "2016-10-03T14:32:00+02:00"),
    ("mardi dernier", "2016-10-04T00:00:00+02:00"),
    ("mercredi dernier à 20h", "2016-09-28T20:00:00+02:00"),
]

# Recognised but impossible, vague or not a date at all: None, never a guess.
NOT_A_DATE: list[str] = [
    "32 octobre 2016", "31/02/2016", "29/02/2015", "31 novembre 2016", "3 octobre 2016 à 25h10",
    "3 octobre 2016 à 14h75", "00/10/2016", "03/13/2016", "3 octobre 1850",
    "il y a quelques jours", "octobre", "la semaine dernière", "", "   ", "n'importe quoi",
    "\x00\x01", "Par Jean Dupont", "Luke Cage", "12 commentaires", "Le film est projeté à 20h30",
    "2016-13-3", "2016-2-30T10:00:00", "9999999999",
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ABSOLUTE + RELATIVE)
def test_date_table(dates: FrenchDates, text: str, expected: str) -> None:
    value = dates.parse(text, NOW)
    assert value is not None and value.isoformat() == expected


@pytest.mark.parametrize("text", NOT_A_DATE)
def test_not_a_date_gives_none(dates: FrenchDates, text: str) -> None:
    assert dates.parse(text, NOW) is None


@pytest.mark.parametrize(("text", "_"), ABSOLUTE + RELATIVE)
def test_the_table_is_read_without_dateparser(text: str, _: str) -> None:
    assert FrenchDates(use_fallback=False).parse(text, NOW) is not None


def test_impossible_date_is_no_match_for_the_fallback() -> None:
    assert parse_fast("31/02/2016", NOW, PARIS) is None
    assert parse_fast("Luke Cage", NOW, PARIS) is NO_MATCH


def test_daylight_saving_time_on_both_sides_of_the_change(dates: FrenchDates) -> None:
    for text, offset in [("26 mars 2016 à 12h00", 1), ("28 mars 2016 à 12h00", 2),
                         ("29 octobre 2016 à 12h00", 2), ("31 octobre 2016 à 12h00", 1),
                         ("30 octobre 2016 à 1h59", 2), ("30 octobre 2016 à 3h00", 1)]:  # fmt: skip
        value = dates.parse(text, NOW)
        assert value is not None and value.utcoffset() == timedelta(hours=offset), text


def test_ambiguous_october_hour_is_the_first_one(dates: FrenchDates) -> None:
    """2h30 happens twice on 30 October 2016; the first time, still summer time, is taken."""
    value = dates.parse("30 octobre 2016 à 2h30", NOW)
    assert value is not None and value.isoformat() == "2016-10-30T02:30:00+02:00"
    second = dates.parse("2016-10-30T02:30:00+01:00", NOW)  # an explicit offset is honoured
    assert second is not None and second.isoformat() == "2016-10-30T02:30:00+01:00"
    assert second.timestamp() - value.timestamp() == 3600  # one real hour apart


def test_missing_march_hour_moves_forward(dates: FrenchDates) -> None:
    """2h30 never happened on 27 March 2016: the clocks went from 2h to 3h."""
    value = dates.parse("27 mars 2016 à 2h30", NOW)
    assert value is not None and value.isoformat() == "2016-03-27T03:30:00+02:00"
    assert dates.parse("hier à 2h30", datetime(2016, 3, 28, 9, tzinfo=PARIS)) == value


def test_relative_hours_are_exact_across_the_change(dates: FrenchDates) -> None:
    fetched = datetime(2016, 3, 27, 4, 0, tzinfo=PARIS)  # two real hours after 1h00 winter time
    two_hours = dates.parse("il y a 2 heures", fetched)
    assert two_hours is not None and two_hours.isoformat() == "2016-03-27T01:00:00+01:00"
    one_day = dates.parse("il y a 1 jour", fetched)  # a calendar day: same time on the clock
    assert one_day is not None and one_day.isoformat() == "2016-03-26T04:00:00+01:00"


def test_naive_fetch_time_is_read_in_the_configured_zone(dates: FrenchDates) -> None:
    value = dates.parse("il y a 2 heures", datetime(2016, 10, 5, 12, 0))
    assert value is not None and value.isoformat() == "2016-10-05T10:00:00+02:00"


def test_configurable_timezone() -> None:
    value = FrenchDates("America/Montreal").parse("3 octobre 2016 à 14h32", NOW)
    assert value is not None and value.isoformat() == "2016-10-03T14:32:00-04:00"


def test_fallback_resolves_against_the_fetch_time(dates: FrenchDates) -> None:
    """Forms only dateparser reads are relative to the page's fetch time, not to today."""
    earlier = dates.parse("10:00", NOW)
    assert earlier is not None and earlier.isoformat() == "2016-10-05T10:00:00+02:00"
    later = dates.parse("15h10", NOW)  # 15h10 has not come yet on the fetch day
    assert later is not None and later.isoformat() == "2016-10-04T15:10:00+02:00"
    english_order = dates.parse("Sept. 1, 2016", NOW)
    assert english_order is not None and english_order.date().isoformat() == "2016-09-01"


class _Answer:
    def __init__(self, value: datetime | None, period: str = "day") -> None:
        self.date_obj, self.period = value, period


class _WrongParser:
    """Stands in for dateparser when it reads "sept." as the number seven (issue #1285)."""

    def get_date_data(self, text: str) -> _Answer:
        return _Answer(datetime(2016, 7, 1, tzinfo=PARIS))


def test_fallback_answer_that_contradicts_the_string_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dates = FrenchDates()
    monkeypatch.setattr(dates, "_parser_for", lambda now: _WrongParser())
    assert (
        dates.parse("le premier sept. de l’an 2016", NOW) is None
    )  # says September, July came back
    assert dates.parse("le 1, 2015", NOW) is None  # says 2015, 2016 came back
    assert dates.parse("1 sept. 2016", NOW).month == 9  # type: ignore[union-attr]  # fast path


def test_fallback_errors_give_none(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def get_date_data(self, text: str) -> Any:
            raise RuntimeError("boom")

    dates = FrenchDates()
    monkeypatch.setattr(dates, "_parser_for", lambda now: Broken())
    assert dates.parse("mardi prochain", NOW) is None


@pytest.mark.parametrize(
    ("text", "published", "updated"),
    [
        ("Publié le 03/10/2016 à 14h32, mis à jour le 04/10/2016 à 09h15",
         "Publié le 03/10/2016 à 14h32", "mis à jour le 04/10/2016 à 09h15"),
        ("Publié le 03/10/2016 (mis à jour le 04/10/2016)",
         "Publié le 03/10/2016", "mis à jour le 04/10/2016"),
        ("Publié le 3 octobre 2016 | Modifié le 4 octobre 2016",
         "Publié le 3 octobre 2016", "Modifié le 4 octobre 2016"),
        ("Mis à jour le 04/10/2016 | Publié le 03/10/2016",
         "Publié le 03/10/2016", "Mis à jour le 04/10/2016"),
        ("Mis à jour le 04/10/2016", None, "Mis à jour le 04/10/2016"),
        ("Publié le 03/10/2016", "Publié le 03/10/2016", None),
        ("", None, None),
    ],
)  # fmt: skip
def test_published_and_updated_from_one_string(
    text: str, published: str | None, updated: str | None
) -> None:
    assert split_published_updated(text) == (published, updated)


def test_update_labels() -> None:
    assert has_update_label("Modifié le 05/10/2016 à 18h00")
    assert has_update_label("(Mis à jour le 05/10/2016)")
    assert has_update_label("Dernière mise à jour : 05/10/2016")
    assert has_update_label("MAJ le 05/10/2016")
    assert has_update_label("Aktualisiert am 4. März 2022")
    assert has_update_label("Updated: March 4, 2022")
    assert has_update_label("Last modified: 4 May 2022")
    assert not has_update_label("Publié le 05/10/2016")
    assert not has_update_label("Veröffentlicht am 3. März 2022")
    assert not has_update_label(None)
    # one vocabulary: what labels a date as an update after a text labels it at its start too
    for label in ("Mis à jour le ", "Aktualisiert am ", "Updated: ", "Last modified: "):
        assert updated_before(label) and has_update_label(label + "4 May 2022")
    assert split_published_updated("Published May 3, 2022, updated May 4, 2022") == (
        "Published May 3, 2022",
        "updated May 4, 2022",
    )
    assert split_published_updated("Last updated May 4, 2022") == (None, "Last updated May 4, 2022")


def test_date_spans_keep_their_labels() -> None:
    text = "Par Marc Petit | Publié le lundi 3 octobre 2016 à 14h32 | Mis à jour hier à 9h"
    assert [text[a:b] for a, b in find_date_spans(text)] == [
        "Publié le lundi 3 octobre 2016 à 14h32",
        "Mis à jour hier à 9h",
    ]
    assert find_date_spans("Par Marc Petit") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wed, 04 May 2022 02:41:00 GMT", "2022-05-04T04:41:00+02:00"),
        ("Mon Oct 11 14:57:21 CEST 2021", "2021-10-11T14:57:21+02:00"),
        ("Erstellt am Dienstag 6. Mai 2014", "2014-05-06T00:00:00+02:00"),
        ("5. November 2021, 10:39 Uhr", "2021-11-05T10:39:00+01:00"),
        ("26 Okt 2018", "2018-10-26T00:00:00+02:00"),
        ("May 19, 2020", "2020-05-19T00:00:00+02:00"),
        ("Published on December 29th 2019", "2019-12-29T00:00:00+01:00"),
    ],
)
def test_english_and_german_dates_met_on_the_way(
    dates: FrenchDates, text: str, expected: str
) -> None:
    value = dates.parse(text, NOW)
    assert value is not None and value.isoformat() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lübeck, 31. März 2003", "31. März 2003"),
        ("Benni 10. September 2017", "10. September 2017"),
        ("Posted Jan 18, 2019 by admin", "Jan 18, 2019"),
        ("am 25.08.2015 22:30 (1599 x gelesen)", "25.08.2015 22:30"),
        ("mardi 10.12.19", "10.12.19"),
        ("Communiqué du 20.01.2022 à 9h30", "20.01.2022 à 9h30"),
        ("[Rencontre - 17/11] Présentation", None),  # no year: an agenda, not a date
        ("version 2.4.10", None),  # a two-digit year wants a two-digit day and month
        (None, None),
    ],
)
def test_find_full_date(text: str | None, expected: str | None) -> None:
    assert find_full_date(text) == expected


def test_german_spaced_figures() -> None:
    assert FrenchDates().parse("Von Redaktion 4. 2. 2022.").date() == date(2022, 2, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/05/2022 05:22 pm", "2022-05-10T17:22:00+02:00"),
        ("November 8, 2023 at 11:30 p.m.", "2023-11-08T23:30:00+01:00"),
        ("3 May, 2022, 12:05 am", "2022-05-03T00:05:00+02:00"),
        ("May 3, 2022 12:15 PM", "2022-05-03T12:15:00+02:00"),
        ("3. Mai 2022 um 14:32 am Montag", "2022-05-03T14:32:00+02:00"),  # German "am"
        ("3 May 2022, 10:30 amazing", "2022-05-03T10:30:00+02:00"),
    ],
)
def test_english_am_pm_times(dates: FrenchDates, text: str, expected: str) -> None:
    assert dates.parse(text, NOW).isoformat() == expected


def test_stated_instant_keeps_the_zone_the_string_names() -> None:
    assert str(stated_instant("2022-05-03T23:37:37-04:00")) == "2022-05-03 23:37:37-04:00"
    assert str(stated_instant("2022-05-04T00:44:52.000Z")) == "2022-05-04 00:44:52+00:00"
    assert str(stated_instant("Sat, 19 Oct 2019 00:04:00 +0200")) == "2019-10-19 00:04:00+02:00"
    for no_zone in ("2022-05-04", "2022-05-04T10:00", "demain", None, "2022-13-45T00:00Z"):
        assert stated_instant(no_zone) is None


def test_an_rfc2822_date_with_an_unknown_zone_is_utc_never_naive(dates: FrenchDates) -> None:
    # "-0000": UTC, the sender's zone unknown; the standard library gives it no zone at all.
    value = stated_instant("Wed, 08 Jun 2022 02:30:00 -0000")
    assert value is not None and value.utcoffset() == timedelta(0)
    assert str(value) == "2022-06-08 02:30:00+00:00"
    assert dates.parse("Wed, 08 Jun 2022 02:30:00 -0000", NOW).isoformat() == (
        "2022-06-08T04:30:00+02:00"
    )
    assert reader_day_differs(value, "June 7, 2022 10:30 pm") is True  # New York


def test_reader_day_differs_reads_a_naive_time_as_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # a server whose own zone would move the day
    time.tzset()
    try:
        assert reader_day_differs(datetime(2020, 2, 25, 2, 25), "February 24, 2020") is True
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    ("utc", "printed", "expected"),
    [
        ("2020-02-25T02:25:54Z", "February 24, 2020", True),  # an evening in New York
        ("2020-02-25T02:25:54Z", "Feb 24, 2020 9:25 pm", True),
        ("2020-02-25T02:25:54Z", "Feb 24, 2020 9:20 pm", False),  # not a zone's offset
        ("2020-02-25T02:25:54Z", "February 25, 2020", False),  # the same day: nothing to fix
        ("2019-10-18T22:04:00Z", "19. Oktober 2019 00:04", True),  # past midnight in Vienna
        ("2019-10-18T06:00:00Z", "19. Oktober 2019", False),  # no zone is 18 hours ahead
        ("2019-10-18T22:04:00Z", "Mise à jour", False),
    ],
)
def test_reader_day_differs(utc: str, printed: str, expected: bool) -> None:
    assert reader_day_differs(stated_instant(utc), printed) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Article mis à jour le ", True),
        ("Aktualisiert am ", True),
        ("Updated: ", True),
        ("Publié le ", False),
        ("Stand: ", False),
        (None, False),
    ],
)
def test_updated_before(text: str | None, expected: bool) -> None:
    assert updated_before(text) is expected


def test_russian_and_ukrainian_months(dates: FrenchDates) -> None:
    assert dates.parse("15 августа 2016, 13:43", NOW).isoformat() == "2016-08-15T13:43:00+02:00"
    assert dates.parse("3 травня 2016", NOW).date() == date(2016, 5, 3)


def test_a_fetch_time_in_the_repeated_hour_keeps_its_own_offset() -> None:
    """02:30 happens twice on 27 October 2024 in Paris; each reading of "il y a 10 minutes"
    counts back from the one it was given, whichever was read first."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    paris, dates = ZoneInfo("Europe/Paris"), FrenchDates("Europe/Paris")
    first = dates.parse("il y a 10 minutes", datetime(2024, 10, 27, 2, 30, fold=0, tzinfo=paris))
    second = dates.parse("il y a 10 minutes", datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=paris))
    assert first is not None and second is not None
    assert (first.isoformat(), second.isoformat()) == (
        "2024-10-27T02:20:00+02:00",
        "2024-10-27T02:20:00+01:00",
    )


def test_iso_8601_basic_form(dates: FrenchDates) -> None:
    assert dates.parse("20180619T055000+0900", NOW).isoformat() == "2018-06-19T05:50:00+09:00"
    assert dates.parse("20180619T0550", NOW).isoformat() == "2018-06-19T05:50:00+02:00"
    assert stated_instant("20180619T055000Z").isoformat() == "2018-06-19T05:50:00+00:00"
    assert parse_fast("Ref. 20180619", NOW, PARIS) is NO_MATCH  # eight figures without a time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 de mayo de 2022", "2022-05-03"),
        ("( Pescasseroli, 14 Gennaio 2020 )", "2020-01-14"),
        ("Publicado em 3 de março de 2022", "2022-03-03"),
        ("Opublikowano 3 maja 2022", "2022-05-03"),
        ("Gepubliceerd op 12 mei 2021", "2021-05-12"),
        ("2019年6月24日 11:30", "2019-06-24"),
        ("2019년 6월 24일", "2019-06-24"),
    ],
)
def test_dates_in_other_languages(dates: FrenchDates, text: str, expected: str) -> None:
    assert find_full_date(text)
    assert parse_fast(text, NOW, PARIS).date().isoformat() == expected


def test_a_name_like_a_month_is_no_date() -> None:
    assert find_full_date("Par Marco Rossi et Maja Nowak") is None


_SEARCHED_FOR_SOME_FORMS = [
    "Par Jeanne Martin",
    "Publié hier à 14h32",
    "il y a une heure",
    "Aujourd'hui à midi",
    "Mis en ligne à minuit",
    "mardi dernier à 20h",
    "à l'instant",
    "Le 3 octobre à 9h05",
    "17/11 à 8h",
    "« Saison 4 » : la suite en octobre",
    "Publié le 3 octobre 2016 à 14h32, mis à jour le 4 octobre 2016",
    "2019年6月24日 11:30",
    "le 4. 2. 2022",
    "Sun, March 3",
    "Hier, avant-hier et ce jour",
]


@pytest.mark.parametrize("text", _SEARCHED_FOR_SOME_FORMS)
def test_a_text_is_searched_for_the_forms_it_can_hold(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text without a year, a figure or a date word skips the forms that need them: it gives
    what searching it for every form gives."""
    spans = find_date_spans(text)
    read = parse_fast(text, NOW, PARIS)
    monkeypatch.setattr(dates_module, "_forms_for", lambda folded: dates_module._FORMS)
    assert find_date_spans(text) == spans
    assert parse_fast(text, NOW, PARIS) == read
