from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from archiver.normalize.dates import FrenchDates, has_update_label, split_published_updated

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2016, 10, 5, 12, 0, tzinfo=PARIS)


@pytest.fixture(scope="module")
def dates() -> FrenchDates:
    return FrenchDates("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 octobre 2016", "2016-10-03T00:00:00+02:00"),
        ("Publié le 03/10/2016 à 14h32", "2016-10-03T14:32:00+02:00"),
        ("Mis à jour le 4 oct. 2016 à 09:15", "2016-10-04T09:15:00+02:00"),
        ("1er août 2016", "2016-08-01T00:00:00+02:00"),
        ("4 sept. 2016", "2016-09-04T00:00:00+02:00"),
        ("lundi 3 octobre 2016", "2016-10-03T00:00:00+02:00"),
        ("03.10.16", "2016-10-03T00:00:00+02:00"),
        ("3 oct. 2016 à 14 h 32", "2016-10-03T14:32:00+02:00"),
        ("Publié le 12 mars 2017 à 9h05", "2017-03-12T09:05:00+01:00"),
        ("15/01/2018 14:32", "2018-01-15T14:32:00+01:00"),
        ("12 févr. 2016", "2016-02-12T00:00:00+01:00"),
        ("24 déc 2015 à 9h", "2015-12-24T09:00:00+01:00"),
        ("2016-10-03T14:32:00+02:00", "2016-10-03T14:32:00+02:00"),
        ("2016-10-03T12:32:00Z", "2016-10-03T12:32:00+00:00"),
        ("Christophe Foltzer | 3 octobre 2016", "2016-10-03T00:00:00+02:00"),
    ],
)
def test_absolute_and_labelled_forms(dates: FrenchDates, text: str, expected: str) -> None:
    value = dates.parse(text, NOW)
    assert value is not None and value.isoformat() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("il y a 2 heures", "2016-10-05T10:00:00+02:00"),
        ("il y a 3 jours", "2016-10-02T12:00:00+02:00"),
        ("hier à 19h25", "2016-10-04T19:25:00+02:00"),
        ("aujourd'hui à 8h", "2016-10-05T08:00:00+02:00"),
        ("avant-hier", "2016-10-03T00:00:00+02:00"),
        ("1er août", "2016-08-01T00:00:00+02:00"),
    ],
)
def test_relative_forms_resolve_against_fetch_time(
    dates: FrenchDates, text: str, expected: str
) -> None:
    value = dates.parse(text, NOW)
    assert value is not None and value.isoformat() == expected


def test_day_without_year_in_the_future_means_last_year(dates: FrenchDates) -> None:
    value = dates.parse("24 décembre", NOW)
    assert value is not None and value.date().isoformat() == "2015-12-24"


def test_daylight_saving_time_on_both_sides_of_the_change(dates: FrenchDates) -> None:
    before = dates.parse("29 octobre 2016 à 12h00", NOW)
    after = dates.parse("31 octobre 2016 à 12h00", NOW)
    assert before is not None and before.utcoffset().total_seconds() == 7200
    assert after is not None and after.utcoffset().total_seconds() == 3600


@pytest.mark.parametrize(
    "text", ["32 octobre 2016", "31/02/2016", "29/02/2015", "3 octobre 2016 à 25h10"]
)
def test_impossible_dates_give_none(dates: FrenchDates, text: str) -> None:
    assert dates.parse(text, NOW) is None


@pytest.mark.parametrize("text", ["", "   ", "n'importe quoi", "\x00\x01", "Par Jean Dupont"])
def test_noise_gives_none(dates: FrenchDates, text: str) -> None:
    assert dates.parse(text, NOW) is None


def test_configurable_timezone() -> None:
    value = FrenchDates("America/Montreal").parse("3 octobre 2016 à 14h32", NOW)
    assert value is not None and value.isoformat() == "2016-10-03T14:32:00-04:00"


def test_published_and_updated_from_one_string() -> None:
    published, updated = split_published_updated(
        "Publié le 03/10/2016 à 14h32, mis à jour le 04/10/2016 à 09h15"
    )
    assert published == "Publié le 03/10/2016 à 14h32"
    assert updated == "mis à jour le 04/10/2016 à 09h15"
    assert has_update_label("Modifié le 05/10/2016 à 18h00")
    assert not has_update_label("Publié le 05/10/2016")
