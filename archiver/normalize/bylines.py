"""French bylines -> an ordered list of people, plus agency, role and any date they carry.

"Christophe Foltzer | 3 octobre 2016", "Par A et B", "Par A, avec AFP", "Propos recueillis
par A", "JEAN-MARC DUVAL": real sites put all of this, and more, in one line of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archiver.normalize.text import clean_text, dedupe

AGENCIES = ["AFP", "Reuters", "AP", "Relaxnews", "ETX Studio", "Belga", "ANSA", "DPA"]
_AGENCY = re.compile(
    r"[(\[]?\s*(?:avec\s+(?:l'|les\s+)?(?:agences?\s+)?)?\b(?P<agency>"
    + "|".join(re.escape(a) for a in AGENCIES)
    + r")\b\s*[)\]]?",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"\S+@\S+\.\w+|(?<!\w)@\w+|\bsuivre\b|voir (?:tous )?(?:ses|les) articles|"
    r"\bvoir le profil\b|\bsur (?:twitter|x|instagram)\b",
    re.IGNORECASE,
)
# Prefixes that introduce the names; the role they imply, when there is one.
_PREFIXES: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"^propos recueillis par\s+", re.IGNORECASE), "propos recueillis"),
    (
        re.compile(r"^(?:publi[ée]e?|r[ée]dig[ée]e?|[ée]crite?|un article)\s+(?:par|de)\s+", re.I),
        None,
    ),
    (re.compile(r"^(?:par|de|by|auteur\s*:|auteurs\s*:)\s+", re.IGNORECASE), None),
]
_ROLE_WORDS = re.compile(
    r"^(?:envoy[ée]e?s? sp[ée]ciale?s?|correspondante?s?|journaliste|r[ée]dac(?:teur|trice)|"
    r"critique|chef|cheffe|directeur|directrice|responsable|stagiaire|pigiste|"
    r"r[ée]dacteur en chef|service|chroniqueu(?:r|se))\b",
    re.IGNORECASE,
)
_STAFF = re.compile(r"^(?:la\s+)?r[ée]daction\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:,|;|\bet\b|&|\band\b|\+)\s*", re.IGNORECASE)
_DATE_HINT = re.compile(
    r"\d{1,2}(?:er)?\s+[a-zéû]+\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}|\bil y a\b|\bhier\b|"
    r"\bpubli[ée]e? (?:le|il y a)\b|mis à jour|\d{1,2}h\d{0,2}",
    re.IGNORECASE,
)
_LOWER_PARTICLES = {"de", "du", "des", "d'", "van", "von", "der", "del", "di", "da", "y"}


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    role: str | None = None
    date_raw: str | None = None


def fix_case(name: str) -> str:
    """Turn an ALL-CAPS name into "Jean-Marc de La Tour"; leave mixed-case names alone."""
    letters = [c for c in name if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return name
    words = []
    for index, word in enumerate(name.lower().split(" ")):
        if index and word in _LOWER_PARTICLES:
            words.append(word)
            continue
        words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


def _looks_like_name(text: str) -> bool:
    return (
        bool(text)
        and not any(c.isdigit() for c in text)
        and len(text) <= 60
        and len(text.split()) <= 6
    )


def parse_byline(raw: str | None) -> Byline:
    """Read one byline string; never raises, an unreadable byline gives no authors."""
    result = Byline()
    text = clean_text(raw)
    if not text:
        return result
    # A date glued to the byline ("A | 3 octobre 2016", "Par A - publié le ...").
    parts = [p.strip() for p in re.split(r"\s[|•·–—-]\s|\s*\|\s*", text) if p.strip()]
    kept = []
    for part in parts:
        if _DATE_HINT.search(part) and result.date_raw is None:
            result.date_raw = part
        else:
            kept.append(part)
    text = " ".join(kept)
    text = _NOISE.sub(" ", text)
    agency = _AGENCY.search(text)
    if agency:
        found = agency["agency"].lower()
        result.agency = next(a for a in AGENCIES if a.lower() == found)
        text = text[: agency.start()] + text[agency.end() :]
    text = clean_text(text).strip(" ,;:-()")
    for pattern, role in _PREFIXES:
        stripped = pattern.sub("", text, count=1)
        if stripped != text:
            text, result.role = stripped, role or result.role
            break
    if _STAFF.match(text):
        result.authors = [text[:1].upper() + text[1:]]
        return result
    names = []
    for chunk in _SEPARATORS.split(text):
        chunk = chunk.strip(" .:-()")
        if not chunk:
            continue
        if _ROLE_WORDS.match(chunk):
            result.role = result.role or chunk
            continue
        if _looks_like_name(chunk):
            names.append(fix_case(chunk))
    result.authors = dedupe(names)
    return result


def parse_bylines(raws: list[str]) -> Byline:
    """Merge the bylines a page repeats (header, sticky bar, footer) keeping each name once."""
    merged = Byline()
    for raw in raws:
        one = parse_byline(raw)
        merged.authors = dedupe(merged.authors + one.authors)
        merged.agency = merged.agency or one.agency
        merged.role = merged.role or one.role
        merged.date_raw = merged.date_raw or one.date_raw
    return merged
