"""Archived page viewer: the page as it was, from its WARC record, never trusted.

`/pagina/{id}` is our page (escaped metadata) with the archive in `<iframe sandbox>`.
`/pagina/{id}/inhoud` serves the archived bytes under a CSP `sandbox` policy without
`allow-scripts`: even opened directly, the page gets an opaque origin, runs no script and
loads nothing from the network, so it can never act in the app's origin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mbo_websearch.review.archive_links import rewrite_links
from mbo_websearch.review.reviewer import reviewer_of
from mbo_websearch.review.security import ARCHIVE_CSP
from snapshots.errors import NotFound
from snapshots.index import Archived, PageRecord, get_page, read_archived
from snapshots.payload import decode_html, is_pdf, pdf_text
from snapshots.store import PageProvenance, archived_pages_by_url, page_provenance

if TYPE_CHECKING:
    import sqlite_utils
    from starlette.templating import Jinja2Templates

    from snapshots.workspace import Workspace

Connect = Callable[["Workspace"], "sqlite_utils.Database"]


def _load(
    workspace: Workspace, connect: Connect, page_id: int
) -> tuple[PageRecord, Archived, PageProvenance]:
    db = connect(workspace)
    try:
        page = get_page(db, page_id)
    except NotFound:
        raise HTTPException(404, f"Geen gearchiveerde pagina met nummer {page_id}.") from None
    meta = page_provenance(db, page_id)
    assert meta is not None  # the page exists
    return page, read_archived(workspace, db, page), meta


def routes(workspace: Workspace, templates: Jinja2Templates, connect: Connect) -> list[Route]:
    def frame(request: Request) -> Response:
        page, archived, meta = _load(workspace, connect, request.path_params["page_id"])
        payload = archived.payload
        pdf = is_pdf(payload, page.content_type)
        return templates.TemplateResponse(
            request,
            "page.html",
            {
                "page": page,
                "meta": meta,
                "pdf": pdf,
                "size": len(payload),
                "text": pdf_text(payload) if pdf else None,
                "reviewer": reviewer_of(request),
            },
        )

    def content(request: Request) -> Response:
        page_id = request.path_params["page_id"]
        page, archived, _meta = _load(workspace, connect, page_id)
        payload = archived.payload
        headers = {
            "Content-Security-Policy": ARCHIVE_CSP,
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        }
        if is_pdf(payload, page.content_type):
            headers["Content-Disposition"] = f'attachment; filename="pagina-{page_id}.pdf"'
            return Response(payload, media_type="application/pdf", headers=headers)
        text = decode_html(payload, archived.content_type).text
        kind = (
            "text/html"
            if (page.content_type or "text/html") in ("text/html", "application/xhtml+xml")
            else "text/plain"
        )
        if kind == "text/html":
            db = connect(workspace)
            text = rewrite_links(
                text,
                page.final_url or page.url,
                lambda urls: archived_pages_by_url(db, page.round, urls),
            )
        return Response(text.encode("utf-8"), media_type=f"{kind}; charset=utf-8", headers=headers)

    return [
        Route("/pagina/{page_id:int}", frame, methods=["GET"]),
        Route("/pagina/{page_id:int}/inhoud", content, methods=["GET"]),
    ]
