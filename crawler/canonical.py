"""What the spider reads from an HTML page: rel=canonical and links (one parse per page)."""

from __future__ import annotations

from urllib.parse import urljoin

from parsel import Selector

from crawler.links import canonicalise_url


def as_selector(html: str | Selector) -> Selector:
    if isinstance(html, Selector):
        return html
    return Selector(text=html or "<html></html>")


def base_href(sel: Selector, url: str) -> str:
    base = sel.xpath("//head/base/@href").get()
    return urljoin(url, base.strip()) if base else url


def canonical_link(html: str | Selector, base_url: str) -> str | None:
    """The page's `<link rel="canonical">` target (honouring `<base href>`), or None."""
    sel = as_selector(html)
    href = sel.xpath(
        "//head/link[contains(concat(' ', normalize-space(translate(@rel,"
        " 'CANONIL', 'canonil')), ' '), ' canonical ')]/@href"
    ).get()
    if not href or not href.strip():
        return None
    absolute = urljoin(base_href(sel, base_url), href.strip())
    if not absolute.startswith(("http://", "https://")):
        return None
    return canonicalise_url(absolute)


def page_links(html: str | Selector, base_url: str) -> list[tuple[str, str]]:
    """(absolute URL, anchor text) of every <a>/<area> with an http(s) target, in page order,
    without duplicates."""
    sel = as_selector(html)
    base = base_href(sel, base_url)
    seen: set[str] = set()
    links = []
    for node in sel.xpath("//a[@href] | //area[@href]"):
        href = node.attrib["href"].strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        url = urljoin(base, href)
        if not url.startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        links.append((url, " ".join(node.xpath(".//text()").getall()).strip()))
    return links
