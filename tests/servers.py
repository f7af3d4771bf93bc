"""Test web sites on loopback: one ThreadingHTTPServer per site, each on its own 127.0.0.x.

Sites are real files in tests/sites/<name>/; `{{base}}` in a text file is replaced by the
site's own base URL and `{{site:<name>}}` by another site's. Failure modes are small named
resources mounted on a path (Status503Then200, Redirect, EndlessCalendar, Delay, ...).
"""

from __future__ import annotations

import json
import mimetypes
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SITES_DIR = Path(__file__).parent / "sites"
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".json", ".js"}


@dataclass
class Reply:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class Resource:
    """A path with special behaviour; `handle` returns the reply (or None: serve the file)."""

    def handle(self, server: SiteServer, path: str, query: dict[str, list[str]]) -> Reply | None:
        raise NotImplementedError


@dataclass
class Status503Then200(Resource):
    """Answers 503 with Retry-After, then the file on the next request, alternately (so
    every crawl in a test session sees a 503 first)."""

    retry_after: str = "1"
    calls: int = 0

    def handle(self, server, path, query):
        self.calls += 1
        if self.calls % 2 == 1:
            return Reply(
                503,
                {"Retry-After": self.retry_after, "Content-Type": "text/html"},
                b"<html><body><h1>Even geduld</h1></body></html>",
            )
        return None


@dataclass
class Redirect(Resource):
    to: str
    status: int = 301

    def handle(self, server, path, query):
        return Reply(self.status, {"Location": server.expand(self.to)})


@dataclass
class Delay(Resource):
    """Serves the file after `seconds` (a slow JSON API behind a script-built listing)."""

    seconds: float

    def handle(self, server, path, query):
        time.sleep(self.seconds)
        return None


@dataclass
class ContentType(Resource):
    """Serves the file with an explicit Content-Type header (e.g. a windows-1252 charset)."""

    content_type: str

    def handle(self, server, path, query):
        reply = server.file_reply(path)
        if reply is not None and reply.status == 200:
            reply.headers["Content-Type"] = self.content_type
        return reply


@dataclass
class EndlessCalendar(Resource):
    """An agenda that always links to the next and previous month and the next day."""

    def handle(self, server, path, query):
        month = (query.get("maand") or ["2026-11"])[0]
        match = re.fullmatch(r"(\d{4})-(\d{2})", month)
        year, mon = (int(match.group(1)), int(match.group(2))) if match else (2026, 11)
        nxt = f"{year + mon // 12}-{mon % 12 + 1:02d}"
        prv = f"{year - (mon == 1)}-{(mon - 2) % 12 + 1:02d}"
        day = re.search(r"/dag/(\d+)", path)
        n = int(day.group(1)) if day else 1
        body = (
            f"<html><head><title>Agenda {month}</title></head><body><h1>Agenda {month}</h1>"
            f"<a href='/agenda/?maand={nxt}'>Volgende maand</a> "
            f"<a href='/agenda/?maand={prv}'>Vorige maand</a> "
            f"<a href='/agenda/dag/{n + 1}'>Volgende dag</a> "
            f"<a href='/agenda/dag/{n + 1}/week'>Week</a></body></html>"
        )
        return Reply(200, {"Content-Type": "text/html; charset=utf-8"}, body.encode())


@dataclass
class GeneratedSite(Resource):
    """`pages` generated course pages under /p/N.html; page N links to 3N+1 .. 3N+3 (a tree
    of depth ~log3(pages), so the whole site is within the crawler's depth limit)."""

    pages: int = 300

    def handle(self, server, path, query):
        match = re.fullmatch(r"/p/(\d+)\.html", path)
        if path in ("/", "/index.html"):
            n = -1
        elif match and int(match.group(1)) < self.pages:
            n = int(match.group(1))
        else:
            return Reply(404, {"Content-Type": "text/html"}, b"<h1>Niet gevonden</h1>")
        first = 0 if n < 0 else 3 * n + 1
        links = "".join(
            f"<li><a href='/p/{k}.html'>Cursus {k}</a></li>"
            for k in range(first, min(first + 3, self.pages))
        )
        text = " ".join(["Praktijkgerichte cursus voor werkenden."] * 8)
        body = (
            f"<html><head><title>Cursus {n}</title></head><body><h1>Cursus {n}</h1>"
            f"<p>{text}</p><ul>{links}</ul></body></html>"
        )
        return Reply(200, {"Content-Type": "text/html; charset=utf-8"}, body.encode())


@dataclass
class SiteServer:
    """One site on `host` (a 127.0.0.x address of its own), port 0; `.url(path)`."""

    host: str
    root: Path | None = None
    resources: dict[str, Resource] = field(default_factory=dict)
    name: str = ""
    others: dict[str, str] = field(default_factory=dict)  # site name -> base URL
    log: list[tuple[float, str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def base(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def start(self) -> SiteServer:
        self._httpd = ThreadingHTTPServer((self.host, 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def requests_for(self, path: str) -> list[tuple[float, str, int]]:
        with self._lock:
            return [entry for entry in self.log if entry[1] == path]

    def expand(self, text: str) -> str:
        text = text.replace("{{base}}", self.base)
        return re.sub(r"\{\{site:([\w-]+)\}\}", lambda m: self.others[m.group(1)], text)

    def file_reply(self, path: str) -> Reply | None:
        if self.root is None:
            return None
        target = (self.root / path.lstrip("/")).resolve()
        if not str(target).startswith(str(self.root.resolve())):
            return Reply(403)
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return None
        body = target.read_bytes()
        if target.suffix in TEXT_SUFFIXES and b"{{" in body:
            body = self.expand(body.decode("utf-8")).encode("utf-8")
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix == ".html":
            ctype = "text/html"
        return Reply(200, {"Content-Type": ctype}, body)

    def respond(self, raw_path: str) -> Reply:
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        resource = self.resources.get(path) or next(
            (
                r
                for prefix, r in self.resources.items()
                if prefix.endswith("*") and path.startswith(prefix[:-1])
            ),
            None,
        )
        reply = resource.handle(self, path, query) if resource else None
        if reply is None:
            reply = self.file_reply(path)
        if reply is None:
            reply = Reply(
                404,
                {"Content-Type": "text/html; charset=utf-8"},
                b"<html><head><title>404</title></head><body>Not found</body></html>",
            )
        with self._lock:
            self.log.append((time.monotonic(), path, reply.status))
        return reply


def _handler_for(site: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            reply = site.respond(self.path)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return Handler


def unused_port(host: str) -> int:
    """A port on `host` where nothing listens (a site that is down: connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class SiteSpec:
    """A test site and the institution that owns it (see tests/sites/TRUTH.md)."""

    name: str
    host: str
    institution: str
    funded: str = "bekostigd"
    start_path: str = "/"
    extra_sites: tuple[str, ...] = ()  # other sites (hosts) that belong to the institution
    render: str = ""
    resources: dict[str, Resource] = field(default_factory=dict, hash=False)


def site_specs() -> list[SiteSpec]:
    """The test sites; resources are fresh objects on every call."""
    cp1252 = ContentType("text/html; charset=windows-1252")
    return [
        SiteSpec(
            "static-catalogue",
            "127.0.0.11",
            "ROC Statisch College",
            extra_sites=("static-catalogue-professionals",),
        ),
        SiteSpec("static-catalogue-professionals", "127.0.0.20", ""),
        SiteSpec("paginated-listing", "127.0.0.12", "Opleider Pagina BV", funded="niet-bekostigd"),
        SiteSpec(
            "js-listing", "127.0.0.13", "ROC Script", resources={"/api/cursussen.json": Delay(0.4)}
        ),
        SiteSpec(
            "endless-calendar",
            "127.0.0.14",
            "Vakschool Kalender",
            resources={"/agenda/*": EndlessCalendar()},
        ),
        SiteSpec(
            "flaky-503",
            "127.0.0.15",
            "ROC Herstel",
            resources={"/cursussen/": Status503Then200("1")},
        ),
        SiteSpec("down", "127.0.0.16", "ROC Offline"),
        SiteSpec(
            "windows-1252",
            "127.0.0.17",
            "Opleidingscentrum Zuidwest",
            resources={"/": cp1252, "/index.html": cp1252},
        ),
        SiteSpec(
            "redirects-utm",
            "127.0.0.18",
            "ROC Omleiding",
            resources={
                "/oud/koken": Redirect("/cursussen/koken.html", 301),
                "/cursussen/vervallen-cursus.html": Redirect("/", 302),
            },
        ),
        SiteSpec("robots-deny-all", "127.0.0.31", "Opleider Gesloten BV", funded="niet-bekostigd"),
        SiteSpec(
            "generated",
            "127.0.0.19",
            "Opleider Groot BV",
            funded="niet-bekostigd",
            resources={"/*": GeneratedSite(300)},
        ),
    ]


class SiteFarm:
    """Every test site started at once (the down site gets a port where nothing listens)."""

    def __init__(self) -> None:
        self.specs = {spec.name: spec for spec in site_specs()}
        self.servers: dict[str, SiteServer] = {}
        self.bases: dict[str, str] = {}

    def start(self) -> SiteFarm:
        for spec in self.specs.values():
            if spec.name == "down":
                self.bases[spec.name] = f"http://{spec.host}:{unused_port(spec.host)}"
                continue
            root = SITES_DIR / spec.name
            server = SiteServer(
                spec.host,
                root if root.is_dir() else None,
                dict(spec.resources),
                spec.name,
                self.bases,
            ).start()
            self.servers[spec.name] = server
            self.bases[spec.name] = server.base
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()

    def institutions_csv(self, names: list[str] | None = None) -> str:
        """institutions.csv for the sites' institutions (start URLs include extra hosts)."""
        lines = ["name,funded,website,start_urls,render"]
        for spec in self.specs.values():
            if not spec.institution or (names and spec.name not in names):
                continue
            website = self.bases[spec.name] + spec.start_path
            starts = [website] + [self.bases[s] + "/" for s in spec.extra_sites]
            lines.append(
                f"{spec.institution},{spec.funded},{website},{' '.join(starts)},{spec.render}"
            )
        return "\n".join(lines) + "\n"

    def truth(self) -> dict:
        return json.loads((SITES_DIR / "truth.json").read_text(encoding="utf-8"))
