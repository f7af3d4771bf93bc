"""Extract offer candidates (course names, context, cues, codes) from archived payloads."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from matcher.cues import find_cues as _kind_cues
from matcher.cues import leads_to_certificate, named_certificate, published_date
from matcher.levels import name_cues
from matcher.sanitise import sanitise_text
from matcher.segments import Block, html_sections, is_section_heading, pdf_blocks, table_rows
from snapshots.payload import decode_html, is_pdf, pdf_text

PageKind = Literal["detail", "listing", "news", "pdf", "empty"]
Source = Literal["jsonld", "h1", "og:title", "title", "card", "list", "pdf", "text", "section"]
KIND_CUES: Final = frozenset({"certificate", "diploma", "private", "lnv"})
SNIPPET_CHARS: Final = 300
CARD_TEXT_MAX: Final = 1500
MIN_CARDS_FOR_LISTING: Final = 3
LISTING_FRAME_SHARE: Final = 0.5  # a listing has less than half its text outside the cards

_TEXT_CODE = re.compile(r"(?<![\w-])([KC])[ \u00a0]?([01]\d{3})(?![\w])")
_URL_CODE = re.compile(r"(?<![a-z0-9])([kc])-?([01]\d{3})(?![0-9])", re.IGNORECASE)
_NEWS_PATH = re.compile(
    r"/(nieuws|news|blog|blogs|actueel|nieuwsberichten|pers|verhalen)(/|$)", re.IGNORECASE
)
_PDF_TITLE_LINE = re.compile(
    r"^(?i:mbo[- ]?certificaat|keuzedeel|certificaattraject)\s*[:–-]?\s+([A-Z].{3,})"
)
_TEXT_BLOCKS: Final = ("p", "li", "dd", "td", "h2", "h3", "h4")
_NEWS_TYPES: Final = frozenset({"NewsArticle", "BlogPosting", "Article", "Report"})
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·-]\s+|\s*::\s*")
_BOILERPLATE = re.compile(
    r"(^|[\s_-])(nav|navbar|navigation|menu|mainmenu|footer|breadcrumbs?|cookies?|cookiebar|"
    r"skip|skiplink|social|share|sharing|newsletter|sidebar|topbar)($|[\s_-])",
    re.IGNORECASE,
)
_CARD_CLASS = re.compile(
    r"card|course|cursus|product|tile|teaser|item|result|offer|aanbod|"
    r"certifica|traject",
    re.IGNORECASE,
)
_LINK_CARD_CLASS = re.compile(r"card|course|cursus|product|tile|teaser", re.IGNORECASE)
_BLOCK_TAGS: Final = (
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "td",
    "th",
    "tr",
    "dt",
    "dd",
    "br",
    "main",
    "header",
    "table",
    "dl",
    "span",
    "a",
)
_DROP_TAGS: Final = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
)
_DROP_ROLES: Final = ("navigation", "contentinfo", "banner", "search", "menu", "dialog")


class PageUnreadable(Exception):
    """A crawled page whose text extraction fails even after sanitising: skip it, not the
    round."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem


@dataclass(frozen=True)
class Candidate:
    """One course name found on a page, with its context."""

    name: str
    source: Source
    snippet: str  # context text around the name
    cues: frozenset[str]  # cues that apply to this candidate (near + page)
    codes: tuple[str, ...] = ()  # certificate codes near the name (or on a detail page)
    link: str | None = None  # where a card links to
    excluded: str | None = None  # why this is not an offer (news, diploma, ...), or None
    page_number: int | None = None  # the PDF page the trajectory is on


@dataclass(frozen=True)
class PageExtract:
    """Everything extraction found on one page."""

    url: str
    kind: PageKind
    title: str | None
    candidates: tuple[Candidate, ...]
    cues: frozenset[str] = field(default_factory=frozenset)  # page-level cues
    codes: tuple[str, ...] = ()  # every code on the page


def find_cues(text: str) -> frozenset[str]:
    """The cues in `text` (cues.find_cues), plus "trajectory" when it says that its
    trajectory leads to an mbo-certificaat."""
    cues = _kind_cues(text)
    return cues | {"trajectory"} if leads_to_certificate(text) else cues


def codes_in_text(text: str) -> tuple[str, ...]:
    """Certificate codes written in text ("K0905", "K 0905", "keuzedeel K0905"), in order."""
    return _unique(f"{m.group(1)}{m.group(2)}" for m in _TEXT_CODE.finditer(text))


def codes_in_url(url: str) -> tuple[str, ...]:
    """Certificate codes in a URL path ("/opleidingen/gastheer-c0125-llo" -> C0125)."""
    path = urlsplit(url).path
    return _unique(f"{m.group(1).upper()}{m.group(2)}" for m in _URL_CODE.finditer(path))


def exclusion_reason(cues: frozenset[str]) -> str | None:
    """Why a candidate with these cues is not a certificate offer, or None."""
    if "certificate" in cues:
        return None
    for cue, reason in (
        ("diploma", "diploma programme"),
        ("private", "private certificate"),
        ("lnv", "LNV certificate"),
    ):
        if cue in cues:
            return reason
    return None


def extract_page(
    payload: bytes,
    *,
    url: str,
    content_type: str | None = None,
    pdf_text_of: Callable[[bytes], str | None] = pdf_text,
) -> PageExtract:
    """Candidates on one archived page (HTML, rendered DOM or PDF).

    Args:
        pdf_text_of: how a PDF's text is had (a workspace's PdfTextCache.text reads it once).
    """
    if is_pdf(payload, content_type):
        return _extract_pdf(pdf_text_of(payload) or "", url)
    media = (content_type or "text/html").split(";")[0].strip().lower()
    if not any(kind in media for kind in ("html", "xml", "text")):
        return PageExtract(url, "empty", None, ())  # images, archives, office files
    return extract_html(decode_html(payload, content_type).text, url=url)


def extract_html(text: str, *, url: str) -> PageExtract:
    """Candidates in an HTML document (already decoded).

    Raises PageUnreadable when lxml cannot build a tree of it even after sanitising.
    """
    text = re.sub(r"^\s*<\?xml[^>]*>", "", sanitise_text(text))
    if not text.strip():
        return PageExtract(url, "empty", None, ())
    try:
        doc = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:  # "<?php ... ?>" served as a page
        raise PageUnreadable(url, f"no HTML document in it ({exc})") from exc
    try:
        return _extract_tree(doc, url)
    except (ValueError, etree.LxmlError) as exc:
        raise PageUnreadable(url, str(exc)) from exc


def _extract_tree(doc: lxml.html.HtmlElement, url: str) -> PageExtract:
    meta = _head_meta(doc)
    courses, news_type = _json_ld(doc)
    strip_boilerplate(doc)
    main = main_element(doc)
    main_text = _clean(main.text_content())
    page_cues = find_cues(main_text)
    page_codes = _unique(
        [
            *codes_in_url(url),
            *codes_in_text(main_text),
            *(c for course in courses for c in course.codes),
        ]
    )
    title = _page_title(doc, main, meta)
    if (
        news_type
        or meta.get("article:published_time")
        or _NEWS_PATH.search(urlsplit(url).path)
        or published_date(main_text)
        or doc.xpath("//*[@itemprop='datePublished']")
    ):
        return PageExtract(url, "news", title, (), page_cues, page_codes)
    cards = _cards(main, url)
    frame = _frame_text(main, [c for c, _ in cards]) if cards else main_text
    # a listing is mostly cards; a course page with a strip of related courses is not
    listing = len(cards) >= MIN_CARDS_FOR_LISTING and len(frame) < LISTING_FRAME_SHARE * len(
        main_text
    )
    # a long page presenting several trajectories under their own headings lists them
    sections = [] if cards else html_sections(main) + table_rows(main)
    kind: PageKind = "listing" if listing or sections else "detail"
    frame_cues = find_cues(frame)
    found: list[Candidate] = []
    for course in courses:
        found.append(_finish(course, page_cues, page_cues))
    has_h1 = False
    for source, name in _title_names(doc, main, meta):
        codes = page_codes if kind == "detail" else codes_in_url(url)
        # the page's certificate statement is about its h1; a differing <title> is another
        # name for it (or the site's), not a second trajectory
        cues = page_cues - {"trajectory"} if has_h1 else page_cues
        has_h1 = has_h1 or source == "h1"
        found.append(
            _finish(
                Candidate(name, source, _snippet(main_text, name), cues, codes),
                page_cues,
                page_cues,
            )
        )
    for _, card in cards:
        found.append(_finish(card, frame_cues, page_cues))
    for block in sections:
        found.append(
            _finish(_block_candidate(block, "section", url, page_cues), page_cues, page_cues)
        )
    if kind == "detail":
        found += [_finish(c, page_cues, page_cues) for c in _named_in_text(main, page_cues)]
    return PageExtract(url, kind, title, _dedupe(found), page_cues, page_codes)


def _named_in_text(main: etree._Element, page_cues: frozenset[str]) -> Iterator[Candidate]:
    """Certificates named at the start of a detail page's text blocks ("Keuzedeel X. ..."):
    sections of a page on several certificates. The page's cues decide what they are."""
    for block in main.iter(*_TEXT_BLOCKS):
        text = _clean(block.text_content())
        if name := named_certificate(text):
            if any(name in _clean(a.text_content()) for a in block.iter("a")):
                continue  # a link to the certificate's own page, which is its evidence
            yield Candidate(name, "text", text[:SNIPPET_CHARS], page_cues, codes_in_text(text))


def _finish(candidate: Candidate, frame: frozenset[str], page: frozenset[str]) -> Candidate:
    """Complete a candidate's cues and decide whether it is excluded.

    A b2b notice around the cards (`frame`) applies to every card. Kind cues (certificate,
    diploma, ...) near the name win; without any, those of the frame, then of the page apply.
    Kind cues in the name itself decide the exclusion when there are any.
    """
    cues = candidate.cues | (frame & {"b2b"})
    for fallback in (frame, page):
        if not cues & KIND_CUES:
            cues |= fallback & KIND_CUES
    # a name that says what it is ("VCA basis", "Verzorgende IG (BOL/BBL)") outweighs the page
    own_cues = name_cues(candidate.name) & KIND_CUES
    excluded = exclusion_reason(own_cues if own_cues else cues)
    if excluded is None and candidate.source in ("card", "list", "section", "pdf", "text"):
        if is_section_heading(candidate.name):
            excluded = "section heading, not a course name"
    return replace(candidate, cues=cues, excluded=excluded)


def _block_candidate(
    block: Block, source: Source, url: str, document_cues: frozenset[str]
) -> Candidate:
    """A trajectory block as a candidate: its own cues and codes. A document that is a
    diploma programme (no certificate cue of its own) lends its blocks no certificate cue."""
    cues = find_cues(block.text)
    if "certificate" not in document_cues:
        cues = (cues - {"certificate"}) | (document_cues & KIND_CUES)
    link = f"{url}#page={block.page_number}" if block.page_number else None
    return Candidate(
        block.heading,
        source,
        block.text[:SNIPPET_CHARS],
        cues,
        codes_in_text(block.text),
        link,
        page_number=block.page_number,
    )


def _extract_pdf(text: str, url: str) -> PageExtract:
    blocks = pdf_blocks(text)
    text = sanitise_text(text)
    text_clean = _clean(text)
    cues = find_cues(text_clean)
    codes = _unique([*codes_in_url(url), *codes_in_text(text_clean)])
    lines = [_clean(line) for line in text.splitlines()]
    lines = [line for line in lines if 4 <= len(line) <= 150 and re.search(r"[A-Za-z]{3}", line)]
    if not lines:
        return PageExtract(url, "empty", None, (), cues, codes)
    if blocks:  # a brochure of several trajectories: each block is its own candidate
        candidates = [_finish(_block_candidate(b, "pdf", url, cues), cues, cues) for b in blocks]
        return PageExtract(url, "pdf", lines[0], _dedupe(candidates), cues, codes)
    names = [lines[0]]
    names += [m.group(1) for line in lines[1:] if (m := _PDF_TITLE_LINE.match(line))]
    candidates = [
        _finish(Candidate(name, "pdf", _snippet(text_clean, name), cues, codes), cues, cues)
        for name in names
    ]
    return PageExtract(url, "pdf", lines[0], _dedupe(candidates), cues, codes)


def _head_meta(doc: lxml.html.HtmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in doc.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        if key and el.get("content") and key not in meta:
            meta[key] = _clean(el.get("content", ""))
    title = doc.find(".//title")
    if title is not None and title.text_content().strip():
        meta["title"] = _clean(title.text_content())
    return meta


def _json_ld(doc: lxml.html.HtmlElement) -> tuple[list[Candidate], bool]:
    """Course candidates from schema.org JSON-LD, and whether the page is a news article."""
    courses: list[Candidate] = []
    news = False
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except json.JSONDecodeError:
            continue
        for node in _ld_nodes(data):
            types = node.get("@type")
            types = set(types) if isinstance(types, list) else {types}
            news = news or bool(types & _NEWS_TYPES)
            if "Course" in types and isinstance(node.get("name"), str):
                courses.append(_course_candidate(node))
    return courses, news


def _ld_nodes(data: object) -> Iterator[dict[str, Any]]:
    """Every JSON object in a JSON-LD document (follows @graph, lists and itemListElement)."""
    if isinstance(data, list):
        for item in data:
            yield from _ld_nodes(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "itemListElement", "item", "hasPart", "mainEntity"):
            if key in data:
                yield from _ld_nodes(data[key])


def _course_candidate(node: dict[str, Any]) -> Candidate:
    name = _clean(str(node["name"]))
    description = _clean(str(node.get("description") or ""))
    code_text = " ".join(str(node.get(k) or "") for k in ("courseCode", "identifier"))
    link = node.get("url") if isinstance(node.get("url"), str) else None
    codes = _unique(
        [
            *codes_in_text(code_text.upper()),
            *codes_in_text(f"{name} {description}"),
            *(codes_in_url(link) if link else ()),
        ]
    )
    snippet = _clean(f"{name}. {description}")[:SNIPPET_CHARS]
    return Candidate(name, "jsonld", snippet, find_cues(f"{name} {description}"), codes, link)


def strip_boilerplate(doc: lxml.html.HtmlElement) -> None:
    """Remove scripts, navigation, footers, cookie bars and page headers (in place).

    An element marked as boilerplate only by its class or id ("with-sidebar", "menu-card")
    stays when it holds the page's heading or main content.
    """
    doomed = [el for el in doc.iter(*_DROP_TAGS)]
    for el in doc.iter(etree.Element):
        role = (el.get("role") or "").lower()
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if role in _DROP_ROLES:
            doomed.append(el)
        elif (
            el.tag not in ("html", "body", "main")
            and _BOILERPLATE.search(marks)
            and not el.xpath(".//h1|.//main|.//*[@role='main']")
        ):
            doomed.append(el)
    for header in doc.iter("header"):
        if header.xpath(".//nav") or not header.xpath("ancestor::main|ancestor::article|.//h1"):
            doomed.append(header)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    for el in doc.iter(*_BLOCK_TAGS):
        el.tail = " " + (el.tail or "")


def main_element(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for xpath in ("//main", "//*[@role='main']", "//*[@id='content' or @id='main']"):
        found = doc.xpath(xpath)
        if found:
            return found[0]
    body = doc.find("body")
    return body if body is not None else doc


def _page_title(
    doc: lxml.html.HtmlElement, main: lxml.html.HtmlElement, meta: dict[str, str]
) -> str | None:
    h1 = main.find(".//h1") if main.find(".//h1") is not None else doc.find(".//h1")
    if h1 is not None and _clean(h1.text_content()):
        return _clean(h1.text_content())
    return meta.get("og:title") or meta.get("title")


def _title_names(
    doc: lxml.html.HtmlElement, main: lxml.html.HtmlElement, meta: dict[str, str]
) -> Iterator[tuple[Source, str]]:
    h1 = main.find(".//h1")
    if h1 is None:
        h1 = doc.find(".//h1")
    if h1 is not None and _clean(h1.text_content()):
        yield "h1", _clean(h1.text_content())
    site = (meta.get("og:site_name") or "").lower()
    for source, key in (("og:title", "og:title"), ("title", "title")):
        if value := _strip_site_name(meta.get(key, ""), site):
            yield source, value  # type: ignore[misc]


def _strip_site_name(title: str, site: str) -> str:
    parts = [p for p in _TITLE_SEPARATOR.split(title) if p.strip()]
    if site:
        parts = [p for p in parts if p.strip().lower() != site] or parts
    if len(parts) >= 2 and not site:
        parts = parts[:-1]
    return _clean(" - ".join(parts))


def _cards(main: etree._Element, base_url: str) -> list[tuple[etree._Element, Candidate]]:
    """(container, candidate) for each card or list entry on a listing: headings in cards,
    list items and table rows that hold one link, and link cards without a heading."""
    cards: list[tuple[etree._Element, Candidate]] = []
    taken: set[etree._Element] = set()
    for heading in main.iter("h2", "h3", "h4"):
        container = _card_container(heading, main)
        link = heading.find(".//a[@href]")
        if link is None and container is not None:
            link = (
                container
                if container.tag == "a" and container.get("href")
                else container.find(".//a[@href]")
            )
        if container is None or link is None or container in taken:
            continue
        taken.add(container)
        cards.append((container, _card_candidate(heading, container, link, base_url, "card")))
    for item in main.iter("li", "tr"):
        links = item.findall(".//a[@href]")
        if len(links) != 1 or item in taken or item.xpath(".//h2|.//h3|.//h4"):
            continue
        cell = links[0].xpath("ancestor::td[1]|ancestor::th[1]") if item.tag == "tr" else []
        text = _clean((cell[0] if cell else item).text_content())
        link_text = _clean(links[0].text_content())
        if (
            4 <= len(link_text) <= 120
            and len(link_text) * 2 >= len(text)
            and _same_site(links[0].get("href", ""), base_url)
        ):
            taken.add(item)
            cards.append((item, _card_candidate(links[0], item, links[0], base_url, "list")))
    cards += _link_cards(main, base_url, taken)
    return cards


def _link_cards(
    main: etree._Element, base_url: str, taken: set[etree._Element]
) -> list[tuple[etree._Element, Candidate]]:
    """Cards without a heading: an element with a card class and one link target, titled by
    its title-classed child, <strong>, or the link text."""
    cards = []
    for el in main.iter(etree.Element):
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not _LINK_CARD_CLASS.search(marks) or el in taken or el.xpath(".//h1|.//h2|.//h3"):
            continue
        if any(t in taken for t in el.iterdescendants()) or any(
            a in taken for a in el.iterancestors()
        ):
            continue
        links = ([el] if el.tag == "a" and el.get("href") else []) + el.findall(".//a[@href]")
        targets = {(a.get("href") or "").split("#")[0] for a in links}
        if len(targets) != 1 or len(_clean(el.text_content())) > 600:
            continue
        titled = el.xpath(
            ".//*[contains(@class,'title') or contains(@class,'titel') or "
            "contains(@class,'name') or contains(@class,'naam')]|.//strong|.//b"
        )
        title_el = titled[0] if titled else links[0]
        if 4 <= len(_clean(title_el.text_content())) <= 120:
            taken.add(el)
            cards.append((el, _card_candidate(title_el, el, links[0], base_url, "card")))
    return cards


def _card_container(heading: etree._Element, main: etree._Element) -> etree._Element | None:
    for ancestor in heading.iterancestors():
        if ancestor is main:
            return None
        marks = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if ancestor.tag in ("li", "article") or _CARD_CLASS.search(marks):
            text = _clean(ancestor.text_content())
            return ancestor if len(text) <= CARD_TEXT_MAX else None
    return None


def _card_candidate(
    title_el: etree._Element,
    container: etree._Element,
    link: etree._Element,
    base_url: str,
    source: Source,
) -> Candidate:
    text = _clean(container.text_content())
    href = urljoin(base_url, link.get("href", ""))
    codes = _unique([*codes_in_text(text), *codes_in_url(href)])
    return Candidate(
        _clean(title_el.text_content()), source, text[:SNIPPET_CHARS], find_cues(text), codes, href
    )


def _frame_text(main: etree._Element, containers: list[etree._Element]) -> str:
    """The page text outside the cards (intros and banners that apply to every card)."""
    skip = set(containers)
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if el not in skip and isinstance(el.tag, str):
            parts.append(el.text or "")
            for child in el:
                walk(child)
        parts.append(el.tail or "")

    parts.append(main.text or "")
    for child in main:
        walk(child)
    return _clean(" ".join(parts))


def _dedupe(candidates: list[Candidate]) -> tuple[Candidate, ...]:
    """One candidate per name (first source wins: JSON-LD, h1, og:title, title, cards)."""
    kept: dict[str, Candidate] = {}
    for candidate in candidates:
        key = re.sub(r"\W+", " ", candidate.name.casefold()).strip()
        if key and len(candidate.name) <= 200 and key not in kept:
            kept[key] = candidate
    return tuple(kept.values())


def _snippet(text: str, name: str) -> str:
    at = text.casefold().find(name.casefold())
    start = max(0, at) if at >= 0 else 0
    return text[start : start + SNIPPET_CHARS]


def _same_site(href: str, base_url: str) -> bool:
    host = urlsplit(urljoin(base_url, href)).hostname
    return host is None or host == urlsplit(base_url).hostname


def _clean(text: str) -> str:
    return " ".join(text.split())


def _unique(items: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))  # type: ignore[call-overload]
