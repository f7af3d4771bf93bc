"""Links inside an archived page, pointed at the archive: the archived copy of the same round
when there is one, otherwise shown as not archived (no href, so never the app's 404)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urldefrag, urljoin

import lxml.html
from lxml import etree

NOT_ARCHIVED_STYLE = (
    "a[data-niet-gearchiveerd]{text-decoration:line-through;color:#777;cursor:not-allowed}"
)
Lookup = Callable[[Iterable[str]], dict[str, int]]  # absolute URLs -> archived page id


def rewrite_links(html: str, page_url: str, lookup: Lookup) -> str:
    """The page with every link rewritten (see the module docstring)."""
    if not html.strip():
        return html
    try:
        document = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    base = page_url
    for element in document.iter("base"):
        base = urljoin(page_url, element.get("href") or "")
        element.drop_tree()
    links = [a for a in document.iter("a", "area") if a.get("href") is not None]
    targets: dict[etree._Element, tuple[str, str]] = {}
    for link in links:
        href = (link.get("href") or "").strip()
        if href.startswith("#"):
            continue  # within the page
        targets[link] = urldefrag(urljoin(base, href))
    archived = lookup({url for url, _ in targets.values() if url.startswith("http")})
    for link, (url, fragment) in targets.items():
        page_id = archived.get(url)
        if page_id is not None:
            link.set("href", f"/pagina/{page_id}/inhoud" + (f"#{fragment}" if fragment else ""))
            link.set("target", "_self")
        else:
            del link.attrib["href"]
            link.set("data-niet-gearchiveerd", url)
            link.set("title", f"Niet gearchiveerd in deze ronde: {url}")
    head = document.find("head")
    if head is None:
        head = etree.Element("head")
        document.insert(0, head)
    style = etree.SubElement(head, "style")
    style.text = NOT_ARCHIVED_STYLE
    return str(lxml.html.tostring(document, encoding="unicode", doctype="<!doctype html>"))
