"""Image captions -> (caption, credit): "Photo X / Netflix", "© Netflix", "(Crédits : Marvel)"."""

from __future__ import annotations

import re

from archiver.normalize.text import clean_text

_CREDIT_LABEL = r"(?:©|\(c\)|cr[ée]dits?(?:\s+photos?)?\s*:|photos?\s*:|copyright\s*:?)"
# A credit in brackets at the end: "Mike Colter dans Luke Cage (© Netflix)".
_BRACKETED = re.compile(rf"\s*[(\[]\s*{_CREDIT_LABEL}?\s*(?P<credit>[^()\[\]]+?)\s*[)\]]\s*$", re.I)
# A labelled credit anywhere after the caption: "La scène finale. Crédit photo : Warner Bros."
_LABELLED = re.compile(rf"(?:^|\s|[-|–—/]\s*){_CREDIT_LABEL}\s*(?P<credit>.+?)\s*$", re.IGNORECASE)
# "Photo Mike Colter" and "Photo Jessica Jones / Netflix": caption after the word, credit after "/".
_PHOTO_PREFIX = re.compile(r"^photos?\s+(?!:)(?P<caption>.+?)(?:\s+/\s+(?P<credit>[^/]+))?$", re.I)


def _or_none(text: str | None) -> str | None:
    text = clean_text(text).strip(" -|–—/")
    return text or None


def parse_caption(raw: str | None) -> tuple[str | None, str | None]:
    """Split a caption from its credit; never raises."""
    text = clean_text(raw)
    if not text:
        return None, None
    match = _BRACKETED.search(text)
    if match and (re.search(_CREDIT_LABEL, match.group(0), re.I) or "/" in match["credit"]):
        return _or_none(text[: match.start()]), _or_none(match["credit"])
    match = _LABELLED.search(text)
    if match:
        caption = text[: match.start()]
        credit = match["credit"]
        if not caption.strip() and "/" in credit:  # "Photo : X / Netflix"
            caption, credit = credit.rsplit("/", 1)
        return _or_none(caption), _or_none(credit)
    match = _PHOTO_PREFIX.match(text)
    if match:
        return _or_none(match["caption"]), _or_none(match["credit"])
    return _or_none(text), None
