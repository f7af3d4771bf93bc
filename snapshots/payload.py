"""Archived payload bytes to text, for the crawler, the matcher and the review viewer alike.

HTML: byte-order mark, HTTP charset, <meta charset> declaration, then detection (never a blind
UTF-8); only the charset declaration is sniffed, no HTML is parsed. PDF: pdfminer.six text.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes
from pdfminer.high_level import extract_text
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

logger = logging.getLogger(__name__)
MAX_PDF_PAGES = 200

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
# Browsers read "iso-8859-1" and "ascii" as windows-1252 (WHATWG encoding standard).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    source: str  # bom | header | meta | detected | fallback


def _known(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def bom_encoding(body: bytes) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def header_encoding(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return _known(match.group(1)) if match else None


def meta_encoding(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return _known(match.group(1).decode("ascii", "replace")) if match else None


def _detect_single_byte(body: bytes) -> str:
    """charset-normalizer's choice; among candidates that fit equally well, windows-1252
    wins (the fallback browsers use for Dutch pages: cp1250/cp1257 tie on short texts)."""
    matches = list(from_bytes(body[:65536]))
    if not matches:
        return "cp1252"
    best = min(m.chaos for m in matches)
    tied = [m.encoding for m in matches if m.chaos <= best + 0.01]
    if "cp1252" in tied:
        return "cp1252"
    return _known(tied[0]) or tied[0]


def detect_encoding(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(encoding, source) for an HTML body, in the order browsers use."""
    for source, found in (
        ("bom", bom_encoding(body)),
        ("header", header_encoding(content_type)),
        ("meta", meta_encoding(body)),
    ):
        if found:
            return found, source
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return _detect_single_byte(body), "detected"
    return "utf-8", "detected"


def charset_of(body: bytes, content_type: str | None = None) -> str:
    """The encoding an HTML payload is decoded with."""
    return detect_encoding(body, content_type)[0]


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML body; undecodable bytes become U+FFFD rather than failing."""
    encoding, source = detect_encoding(body, content_type)
    bom = bom_encoding(body)
    data = body
    if bom and encoding == bom:
        data = body[len(next(b for b, n in _BOMS if n == bom)) :]
    return Decoded(data.decode(encoding, errors="replace"), encoding, source)


def is_pdf(body: bytes, content_type: str | None = None) -> bool:
    """True for PDF payloads (magic bytes or media type)."""
    return body[:5] == b"%PDF-" or "application/pdf" in (content_type or "").lower()


def pdf_text(body: bytes) -> str | None:
    """Extracted text, or None when the file is not a readable PDF."""
    try:
        text: str = extract_text(io.BytesIO(body), maxpages=MAX_PDF_PAGES)
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        logger.warning("cannot read PDF text: %s", exc)
        return None
    return text
