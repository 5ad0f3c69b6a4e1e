"""Reader comment sections: what counts as a comment, and what is only the section's furniture.

"Aucun commentaire." means zero comments, "votre commentaire" is a form label, and "Les
commentaires sont fermés" is neither a comment nor a count: old comments may sit above it.
Every test is on the whole string, so a reader's comment that merely starts like a label
("Répondre à ça ? Jamais.") stays a comment.
"""

from __future__ import annotations

import re
from functools import lru_cache

from archiver.normalize.text import clean_text, fold

# One sentence of the notice a site prints where comments would be; a notice may be two
# sentences ("Aucun commentaire pour l'instant. Soyez le premier à réagir !").
_FOR_NOW = (
    r"(?:\s+(?:pour\s+(?:le\s+moment|l'instant)|a\s+ce\s+jour|(?:sur|pour)\s+cet\s+article))?"
)
_EMPTY_SENTENCE = re.compile(
    rf"(?:aucune?\s+(?:commentaire|reaction|avis)|pas\s+(?:encore\s+)?de\s+(?:commentaires?|reactions?)|"
    r"0\s+(?:commentaires?|reactions?|avis)|(?:commentaires?|reactions?)\s*(?::\s*0|\(\s*0\s*\))|"
    r"il\s+n'y\s+a\s+(?:pas|aucun)\s+(?:encore\s+)?(?:de\s+)?commentaires?|"
    r"cet\s+article\s+n'a\s+(?:pas\s+encore|encore\s+aucun|aucun|pas)\s+(?:de\s+|recu\s+de\s+)?"
    r"(?:commentaires?|reactions?)|personne\s+n'a\s+(?:encore\s+)?(?:commente|reagi)|"
    r"soy(?:ez|e)\s+(?:le|la)\s+premiere?\s+a\s+(?:commenter|reagir|donner\s+(?:votre|ton)\s+avis|"
    r"laisser\s+un\s+commentaire|publier\s+un\s+commentaire)(?:\s+(?:cet|sur\s+cet)\s+article)?|"
    r"sois\s+(?:le|la)\s+premiere?\s+a\s+(?:commenter|reagir)|"
    rf"(?:laissez|ecrivez|postez)\s+le\s+premier\s+commentaire){_FOR_NOW}"
)
_SENTENCE_END = re.compile(r"[.!?…]+")
_FORM_LABELS = re.compile(
    r"^(?:votre\s+commentaire|(?:laisser|laissez|ajouter|ecrire|poster|publier|envoyer|rediger)"
    r"\s+(?:un|le|votre|mon)\s+commentaire|"
    r"repondre|publier|envoyer|commenter|reagir|reagissez|donnez\s+votre\s+avis|"
    r"votre\s+(?:nom|pseudo|e-?mail|adresse\s+e-?mail|site(?:\s+web)?)|nom|pseudo|e-?mail|site\s+web|"
    r"signaler(?:\s+(?:un\s+abus|ce\s+commentaire))?|j'aime|partager|citer|modifier|supprimer|"
    r"(?:(?:un|une|\d[\d\s.,]*k?)\s+)?(?:commentaires?|reactions?|reponses?)"
    r"(?:\s*(?::|\()\s*\d[\d\s]*\)?)?|"
    r"(?:voir|afficher|charger|lire)\s+(?:les\s+|plus\s+de\s+|tous\s+les\s+)?(?:\d+\s+)?"
    r"(?:autres\s+)?(?:commentaires?|reponses?|reactions?)|"
    r"(?:cliquez\s+ici\s+pour\s+)?annuler(?:\s+la\s+reponse)?|"
    r"(?:vous\s+devez\s+etre\s+)?connecte(?:e|\(e\))?\s+pour\s+(?:commenter|reagir|publier\s+un\s+commentaire)|"
    r"connectez-vous\s+pour\s+(?:commenter|reagir|publier\s+un\s+commentaire)|"
    r"votre\s+adresse\s+(?:e-?mail|de\s+messagerie)\s+ne\s+sera\s+pas\s+publiee|"
    r"les\s+champs\s+obligatoires\s+sont\s+(?:indiques|marques)\s+(?:avec|par|d'une)\s*\*?|"
    r"enregistrer\s+mon\s+nom\b.*|trier\s+par\b.*|les\s+plus\s+(?:recents|anciens|populaires)|"
    r"les\s+commentaires\s+sont\s+(?:fermes|clos|desactives)|commentaires\s+(?:fermes|clos)|"
    r"(?:\d+|un|une)\s+(?:commentaires?|reflexions?|reponses?)\s+(?:sur|pour|a)\s+[«\"“].{1,200})"
    r"[\s\W]*$"
)
# "Répondre à Marc Petit": a reply link carries the name of the comment it answers.
_REPLY_TO = re.compile(r"^R[ée]pondre\s+(?:à|a)\s+(?:[A-ZÀ-ÖØ-Þ@][\w'’.-]*\s?){1,3}$")
_CLOSED = re.compile(r"^(?:les\s+)?commentaires\s+(?:sont\s+)?(?:fermes|clos|desactives)\b")
_NUMBER = (
    r"(?<![\d,.])(?P<number>\d{1,3}(?:[ .]\d{3})+|\d+)(?:[.,](?P<decimal>\d))?\s*(?P<k>k)?(?![\d])"
)
_COUNT = re.compile(rf"{_NUMBER}\s*(?:commentaires?|reactions?|reflexions?|avis)\b")
_COUNT_AFTER = re.compile(rf"(?:commentaires?|reactions?)\s*(?::|\()\s*{_NUMBER}")
_ONE = re.compile(r"^(?:un|1)\s+(?:seul\s+)?(?:commentaire|reaction)\b")


def is_empty_notice(text: str | None) -> bool:
    """True for the text a site shows in place of comments when there are none.

    Each sentence must be such a notice, so "Aucun commentaire sur le jeu, tout est dit."
    stays a reader's comment.
    """
    if not isinstance(text, str):
        return False
    return _all_empty_sentences(fold(clean_text(text)))


def _all_empty_sentences(folded: str) -> bool:
    """Sentence by sentence, stopping at the first that is no notice: a reader's comment is
    not cut into all its sentences for a test its first one settles (asked of every comment)."""
    found = False
    start = 0
    for end in _SENTENCE_END.finditer(folded):
        sentence = folded[start : end.start()].strip(" ,;:-")
        start = end.end()
        if sentence:
            if not _EMPTY_SENTENCE.fullmatch(sentence):
                return False
            found = True
    last = folded[start:].strip(" ,;:-")
    return bool(_EMPTY_SENTENCE.fullmatch(last)) if last else found


def is_form_label(text: str | None) -> bool:
    """True for the comment form's own words, which are never a reader's comment."""
    if not isinstance(text, str):
        return False
    cleaned = clean_text(text)
    return _is_form_label(cleaned, fold(cleaned))


def _is_form_label(cleaned: str, folded: str) -> bool:
    return bool(_FORM_LABELS.match(folded) or _REPLY_TO.match(cleaned))


def is_comment_text(text: str | None) -> bool:
    """True unless the text is empty, an empty-section notice or a form label."""
    return isinstance(text, str) and is_clean_comment_text(clean_text(text))


def is_clean_comment_text(cleaned: str) -> bool:
    """is_comment_text of a text that clean_text() gives back unchanged, as extraction holds
    it: cleaning a comment again cost a quarter of the test."""
    # memoized: readers repeat short comments ("Merci !") and sites their labels; a long text
    # is not kept, so that the memo stays small whatever a page holds
    if len(cleaned) > _MEMO_LONGEST:
        return _is_comment_text(cleaned)
    return _memo_comment_text(cleaned)


_MEMO_LONGEST = 2000


def _is_comment_text(cleaned: str) -> bool:
    if not cleaned:
        return False
    folded = fold(cleaned)  # once, for both tests
    return not _all_empty_sentences(folded) and not _is_form_label(cleaned, folded)


_memo_comment_text = lru_cache(maxsize=256)(_is_comment_text)


def parse_comment_count(text: str | None) -> int | None:
    """The count a page shows ("12 commentaires", "Commentaires (3)", "Aucun commentaire")."""
    if not isinstance(text, str):
        return None
    folded = fold(clean_text(text))
    if not folded or _CLOSED.match(folded):
        return None
    if is_empty_notice(folded):
        return 0
    if _ONE.match(folded):
        return 1
    if re.fullmatch(r"\(?\s*\d{1,7}\s*\)?", folded):  # the bare number beside a speech bubble
        return int(folded.strip("() "))
    match = _COUNT.search(folded) or _COUNT_AFTER.search(folded)
    if not match:
        return None
    number = int(re.sub(r"\D", "", match["number"]))
    if match["k"]:  # "1,2k commentaires"
        return number * 1000 + int(match["decimal"] or 0) * 100
    if match["decimal"]:
        return None  # "1,5 commentaire" is no count
    return number
