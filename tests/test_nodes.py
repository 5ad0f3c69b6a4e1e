"""The element helpers that replace XPath scans: same text, same tree as parsel's way."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from parsel import Selector

from archiver.extract.body import extract_body
from archiver.extract.nodes import (
    TextNode,
    class_words,
    descendant_texts,
    drop_elements,
    element_text,
    following_texts,
    nodes_after,
    parse_html,
    text_of,
    top_elements,
)

PAGE = """<html><body><div id="a">Avant <b>gras</b><!-- note --> après
<script>var x = "caché";</script> fin <noscript><p id="n">Activez <i>JS</i></p></noscript>
<style>p {}</style>&amp; suite</div><p id="solo" class=" chapo  lead ">Chapô</p></body></html>"""


def test_element_text_matches_the_visible_text_xpath() -> None:
    sel = Selector(text=PAGE)
    visible = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
    for node in sel.xpath("//*"):
        expected = " ".join(" ".join(node.xpath(visible).getall()).split())
        assert text_of(node) == expected, node.root.tag
    assert element_text(sel.css("#a")[0].root) == "Avant gras après fin & suite"


def test_text_inside_a_noscript_is_not_visible() -> None:
    sel = Selector(text=PAGE)
    assert element_text(sel.css("#n")[0].root) == ""
    assert element_text(None) == ""


def test_class_words() -> None:
    sel = Selector(text=PAGE)
    assert class_words(sel.css("#solo")[0].root.get("class")) == ["chapo", "lead"]
    assert class_words(sel.css("#a")[0].root.get("class")) == []


def test_drop_elements_keeps_the_text_that_follows() -> None:
    sel = Selector(text="<div><p>un</p><span>deux</span> trois<i>quatre</i> cinq</div>")
    drop_elements([sel.css("span")[0].root, sel.css("i")[0].root, sel.css("span")[0].root])
    assert text_of(sel.css("div")[0]) == "un trois cinq"


def test_drop_elements_keeps_text_that_holds_characters_lxml_refuses() -> None:
    sel = Selector(text='<body><p><span id="c">Par A</span> Un texte\x1b qui suit.</p></body>')
    drop_elements([sel.css("#c")[0].root])
    assert not sel.css("#c")
    assert text_of(sel.css("p")[0]) == "Un texte qui suit."


def test_a_body_beside_the_root_element_is_read() -> None:
    page = (
        "<html><head><title>t</title></head></html><html><body><article><h1>Titre</h1>"
        "<p>Le texte de l'article, assez long pour être lu comme tel par l'extracteur.</p>"
        "</article></body></html>"
    )
    sel = Selector(text=page)
    assert [e.tag for e in top_elements(sel.root)] == ["html", "html"]
    assert extract_body(sel, "Titre") == [
        "Le texte de l'article, assez long pour être lu comme tel par l'extracteur."
    ]


def test_parse_html_reads_xhtml_as_html() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0'
        ' Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html'
        ' xmlns="http://www.w3.org/1999/xhtml" lang="fr"><head><title>Titre</title></head>'
        "<body><h1>Le titre</h1><p>Texte\x00 ici</p></body></html>"
    )
    sel = parse_html(page)
    assert sel.xpath("//h1/text()").get() == "Le titre"
    assert sel.xpath("/html/@lang").get() == "fr"
    assert text_of(sel.css("p")[0]) == "Texte ici"
    assert parse_html("").xpath("//*") and parse_html(None).root.tag == "html"


def test_parse_html_reads_utf_8_bytes_as_it_reads_their_text() -> None:
    """Bytes are parsed as they are, but for a page that opens with a no-break space or other
    text: the text's strip() would take it off, so they are read as text."""
    for page in (
        "<html><body><p>Noël\x00 à 20 €</p></body></html>\n",
        "\u00a0\u2003<p>Noël</p>\u00a0",
        "\x1c<p>Noël</p>",
        "Noël <b>à</b> 20 €",
        "",
    ):
        as_text = etree.tostring(parse_html(page).root, encoding="unicode")
        assert etree.tostring(parse_html(page.encode()).root, encoding="unicode") == as_text, page


def test_of_two_documents_the_body_with_the_article_is_read() -> None:
    page = (
        "<html><body><p>Menu</p></body></html><html><body><article><h1>Titre</h1>"
        "<p>Le texte de l'article, assez long pour être lu comme tel par l'extracteur.</p>"
        "</article></body></html>"
    )
    assert extract_body(parse_html(page), "Titre") == [
        "Le texte de l'article, assez long pour être lu comme tel par l'extracteur."
    ]


FOLLOWING = """<html><head><title>T</title></head><body><header><h1 id="h">Titre
<small>sous-titre</small></h1> après le titre<!-- c --> après le commentaire<?pi x?> après
l'instruction <p>Par <a href="/a">Anne</a> et <b>Bob</b></p><script>var s = 1;</script> fin
</header><div><ul><li>un</li> <li>deux<br>trois</li></ul></div>dernier</body></html>
<html><body><p>à côté de la racine</p> reste</body></html>"""


def test_following_texts_are_xpaths_following_text_nodes() -> None:
    """Every text node after an element, in order, with the parent and tail flag lxml's
    XPath gives it: for each element of a page with comments, scripts and a second root."""
    root = parse_html(FOLLOWING).root
    for element in root.xpath("//*"):
        expected = [(str(t), t.getparent(), t.is_tail) for t in element.xpath("following::text()")]
        assert list(following_texts(element)) == expected, element.tag
    after = list(following_texts(root.xpath("//h1")[0]))
    assert [text for text, _, _ in after][:3] == [
        " après le titre",
        " après le commentaire",
        " après\nl'instruction ",
    ]
    assert after[-1][0] == " reste"
    node = TextNode("x", root, True)
    assert node == "x" and node.getparent() is root and node.is_tail


def test_descendant_texts_are_xpaths_descendant_text_nodes() -> None:
    root = parse_html(FOLLOWING).root
    for element in root.xpath("//*"):
        expected = [(str(t), t.getparent(), t.is_tail) for t in element.xpath("descendant::text()")]
        assert list(descendant_texts(element)) == expected, element.tag
    header = root.xpath("//header")[0]
    assert [text for text, _, _ in descendant_texts(header)][:2] == ["Titre\n", "sous-titre"]


def _after_by_listing(element: etree._Element, count: int) -> list[etree._Element]:
    """nodes_after as it was first written: the whole tree listed, then the slice after the
    element (position 0 when the element is not in the root element's subtree)."""
    order = list(element.getroottree().iter())
    start = next((i for i, node in enumerate(order) if node is element), 0)
    return order[start + 1 : start + 1 + count]


def test_nodes_after_is_the_slice_of_the_whole_listing() -> None:
    fixtures = Path(__file__).parent / "fixtures"
    pages = [PAGE, *(f.read_text("utf-8", "replace") for f in sorted(fixtures.glob("*.html")))]
    # a comment and a processing instruction among the nodes; a top element beside the root
    pages.append(
        "<html><body><h1>T</h1><!-- c --><?pi x?><p class='lead'>L</p></body></html><p>x</p>"
    )
    checked = 0
    for page in pages:
        root = parse_html(page).root
        for element in root.getroottree().iter():
            for count in (1, 3, 40):
                assert nodes_after(element, count) == _after_by_listing(element, count)
                checked += 1
        beside = [t for t in top_elements(root) if t is not root]
        for element in beside:
            assert nodes_after(element, 40) == _after_by_listing(element, 40)
    # an element taken out of the tree, as extraction takes out what it has read
    root = parse_html(PAGE).root
    taken = root.find(".//p")
    taken.getparent().remove(taken)
    assert nodes_after(taken, 40) == _after_by_listing(taken, 40) != []
    assert checked > 700
