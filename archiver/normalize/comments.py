"""Reader comment sections: what counts as a comment, and what is only the section's furniture.

"Aucun commentaire." means zero comments, and "votre commentaire" is a form label, not a comment.
"""

from __future__ import annotations

import re

from archiver.normalize.text import clean_text, fold

_EMPTY_NOTICES = re.compile(
    r"^(?:aucun commentaire|pas (?:encore )?de commentaires?|0 commentaires?|"
    r"soyez (?:le )?premier a (?:commenter|reagir|donner votre avis)|"
    r"il n'y a (?:pas|aucun) (?:encore )?(?:de )?commentaires?|"
    r"les commentaires sont fermes|commentaires fermes)\b",
)
_FORM_LABELS = re.compile(
    r"^(?:votre commentaire|laisser un commentaire|laissez un commentaire|ajouter un commentaire|"
    r"repondre|publier|envoyer|commenter|reagir|votre nom|votre e-?mail|signaler|"
    r"commentaires?|[\d\s]+ commentaires?|annuler la reponse|connectez-vous pour commenter)\W*$",
)
_COUNT = re.compile(r"(?<!\d)(\d[\d\s.\u202f\u00a0]*)\s*(?:commentaires?|reactions?|avis)\b")


def is_empty_notice(text: str | None) -> bool:
    """True for the text a site shows in place of comments when there are none."""
    return bool(_EMPTY_NOTICES.match(fold(clean_text(text))))


def is_form_label(text: str | None) -> bool:
    """True for the comment form's own words, which are never a reader's comment."""
    return bool(_FORM_LABELS.match(fold(clean_text(text))))


def is_comment_text(text: str | None) -> bool:
    cleaned = clean_text(text)
    return bool(cleaned) and not is_empty_notice(cleaned) and not is_form_label(cleaned)


def parse_comment_count(text: str | None) -> int | None:
    """The count a page shows ("12 commentaires", "Aucun commentaire"), or None."""
    folded = fold(clean_text(text))
    if not folded:
        return None
    if is_empty_notice(folded):
        return 0
    match = _COUNT.search(folded)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return int(digits) if digits else None
