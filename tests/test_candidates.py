"""The one-walk candidate finder says what the XPath predicates it replaced said, element for
element, on a page written to try every clause of them."""

from __future__ import annotations

from parsel import Selector

from archiver.extract.candidates import attached, find_candidates, own_text_nodes
from archiver.extract.comments import comment_parts
from archiver.extract.nodes import class_words, drop_elements, has_class

# The predicates as XPath and CSS, as the extractor used to query them: the reference.
BYLINE = (
    has_class("byline", "author", "auteur", "signature", "article-author", "post-author", "by")
    + " or @rel='author' or @itemprop='author'"
    " or ((contains(@class, 'author') or contains(@id, 'author') or contains(@class, 'byline')"
    " or contains(@class, 'autor') or contains(@class, 'Author') or contains(@class, 'Byline'))"
    " and not(self::body or self::article or self::main or self::html))"
)
DATE = (
    "self::time or "
    + has_class(
        "date", "published", "post-date", "article-date", "entry-date", "updated", "maj",
        "date-publication", "publication-date", "timestamp", "dateline",
    )
    + " or ((contains(@class, 'date') or contains(@class, 'datum') or contains(@class, 'Date')"
    " or contains(@class, 'publish')) and not(self::td or self::th or ancestor::table)"
    " and not(self::body or self::article or self::main))"
)  # fmt: skip
LEAD = (
    ".lead, .chapo, .chapeau, .article-lead, .standfirst, .intro, .excerpt, [itemprop=description]"
)
TAGS = "a[rel~=tag]::text, .tags a::text, .article-tags a::text, .keywords a::text"
MICROFORMAT = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' published ')]/@title"
    " | //*[@property='schema:datePublished' or @property='schema:dateCreated'"
    " or @property='dc:date' or @property='dc:created' or @property='dcterms:created'"
    " or @property='dcterms:issued']/@content"
)

PAGE = """<html><head><title>t</title><link rel="canonical" href="/c"></head>
<body class="single author-page status-publish">
<main class="post-author-wrap"><article class="c-byline__wrap">
<header><h1>Titre</h1><h3>Sous-titre</h3><h5>non</h5>
<p class="chapo">Le chapô de l'article.</p><p class="chapo-suite">pas un chapô</p>
<div class="c-byline__name">Par <a rel="author" href="/auteur/a">Anne</a></div>
<span id="author-box">Boîte</span><span class="Autorenzeile">Von B</span>
<span class="ByLine">C</span><span class="\tby\n">D</span><span class="bypass">pas</span>
<div itemprop="author"><span itemprop="name">E</span></div>
<time datetime="2016-10-03">3 octobre 2016</time><span class="maj">Mis à jour</span>
<span class="meta__date">hier</span><span class="article-datum">1.2.2022</span>
<span class="Datestamp">x</span><span class="status-publish">long</span>
<abbr class="published" title="2017-09-09T10:52:00+02:00">9 sept.</abbr>
<span property="dc:date" content="2017-09-10">10</span>
</header>
<div itemprop="description">Résumé</div><div class="intro\u00a0lead">nbsp</div>
<table><tr><td class="date">td</td><td class="pubdate">td2</td>
<td><span class="entry-date">dans table</span><span class="datum">non</span></td></tr></table>
<p class="tags">Tags : <a href="/t/1">Netflix</a> <a>Marvel <b>!</b> Studios</a></p>
<ul class="keywords"><li><a href="/k">Séries</a></li></ul>
<a rel="nofollow tag" href="/t/2">Luke Cage</a><a rel="tagged">non</a>
<div class="tags"><a class="tags" href="/t/3">Box</a></div>
</article></main></body></html><html><body><p class="byline">Beside the root</p></body></html>"""


def test_the_walk_finds_what_the_xpath_found() -> None:
    sel = Selector(text=PAGE)
    found = find_candidates(sel.root)
    assert found.bylines == [m.root for m in sel.xpath(f"//*[{BYLINE}]")]
    assert found.dates == [m.root for m in sel.xpath(f"//*[{DATE}]")]
    assert found.leads == [m.root for m in sel.css(LEAD)]
    assert [t for a in found.tag_links for t in own_text_nodes(a)] == sel.css(TAGS).getall()
    assert [value for _, value in found.microformat_dates] == sel.xpath(MICROFORMAT).getall()
    people = "//*[@itemprop='author' or @itemprop='description']"
    assert found.with_itemprop(sel.root, "author", "description") == [
        m.root for m in sel.xpath(people)
    ]
    for listed, query in (
        (found.headings, "//h1 | //h2 | //h3 | //h4"),
        (found.titles, "//title"),
        (found.links, "//link"),
    ):
        assert listed == [m.root for m in sel.xpath(query)] and listed
    # the page's own examples, so that the comparison is not of two empty lists
    assert len(found.bylines) == 6 and len(found.dates) == 9 and len(found.leads) == 2
    assert sel.css(TAGS).getall() == [
        "Netflix",
        "Marvel ",
        " Studios",
        "Séries",
        "Luke Cage",
        "Box",
    ]


def test_class_words_split_as_xpath_does() -> None:
    assert class_words(" a\tb\nc ") == ["a", "b", "c"]
    assert class_words("intro\u00a0lead") == ["intro\u00a0lead"]
    assert class_words("tags\x0bbox  x") == ["tags\x0bbox", "x"]  # str.split() would cut it
    assert class_words(None) == class_words("") == []


def test_attached_tells_dropped_elements() -> None:
    sel = Selector(text=PAGE)
    found = find_candidates(sel.root)
    beside = found.bylines[-1]
    assert attached(found.bylines[0], sel.root) and attached(beside, sel.root)
    drop_elements([found.bylines[0].getparent()])
    assert not attached(found.bylines[0], sel.root) and not attached(found.bylines[1], sel.root)
    assert attached(found.dates[-1], sel.root) and not attached(found.dates[0], sel.root)
    drop_elements([beside])
    assert not attached(beside, sel.root) and attached(found.dates[-1], sel.root)
    # a top element beside the root, behind a comment, is still in the document
    two = Selector(text="<html><body><p>a</p></body></html><!-- c --><div><p>b</p></div>")
    second = two.root.getnext().getnext()
    assert second.tag == "html" and attached(second.find(".//p"), two.root)


COMMENTS = """<html><body><div id="comments"><ol class="commentlist">
<li class="comment" itemscope itemtype="http://schema.org/Comment">A</li></ol></div>
<section class="comments\u00a0box">pas une section</section><div itemprop="comment">B</div>
<div class="comment-list x">C</div></body></html>
<html><body><aside id="respond">D</aside></body></html>"""


def test_the_walk_finds_the_comment_sections_comments_would_find() -> None:
    sel = Selector(text=COMMENTS)
    found = find_candidates(sel.root).comments
    alone = comment_parts(sel.root)
    assert found.sections == alone.sections and found.microdata == alone.microdata
    assert [e.get("id") or e.get("class") or e.get("itemprop") for e in found.sections] == [
        "comments",
        "commentlist",
        "comment",
        "comment-list x",
        "respond",
    ]
    assert [e.text for e in found.microdata] == ["A"]


def test_the_first_h1_title_is_read_under_the_root_only() -> None:
    """As `sel.css("h1")` read it: the first h1 with text, not one beside the root element."""
    from archiver.extract.nodes import text_of
    from archiver.extract.page import _first_h1_text

    for html, title in (
        ("<html><body><h1> </h1><h1>A</h1></body></html><html><body><h1>B</h1></body></html>", "A"),
        ("<html><body><p>x</p></body></html><html><body><h1>B</h1></body></html>", None),
        ("<html><body><h2>C</h2><h1>D</h1></body></html>", "D"),
    ):
        sel = Selector(text=html)
        expected = next((t for t in (text_of(n) for n in sel.css("h1")) if t), None)
        assert _first_h1_text(find_candidates(sel.root).headings, sel.root) == expected == title
