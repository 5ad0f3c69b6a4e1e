"""Properties every normalizer keeps, on any string: no exception, round-trippable dates,
no empty author names."""

import re
import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver.normalize.bylines import fix_case, parse_byline, parse_bylines
from archiver.normalize.captions import parse_caption
from archiver.normalize.comments import (
    is_clean_comment_text,
    is_comment_text,
    is_empty_notice,
    is_form_label,
    parse_comment_count,
)
from archiver.normalize.dates import (
    FrenchDates,
    find_date_spans,
    has_update_label,
    parse_fast,
    split_published_updated,
)
from archiver.normalize.text import (
    clean_text,
    decode_entities,
    dedupe,
    fold,
    fold_aligned,
    join_paragraphs,
)

PARIS = ZoneInfo("Europe/Paris")
DATES = FrenchDates("Europe/Paris")
FAST_DATES = FrenchDates("Europe/Paris", use_fallback=False)

# Pieces of real bylines, dates, captions and comment sections, so that generated strings
# reach the deep branches and not only the "nothing recognised" one.
FRAGMENTS = [
    "Par ", "par ", " et ", ", ", " | ", " - ", " · ", "Publié le ", "Mis à jour le ", "Modifié le ",
    "à ", "le ", "lundi ", "1er ", "3 ", "29 ", "31 ", "32 ", "octobre ", "févr. ", "sept. ", "déc ",
    "mars ", "2016", "2015", "16", "03/10/2016", "31/02/2016", "27/03/2016", "30.10.16", "14h32",
    "2h30", "14 h 32", "25h10", "09:15", "midi", "il y a ", "2 heures", "3 jours", "1 mois", "une ",
    "hier ", "avant-hier ", "aujourd'hui ", "à l'instant", "2016-10-30T02:30:00", "+01:00", "Z",
    "Christophe Foltzer", "CHRISTOPHE FOLTZER", "Jean de La Fontaine", "JEAN-MARC DUVAL", "d'",
    "Hélène d'Arvieu", "La rédaction", "Rédaction Écran Large", "avec AFP", "(avec Reuters)", "AP",
    "Propos recueillis par ", "envoyé spécial à Cannes", "journaliste", "rédacteur en chef de ",
    "marc@exemple.fr", "@marc", "Suivre", "Voir tous ses articles", "Photo ", "Photo : ", "© ",
    "Crédit photo : ", "(Crédits : ", ")", "(", "[", "/", "Netflix", "Mike Colter", "Aucun ",
    "commentaire", "commentaires", "Soyez le premier à commenter", "Répondre à ", "0 ", "12 ",
    "1 234 ", "k ", "!", ".", "?", "’", "\u00a0", "\u202f", "\u200b", "\x00", "ᵉʳ", "İ", "ß", "ﬁ",
]  # fmt: skip

frenchish = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=12).map("".join),
)
fetch_times = st.datetimes(
    min_value=datetime(1995, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(PARIS)
)

# A date as a French page would print it, with values that are sometimes impossible and
# times that fall in the daylight-saving changes.
printed_dates = st.builds(
    lambda template, day, month, year, hour, minute: template.format(
        d=day, m=month, y=year, yy=year % 100, h=hour, mi=minute,
        mn=["janvier", "févr.", "mars", "avril", "mai", "juin", "juil.", "août", "sept.",
            "octobre", "nov.", "déc."][(month - 1) % 12],
    ),
    st.sampled_from([
        "{d} {mn} {y}", "{d} {mn} {y} à {h}h{mi:02d}", "Publié le {d:02d}/{m:02d}/{y} à {h}h{mi:02d}",
        "{d:02d}.{m:02d}.{yy:02d}", "Mis à jour le {d} {mn} {y} à {h}:{mi:02d}", "{d}er {mn}",
        "hier à {h}h{mi:02d}", "il y a {h} heures", "il y a {d} jours", "{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:00",
        "{h}h{mi:02d}, le {d} {mn} {y}", "Publié le {d}/{m}/{y}, mis à jour le {d}/{m}/{y}",
    ]),
    st.integers(0, 33), st.integers(1, 13), st.integers(1890, 2210), st.integers(0, 25),
    st.integers(0, 61),
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=frenchish, now=fetch_times)
def test_no_normalizer_raises(text: str, now: datetime) -> None:
    DATES.parse(text, now)
    parse_fast(text, now, PARIS)
    split_published_updated(text)
    has_update_label(text)
    for start, end in find_date_spans(text):
        assert 0 <= start < end <= len(text)
    parse_byline(text)
    parse_bylines([text, text.upper()])
    fix_case(text)
    parse_caption(text)
    is_empty_notice(text)
    is_form_label(text)
    is_comment_text(text)
    parse_comment_count(text)
    clean_text(text)
    fold(text)
    dedupe([text, text.lower()])
    join_paragraphs([text, text])
    assert len(fold_aligned(text)) == len(text)


def _fold_by_substitution(text: str) -> str:
    """fold() as it was before its Latin-1 shortcut: decompose, then strip every mark."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").lower())
    return re.sub(
        "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]", "", decomposed
    )


@settings(max_examples=1000, deadline=None)
@given(
    text=st.one_of(
        frenchish,
        st.text(alphabet=st.characters(max_codepoint=0x2FFF, exclude_categories=("Cs",))),
        st.text(alphabet="aeEéÉèçœŒ«»\u00a0\u2019\u0301\u0327ﬁ½²İſ…—µ"),
        st.text(alphabet=st.characters(max_codepoint=0xFF) | st.just("\u2019")),
    )
)
def test_fold_shortcut_is_the_substitution(text: str) -> None:
    assert fold(text) == _fold_by_substitution(text)


def test_fold_of_latin1_text_is_the_substitution_character_by_character() -> None:
    """A Latin-1 text is folded by a table of bytes: each character, and each after another
    (an accent never joins the character before it), as decomposing gives it."""
    latin1 = "".join(chr(code) for code in range(256))
    assert fold(latin1) == _fold_by_substitution(latin1)
    for code in range(0x80, 0x100):
        pair = f"É{chr(code)}e\u2019"
        assert fold(pair) == _fold_by_substitution(pair)


def _clean_by_splitting(text: str) -> str:
    """clean_text() as it was before its shortcut for texts clean already."""
    if not text:
        return ""
    text = re.sub(
        "[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0e-\x1f]", "", decode_entities(text)
    )
    return " ".join(unicodedata.normalize("NFC", text).split())


@settings(max_examples=1000, deadline=None)
@given(
    text=st.one_of(
        frenchish,
        st.text(alphabet=st.characters(max_codepoint=0x3100, exclude_categories=("Cs",))),
        st.text(alphabet=" a\u00a0\u202f\u2009\u3000\u2028\u0085\x1c\t\n\u200bé\u0301e"),
    )
)
def test_clean_text_shortcut_is_the_splitting(text: str) -> None:
    """A printable text with no space at its ends and no two in a row comes back as it is:
    str.split() would find nothing more to collapse."""
    assert clean_text(text) == _clean_by_splitting(text)


def test_fold_aligned_is_the_whole_table_it_once_was() -> None:
    """fold_aligned() works its table out as characters come; on every character it gives
    what the table worked out in full at import gave."""
    table = {0x2019: "'", 0x2018: "'"}
    for point in range(0x41, 0x2500):
        char = chr(point)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        ).lower()
        lower = char.lower()
        folded = base if len(base) == 1 else lower if len(lower) == 1 else char
        if folded != char:
            table.setdefault(point, folded)
    every = "".join(chr(p) for p in range(0x110000) if not 0xD800 <= p < 0xE000)
    assert fold_aligned(every) == every.translate(table)
    assert fold_aligned(every[::-1]) == every[::-1].translate(table)  # the table full now


@settings(max_examples=500, deadline=None)
@given(
    texts=st.lists(
        st.one_of(
            frenchish,
            st.text(alphabet=st.characters(max_codepoint=0x2FFF, exclude_categories=("Cs",))),
            st.text(alphabet=" \n\t\u00a0\u200baeé\u0301\u0327«»"),
        ),
        max_size=4,
    )
)
def test_clean_lines_joined_by_spaces_are_clean_text(texts: list[str]) -> None:
    """A comment's paragraphs are each clean_text's, joined by line breaks; extraction tests
    them as comment text with the breaks made spaces, which must be what clean_text gives."""
    lines = [line for line in map(clean_text, texts) if line]
    joined = "\n".join(lines)
    assert joined.replace("\n", " ") == clean_text(joined)
    assert is_clean_comment_text(joined.replace("\n", " ")) == is_comment_text(joined)


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(printed_dates, frenchish), now=fetch_times)
def test_a_date_parses_back_to_the_same_instant(text: str, now: datetime) -> None:
    value = FAST_DATES.parse(text, now)
    if value is None:
        return
    assert value.tzinfo is not None
    again = DATES.parse(value.isoformat(), now)
    # the stated offset is kept: not ==, which Python makes False across zones in a repeated hour
    assert again is not None and again.timestamp() == value.timestamp()
    assert again.isoformat() == value.isoformat()


@settings(max_examples=150, deadline=None)
@given(text=printed_dates, now=fetch_times)
def test_fallback_dates_round_trip_too(text: str, now: datetime) -> None:
    value = DATES.parse(text + " environ", now)  # the extra word can send it to dateparser
    if value is not None:
        again = DATES.parse(value.isoformat(), now)
        assert again is not None and again.timestamp() == value.timestamp()


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(frenchish, max_size=4))
def test_authors_are_never_empty_strings(texts: list[str]) -> None:
    for byline in [parse_bylines(texts), *(parse_byline(t) for t in texts)]:
        for author in byline.authors:
            assert author and author == author.strip()
        assert len({fold(a) for a in byline.authors}) == len(byline.authors)


@settings(max_examples=200)
@given(day=st.integers(1, 31), month=st.integers(1, 12), year=st.integers(1990, 2100))
def test_impossible_days_give_none_and_real_ones_their_own_date(
    day: int, month: int, year: int
) -> None:
    try:
        real = datetime(year, month, day)
    except ValueError:
        real = None
    value = FAST_DATES.parse(f"{day:02d}/{month:02d}/{year}", datetime(2016, 10, 5, tzinfo=PARIS))
    if real is None:
        assert value is None
    else:
        assert value is not None and value.replace(tzinfo=None) == real
        assert value.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
