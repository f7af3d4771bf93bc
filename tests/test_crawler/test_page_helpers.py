"""Pure page helpers: encodings, render detection, soft 404s, canonical links, sitemaps."""

from __future__ import annotations

import pytest

from crawler.canonical import canonical_link
from crawler.render import rendering_reason
from crawler.sitemaps import parse_sitemap, robots_sitemaps
from crawler.soft404 import soft_404_reason
from snapshots.payload import decode_html, detect_encoding
from tests.conftest import SITES

DUTCH = "Werken met baby’s – één crèche, cliënt"


def test_encoding_from_header_meta_bom_and_detection():
    body = f"<html><body><p>{DUTCH}</p></body></html>".encode("cp1252")
    assert detect_encoding(body, "text/html; charset=windows-1252") == ("cp1252", "header")
    meta = b'<html><head><meta charset="windows-1252"></head>' + body
    assert detect_encoding(meta, "text/html") == ("cp1252", "meta")
    bom = "\ufeff".encode() + f"<p>{DUTCH}</p>".encode()
    assert decode_html(bom, "text/html; charset=iso-8859-1").text == f"<p>{DUTCH}</p>"
    assert DUTCH in decode_html(body, "text/html").text
    assert decode_html(body, "text/html").source == "detected"


def test_windows_1252_site_files_decode():
    names = ("index.html", "cursussen/werken-met-babys.html", "cursussen/individuele-zorg.html")
    for name in names:
        body = (SITES / "windows-1252" / name).read_bytes()
        text = decode_html(body, "text/html").text
        assert "\ufffd" not in text
    assert (
        "baby’s"
        in decode_html((SITES / "windows-1252/cursussen/werken-met-babys.html").read_bytes()).text
    )
    assert (
        "cliënt"
        in decode_html((SITES / "windows-1252/cursussen/individuele-zorg.html").read_bytes()).text
    )


def test_rendering_needed_for_script_built_listing():
    html = (SITES / "js-listing/cursussen/index.html").read_text(encoding="utf-8")
    assert "empty listing container" in rendering_reason(html)
    app_shell = '<html><body><div id="app"></div><script src="/app.js"></script></body></html>'
    assert rendering_reason(app_shell) == "empty app root #app"
    noscript = (
        "<html><body><p>Cursussen</p><noscript>Zet JavaScript aan.</noscript>"
        "<script>var x = 1;</script></body></html>"
    )
    assert rendering_reason(noscript) == "noscript asks for JavaScript"


@pytest.mark.parametrize(
    "path",
    [
        "static-catalogue/volwassenen/cursussen/index.html",
        "paginated-listing/cursussen/index.html",
        "windows-1252/index.html",
    ],
)
def test_static_pages_are_not_rendered(path):
    assert rendering_reason((SITES / path).read_bytes().decode("utf-8", "replace")) is None


def test_soft_404s():
    assert (
        soft_404_reason("http://a.nl/cursus/oud", "http://a.nl/", True, 200, "<h1>Home</h1>")
        == "redirected to the home page"
    )
    not_found = "<html><head><title>Pagina niet gevonden</title></head><body></body></html>"
    assert "title says not found" in soft_404_reason(
        "http://a.nl/x", "http://a.nl/x", False, 200, not_found
    )
    mentions = "<html><head><title>Cursus</title></head><body><p>Fout 404 kan</p></body></html>"
    assert soft_404_reason("http://a.nl/x", "http://a.nl/x", False, 200, mentions) is None
    numbered = "<html><head><title>Cursus 404</title></head><body><h1>Route 404</h1></body></html>"
    assert soft_404_reason("http://a.nl/x", "http://a.nl/x", False, 200, numbered) is None
    for title in ("404", "404 - Pagina niet gevonden", "Error 404", "Foutcode 404 | ROC"):
        page = f"<html><head><title>{title}</title></head><body></body></html>"
        assert soft_404_reason("http://a.nl/x", "http://a.nl/x", False, 200, page), title
    assert soft_404_reason("http://a.nl/", "http://a.nl/", False, 200, "<h1>Welkom</h1>") is None


def test_canonical_link_is_absolute_and_canonicalised():
    html = '<html><head><link rel="Canonical" href="/cursus?utm_source=x"></head></html>'
    assert canonical_link(html, "http://a.nl/print/cursus") == "http://a.nl/cursus"
    assert canonical_link("<html><head></head></html>", "http://a.nl/") is None


def test_sitemaps_from_robots_index_and_urlset():
    robots = "User-agent: *\nDisallow: /intern/\nSitemap: /sitemap_index.xml\n"
    assert robots_sitemaps(robots, "http://a.nl") == ["http://a.nl/sitemap_index.xml"]
    index = (
        (SITES / "static-catalogue/sitemap_index.xml")
        .read_bytes()
        .replace(b"{{base}}", b"http://a.nl")
    )
    assert parse_sitemap(index, "http://a.nl/").sitemaps == ["http://a.nl/sitemap-cursussen.xml"]
    urlset = (
        (SITES / "static-catalogue/sitemap-cursussen.xml")
        .read_bytes()
        .replace(b"{{base}}", b"http://a.nl")
    )
    assert len(parse_sitemap(urlset, "http://a.nl/").pages) == 2
    assert parse_sitemap(b"<html>not a sitemap", "http://a.nl/").pages == []
