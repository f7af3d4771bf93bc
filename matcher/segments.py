"""Split brochures (PDF text) and long pages into trajectory blocks: a heading and its lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from matcher.cues import find_cues, leads_to_certificate
from matcher.sanitise import sanitise_text

if TYPE_CHECKING:
    from lxml import etree

MIN_BLOCKS: Final = 2  # a document is segmented when it holds at least this many trajectories
HEADING_MAX_CHARS: Final = 100
LEAD_CHARS: Final = 160  # a section says what it leads to within this many characters
_CODE = re.compile(r"(?<![\w-])[KC] ?[01]\d{3}(?![\w])")
# A line that is a label ("Kosten: ..."), a sentence, a list item or an address, not a title
_NOT_A_HEADING = re.compile(
    r"^(?:(?:duur|kosten|prijs|investering|start|startdatum|data|datum|tijd|locatie|plaats|"
    r"afronding|afsluiting|aanmelden|inschrijven|informatie|meer informatie|contact|"
    r"doelgroep|voor wie|toelating|examen|niveau|lesdagen)\s*:|www\.|https?://|[-•*\d€(])"
    r"|[.;,!?]$|@"
    # a section about the trajectory ("Wat leer je", "Voor verzorgenden"), not its name
    r"|^(?:voor|wat|hoe|waarom|wanneer|waar|wie|over|meer|bekijk|lees|gerelateerde?)\b"
    r"|^(?:inhoud|programma|kosten|duur|praktische? informatie|praktisch|aanmelden|inschrijven|"
    r"certificaat|certificering|toelating|toelatingseisen|resultaat|afronding|afsluiting|"
    r"beschrijving|omschrijving|details|informatie|contact|examen|examinering|locatie|"
    r"data|startdata|lesdagen|doelgroep|in het kort|samenvatting|overzicht)"
    r"(?:\s+(?:en|&)\s+\w+)?$",
    re.IGNORECASE,
)
# "Keuzedeel: Zorg in ...": the label before a trajectory's name
_LABEL = re.compile(r"^(?i:mbo[- ]?certificaat|keuzedeel|certificaattraject)\s*[:–-]?\s+(?=[A-Z])")
# "1. PLC en ...", "2) Robots", "03 | Waterstof": a brochure's numbering before a title
_NUMBERING = re.compile(r"^(?:\d{1,2}\s?[.)|:–-]?|[IVX]{1,4}[.)])\s+(?=[^\W\d_])")
_HEADINGS: Final = ("h2", "h3", "h4")
_SECTION_STOP: Final = frozenset({"h1", "h2", "h3", "h4"})


@dataclass(frozen=True)
class Block:
    """One trajectory of a document: its heading, its text and (PDF) its page number."""

    heading: str
    text: str
    page_number: int | None = None


def is_trajectory(text: str) -> bool:
    """A block presents a trajectory when it names a code or says what it leads to
    (a certificate, a diploma, a private or an LNV certificate)."""
    return bool(_CODE.search(text)) or bool(find_cues(text))


def pdf_blocks(text: str) -> list[Block]:
    """The trajectories of a PDF's text: paragraphs (split by blank lines, pages by form
    feeds) that open with a title-like line and present a trajectory. Empty when the
    document holds fewer than MIN_BLOCKS of them: it is then about one trajectory."""
    blocks: list[Block] = []
    for number, page in enumerate(text.split("\x0c"), start=1):
        for paragraph in re.split(r"\n\s*\n", sanitise_text(page)):
            lines = [" ".join(line.split()) for line in paragraph.splitlines()]
            lines = [line for line in lines if line]
            heading = _title_of(lines[0]) if lines else ""
            if len(lines) < 2 or not _heading_like(heading) or lines[1][:1].islower():
                continue  # (a wrapped sentence goes on in lower case)
            if is_trajectory(" ".join(lines)):
                blocks.append(Block(heading, " ".join(lines), number))
    return blocks if len(blocks) >= MIN_BLOCKS else []


def html_sections(main: etree._Element) -> list[Block]:
    """The trajectories of a long page: each h2-h4 heading with the text up to the next
    heading, when that text presents a trajectory. Empty below MIN_BLOCKS."""
    blocks = []
    for heading in main.iter(*_HEADINGS):
        title = _title_of(" ".join(heading.text_content().split()))
        if not _heading_like(title):
            continue
        body = " ".join(" ".join(_following_text(heading)).split())
        if body and _presents_trajectory(body):
            blocks.append(Block(title, f"{title}. {body}"))
    return blocks if len(blocks) >= MIN_BLOCKS else []


def _presents_trajectory(body: str) -> bool:
    """A section presents a trajectory when the kind of trajectory is said right below its
    name ("Mbo-certificaat, keuzedeel ..."), or anywhere in it by a statement that is specific
    to one trajectory: a code, or "je sluit af met een mbo-certificaat" (a bare mention of
    certificates further down is not enough)."""
    return (
        is_trajectory(body[:LEAD_CHARS])
        or _CODE.search(body) is not None
        or leads_to_certificate(body)
    )


def table_rows(main: etree._Element) -> list[Block]:
    """The trajectories of a page's tables: each row whose cells present a trajectory (a code
    or a cue of its own, e.g. an "Afronding" column saying mbo-certificaat or
    branchecertificaat), named by its first title-like cell. Empty below MIN_BLOCKS."""
    blocks = []
    for table in main.iter("table"):
        header: list[str] = []
        for row in table.iter("tr"):
            cells = [" ".join(c.text_content().split()) for c in row if c.tag in ("td", "th")]
            if not any(c.tag == "td" for c in row):
                header = cells  # a header row names the columns of the rows below it
                continue
            if row[0].tag == "th":
                continue  # "Crebonaam | K0988 ...": a fact of the one course, not a list row
            title = next((_title_of(c) for c in cells if _heading_like(_title_of(c))), None)
            # a cell read with its column's name: "Afronding: mbo-certificaat" says what
            # this row leads to, where a bare "mbo-certificaat" would only mention one
            text = " · ".join(
                f"{header[i]}: {cell}" if i < len(header) and header[i] else cell
                for i, cell in enumerate(cells)
                if cell
            )
            if title and is_trajectory(text):
                blocks.append(Block(title, f"{title}. {text}"))
    return blocks if len(blocks) >= MIN_BLOCKS else []


def _title_of(line: str) -> str:
    """A heading without its label ("Keuzedeel: ...") or its numbering ("1. ...")."""
    return _LABEL.sub("", _NUMBERING.sub("", line))


def _following_text(heading: etree._Element) -> Iterator[str]:
    """Text after `heading` in document order up to the next heading (any level)."""
    yield heading.tail or ""
    for el in heading.itersiblings():
        if not isinstance(el.tag, str):
            yield el.tail or ""
            continue
        if el.tag in _SECTION_STOP or el.xpath(".//h1|.//h2|.//h3|.//h4"):
            return
        yield el.text_content()
        yield el.tail or ""


def is_section_heading(name: str) -> bool:
    """True for a heading that names a part of a page ("Afronding", "Wat leer je?",
    "Duur en kosten"), not a trajectory."""
    return _NOT_A_HEADING.search(" ".join(name.split())) is not None


def _heading_like(line: str) -> bool:
    return (
        4 <= len(line) <= HEADING_MAX_CHARS
        and line[:1].isupper()
        and re.search(r"[^\W\d]{3}", line) is not None
        and not _NOT_A_HEADING.search(line)
    )
