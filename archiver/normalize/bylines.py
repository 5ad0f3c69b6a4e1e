"""French bylines -> an ordered list of people, plus agency, role and any date they carry.

"Christophe Foltzer | 3 octobre 2016", "Par A et B, avec AFP", "Propos recueillis par A",
"De notre envoyée spéciale à Cannes, A", "JEAN-MARC DUVAL Suivre": real sites put all of this,
and more, in one line of text. The pieces that are not names are cut out one kind at a time
(dates, profile links, agencies, roles, job titles); what is left is split into names, and only
strings that look like a person's name, or the newsroom's own ("La rédaction"), are kept.
Names all in capitals are given name case; names that mix cases are kept as printed ("Chokri
GHARBI" is how that author signs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from archiver.normalize.dates import WEEKDAY_ABBREVIATION_START, find_date_spans, has_update_label
from archiver.normalize.text import clean_text, dedupe, fold

# Canonical agency name -> how pages write it. Acronyms are matched in capitals only, so that
# "ap" or "dpa" inside ordinary words never turn into an agency.
_AGENCY_FORMS: dict[str, str] = {
    "AFP": r"AFP|(?i:agence\s+france[- ]presse)",
    "Reuters": r"(?i:reuters)",
    "AP": r"AP|(?i:associated\s+press)",
    "Relaxnews": r"(?i:relaxnews)",
    "ETX Studio": r"(?i:etx\s+(?:studio|daily\s+up))",
    "Belga": r"(?i:belga)",
    "ANSA": r"ANSA",
    "DPA": r"DPA",
}
AGENCIES = list(_AGENCY_FORMS)
_AGENCY_ALTERNATIVES = "|".join(
    f"(?P<a{i}>{form})" for i, form in enumerate(_AGENCY_FORMS.values())
)
_AGENCY = re.compile(
    r"[(\[]?\s*(?:(?i:avec|source|sources|selon|et)\s*:?\s+)?(?:(?i:l['’]agence|l['’]|agence)\s*)?"
    rf"(?<![\w-])(?:{_AGENCY_ALTERNATIVES})(?![\w-])\s*[)\]]?"
)
# The name alone, which every match of _AGENCY holds.
_AGENCY_NAME = re.compile(rf"(?<![\w-])(?:{_AGENCY_ALTERNATIVES})(?![\w-])")
# "avec agences": an agency without a name.
_UNNAMED_AGENCY = re.compile(r"[(\[]?\s*\bavec\s+(?:les\s+)?agences\b\s*[)\]]?", re.IGNORECASE)
# The links a profile box prints next to the name; and e-mail addresses and @handles, which a
# text without "@" is not searched for (a run of letters tried before each "@" is slow).
_NOISE_WORDS = (
    r"\b(?:suivre|s['’]abonner|abonnez-vous|contacter)\b"
    r"(?:\s+(?:cet\s+auteur|cette\s+autrice|l['’]auteur|l['’]autrice|sur\s+\w+))?|"
    r"\b(?:voir|lire|tous|toutes|plus\s+d['’])\s*(?:tous\s+|toutes\s+)?(?:ses|les|leurs)?\s*"
    r"articles\b(?:\s+de\s+l['’](?:auteur|autrice))?|"
    r"\bvoir\s+(?:le|son|sa)\s+(?:profil|fiche|biographie|page)\b|"
    r"\balle\s+(?:artikel|beitr[äa]ge)\b|\bzum\s+profil(?:\s+von)?\b|"
    r"\b(?:view|see|read|browse)\s+(?:all\s+)?(?:posts|articles|stories)\s+(?:by|from)\b|"
    r"\b(?:sur\s+)?(?:twitter|facebook|instagram|linkedin|bluesky|threads|tiktok|mastodon|youtube)\b"
)
_NOISE = re.compile(
    rf"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w@])@\w[\w.]*|{_NOISE_WORDS}", re.IGNORECASE
)
_NOISE_WITHOUT_AT = re.compile(_NOISE_WORDS, re.IGNORECASE)
# "Propos recueillis par A", "Entretien réalisé par A": the role comes before the names.
_INTERVIEW = re.compile(
    r"(?<![\w])(?:(?P<collected>propos\s+recueillis)|(?:entretien|interview)\s+r[ée]alis[ée]e?)"
    r"\s+par\b\s*:?",
    re.IGNORECASE,
)
# "envoyé spécial à Cannes", "De notre correspondante à Los Angeles": up to the next separator,
# or up to "et"/"avec" followed by a two-word name.
_FIELD_ROLE = re.compile(
    r"(?<![\w])(?:de\s+)?(?:(?:notre|nos|votre|leur|son|sa|ses)\s+)?"
    r"(?P<role>(?:envoy[ée]e?s?\s+sp[ée]cia(?:le?s?|ux)|correspondante?s?(?:\s+permanente?s?)?)"
    r"(?:\s+(?:à|a|au|aux|en|dans|de|du|des|pour|sur)\s+[^,;|()•·]+?)?)"
    r"(?=\s*(?:$|[,;|()•·]|\s[-–—]\s)|\s+(?:et|avec)\s+"
    r"(?-i:[A-ZÀ-ÖØ-Þ])[^\s,;|]*\s+(?-i:[A-ZÀ-ÖØ-Þ]))",
    re.IGNORECASE,
)
# Job titles from profile boxes: dropped, they describe the person, not this article. The title
# runs on over lower-case words, and past a preposition ("rédacteur en chef de Ciné Revue").
_JOB_TITLE = re.compile(
    r"(?<![\w'’-])(?:journalistes?|r[ée]dact(?:eur|rice)s?|chef(?:fe)?s?|chroniqueu(?:r|se)s?|"
    r"critiques?|reporters?|directeur|directrice|responsable|stagiaires?|pigistes?|"
    r"secr[ée]taire\s+de\s+r[ée]daction|[ée]dit(?:eur|rice)s?|sp[ée]cialistes?|"
    r"(?:co-?)?fondat(?:eur|rice)|community\s+manager|photographe|vid[ée]aste|"
    r"blogueu(?:r|se)|contribut(?:eur|rice)|pr[ée]sentat(?:eur|rice)|experte?|"
    # German titles, hyphenated compounds too ("FOCUS-Online-Experte", "Chefredakteurin")
    r"(?:[^\W\d_]+-)*(?:chef)?redakteur(?:in)?|(?:[^\W\d_]+-)*expert(?:e|in)|"
    r"korrespondent(?:in)?|volont[äa]r(?:in)?|(?:[^\W\d_]+)?(?:leiter|sprecher)(?:in)?)(?![\w-])"
    r"(?:\s+(?!(?:et|avec|de|du|des|chez|à|au|aux|pour|sur)\s)(?-i:[a-zà-ÿ'’])[^\s,;|()•·]*)*"
    r"(?:\s+(?:de|du|des|chez|à|au|aux|pour|sur)(?:\s+(?!(?:et|avec)\s)[^\s,;|()•·]+)+)?",
    re.IGNORECASE,
)
_PREFIX = re.compile(
    r"^(?:(?:eine?\s+[^\W\d_]+|artikel)\s+von|an?\s+[^\W\d_]+\s+by|(?:un\s+)?(?:article\s+)?(?:publi[ée]|r[ée]dig[ée]|[ée]crit|post[ée]|sign[ée]|"
    r"mis\s+en\s+ligne|propos[ée])e?s?\s+(?:par|de)|un\s+article\s+(?:de|d['’])|"
    r"texte\s+(?:de|par)|texte|auteur(?:e|s|es|\(e\)|\(s\))?|par|de|by|sign[ée]e?"
    # the same words on pages in other languages: "Von X", "Veröffentlicht von X", "Text: X",
    # "Zeige alle Beiträge von X", "Written by X", "Por X"
    r"|(?:ver[öo]ffentlicht|erstellt|geschrieben|verfasst|gepostet|eingestellt|gespeichert|zeige\s+alle"
    r"\s+beitr[äa]ge|alle\s+beitr[äa]ge|alle\s+artikel|mehr|alles)\s+von|von(?=\s*:|\s+(?!(?:der|dem|den|und)\s)\S)"
    r"|(?:artikel|beitrag|rezept)\s+von|escribe|author\(s\)"
    # the one label of a piece that several hands made ("Text & Fotos: A", "Interview: A")
    r"|(?:text|texte|interview)(?:\s*(?:&|und|et|and|/)\s*(?:fotos?|photos?|bilder|interview))?"
    r"(?=\s*:)"
    r"|autor(?:in)?|text|(?:written|posted|published|reported)\s+by|author|por|door)(?!\w)\s*:?\s*",
    re.IGNORECASE,
)
# "La rédaction", and the German newsroom by its name ("BR24 Redaktion", "Redaktion").
_STAFF = re.compile(
    r"^(?:la\s+|notre\s+)?r[ée]dac(?:tion)?\b|^(?:[\w-]+\s+)?redaktion$", re.IGNORECASE
)
_SEGMENTS = re.compile(r"\s*[|•·;,\n]\s*|\s+[-–—/]\s+")
_JOINERS = re.compile(
    r"(?:^|\s+|\s*[(\[])(?:et|and|avec|im\s+gespr[äa]ch\s+mit|in\s+conversation\s+with)\s+|"
    r"\s*[&+]\s*",
    re.IGNORECASE,
)
# The "and" of German and Scandinavian bylines ("A und B", "A og B"): German capitalises its
# nouns ("Wirtschaft und Klimaschutz"), so it joins names only where every part reads as one.
_OTHER_JOINERS = re.compile(r"\s+(?:und|og)\s+", re.IGNORECASE)
# "Elena Oberholzer (obe)": the initials a newsroom signs short pieces with, after the name.
_INITIALS = re.compile(r"\s*\(\s*[a-zäöüß]{2,5}\.?\s*\)")
# "Photos : Marie Durand", "Illustration Léa Martin": who made the pictures, not the article.
_PICTURE_CREDIT = re.compile(
    r"(?:^|(?<=[.|,;:])|\s(?=[(\[])|\s(?=\w+\s+(?:von|by|par)\s))\s*[(\[]?\s*(?:cr[ée]dits?\s+)?"
    r"(?:photos?|photograph(?:s|ie|ies|y)?|illustrations?|dessins?|infographies?|vid[ée]os?|"
    r"images?|fotos?|fotografie|bilder)(?:\s+(?:von|by|par))?\s*:?\s+"
    r"(?-i:[A-ZÀ-ÖØ-Þ])[^|;()\[\]]*[)\]]?",
    re.IGNORECASE,
)
# Other fields printed in the byline's line ("Datum: 3.5.2021", "Quelle: Livenet"): cut with
# their value, up to a separator or the next label.
_FIELD_LABEL = re.compile(
    r"(?<!\w)(?:datum|date|quelle|source|stand|kategorie|category|rubrik|tags|lesezeit|reading\s+time)"
    r"\s*:(?:[^|;,\n:]*?(?=\s+[^\W\d_]+\s*:|\s*[|;,\n]|$))?",
    re.IGNORECASE,
)
# "© A", "Copyright © A": how an author's portrait or a personal site signs, before the name.
_COPYRIGHT = re.compile(r"^(?:copyright\s*)?©\s*|^copyright\s+(?=\D)", re.IGNORECASE)
_CUT = " | "  # what a removed piece leaves behind: a separator, so its neighbours stay apart

_LOWER_PARTICLES = {"de", "du", "des", "d'", "van", "von", "der", "den", "del", "della", "di",
                    "da", "dos", "das", "do", "y", "ter", "ten", "zu", "af"}  # fmt: skip
_NOT_NAMES = {"par", "publie", "voir", "suivre", "lire", "photo", "photos", "video", "credit",
              "credits", "source", "sources", "article", "articles", "auteur", "auteurs",
              "modifie", "mis", "avec", "et",
              # what a German or English byline leaves once its date and links are cut out
              "uhr", "by", "von", "und", "and", "second", "seconds", "minutes", "hours",
              # the account a CMS posts as, not a person's name
              "admin", "administrator", "administrateur",
              # labels and controls printed beside the name
              "autor", "autorin", "author", "text", "texte", "datum", "date", "quelle", "uber", "about", "mehr", "more", "weiter", "folgen",
              "updated", "published", "aktualisiert", "follow", "abbruch", "abbrechen", "schliessen", "schließen", "close", "the", "teilen", "share"}  # fmt: skip
# Lower-case words inside a name as other languages write them ("Alejandro de la Garza")
_NAME_PARTICLES = _LOWER_PARTICLES | {"la", "le", "las", "los", "el", "al", "bin", "ibn"}
# Short words that stay in capitals unless they are these particles ("LE GALL", "DE LA TOUR").
_SHORT_PARTICLES = _LOWER_PARTICLES | {"le", "la", "les", "l'", "l’"}
_HANDLE = re.compile(r"^(?=.*[^\W\d_])[\w.-]{2,30}$")
_NAME_CHARS = re.compile(r"^[^\W\d_](?:[^\W\d_]|[-'’.])*$")


@dataclass
class Byline:
    """Authors in byline order; agency, role and the raw date strings the byline carried."""

    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    role: str | None = None
    date_raw: str | None = None
    updated_raw: str | None = None


def _capitalize(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def _fix_word(word: str, first: bool) -> str:
    """One capitalised lower-case word; particles stay lower case inside a name."""
    if not first and word in _LOWER_PARTICLES:
        return word
    for apostrophe in ("'", "’"):
        head, mark, tail = word.partition(apostrophe)
        if mark and len(head) == 1 and tail:
            head = head if head == "d" and not first else head.upper()
            return head + mark + _capitalize(tail)
    return _capitalize(word)


def fix_case(name: str) -> str:
    """Capitals to name case: "JEAN DE LA FONTAINE" -> "Jean de La Fontaine", "Jean DUPONT" too.

    A page that prints a name in capitals prints it differently elsewhere; one spelling lets
    header and footer merge. Mixed-case words ("de La Tour", "McCallum") are left alone.
    """
    if not isinstance(name, str):
        return ""
    words = name.split(" ")
    all_caps = all(c.isupper() for c in name if c.isalpha()) and any(c.isalpha() for c in name)
    fixed = []
    for index, word in enumerate(words):
        letters = [c for c in word if c.isalpha()]
        shouting = bool(letters) and all(c.isupper() for c in letters)
        lower = word.lower()
        if shouting and (all_caps or len(letters) >= 3 or lower in _SHORT_PARTICLES):
            fixed.append(_fix_word(lower, first=index == 0))
        else:
            fixed.append(word)
    return " ".join(fixed)


def _is_name_token(token: str, first: bool) -> bool:
    if not first and token in _NAME_PARTICLES:
        return True
    token = token.strip('"“”„«»')  # a nickname in quotes: Amanda "Tania Mae" Tan
    if fold(token) in _NOT_NAMES or not _NAME_CHARS.match(token):
        return False
    for prefix in ("d'", "d’", "l'", "l’"):
        if token.startswith(prefix) and len(token) > 2:
            token = token[2:]
            break
    # a script without capitals (Chinese, Japanese, Thai...) has no case to tell a name by
    return token[:1].isupper() or not token[:1].islower()


def _looks_like_name(text: str) -> bool:
    """Up to six capitalised words, particles aside ("Les Membres du Chœur de Radio France")."""
    tokens = text.split()
    words = [t for i, t in enumerate(tokens) if i == 0 or t not in _NAME_PARTICLES]
    return (
        0 < len(words) <= 6
        and len(text) <= 60
        and tokens[-1] not in _NAME_PARTICLES  # "Autorenseite von" is a link's label
        and all(_is_name_token(token, index == 0) for index, token in enumerate(tokens))
    )


# The label of a section or a brand, in lower case, before the byline word ("capital von A").
_LOWER_LABEL = re.compile(r"^(?:[a-zß-ÿ]+\s+){1,2}(?=(?:von|by|par)\s+\S)")


def _strip_prefix(text: str) -> str:
    stripped = _PREFIX.sub("", _LOWER_LABEL.sub("", text, count=1), count=1)
    return stripped if stripped.strip() else text


_FINAL_INITIAL = re.compile(r"(?:^|\s)(?:[^\W\d_]|[JS]r)\.$")


def _tidy(text: str) -> str:
    """Separators and brackets trimmed; the period of a final initial or of "Jr." stays
    ("Nicolas G.", "Perry Bacon Jr.")."""
    cleaned = clean_text(text)
    tidy = cleaned.strip(' .,;:-–—()[]«»"')
    if tidy and _FINAL_INITIAL.search(cleaned.rstrip(' ,;:-–—()[]«»"')):
        tidy += "."
    return tidy


def parse_byline(raw: str | None) -> Byline:
    """Read one byline string; never raises, an unreadable byline gives no authors."""
    if not isinstance(raw, str):
        return Byline()
    if len(raw) > _MEMO_LONGEST:  # not kept: the memo stays small whatever a page holds
        return _parse_byline(raw)
    read = _memo_byline(raw)
    # the caller may change its copy; dataclasses.replace() took four times as long
    return Byline(list(read.authors), read.agency, read.role, read.date_raw, read.updated_raw)


_MEMO_LONGEST = 500


def _parse_byline(raw: str) -> Byline:
    result = Byline()
    text = _COPYRIGHT.sub("", clean_text(raw))
    if not text:
        return result

    # Dates first: "A | 3 octobre 2016", "Publié le 3 octobre 2016 par A".
    pieces, last = [], 0
    for start, end in find_date_spans(text):
        start += _surname_in_date(text[last:start], text[start:end])
        found = _tidy(text[start:end])
        if has_update_label(found):
            result.updated_raw = result.updated_raw or found
        else:
            result.date_raw = result.date_raw or found
        pieces.append(text[last:start])
        last = end
    text = _CUT.join([*pieces, text[last:]])

    text = (_NOISE if "@" in text else _NOISE_WITHOUT_AT).sub(_CUT, text)
    text = _INITIALS.sub("", text)
    text = _UNNAMED_AGENCY.sub(_CUT, text)
    if _AGENCY_NAME.search(text):  # the words around an agency's name take long to look for
        for match in _AGENCY.finditer(text):
            if result.agency is None:
                index = next(i for i in range(len(AGENCIES)) if match[f"a{i}"])
                result.agency = AGENCIES[index]
        text = _AGENCY.sub(_CUT, text)

    interview = _INTERVIEW.search(text)
    if interview:
        result.role = "propos recueillis" if interview["collected"] else "entretien"
        text = text[: interview.start()] + _CUT + text[interview.end() :]
    for match in _FIELD_ROLE.finditer(text):
        role = clean_text(match["role"])
        result.role = result.role or (role[:1].lower() + role[1:])
    text = _FIELD_ROLE.sub(_CUT, text)
    text = _JOB_TITLE.sub(_CUT, text)
    text = _PICTURE_CREDIT.sub(_CUT, text)
    text = _FIELD_LABEL.sub(_CUT, text)

    candidates = _segment_names(text, alone=len(clean_text(raw).split()) == 1)
    # A lone capitalised word beside real names is a section or a town ("Cinéma", "Cannes").
    if len(candidates) > 1:
        candidates = [c for c in candidates if len(c.split()) > 1 or _STAFF.match(c)]
    result.authors = dedupe(candidates)
    return result


def _segment_names(text: str, alone: bool) -> list[str]:
    """The names of each segment left; a segment that is only a label ("Rezept von", once a
    profile link's label is cut) introduces the next one."""
    candidates = []
    label_before = False
    for segment in _SEGMENTS.split(text):
        tidy = _tidy(segment)
        if not tidy:
            continue
        introduced = _strip_prefix(tidy)
        named = introduced != tidy or label_before  # "von gizzmo", "by marc", "Autor: gnaddrig"
        label_before = bool(_PREFIX.fullmatch(tidy))
        if _STAFF.match(introduced):
            staff = fix_case(_tidy(introduced))
            candidates.append(staff[:1].upper() + staff[1:])
            continue
        for chunk in _other_joined(_JOINERS.split(introduced)):
            name = _said_once(_name_case(_tidy(_strip_prefix(_tidy(chunk)))))
            if _looks_like_name(name) or ((named or alone) and _is_handle(name)):
                candidates.append(name)
    return candidates


def _said_once(name: str) -> str:
    """A name printed twice in a row ("jdoe jdoe", "Jane Doe Jane Doe": an avatar's label and
    the link's text) as once; not initials ("R. R.")."""
    words = name.split()
    half = len(words) // 2
    initials = any(len(word) <= 2 for word in words)
    return (
        " ".join(words[:half]) if half and not initials and words[:half] == words[half:] else name
    )


# Memoized: a site prints the same bylines ("Par Lucie Orsini") on article after article, and a
# page repeats its own.
_memo_byline = lru_cache(maxsize=1024)(_parse_byline)


def _other_joined(chunks: list[str]) -> list[str]:
    """Chunks split again at "und"/"og" where every part then reads as a name."""
    split = []
    for chunk in chunks:
        parts = _OTHER_JOINERS.split(chunk)
        if len(parts) > 1 and all(
            " " in name and _looks_like_name(name) for name in map(_read_part, parts)
        ):
            split.extend(parts)
        else:
            split.append(chunk)
    return split


def _read_part(part: str) -> str:
    return _name_case(_tidy(_strip_prefix(_tidy(part))))


def agency_signature(raw: str) -> str | None:
    """The agency's name as a byline prints it when the agency alone signs ("Associated
    Press", "Von DPA" -> "DPA"); None for anything else."""
    match = _AGENCY.fullmatch(_strip_prefix(_tidy(raw)))
    if not match:
        return None
    return next(match[f"a{i}"] for i in range(len(AGENCIES)) if match[f"a{i}"])


def _surname_in_date(before: str, span: str) -> int:
    """How much of a date span is the last word of the name before it: a weekday's
    abbreviation with no period right after a lone first name is the surname ("Par Linh Do,
    3 mars 2016", "By Jane Sun, March 3, 2019"); after a full name it is the weekday ("Von
    Anna Berg Fr, 12.03.2021"), and so it is alone or after a separator ("Sun, March 3")."""
    word = WEEKDAY_ABBREVIATION_START.match(span)
    if not word or not word[1][:1].isupper() or not before[-2:-1].isalpha() or before[-1:] != " ":
        return 0
    name = _strip_prefix(_tidy(_SEGMENTS.split(before)[-1]))
    return len(word[1]) if len(name.split()) == 1 and _looks_like_name(name) else 0


def _is_handle(name: str) -> bool:
    """A user name as blogs and forums sign ("gnaddrig", "c1ph4", "Herr_Rein"): one word of
    letters, figures and "._-", read as a name only where the byline introduces it or is that
    word alone, since in running text it could be any word."""
    return bool(_HANDLE.match(name)) and fold(name) not in _NOT_NAMES


def _name_case(name: str) -> str:
    """A name printed all in capitals is typography ("MARIE-CLAIRE DE LA TOUR"), and is given
    name case so the same person reads the same on every page; a name with cased words keeps
    its capitals ("Chokri GHARBI": surname in capitals is how many sign), and so does one
    word in capitals, an acronym more often than a name ("IWB")."""
    letters = [c for c in name if c.isalpha()]
    if len(name.split()) > 1 and letters and all(c.isupper() for c in letters):
        return fix_case(name)
    return name


_GIVEN_NAME = re.compile(r"^(?=.*[^\W\d_])[^\d@:/\\|<>]*(?:/[^\W\d_]+)?$")


def parse_given_names(raws: list[str]) -> Byline:
    """Names a page's metadata gives as its authors: read as bylines, and one the reading
    rejects kept as given where it is a few words with no figures or links ("viktor hedlund",
    "Guardian staff reporter", "det/dpa"): the field says it names the author, where a printed
    line could be any text."""
    merged = parse_bylines(raws)
    if merged.authors or merged.agency:
        return merged
    names = [clean_text(raw) for raw in raws if isinstance(raw, str)]
    merged.authors = dedupe([name for name in names if _plausible_given_name(name)])
    return merged


def _plausible_given_name(name: str) -> bool:
    words = name.split()
    return (
        0 < len(words) <= 4
        and len(name) <= 40
        and bool(_GIVEN_NAME.match(name))
        and not _DOMAIN_LIKE.search(name)
        and not all(fold(word) in _NOT_NAMES for word in words)
    )


# A domain, or the legal form of a company or an association: the publisher, not a person.
_DOMAIN_LIKE = re.compile(
    r"\w\.[a-z]{2,4}\b|^www\.|(?<!\w)(?:e\.\s?V\.|GmbH|AG|SE|Inc\.?|Ltd\.?|LLC)(?!\w)"
)


def parse_bylines(raws: list[str] | None) -> Byline:
    """Merge the bylines a page repeats (header, sticky bar, footer) keeping each name once."""
    merged = Byline()
    if isinstance(raws, str):
        raws = [raws]
    for raw in raws or []:
        one = parse_byline(raw)
        merged.authors = dedupe(merged.authors + one.authors)
        merged.agency = merged.agency or one.agency
        merged.role = merged.role or one.role
        merged.date_raw = merged.date_raw or one.date_raw
        merged.updated_raw = merged.updated_raw or one.updated_raw
    return merged
