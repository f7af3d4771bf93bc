"""Crawled text made safe for the XML tree: control characters and non-characters removed."""

from __future__ import annotations

import re
from typing import Final

# What XML 1.0 (and so lxml) refuses: C0 controls other than tab, newline and carriage return,
# lone surrogates and the non-characters U+FFFE/U+FFFF. A form feed or an escape between two
# words must still separate them, so each becomes a space rather than nothing.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def sanitise_text(text: str) -> str:
    """`text` with every character XML cannot hold replaced by a space."""
    return _NOT_XML.sub(" ", text)
