import pytest

from archiver.normalize.captions import parse_caption
from archiver.normalize.comments import (
    is_comment_text,
    is_empty_notice,
    is_form_label,
    parse_comment_count,
)

# raw caption -> (caption, credit)
CAPTIONS: list[tuple[str | None, str | None, str | None]] = [
    ("Photo Mike Colter", "Mike Colter", None),
    ("Photo Noé Valmont", "Noé Valmont", None),
    ("© Netflix", None, "Netflix"),
    ("©Netflix", None, "Netflix"),
    ("(c) Netflix", None, "Netflix"),
    ("Copyright : Marvel Studios", None, "Marvel Studios"),
    ("Crédit : Marvel", None, "Marvel"),
    ("Crédit photo : Warner Bros.", None, "Warner Bros."),
    ("Crédit photo Netflix", None, "Netflix"),
    ("Crédit : Marvel/Netflix", None, "Marvel/Netflix"),
    ("Crédits photo : David Lee / Netflix", None, "David Lee / Netflix"),
    ("Source : Netflix", None, "Netflix"),
    ("Photo : AFP", None, "AFP"),
    ("Photo DR", None, "DR"),
    ("Photo Jessica Jones / Netflix", "Jessica Jones", "Netflix"),
    ("Photo : Jessica Jones / Netflix", "Jessica Jones", "Netflix"),
    ("Photo Nintendo Switch / Nintendo", "Nintendo Switch", "Nintendo"),
    ("(Crédits : Marvel/Netflix)", None, "Marvel/Netflix"),
    ("Mike Colter dans Luke Cage (© Netflix)", "Mike Colter dans Luke Cage", "Netflix"),
    ("Mike Colter dans Luke Cage [© Netflix]", "Mike Colter dans Luke Cage", "Netflix"),
    ("Mike Colter dans Luke Cage © Netflix", "Mike Colter dans Luke Cage", "Netflix"),
    ("Mike Colter dans Luke Cage (Photo : Netflix)", "Mike Colter dans Luke Cage", "Netflix"),
    ("Mike Colter dans Luke Cage (Photo Netflix)", "Mike Colter dans Luke Cage", "Netflix"),
    ("Omar Sy dans Lupin (AFP)", "Omar Sy dans Lupin", "AFP"),
    ("Emma Corrin incarne Diana Spencer (© Netflix)", "Emma Corrin incarne Diana Spencer", "Netflix"),
    ("Mike Colter dans Luke Cage - Crédit photo : Netflix", "Mike Colter dans Luke Cage", "Netflix"),
    ("Mike Colter dans Luke Cage | Crédits : Netflix", "Mike Colter dans Luke Cage", "Netflix"),
    ("Mike Colter dans Luke Cage. © Netflix 2016", "Mike Colter dans Luke Cage.", "Netflix 2016"),
    ("La scène finale du film. Crédit photo : Warner Bros.", "La scène finale du film.", "Warner Bros."),
    ("Mike Colter et Simone Missick. Photo : David Lee / Netflix", "Mike Colter et Simone Missick.", "David Lee / Netflix"),
    ("Légende : Mike Colter à Harlem", "Mike Colter à Harlem", None),
    ("Roman Prymula, photo : Archives du gouvernement", "Roman Prymula", "Archives du gouvernement"),
    ("Omar Sy à Cannes. Foto: Getty Images", "Omar Sy à Cannes.", "Getty Images"),
    ("Omar Sy à Cannes (Foto: AFP)", "Omar Sy à Cannes", "AFP"),
    ("Photos : © Netflix", None, "Netflix"),
    # no sign of a credit: all caption
    ("Un plan du film (2016)", "Un plan du film (2016)", None),
    ("Mike Colter dans Luke Cage (Netflix)", "Mike Colter dans Luke Cage (Netflix)", None),
    ("Mike Colter (à gauche) et Simone Missick", "Mike Colter (à gauche) et Simone Missick", None),
    ("Photo d'illustration", "Photo d'illustration", None),
    ("Photo prise sur le tournage à Harlem", "Photo prise sur le tournage à Harlem", None),
    ("Mike Colter pose pour la photo : sourire de rigueur", "Mike Colter pose pour la photo : sourire de rigueur", None),
    ("Le crédit d'impôt cinéma en débat", "Le crédit d'impôt cinéma en débat", None),
    ("La question du copyright des images", "La question du copyright des images", None),
    # nothing at all
    ("©", None, None),
    ("Photo :", None, None),
    ("", None, None),
    (None, None, None),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "caption", "credit"), CAPTIONS)
def test_caption_table(raw: str | None, caption: str | None, credit: str | None) -> None:
    assert parse_caption(raw) == (caption, credit)


# Strings found in comment sections, by what they are.
EMPTY_NOTICES = [
    "Aucun commentaire.", "Aucun commentaire", "aucun commentaire pour le moment",
    "Aucun commentaire pour l'instant. Soyez le premier à réagir !",
    "Soyez le premier à commenter", "Soyez le premier à commenter !",
    "Soyez la première à commenter cet article !", "Sois le premier à réagir",
    "0 commentaire", "0 commentaires", "Commentaires (0)", "Commentaires : 0", "0 réaction",
    "Il n'y a pas encore de commentaire.", "Pas de commentaires pour l'instant",
    "Aucune réaction pour le moment.", "Cet article n'a pas encore de commentaire.",
    "Personne n'a encore commenté.", "Laissez le premier commentaire !",
]  # fmt: skip
FORM_LABELS = [
    "votre commentaire", "Votre commentaire *", "Laisser un commentaire",
    "Laissez un commentaire", "Écrire un commentaire", "Publier le commentaire", "Répondre",
    "Répondre ↓", "Répondre à Marc Petit", "Annuler la réponse", "Nom *", "E-mail *",
    "Votre adresse e-mail ne sera pas publiée.", "Signaler un abus", "J'aime", "Commentaires",
    "12 commentaires", "Voir les 3 réponses", "Charger plus de commentaires",
    "Vous devez être connecté pour publier un commentaire.", "Connectez-vous pour réagir",
    "Les commentaires sont fermés.", "Trier par : les plus récents",
    "12 commentaires sur « Luke Cage a-t-il fait crasher les serveurs de Netflix ? »",
]  # fmt: skip
REAL_COMMENTS = [
    "Répondre à ça ? Jamais, la saison 2 est meilleure.",
    "Aucun commentaire sur le jeu d'acteur, tout est dit.",
    "Commentaire pour l'auteur : merci pour cet article !",
    "Super série, vivement la saison 2 !",
    "Soyez patients, Netflix a tout réparé dans la nuit.",
    "0 défaut pour moi, la meilleure série Marvel.",
]


@pytest.mark.parametrize("text", EMPTY_NOTICES)
def test_empty_notices(text: str) -> None:
    assert is_empty_notice(text)
    assert not is_comment_text(text)
    assert parse_comment_count(text) == 0


@pytest.mark.parametrize("text", FORM_LABELS)
def test_form_labels_are_never_comments(text: str) -> None:
    assert is_form_label(text)
    assert not is_comment_text(text)


@pytest.mark.parametrize("text", REAL_COMMENTS)
def test_real_comments_stay_comments(text: str) -> None:
    assert is_comment_text(text)
    assert not is_empty_notice(text)
    assert not is_form_label(text)


@pytest.mark.parametrize(
    ("text", "count"),
    [("12 commentaires", 12), ("1 commentaire", 1), ("Un commentaire", 1), ("Aucun commentaire.", 0),
     ("1 234 réactions", 1234), ("1.234 commentaires", 1234), ("1,2k commentaires", 1200),
     ("Commentaires (12)", 12), ("Commentaires : 7", 7), ("Lire les 45 commentaires", 45),
     ("12", 12), ("(3)", 3), ("Publié le 3 octobre 2016, 2 commentaires", 2),
     ("12 commentaires sur « Luke Cage »", 12), ("Commentaires", None),
     ("Les commentaires sont fermés.", None), ("Luke Cage", None), ("", None), (None, None)],
)  # fmt: skip
def test_comment_count_shown(text: str | None, count: int | None) -> None:
    assert parse_comment_count(text) == count
