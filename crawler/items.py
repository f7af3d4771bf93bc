"""Items the spider yields: one fetched response, to be archived as evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FetchedPage:
    """One response (HTML, rendered DOM, PDF, robots.txt, sitemap or error) to archive."""

    round: str
    institution: str
    url: str  # canonical URL that was requested
    final_url: str  # URL after redirects
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    kind: str = "page"  # page | robots | sitemap | pdf | error
    rendered: bool = False
    canonical_url: str | None = None
    gone: bool = False  # soft 404 or redirect to the home page
    text: str | None = None  # extracted text (PDFs)
    fetched_at: str | None = None
    encoding: str | None = None  # HTML: charset used to decode (header/meta/BOM/detection)
    extra: dict[str, Any] = field(default_factory=dict)
