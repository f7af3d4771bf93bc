"""Context snippets with cue phrases marked: crawled text is escaped, only <mark> is ours."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from matcher.cues import find_cue_hits

CUE_LABELS = {
    "certificate": "certificaat",
    "diploma": "diploma",
    "private": "privaat certificaat",
    "b2b": "alleen via werkgever",
    "lnv": "LNV",
    "level": "niveau",
    "duration": "duur of prijs",
}
# Facts the analyst weighs besides the cue lexicons: the level, the duration and the price.
_FACTS = (
    ("level", re.compile(r"\bniveau\s*:?\s*[1-4](?:\s*[/-]\s*[1-4])?\b", re.IGNORECASE)),
    (
        "duration",
        re.compile(
            r"(?:€|EUR)\s*\d+(?:[.,]\d+)*|\b\d+(?:[,.]\d+)?(?:\s*-\s*\d+(?:[,.]\d+)?)?\s*"
            r"(?:weken|week|dagen|dag|dagdelen|maanden|maand|uur|jaar|sbu)\b",
            re.IGNORECASE,
        ),
    ),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Crawled text without control characters (terminal escapes, NULs)."""
    return _CONTROL.sub("", text)


def spans(text: str, name: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) spans: cue hits and the candidate's name."""
    found: list[tuple[int, int, str]] = []
    if name:
        at = text.lower().find(name.lower())
        if at >= 0:
            found.append((at, at + len(name), "name"))
    for hit in find_cue_hits(text):
        found.append((hit.start, hit.start + len(hit.phrase), hit.cue))
    for kind, pattern in _FACTS:
        found.extend((m.start(), m.end(), kind) for m in pattern.finditer(text))
    found.sort()
    chosen: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, kind))
    return chosen


def highlight(text: str, name: str = "") -> Markup:
    """HTML for the snippet: every piece escaped, cue phrases in <mark class="cue-...">."""
    text = clean(text)
    out: list[str] = []
    at = 0
    for start, end, kind in spans(text, name):
        out.append(str(escape(text[at:start])))
        label = CUE_LABELS.get(kind, "")
        title = f' title="{escape(label)}"' if label else ""
        out.append(f'<mark class="cue cue-{kind}"{title}>{escape(text[start:end])}</mark>')
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def terminal_text(text: str, name: str = "") -> str:
    """The snippet for a terminal: control characters removed, cue phrases in [brackets]."""
    text = clean(text)
    out: list[str] = []
    at = 0
    for start, end, _kind in spans(text, name):
        out.append(text[at:start] + "[" + text[start:end] + "]")
        at = end
    out.append(text[at:])
    return "".join(out)
