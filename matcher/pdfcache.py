"""PDF text extracted once per archived payload: cached in the workspace by content digest."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from snapshots.payload import pdf_text

_UNREADABLE = "\x00unreadable\x00"  # marks a payload that is no readable PDF (cached too)


@dataclass
class PdfTextCache:
    """`text(payload)` reads a PDF's text from `directory` when it was extracted before (in
    this or an earlier match run of any round), else extracts and stores it."""

    directory: Path
    extracted: int = field(default=0, init=False)  # extractions done by this cache object

    def text(self, payload: bytes) -> str | None:
        path = self.directory / f"{hashlib.sha256(payload).hexdigest()}.txt"
        try:
            cached = path.read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            cached = None
        if cached is not None:
            return None if cached == _UNREADABLE else cached
        text = pdf_text(payload)
        self.extracted += 1
        self._store(path, _UNREADABLE if text is None else text)
        return text

    def _store(self, path: Path, text: str) -> None:
        # written whole or not at all: a killed run never leaves half a text behind
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass") as f:
            f.write(text)
        os.replace(tmp, path)
