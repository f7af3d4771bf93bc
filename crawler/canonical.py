"""rel=canonical of an HTML page, as a canonicalised absolute URL."""

from __future__ import annotations

from urllib.parse import urljoin

from parsel import Selector

from crawler.links import canonicalise_url


def canonical_link(html: str, base_url: str) -> str | None:
    """The page's `<link rel="canonical">` target (honouring `<base href>`), or None."""
    sel = Selector(text=html or "<html></html>")
    href = sel.xpath(
        "//head/link[contains(concat(' ', normalize-space(translate(@rel,"
        " 'CANONIL', 'canonil')), ' '), ' canonical ')]/@href"
    ).get()
    if not href or not href.strip():
        return None
    base = sel.xpath("//head/base/@href").get() or base_url
    absolute = urljoin(urljoin(base_url, base), href.strip())
    if not absolute.startswith(("http://", "https://")):
        return None
    return canonicalise_url(absolute)
