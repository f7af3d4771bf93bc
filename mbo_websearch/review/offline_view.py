"""Routes of the offline checks (see `offline_check.py`):

GET  /ronde/{round}/offline                        the list, with counts per state
GET  /ronde/{round}/offline/{institution}/{code}   both pages side by side, the text diff
POST /ronde/{round}/offline                        the verdict: offline | nog aangeboden op …
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from mbo_websearch.review import offline_check
from mbo_websearch.review.queue import rounds
from mbo_websearch.review.reviewer import reviewer_of

if TYPE_CHECKING:
    import sqlite_utils
    from starlette.templating import Jinja2Templates

    from snapshots.workspace import Workspace

Connect = Callable[["Workspace"], "sqlite_utils.Database"]


def routes(workspace: Workspace, templates: Jinja2Templates, connect: Connect) -> list[Route]:
    def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        context["reviewer"] = reviewer_of(request)
        return templates.TemplateResponse(request, name, context, status_code=status)

    def checks_of(request: Request) -> tuple[sqlite_utils.Database, offline_check.RoundChecks]:
        label = request.path_params["round"]
        db = connect(workspace)
        if label not in rounds(db):
            raise HTTPException(404, f"Ronde {label} bestaat niet.")
        return db, offline_check.round_checks(workspace, db, label)

    def listing(request: Request) -> Response:
        _db, checks = checks_of(request)
        return render(
            request,
            "offline.html",
            round=checks.round,
            checks=checks,
            state_labels=offline_check.STATE_LABELS,
        )

    def detail(request: Request) -> Response:
        db, checks = checks_of(request)
        code = request.path_params["code"]
        item = checks.find(request.path_params["institution"], code)
        if item is None or checks.previous is None:
            raise HTTPException(404, f"{code} staat in ronde {checks.round} niet op de lijst.")
        old_page = offline_check.archived_page(db, checks.previous, item.row.old_evidence)
        nearest = offline_check.nearest_page(
            db, checks.round, item.row.institution_id, item.row.old_evidence
        )
        new_page = nearest.page_id if nearest else None
        return render(
            request,
            "offline_check.html",
            round=checks.round,
            checks=checks,
            item=item,
            row=item.row,
            old_page=old_page,
            nearest=nearest,
            changes=offline_check.compare_pages(workspace, db, old_page, new_page),
            state_labels=offline_check.STATE_LABELS,
        )

    async def verdict(request: Request) -> Response:
        reviewer = reviewer_of(request)
        label = request.path_params["round"]
        if reviewer is None:
            target = f"/ronde/{quote(label)}/offline"
            return RedirectResponse(f"/naam?{urlencode({'next': target})}", status_code=303)
        fields = {k: str(v) for k, v in (await request.form()).items()}
        db, checks = checks_of(request)
        institution = fields.get("institution", "")
        try:
            offline_check.record_check(
                db,
                checks,
                int(institution) if institution.isdigit() else 0,
                fields.get("code", ""),
                verdict=fields.get("verdict", ""),
                offered_at=fields.get("offered_at"),
                reviewer=reviewer,
                note=fields.get("note"),
            )
        except offline_check.OfflineCheckError as error:
            return render(request, "error.html", 400, round=label, error=str(error))
        return RedirectResponse(f"/ronde/{quote(label)}/offline", status_code=303)

    return [
        Route("/ronde/{round}/offline", listing, methods=["GET"]),
        Route("/ronde/{round}/offline", verdict, methods=["POST"]),
        Route("/ronde/{round}/offline/{institution:int}/{code}", detail, methods=["GET"]),
    ]
