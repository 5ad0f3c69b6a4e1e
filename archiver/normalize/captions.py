"""Image captions -> (caption, credit): "Photo X / Netflix", "© Netflix", "(Crédits : Marvel)".

French pages glue the credit to the caption in a handful of ways. A credit needs a sign that it
is one (©, "Crédit", "Photo :", a known agency); without a sign, a bracket is part of the caption
("Un plan du film (2016)").
"""

from __future__ import annotations

import re

from archiver.normalize.text import clean_text

# Credits a caption may give with no label: "Photo DR", "Omar Sy (AFP)".
_KNOWN_CREDITS = re.compile(
    r"^(?:D\.?R\.?|droits\s+r[ée]serv[ée]s|AFP(?:\s+photo)?|Reuters|AP|Getty\s+Images|Abaca(?:press)?|"
    r"Sipa(?:\s+Press)?|Maxppp|Bestimage|Shutterstock|Capture\s+d['’][ée]cran)$",
    re.IGNORECASE,
)
_SYMBOL = r"(?:©|\(c\))"
_CREDIT_LABEL = r"(?:cr[ée]dits?(?:\s+photos?)?\s*[:–—-]|cr[ée]dits?\s+photos?\b)"
_PHOTO_LABEL = r"(?:photos?|fotos?|source|illustration|image|visuel)\s*:"
_COPYRIGHT = r"copyright\b\s*:?"
# A credit in brackets at the end: "Mike Colter dans Luke Cage (© Netflix)".
_BRACKETED = re.compile(
    rf"\s*[(\[]\s*(?P<label>{_SYMBOL}|{_COPYRIGHT}|{_CREDIT_LABEL}|{_PHOTO_LABEL}|photos?\s+)?\s*"
    r"(?P<credit>[^()\[\]]+?)\s*[)\]]\s*\.?$",
    re.IGNORECASE,
)
# A labelled credit after the caption, running to the end. "Photo :" and "Copyright" only count
# at the start or after punctuation ("Roman Prymula, photo : Archives"), so "pose pour la
# photo : sourire" stays a caption.
_LABELLED = re.compile(
    rf"(?:^|(?<=\s)|(?<=[.,|/–—-]))\s*(?:{_SYMBOL}|{_CREDIT_LABEL})\s*(?P<credit>.+?)\s*$|"
    rf"(?:^|(?<=[.,|/–—])\s*|\s-\s*)(?P<label>{_COPYRIGHT}|{_PHOTO_LABEL})\s*(?P<labelled>.+?)\s*$",
    re.IGNORECASE,
)
# "Photo Mike Colter" and "Photo Jessica Jones / Netflix": caption after the word, credit after
# "/". The word after "Photo" must start with a capital ("Photo d'illustration" is a caption).
_PHOTO_PREFIX = re.compile(
    r"^photos?\s+(?=[^\W\d_])(?-i:(?=[A-ZÀ-ÖØ-Þ]))(?P<caption>.+?)(?:\s+/\s+(?P<credit>[^/]+))?$",
    re.IGNORECASE,
)
_LEADING_SYMBOL = re.compile(rf"^{_SYMBOL}\s*", re.IGNORECASE)
_CAPTION_LABEL = re.compile(r"^l[ée]gende\s*:\s*", re.IGNORECASE)
_LABEL_ONLY = re.compile(
    rf"^(?:{_SYMBOL}|{_COPYRIGHT}|{_CREDIT_LABEL}|{_PHOTO_LABEL}|photos?|cr[ée]dits?)?\W*$",
    re.IGNORECASE,
)


def _or_none(text: str | None) -> str | None:
    text = clean_text(text).strip(" -|–—/:,")
    return text or None


def parse_caption(raw: str | None) -> tuple[str | None, str | None]:
    """Split a caption from its credit; never raises."""
    if not isinstance(raw, str):
        return None, None
    text = _CAPTION_LABEL.sub("", clean_text(raw))
    if _LABEL_ONLY.match(text):  # empty, or a label with nothing after it
        return None, None
    match = _BRACKETED.search(text)
    if match and (
        match["label"] or "/" in match["credit"] or _KNOWN_CREDITS.match(match["credit"])
    ):
        return _or_none(text[: match.start()]), _or_none(match["credit"])
    match = _LABELLED.search(text)
    if match:
        caption = text[: match.start()]
        credit = _LEADING_SYMBOL.sub("", match["credit"] or match["labelled"])  # "Photos : © X"
        if match["label"] and match["label"][:1] in "pP" and not caption.strip() and "/" in credit:
            caption, credit = credit.rsplit("/", 1)  # "Photo : Jessica Jones / Netflix"
        return _or_none(caption), _or_none(credit)
    match = _PHOTO_PREFIX.match(text)
    if match:
        if _KNOWN_CREDITS.match(match["caption"]) and not match["credit"]:
            return None, _or_none(match["caption"])
        return _or_none(match["caption"]), _or_none(match["credit"])
    return _or_none(text), None
