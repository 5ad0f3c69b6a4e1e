"""The time zone a page's dates are told in, from what the page says of itself.

A date printed without an offset ("3 May 2022, 9:05") is on the publisher's clock. The page's
locale names it best by its country ("en-US", "de_CH"); a language alone does only where one
zone holds most of its readers ("ja", "de"), not "en", "es" or "ar". Failing both, an offset
the page's own machine dates state ("+09:00") gives a fixed zone of that offset.
"""

from __future__ import annotations

import re
from datetime import datetime

# One zone a country, its most populous where it has several.
COUNTRY_ZONES: dict[str, str] = {
    "us": "America/New_York", "ca": "America/Toronto", "mx": "America/Mexico_City",
    "br": "America/Sao_Paulo", "ar": "America/Argentina/Buenos_Aires", "cl": "America/Santiago",
    "co": "America/Bogota", "pe": "America/Lima", "ve": "America/Caracas", "uy": "America/Montevideo",
    "ec": "America/Guayaquil", "bo": "America/La_Paz", "py": "America/Asuncion",
    "cu": "America/Havana", "do": "America/Santo_Domingo", "gt": "America/Guatemala",
    "cr": "America/Costa_Rica", "pa": "America/Panama", "pr": "America/Puerto_Rico",
    "gb": "Europe/London", "uk": "Europe/London", "ie": "Europe/Dublin", "pt": "Europe/Lisbon",
    "es": "Europe/Madrid", "fr": "Europe/Paris", "be": "Europe/Brussels", "lu": "Europe/Luxembourg",
    "nl": "Europe/Amsterdam", "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich",
    "it": "Europe/Rome", "mc": "Europe/Monaco", "dk": "Europe/Copenhagen", "no": "Europe/Oslo",
    "se": "Europe/Stockholm", "fi": "Europe/Helsinki", "is": "Atlantic/Reykjavik",
    "pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
    "si": "Europe/Ljubljana", "hr": "Europe/Zagreb", "rs": "Europe/Belgrade", "ba": "Europe/Sarajevo",
    "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "gr": "Europe/Athens", "cy": "Asia/Nicosia",
    "tr": "Europe/Istanbul", "ua": "Europe/Kyiv", "by": "Europe/Minsk", "ru": "Europe/Moscow",
    "lt": "Europe/Vilnius", "lv": "Europe/Riga", "ee": "Europe/Tallinn", "il": "Asia/Jerusalem",
    "eg": "Africa/Cairo", "ma": "Africa/Casablanca", "dz": "Africa/Algiers", "tn": "Africa/Tunis",
    "sn": "Africa/Dakar", "ci": "Africa/Abidjan", "cm": "Africa/Douala", "ng": "Africa/Lagos",
    "za": "Africa/Johannesburg", "ke": "Africa/Nairobi", "sa": "Asia/Riyadh", "ae": "Asia/Dubai",
    "qa": "Asia/Qatar", "lb": "Asia/Beirut", "jo": "Asia/Amman", "ir": "Asia/Tehran",
    "pk": "Asia/Karachi", "in": "Asia/Kolkata", "bd": "Asia/Dhaka", "th": "Asia/Bangkok",
    "vn": "Asia/Ho_Chi_Minh", "my": "Asia/Kuala_Lumpur", "sg": "Asia/Singapore",
    "id": "Asia/Jakarta", "ph": "Asia/Manila", "cn": "Asia/Shanghai", "hk": "Asia/Hong_Kong",
    "tw": "Asia/Taipei", "kr": "Asia/Seoul", "jp": "Asia/Tokyo", "au": "Australia/Sydney",
    "nz": "Pacific/Auckland",
}  # fmt: skip

# The zones above of countries that span several: a time given in UTC may fall on another day
# in the zone the page is really in, and is better left in UTC (see zone_is_certain).
_ONE_OF_SEVERAL = {
    "America/New_York", "America/Toronto", "America/Mexico_City", "America/Sao_Paulo",
    "Europe/Moscow", "Asia/Jakarta", "Australia/Sydney",
}  # fmt: skip

# Languages most of whose readers share one zone.
LANGUAGE_ZONES: dict[str, str] = {
    "fr": "Europe/Paris", "de": "Europe/Berlin", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
    "pl": "Europe/Warsaw", "cs": "Europe/Prague", "sk": "Europe/Bratislava",
    "hu": "Europe/Budapest", "sl": "Europe/Ljubljana", "hr": "Europe/Zagreb",
    "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "el": "Europe/Athens", "tr": "Europe/Istanbul",
    "uk": "Europe/Kyiv", "da": "Europe/Copenhagen", "no": "Europe/Oslo", "nb": "Europe/Oslo",
    "nn": "Europe/Oslo", "sv": "Europe/Stockholm", "fi": "Europe/Helsinki", "et": "Europe/Tallinn",
    "lv": "Europe/Riga", "lt": "Europe/Vilnius", "ca": "Europe/Madrid", "eu": "Europe/Madrid",
    "he": "Asia/Jerusalem", "fa": "Asia/Tehran", "ja": "Asia/Tokyo", "ko": "Asia/Seoul",
    "zh": "Asia/Shanghai", "vi": "Asia/Ho_Chi_Minh", "th": "Asia/Bangkok", "id": "Asia/Jakarta",
    "hi": "Asia/Kolkata",
}  # fmt: skip

_LOCALE = re.compile(
    r"\s*(?P<language>[a-z]{2,3})(?:[-_](?:[a-z]{4}[-_])?(?P<country>[a-z]{2})\b)?"
)


def locale_zone(locale: str | None) -> str | None:
    """The zone of a locale ("en-US", "de_CH", "ja", "zh-Hant-TW"), None when it names none."""
    match = _LOCALE.match((locale or "").lower())
    if not match:
        return None
    country, language = match["country"], match["language"]
    return COUNTRY_ZONES.get(country or "") or LANGUAGE_ZONES.get(language)


def offset_zone(value: datetime | None) -> str | None:
    """A fixed zone of the offset a machine date states, in whole hours ("Etc/GMT-9" is
    +09:00: the names count the other way); None for UTC, no offset, or a part hour."""
    offset = value.utcoffset() if value is not None else None
    if not offset:
        return None
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest or not -12 <= hours <= 14:
        return None
    return f"Etc/GMT{-hours:+d}"


def zone_is_certain(zone: str) -> bool:
    """Whether a page's zone is the one its readers live in, not one of a country's several."""
    return zone not in _ONE_OF_SEVERAL
