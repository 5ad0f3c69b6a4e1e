"""Who wrote the page, on invented pages shaped like the sites that misled the byline reader."""

from archiver.extract.read import read_article

_BODY = (
    "<p>"
    + "Der Stadtrat hat am Abend über den neuen Haushalt beraten und abgestimmt. " * 6
    + "</p>"
)


def _page(head: str, article: str, after: str = "") -> str:
    return (
        f"<html><head><title>Haushalt beschlossen</title>{head}</head><body>"
        f"<article><h1>Haushalt beschlossen</h1>{article}{_BODY}{after}</article></body></html>"
    )


def test_bylines_of_teasers_below_the_text_are_not_its_authors() -> None:
    teasers = "".join(
        f"<div class='teaser'><h3>Weitere Meldung {n}</h3><p>{_BODY}</p>"
        f"<span class='author'>Von {name}</span></div>"
        for n, name in enumerate(["Jonas Albrecht", "Mira Stein"])
    )
    page = _page("", "<p class='byline'>Von Nora Brandt</p>", f"<section>{teasers}</section>")
    article = read_article(page, "https://zeitung.example/haushalt", force=True)
    assert article is not None
    assert article.authors == ["Nora Brandt"]


def test_bylines_side_by_side_are_all_the_authors() -> None:
    byline = (
        "<div class='meta'><span class='author'>Nora Brandt</span>, "
        "<span class='author'>Jonas Albrecht</span></div>"
    )
    article = read_article(_page("", byline), "https://zeitung.example/haushalt", force=True)
    assert article is not None
    assert article.authors == ["Nora Brandt", "Jonas Albrecht"]


def test_a_labelled_line_after_the_text_names_the_author() -> None:
    paragraphs = "".join(
        f"<p>Absatz {n}: Der Rat tagte lange und vertagte sich.</p>" for n in range(40)
    )
    after = f"{paragraphs}<p class='meta'><b>Autorin:</b> <a href='/team'>Nora Brandt</a></p>"
    article = read_article(_page("", "", after), "https://zeitung.example/haushalt", force=True)
    assert article is not None
    assert article.authors == ["Nora Brandt"]


def test_a_line_of_prose_starting_with_by_names_no_one() -> None:
    after = "<p>by the way, the vote was close</p>"
    article = read_article(_page("", "", after), "https://zeitung.example/haushalt", force=True)
    assert article is not None
    assert article.authors == []
