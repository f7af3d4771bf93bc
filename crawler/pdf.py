"""Text of PDF brochures (pdfminer.six), so offers listed only in a brochure can be found."""

from __future__ import annotations

import io
import logging

from pdfminer.high_level import extract_text
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

logger = logging.getLogger(__name__)
MAX_PDF_PAGES = 200


def is_pdf(body: bytes, content_type: str | None) -> bool:
    return body[:5] == b"%PDF-" or "application/pdf" in (content_type or "").lower()


def pdf_text(body: bytes) -> str | None:
    """Extracted text, or None when the file is not a readable PDF."""
    try:
        return extract_text(io.BytesIO(body), maxpages=MAX_PDF_PAGES)
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        logger.warning("cannot read PDF text: %s", exc)
        return None
