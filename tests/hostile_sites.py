"""Hostile test sites on loopback: each attack a small named resource on its own 127.0.0.x.

Every site's home page links to its attack, so one round over all of them (plus a plain
control site) shows what each attack does to the crawl and that the others are untouched.
"""

from __future__ import annotations

import gzip
import random
from dataclasses import dataclass, field

from tests.servers import GeneratedSite, Redirect, Reply, Resource, SiteServer

HTML = {"Content-Type": "text/html; charset=utf-8"}
#: Scrapy's DOWNLOAD_MAXSIZE in crawler/settings.py: the attacks go past it.
MAX_SIZE = 32 * 1024 * 1024


@dataclass
class Page(Resource):
    """A fixed body (links expanded: `{{base}}`, `{{site:name}}`)."""

    body: str
    headers: dict[str, str] = field(default_factory=lambda: dict(HTML))

    def handle(self, server, path, query):
        return Reply(200, dict(self.headers), server.expand(self.body).encode("utf-8"))


@dataclass
class BinaryJunk(Resource):
    """200 KB of random bytes served as text/html."""

    size: int = 200_000

    def handle(self, server, path, query):
        junk = random.Random(7).randbytes(self.size)
        return Reply(200, {"Content-Type": "text/html"}, junk)


@dataclass
class GzipBomb(Resource):
    """A page sent with Content-Encoding: gzip that inflates past DOWNLOAD_MAXSIZE
    (~40 KB on the wire)."""

    inflated: int = MAX_SIZE + 8 * 1024 * 1024

    def handle(self, server, path, query):
        body = gzip.compress(b"\0" * self.inflated, compresslevel=9)
        return Reply(200, {**HTML, "Content-Encoding": "gzip"}, body)


@dataclass
class HugeBody(Resource):
    """A page of DOWNLOAD_MAXSIZE + 1 MiB, announced by its Content-Length."""

    size: int = MAX_SIZE + 1024 * 1024

    def handle(self, server, path, query):
        return Reply(200, dict(HTML), b"<html><body>" + b"x" * self.size)


@dataclass
class GzippedSitemap(Resource):
    """/sitemap.xml.gz (gzip file, no Content-Encoding) listing a page no link leads to."""

    def handle(self, server, path, query):
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{server.base}/alleen-in-sitemap.html</loc></url></urlset>"
        )
        return Reply(200, {"Content-Type": "application/gzip"}, gzip.compress(xml.encode()))


def home(*links: str) -> Page:
    anchors = "".join(f"<li><a href='{href}'>Cursus {n}</a></li>" for n, href in enumerate(links))
    return Page(
        f"<html><head><title>Cursussen</title></head><body><ul>{anchors}</ul></body></html>"
    )


def course(title: str) -> Page:
    return Page(f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>")


CONTROL_BYTES = (
    "<html><head><title>Cursus\x01 Helpende\x1b Plus</title></head><body>"
    "<div>Mbo-certificaat</div>\x0c<p>Helpende Plus\x08 (K0905)\ufffe voor werkenden.</p>"
    "<a href='/cursus.html'>Cursus</a></body></html>"
)


@dataclass(frozen=True)
class Hostile:
    """A site, its institution and its resources (fresh objects per call of hostile_sites)."""

    name: str
    host: str
    institution: str
    resources: dict[str, Resource]


def hostile_sites() -> list[Hostile]:
    return [
        Hostile("control", "127.0.0.50", "ROC Controle", {"/*": GeneratedSite(12)}),
        Hostile(
            "binary-junk",
            "127.0.0.51",
            "ROC Rommel",
            {
                "/": home("/rommel.html", "/goed.html"),
                "/rommel.html": BinaryJunk(),
                "/goed.html": course("Goede cursus"),
            },
        ),
        Hostile(
            "redirect-loop",
            "127.0.0.52",
            "ROC Rondje",
            {
                "/": home("/lus/a", "/goed.html"),
                "/lus/a": Redirect("/lus/b", 302),
                "/lus/b": Redirect("/lus/a", 302),
                "/goed.html": course("Goede cursus"),
            },
        ),
        Hostile(
            "offsite-redirect",
            "127.0.0.53",
            "ROC Doorverwijzing",
            {
                "/": home("/weg", "/goed.html"),
                "/weg": Redirect("{{site:foreign}}/aanbod.html", 302),
                "/goed.html": course("Goede cursus"),
            },
        ),
        Hostile(
            "start-redirects-away",
            "127.0.0.54",
            "ROC Verhuisd",
            {"/": Redirect("{{site:foreign}}/", 301)},
        ),
        Hostile(
            "decompression-bomb",
            "127.0.0.55",
            "ROC Bom",
            {
                "/": home("/bom.html", "/goed.html"),
                "/bom.html": GzipBomb(),
                "/goed.html": course("Goede cursus"),
            },
        ),
        Hostile(
            "gzipped-sitemap",
            "127.0.0.56",
            "ROC Sitemap",
            {
                "/robots.txt": Page(
                    "User-agent: *\nAllow: /\nSitemap: {{base}}/sitemap.xml.gz\n",
                    {"Content-Type": "text/plain"},
                ),
                "/": home("/goed.html"),
                "/goed.html": course("Goede cursus"),
                "/sitemap.xml.gz": GzippedSitemap(),
                "/alleen-in-sitemap.html": course("Alleen in de sitemap"),
            },
        ),
        Hostile(
            "huge-body",
            "127.0.0.57",
            "ROC Reus",
            {
                "/": home("/groot.html", "/goed.html"),
                "/groot.html": HugeBody(),
                "/goed.html": course("Goede cursus"),
            },
        ),
        Hostile(
            "control-bytes",
            "127.0.0.58",
            "ROC Stuurtekens",
            {"/": Page(CONTROL_BYTES), "/cursus.html": course("Helpende\x0c Plus\x01")},
        ),
        # not an institution: where the redirects lead (a page that would match an offer)
        Hostile(
            "foreign",
            "127.0.0.59",
            "",
            {"/*": course("Mbo-certificaat Helpende Plus (K0905)")},
        ),
    ]


class HostileFarm:
    def __init__(self) -> None:
        self.sites = {site.name: site for site in hostile_sites()}
        self.servers: dict[str, SiteServer] = {}
        self.bases: dict[str, str] = {}

    def start(self) -> HostileFarm:
        for site in self.sites.values():
            server = SiteServer(site.host, None, site.resources, site.name, self.bases).start()
            self.servers[site.name] = server
            self.bases[site.name] = server.base
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()

    def institutions_csv(self) -> str:
        lines = ["name,funded,website"]
        lines += [
            f"{site.institution},bekostigd,{self.bases[name]}/"
            for name, site in self.sites.items()
            if site.institution
        ]
        return "\n".join(lines) + "\n"
