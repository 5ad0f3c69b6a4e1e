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


def _with_metadata(author: str, byline: str, url: str, site: str = "") -> list[str]:
    head = f"<meta name='author' content='{author}'>" + (
        f"<meta property='og:site_name' content='{site}'>" if site else ""
    )
    article = read_article(_page(head, f"<p class='byline'>{byline}</p>"), url, force=True)
    assert article is not None
    return article.authors


def test_the_hosts_name_as_author_gives_way_to_the_printed_byline() -> None:
    assert _with_metadata("Stadtblick", "Von Nora Brandt", "https://stadtblick.example/a") == [
        "Nora Brandt"
    ]
    assert _with_metadata("Die Rundschau", "Von Nora Brandt", "https://rundschau.example/a") == [
        "Nora Brandt"
    ]


def test_an_acronym_as_author_gives_way_to_the_printed_byline() -> None:
    given = "Landesamt für Forsten - LAF"
    assert _with_metadata(given, "Nora Brandt", "https://forst.example/a") == ["Nora Brandt"]


def test_a_user_name_gives_way_to_the_name_the_byline_prints() -> None:
    assert _with_metadata("norabrandt", "von Nora Brandt", "https://blog.example/a") == [
        "Nora Brandt"
    ]


def test_a_person_named_like_the_host_keeps_the_metadatas_name() -> None:
    authors = _with_metadata("Nora Brandt", "Von Jonas Albrecht", "https://brandt.example/a")
    assert authors == ["Nora Brandt"]


def _near_title(line: str) -> list[str]:
    article = read_article(_page("", line), "https://zeitung.example/haushalt", force=True)
    assert article is not None
    return article.authors


def test_a_byline_word_after_a_separator_names_the_author() -> None:
    assert _near_title("<p>Politik <span>| By </span><a>Nora Brandt</a> | 3.5.2021</p>") == [
        "Nora Brandt"
    ]
    assert _near_title("<p>---- by Nora Brandt</p>") == ["Nora Brandt"]


def test_a_date_then_a_name_under_the_headline_names_the_author() -> None:
    assert _near_title("<p>11.12.2019 - Nora Brandt</p>") == ["Nora Brandt"]
    assert _near_title("<p>06.11.2023 13:30 von Nora</p>") == ["Nora"]


def test_a_date_then_one_word_is_a_dateline() -> None:
    assert _near_title("<p>11.12.2019 - Lindau</p>") == []


def _read(head: str, article: str, after: str = "") -> list[str]:
    page = _page(head, article, after)
    found = read_article(page, "https://zeitung.example/haushalt", force=True)
    assert found is not None
    return found.authors


def test_a_picture_credit_marked_as_byline_yields_to_the_line_under_the_headline() -> None:
    byline = "<p>Von Nora Brandt</p><div class='author'>Foto: Max Winter</div>"
    assert _read("", byline) == ["Nora Brandt"]


def test_the_sites_meta_author_yields_to_a_labelled_line() -> None:
    head = "<meta name='author' content='Heimatverein Lindau'>"
    assert _read(head, "", "<p>Geschrieben von Nora</p>") == ["Nora"]
    head = "<meta name='author' content='Heimatverein Lindau e.V.'>"
    assert _read(head, "", "<p><b>Autorin:</b> Nora Brandt</p>") == ["Nora Brandt"]


def test_a_byline_naming_the_site_yields_to_a_labelled_line() -> None:
    head = "<meta property='og:site_name' content='Stadtblick Magazin'>"
    byline = "<span class='author'>By <a href='/author/redaktion'>Stadtblick Magazin</a></span>"
    after = "<p><em>Written by: Nora Brandt</em></p>"
    assert _read(head, byline, after) == ["Nora Brandt"]


def test_a_first_name_does_not_replace_the_full_name_the_site_bears() -> None:
    head = (
        "<meta property='og:site_name' content='Nora Brandt'>"
        "<meta name='author' content='Nora Brandt'>"
    )
    assert _read(head, "", "<p>By Nora</p>") == ["Nora Brandt"]


def test_a_first_name_in_the_metadata_gives_way_to_the_full_name_printed() -> None:
    head = (
        '<script type=\'application/ld+json\'>{"@type": "NewsArticle", "author": "Nora"}</script>'
    )
    assert _read(head, "<p>By</p><p>Nora Brandt</p>") == ["Nora Brandt"]


def test_a_user_name_in_the_metadata_gives_way_to_the_full_name_other_metadata_give() -> None:
    head = (
        "<script type='application/ld+json'>"
        '{"@type": "NewsArticle", "author": "nora.brandt"}</script>'
        "<meta name='author' content='Nora Brandt'>"
    )
    assert _read(head, "") == ["Nora Brandt"]


def test_a_column_by_under_the_headline_names_the_author() -> None:
    assert _near_title("<p>Eine Kolumne von Nora Brandt</p>") == ["Nora Brandt"]
    assert _near_title("<p>Ein Foto von Nora Brandt</p>") == []


def test_metadata_names_that_read_as_no_name_yield_to_the_byline() -> None:
    given = "Revised Edition Edited by Jonas Weber"
    head = (
        "<script type='application/ld+json'>"
        f'{{"@type": "NewsArticle", "author": "{given}"}}</script>'
    )
    assert _read(head, "<p>---- by Nora Brandt</p>") == ["Nora Brandt"]
