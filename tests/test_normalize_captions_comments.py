import pytest

from archiver.normalize.captions import parse_caption
from archiver.normalize.comments import is_comment_text, parse_comment_count


@pytest.mark.parametrize(
    ("raw", "caption", "credit"),
    [
        ("Photo Mike Colter", "Mike Colter", None),
        ("© Netflix", None, "Netflix"),
        ("Crédit : Marvel", None, "Marvel"),
        ("Crédit photo : Warner Bros.", None, "Warner Bros."),
        ("Photo Jessica Jones / Netflix", "Jessica Jones", "Netflix"),
        ("Photo : Jessica Jones / Netflix", "Jessica Jones", "Netflix"),
        ("(Crédits : Marvel/Netflix)", None, "Marvel/Netflix"),
        ("Mike Colter dans Luke Cage (© Netflix)", "Mike Colter dans Luke Cage", "Netflix"),
        (
            "La scène finale du film. Crédit photo : Warner Bros.",
            "La scène finale du film.",
            "Warner Bros.",
        ),
        ("Un plan du film (2016)", "Un plan du film (2016)", None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_caption_and_credit(raw: str | None, caption: str | None, credit: str | None) -> None:
    assert parse_caption(raw) == (caption, credit)


@pytest.mark.parametrize(
    "text",
    ["Aucun commentaire.", "Soyez le premier à commenter !", "0 commentaire", "votre commentaire",
     "Laisser un commentaire", "Répondre", "commentaires", ""],
)  # fmt: skip
def test_section_furniture_is_not_a_comment(text: str) -> None:
    assert not is_comment_text(text)


def test_a_real_comment_is_one() -> None:
    assert is_comment_text("Répondre à ça ? Jamais, la saison 2 est meilleure.")


@pytest.mark.parametrize(
    ("text", "count"),
    [("12 commentaires", 12), ("1 commentaire", 1), ("Aucun commentaire.", 0), ("1 234 réactions", 1234),
     ("Commentaires", None)],
)  # fmt: skip
def test_comment_count_shown(text: str, count: int | None) -> None:
    assert parse_comment_count(text) == count
