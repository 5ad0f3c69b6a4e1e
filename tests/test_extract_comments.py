"""Comment sections and widgets wherever a broken page leaves them."""

from __future__ import annotations

import pytest

from archiver.extract.comments import extract_comments
from archiver.extract.nodes import parse_html

COMMENT = (
    '<div id="comments"><div class="comment" id="comment-7">'
    '<p class="comment-text">Super article, merci beaucoup !</p></div></div>'
)


def test_a_comment_section_beside_the_root_element_is_read_and_taken_out() -> None:
    sel = parse_html(f"<html><body><p>x</p></body></html><html><body>{COMMENT}</body></html>")
    found = extract_comments(sel)
    assert [(c.id, c.text) for c in found.comments] == [("7", "Super article, merci beaucoup !")]
    assert found.source == "html"
    assert not sel.xpath("//*[@id='comments']")


def test_widgets_are_named_beside_the_root_and_without_attributes() -> None:
    beside = parse_html('<html><body><p>x</p></body></html><div id="disqus_thread"></div>')
    assert extract_comments(beside).source == "external:disqus"
    bare = parse_html("<html><body><p>x</p><fb:comments></fb:comments></body></html>")
    assert extract_comments(bare).source == "external:facebook"


@pytest.mark.parametrize(
    ("markup", "platform"),
    [
        ('<div id="disqus_thread"></div>', "disqus"),
        ('<script src="https://exemple.disqus.com/embed.js"></script>', "disqus"),
        ("<script>var disqus_config = function () {};</script>", "disqus"),
        ('<div class="fb-comments" data-href="https://exemple.test/a"></div>', "facebook"),
        ('<div class="box  fb-comments\tlarge"></div>', "facebook"),
        ('<div id="coral_thread"></div>', "coral"),
        ('<script src="https://cdn.exemple.test/coral/embed.js"></script>', "coral"),
        ('<div data-spotim-module="conversation"></div>', "openweb"),
        ('<script src="https://launcher.spot.im/spot/x"></script>', "openweb"),
        ('<div id="commento"></div>', "commento"),
        ('<div id="hyvor-talk-view"></div>', "hyvor"),
        ('<script src="https://giscus.app/client.js"></script>', "utterances"),
        ('<div id="vuukle-comments"></div>', "vuukle"),
        # named in the first order listed, whichever comes first in the page
        ('<div class="fb-comments"></div><div id="disqus_thread"></div>', "disqus"),
        # near misses: another class token, an id that only starts alike, words in prose
        ('<div class="fb-comments-count"></div>', None),
        ('<div id="disqus_thread_old"></div>', None),
        ("<p>Nos commentaires passent par Disqus et disqus_config.</p>", None),
        ('<div data-spotim-module="pitc"></div>', None),
    ],
)
def test_the_widget_is_named_by_what_it_leaves_in_the_page(markup: str, platform: str) -> None:
    sel = parse_html(f"<html><body><p>Texte.</p>{markup}</body></html>")
    expected = f"external:{platform}" if platform else None
    assert extract_comments(sel).source == expected


def test_a_class_with_a_no_break_space_is_one_word() -> None:
    sel = parse_html(COMMENT.replace('id="comments"', 'class="comments\u00a0box"'))
    assert extract_comments(sel).comments == []  # "comments\u00a0box" is not "comments"


def _spip_message(number: int, author: str, when: str, text: str) -> str:
    return (
        f'<li class="forum-fil"><div class="forum-top"><a id="forum{number}"></a>'
        f'<b class="crayon forum-qui-{number} ">{author}</b>'
        f'<div class="forum-nav">({when})</div>:</div><div class="forum-message">'
        f'<div class="forum-chapo"><strong class="forum-titre">Un titre</strong></div>'
        f'<div class="crayon forum-texte-{number} forum-texte"><p>{text}</p></div></div></li>'
    )


def test_a_spip_forum_is_the_comment_section() -> None:
    """SPIP, the French CMS, prints its comments as a "forum"."""
    messages = _spip_message(1, "Red Bastard", "22 juin 2018 @11h29", "Même argument, en somme.")
    sel = parse_html(
        '<html><body><ul class="menu"><li class="forum"><a href="/forum">Forum</a></li></ul>'
        f'<article><p>Le texte.</p></article><div class="divforum"><h2>2 commentaires</h2>'
        f'<ul class="forum">{messages}{_spip_message(2, "Zoé", "23 juin 2018", "Merci !")}'
        "</ul></div></body></html>"
    )
    found = extract_comments(sel)
    assert [(c.id, c.author, c.published_raw, c.text) for c in found.comments] == [
        ("1", "Red Bastard", "(22 juin 2018 @11h29)", "Même argument, en somme."),
        ("2", "Zoé", "(23 juin 2018)", "Merci !"),
    ]
    assert found.shown == 2 and found.source == "html"
    assert not sel.xpath("//*[@class='divforum']")
    assert sel.xpath("//li[@class='forum']")  # a menu item that says forum is left alone


def test_a_count_inside_a_comment_is_not_the_sections_count() -> None:
    """A likes counter (class "count") in a comment is no count of comments."""
    sel = parse_html(
        '<html><body><div id="comments"><h2>Réagissez</h2>'
        '<div class="comment" id="comment-1"><p class="comment-text">Très bon film !</p>'
        '<span class="count">7</span></div></div></body></html>'
    )
    found = extract_comments(sel)
    assert [c.text for c in found.comments] == ["Très bon film !"]
    assert found.shown is None
