"""Comment sections and widgets wherever a broken page leaves them."""

from __future__ import annotations

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


def test_a_class_with_a_no_break_space_is_one_word() -> None:
    sel = parse_html(COMMENT.replace('id="comments"', 'class="comments\u00a0box"'))
    assert extract_comments(sel).comments == []  # "comments\u00a0box" is not "comments"
