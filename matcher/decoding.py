"""Payload bytes to text: HTML decoding (BOM, HTTP charset, meta, detection) and PDF text."""

from __future__ import annotations

import codecs
import io
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# WHATWG: these labels mean windows-1252 in browsers, and real pages rely on that.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
                   "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_of(body: bytes, content_type: str | None = None) -> str:
    """The encoding of an HTML payload: BOM, then HTTP header, then <meta>, then detection."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        if codec := _codec(m.group(1)):
            return codec
    if meta := _META_CHARSET.search(body[:4096]):
        if codec := _codec(meta.group(1).decode("ascii", "replace")):
            return codec
    best = from_bytes(body[:65536]).best()
    if best is not None and (codec := _codec(best.encoding)):
        return codec
    return "cp1252"  # decodes any byte; the common legacy encoding of Dutch sites


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML payload with the encoding it declares or is detected to have."""
    codec = charset_of(body, content_type)
    text = body.decode(codec, errors="replace")
    return text.removeprefix("\ufeff")


def pdf_text(body: bytes) -> str:
    """Plain text of a PDF payload ('' when the PDF has no extractable text)."""
    from pdfminer.high_level import extract_text
    from pdfminer.psparser import PSException

    try:
        return extract_text(io.BytesIO(body))
    except PSException:  # PDFException derives from it: damaged, encrypted, not extractable
        return ""


def is_pdf(body: bytes, content_type: str | None = None) -> bool:
    """True for PDF payloads (by media type or magic bytes)."""
    return body[:5] == b"%PDF-" or "pdf" in (content_type or "").lower()
