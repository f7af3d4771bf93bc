"""robots.txt `Sitemap:` lines, sitemap indexes and URL sets (pure functions)."""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.sitemap import Sitemap

_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class SitemapLinks:
    sitemaps: list[str]  # nested sitemaps (from a sitemap index)
    pages: list[str]  # page URLs (from a URL set)


def robots_sitemaps(robots_txt: str, base_url: str) -> list[str]:
    """Absolute URLs of the `Sitemap:` lines of a robots.txt."""
    return [urljoin(base_url, m) for m in _SITEMAP_LINE.findall(robots_txt)]


def sitemap_body(body: bytes) -> bytes:
    """The XML of a sitemap, gunzipped when it is a .xml.gz file."""
    if body[:2] == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
            return fh.read(MAX_SITEMAP_BYTES)
    return body


def parse_sitemap(body: bytes, base_url: str) -> SitemapLinks:
    """Split a sitemap into nested sitemaps and page URLs; malformed XML yields nothing."""
    xml = sitemap_body(body)
    if b"<" not in xml[:1024]:
        return SitemapLinks([], [])
    try:
        sitemap = Sitemap(xml)
        locs = [urljoin(base_url, entry["loc"]) for entry in sitemap if entry.get("loc")]
    except (etree.LxmlError, StopIteration):
        return SitemapLinks([], [])
    if sitemap.type == "sitemapindex":
        return SitemapLinks(locs, [])
    if sitemap.type == "urlset":
        return SitemapLinks([], locs)
    return SitemapLinks([], [])
