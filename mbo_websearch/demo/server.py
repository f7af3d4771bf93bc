"""Serve the bundled demo sites on loopback, one site per 127.0.0.x address.

Each site has a folder per round (`round-1/`, `round-2/`); `{{base}}` in a text file is
replaced by the site's base URL. A site without a folder for a round is down in that round:
its server is closed, so connections are refused.
"""

from __future__ import annotations

import mimetypes
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

TEXT_SUFFIXES = {".html", ".xml", ".txt"}


class _Handler(BaseHTTPRequestHandler):
    server: _SiteHTTPServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body, content_type = self.server.site.resolve(urlsplit(self.path).path)
        if body is None:
            body, content_type, status = b"<h1>Niet gevonden</h1>", "text/html; charset=utf-8", 404
        else:
            status = 200
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the demo prints its own progress."""


class _SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: DemoSite) -> None:
        self.site = site
        super().__init__(address, _Handler)


@dataclass
class DemoSite:
    """One demo website: a folder of rounds served on its own loopback address."""

    folder: Path
    host: str
    port: int = 0
    root: Path | None = None
    _server: _SiteHTTPServer | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def serve_round(self, round_number: int) -> bool:
        """Serve the round's folder (start the server if needed); False = the site is down."""
        root = self.folder / f"round-{round_number}"
        if not root.is_dir():
            self.stop()
            return False
        self.root = root
        if self._server is None:
            self._server = _SiteHTTPServer((self.host, self.port), self)
            self.port = self._server.server_address[1]
            self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
            self._thread.start()
        return True

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def resolve(self, path: str) -> tuple[bytes | None, str]:
        """The file for a URL path (directories serve index.html); None when missing."""
        if self.root is None:
            return None, ""
        relative = unquote(path).lstrip("/")
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root.resolve()):
            return None, ""
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return None, ""
        data = target.read_bytes()
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix in TEXT_SUFFIXES:
            data = data.replace(b"{{base}}", self.base.encode())
            content_type += "; charset=utf-8"
        return data, content_type
