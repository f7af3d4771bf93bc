"""The main text of an archived page as lines, and what changed between two such texts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from matcher.candidates import main_element, strip_boilerplate

# One line per block in the text diff (the matcher reads the same blocks as one run of text)
BLOCKS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "table",
    "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br", "blockquote", "pre", "figcaption",
}  # fmt: skip
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LineChange:
    kind: str  # "removed" | "added"
    text: str


def main_text(html: str) -> list[str]:
    """The visible text of the page's main part, one line per block, without navigation,
    header, footer, cookie bars and scripts: the part the matcher reads
    (matcher.candidates.strip_boilerplate, main_element)."""
    if not html.strip():
        return []
    try:
        document = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return plain_lines(html)
    strip_boilerplate(document)
    root = main_element(document)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return plain_lines(root.text_content())


def plain_lines(text: str) -> list[str]:
    """Non-empty lines with whitespace collapsed."""
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def text_changes(before: list[str], after: list[str]) -> list[LineChange]:
    """Lines removed from `before` and added in `after`, in reading order."""
    changes = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            changes += [LineChange("removed", line) for line in before[i1:i2]]
        if tag in ("insert", "replace"):
            changes += [LineChange("added", line) for line in after[j1:j2]]
    return changes
