"""Who is deciding: the analyst's name, kept in a cookie (no accounts; the name goes into the
decision log)."""

from __future__ import annotations

from urllib.parse import unquote

from starlette.requests import Request

REVIEWER_COOKIE = "mbo_reviewer"


def reviewer_of(request: Request) -> str | None:
    name = unquote(request.cookies.get(REVIEWER_COOKIE) or "").strip()[:80]
    return name or None
