"""Request guard: access token, CSRF check on state changes, security headers on responses.

Without a token the app serves loopback host names only (127.x.x.x, localhost, [::1]): a web
page whose own domain is re-pointed at 127.0.0.1 (DNS rebinding) gets no answer. With a
token, a request without it gets nothing either.

CSRF: browsers send `Sec-Fetch-Site` and `Origin` on POST. A POST is refused when
`Sec-Fetch-Site` says the request came from another site (or from a sandboxed, opaque
origin such as an archived page), or when `Origin` is not this server. Clients that send
neither (curl, scripts, OpenRefine's server) are not browsers and cannot carry a victim's
cookies across sites, so they pass.
"""

from __future__ import annotations

import hmac
import ipaddress
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, parse_qsl, urlencode

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_COOKIE = "mbo_review_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
APP_CSP = (
    "default-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)
# The archived page: no script, no network, an opaque origin (sandbox) even if opened directly.
ARCHIVE_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def loopback_host(host_header: str) -> bool:
    """True for a Host header naming this computer: localhost, 127.x.x.x or [::1]."""
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    else:
        host = host.rpartition(":")[0] if host.count(":") == 1 else host
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def same_origin(scope: Scope, headers: Headers) -> bool:
    """True unless the browser says this request comes from another origin."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return True
    host = headers.get("host", "")
    return origin in (f"{scope.get('scheme', 'http')}://{host}",)


class Guard:
    """ASGI middleware in front of the review app."""

    def __init__(
        self, app: ASGIApp, *, token: str | None = None, csrf_exempt: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self.token = token
        self.csrf_exempt = csrf_exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal, via_query = self._check(scope, headers)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if (
            via_query
            and scope["method"] == "GET"
            and not scope["path"].startswith(self.csrf_exempt)
        ):
            await self._drop_token_from_url(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out.setdefault("content-security-policy", APP_CSP)
                out.setdefault("x-content-type-options", "nosniff")
                out.setdefault("referrer-policy", "same-origin")
                out.setdefault("x-frame-options", "SAMEORIGIN")
                if via_query:
                    out.append("set-cookie", self._cookie())
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _check(self, scope: Scope, headers: Headers) -> tuple[Response | None, bool]:
        """A refusal (or None) and whether the token came in the query string."""
        if self.token is None and not loopback_host(headers.get("host", "")):
            return PlainTextResponse(
                "Onbekende host: zonder --token antwoordt deze app alleen "
                "op 127.0.0.1 of localhost.",
                status_code=421,
            ), False
        via_query = False
        if self.token is not None:
            presented, via_query = self._presented_token(scope, headers)
            if presented is None or not hmac.compare_digest(presented, self.token):
                return PlainTextResponse(
                    "Toegang geweigerd: open de link met ?token=... die u van de beheerder kreeg.",
                    status_code=401,
                ), False
        if (
            scope["method"] not in SAFE_METHODS
            and not scope["path"].startswith(self.csrf_exempt)
            and not same_origin(scope, headers)
        ):
            return PlainTextResponse(
                "Geweigerd: dit verzoek komt niet van deze site (CSRF-controle).", status_code=403
            ), False
        return None, via_query

    def _cookie(self) -> str:
        return f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Lax"

    async def _drop_token_from_url(self, scope: Scope, receive: Receive, send: Send) -> None:
        """First visit with ?token=: keep it in a cookie, then show a URL without it."""
        query = [
            (k, v)
            for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            if k != "token"
        ]
        target = scope["path"] + (f"?{urlencode(query)}" if query else "")
        response = RedirectResponse(target, status_code=303)
        response.headers.append("set-cookie", self._cookie())
        await response(scope, receive, send)

    def _presented_token(self, scope: Scope, headers: Headers) -> tuple[str | None, bool]:
        """The token from the query (first visit), an Authorization header or the cookie."""
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in query:
            return query["token"][0], True
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip(), False
        cookie = SimpleCookie()
        cookie.load(headers.get("cookie", ""))
        morsel = cookie.get(TOKEN_COOKIE)
        return (morsel.value if morsel else None), False
