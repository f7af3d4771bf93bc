"""Decide whether a fetched HTML page is built by scripts and needs a real browser (render=auto)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from parsel import Selector

# Containers that usually hold a listing of courses; empty ones are filled by scripts.
_LISTING_HINT = re.compile(
    r"(list|listing|results|resultaten|courses|cursus|cursussen|opleiding|aanbod|catalog"
    r"|catalogus|overview|overzicht|grid|cards|items|search|zoek|app|root)",
    re.I,
)
_SCRIPT_FETCH = re.compile(
    r"(fetch\s*\(|XMLHttpRequest|\$\.(ajax|get|getJSON)\s*\(|axios\.|innerHTML|"
    r"insertAdjacentHTML|createElement\(\s*['\"]a['\"]|appendChild)",
)
_NOSCRIPT_HINT = re.compile(r"javascript|enable js|inschakelen|aanzetten|browser", re.I)
_APP_ROOT_IDS = {"app", "root", "__next", "__nuxt", "main-app", "svelte"}
MIN_TEXT_CHARS = 400


def visible_text_length(sel: Selector) -> int:
    texts = sel.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style)"
        " and not(ancestor::noscript) and not(ancestor::template)]"
    ).getall()
    return len(" ".join(" ".join(texts).split()))


def _empty_containers(sel: Selector) -> list[str]:
    found = []
    for node in sel.xpath("//body//*[@id or @class]"):
        label = f"{node.attrib.get('id', '')} {node.attrib.get('class', '')}"
        if not _LISTING_HINT.search(label):
            continue
        if node.xpath("normalize-space(string(.))").get() == "" and not node.xpath(".//a|.//img"):
            found.append(label.strip())
    return found


def rendering_reason(html: str | Selector) -> str | None:
    """Why this page seems to be built by scripts (so render=auto renders it), or None.

    Rules, in order: an empty app root (#app/#root/#__next); an empty listing container
    next to a script that fetches data or inserts elements; a <noscript> that asks for
    JavaScript; little visible text but scripts that build the page."""
    sel = html if isinstance(html, Selector) else Selector(text=html or "<html></html>")
    scripts = sel.xpath("//script")
    if not scripts:
        return None
    inline = " ".join(sel.xpath("//script[not(@src)]/text()").getall())
    fetches = bool(_SCRIPT_FETCH.search(inline)) or bool(sel.xpath("//script[@src]"))
    for node in sel.xpath("//body//*[@id]"):
        if node.attrib["id"].lower() in _APP_ROOT_IDS and not node.xpath("./*"):
            if node.xpath("normalize-space(string(.))").get() == "":
                return f"empty app root #{node.attrib['id']}"
    empty = _empty_containers(sel)
    if empty and fetches:
        return f"empty listing container ({empty[0]}) filled by script"
    noscript = " ".join(sel.xpath("//noscript//text()").getall())
    if noscript and _NOSCRIPT_HINT.search(noscript):
        return "noscript asks for JavaScript"
    text_chars = visible_text_length(sel)
    links = len(sel.xpath("//body//a[@href]"))
    if text_chars < MIN_TEXT_CHARS and links < 5 and (len(scripts) >= 3 or fetches):
        return f"little text ({text_chars} chars) and {len(scripts)} scripts"
    return None


@dataclass
class RenderPlan:
    """render=auto without fetching every script-built page twice: once an institution's
    plain pages have shown to be script-built (at least `switch_after` of them, and at least
    half of those checked), its later pages are rendered directly, without a plain fetch
    first. A site with one script-built listing among static pages stays plain."""

    switch_after: int = 2
    checked: Counter[str] = field(default_factory=Counter)
    script_built: Counter[str] = field(default_factory=Counter)
    direct: set[str] = field(default_factory=set)

    def observe(self, institution: str, needs_rendering: bool) -> bool:
        """Count one plain HTML page; True when this makes the institution switch."""
        self.checked[institution] += 1
        self.script_built[institution] += needs_rendering
        if institution in self.direct or self.switch_after < 1:
            return False
        built, checked = self.script_built[institution], self.checked[institution]
        if built >= self.switch_after and 2 * built >= checked:
            self.direct.add(institution)
            return True
        return False

    def renders_directly(self, institution: str) -> bool:
        return institution in self.direct
