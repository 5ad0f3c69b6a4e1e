"""Images of the article with the caption text tied to each of them."""

from __future__ import annotations

from urllib.parse import urljoin

from parsel import Selector

from archiver.extract.nodes import drop_all, text_of
from archiver.items import Image

_OUTSIDE_ARTICLE = "ancestor::header or ancestor::nav or ancestor::footer or ancestor::aside"
_CAPTION_SIBLING = (
    "following-sibling::*[1][self::figcaption or contains(@class, 'caption') "
    "or contains(@class, 'legende') or contains(@class, 'credit')]"
)


def image_src(img: Selector, base_url: str) -> str | None:
    for attr in ("src", "data-src", "data-lazy-src", "data-original", "srcset", "data-srcset"):
        value = (img.attrib.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return urljoin(base_url, value.split(",")[0].split()[0])
    return None


def extract_images(sel: Selector, base_url: str) -> list[Image]:
    """Figures and captioned images, in page order; their captions are then removed from the tree.

    A caption is the figure's figcaption, else a caption-like element right after the image,
    else the image's title or alt text.
    """
    images: list[Image] = []
    seen: set[str] = set()
    caption_nodes = []
    for img in sel.xpath(f"//img[not({_OUTSIDE_ARTICLE})]"):
        src = image_src(img, base_url)
        if not src or src in seen:
            continue
        figure = img.xpath("ancestor::figure[1]")
        caption_node = figure.xpath(".//figcaption") if figure else img.xpath(_CAPTION_SIBLING)
        if not caption_node and not figure:
            caption_node = img.xpath(f"parent::*/{_CAPTION_SIBLING}")
        caption_raw = text_of(caption_node[0]) if caption_node else ""
        if not figure and not caption_raw:
            continue  # an image outside any figure and without a caption is decoration
        seen.add(src)
        caption_nodes.extend(caption_node)
        alt = img.attrib.get("alt") or None
        images.append(
            Image(src=src, caption_raw=caption_raw or img.attrib.get("title") or alt, alt=alt)
        )
    drop_all(caption_nodes)
    drop_all(sel.xpath(f"//figure[not({_OUTSIDE_ARTICLE})]"))
    return images
