"""Soft failures: removed pages that redirect to the home page or answer 200 "not found"."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from parsel import Selector

_NOT_FOUND = re.compile(
    r"(pagina\s+(is\s+)?niet\s+gevonden|niet\s+gevonden|bestaat\s+niet\s+(meer)?|"
    r"page\s+not\s+found|not\s+found|^\W*404\b|\b(error|fout|foutcode|code)\W*404\b|"
    r"\b404\W+(error|fout|pagina|page)|helaas.{0,40}(niet|geen).{0,30}(gevonden|vinden)|"
    r"deze\s+pagina\s+(is\s+)?(verwijderd|niet\s+beschikbaar))",
    re.I,
)


def _is_home(url: str) -> bool:
    path = urlsplit(url).path
    home = re.fullmatch(r"/(index|home|default)(\.\w+)?|/(nl|en)/?", path)
    return path in ("", "/") or home is not None


def redirected_home(requested_url: str, final_url: str, redirected: bool) -> bool:
    """A request for a deeper page that ended on the site's home page."""
    return redirected and _is_home(final_url) and not _is_home(requested_url)


def soft_404_reason(
    requested_url: str,
    final_url: str,
    redirected: bool,
    status: int,
    html: str | Selector | None,
) -> str | None:
    """Why this response is really a removed page, or None. Only the title and the main
    heading are read, so a page that merely mentions "404" somewhere is not gone."""
    if redirected_home(requested_url, final_url, redirected):
        return "redirected to the home page"
    if status != 200 or html is None:
        return None
    sel = html if isinstance(html, Selector) else Selector(text=html or "<html></html>")
    title = " ".join(sel.xpath("//title//text()").getall())
    heading = " ".join(sel.xpath("(//h1)[1]//text()").getall())
    for label, text in (("title", title), ("heading", heading)):
        if _NOT_FOUND.search(text):
            return f"{label} says not found: {' '.join(text.split())[:80]!r}"
    return None
