"""The review web app: a Starlette app factory with server-rendered Dutch pages.

Routes (state changes are POST only and pass the CSRF guard in `security.py`):
  GET  /                          rounds with progress
  GET  /naam, POST /naam          the analyst's name (asked once, kept in a cookie)
  GET  /ronde/{round}             the queue, stable order, paginated; ?instelling=ID, ?sector=,
                                  ?score=hoog|midden|laag, ?staat=open|decided|conflict|alle
  POST /ronde/{round}/beslis      accept / other code / none / b2b / note / undo
  GET|POST /ronde/{round}/steekproef  spot checks of auto-accepted matches (?n=, ?zaad=)
  GET|POST /ronde/{round}/offline     offline checks against last round (offline_view.py)
  GET  /zoek?q=                   register search by code or title (JSON)
  GET  /pagina/{id}               archived page viewer (see viewer.py)
  GET|POST /reconcile             OpenRefine Reconciliation Service API (see reconcile.py)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from matcher.decisions import WITHDRAWN, decision_log
from matcher.register import Register
from matcher.store import DecisionRecord, recent_decisions_by
from mbo_websearch.labels import DECISION_CODE_LABELS
from mbo_websearch.review import offline_view, reconcile, spot_check, viewer
from mbo_websearch.review.actions import (
    Action,
    ActionError,
    Choice,
    Conflict,
    decide,
    item_for,
)
from mbo_websearch.review.connection import RequestConnection, connect
from mbo_websearch.review.evidence import (
    PAGE_KIND_LABELS,
    CardEvidence,
    card_evidence,
    previous_round,
)
from mbo_websearch.review.highlight import CUE_LABELS, highlight
from mbo_websearch.review.queue import decision_by_id, rounds
from mbo_websearch.review.queue_cache import QueueCache
from mbo_websearch.review.queue_view import BAND_LABELS, STATE_LABELS, QueueFilter, page_of
from mbo_websearch.review.reviewer import REVIEWER_COOKIE, reviewer_of
from mbo_websearch.review.search import search_register
from mbo_websearch.review.security import Guard
from mbo_websearch.review.times import local_time
from mbo_websearch.workspace import open_db

if TYPE_CHECKING:
    from sqlite_utils import Database

    from mbo_websearch.review.queue import QueueItem, RoundQueue
    from snapshots.workspace import Workspace

HERE = Path(__file__).parent


class ReviewApp:
    """The route handlers, bound to one workspace."""

    def __init__(self, workspace: Workspace, templates: Jinja2Templates) -> None:
        self.workspace = workspace
        self.templates = templates
        self.queues = QueueCache()

    def render(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        context["reviewer"] = reviewer_of(request)
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def ask_name(self, request: Request) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/naam?{urlencode({'next': target})}", status_code=303)

    def index(self, request: Request) -> Response:
        db = connect(self.workspace)
        overview = [(label, self.queues.get(db, label).progress) for label in rounds(db)]
        return self.render(request, "index.html", rounds=overview)

    def name_form(self, request: Request) -> Response:
        return self.render(request, "name.html", next=_local(request.query_params.get("next")))

    async def name_submit(self, request: Request) -> Response:
        form = await request.form()
        name = str(form.get("name", "")).strip()[:80]
        target = _local(str(form.get("next", "/")))
        if not name:
            return self.render(request, "name.html", 400, next=target, error="Vul een naam in.")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            REVIEWER_COOKIE, quote(name), max_age=365 * 86400, httponly=True, samesite="lax"
        )
        return response

    def queue(self, request: Request) -> Response:
        if reviewer_of(request) is None:
            return self.ask_name(request)
        label = request.path_params["round"]
        db = connect(self.workspace)
        if label not in rounds(db):
            raise HTTPException(404, f"Ronde {label} bestaat niet.")
        queue = self.queues.get(db, label)
        chosen = QueueFilter.from_query(request.query_params)
        page = page_of(queue, chosen)
        items = page.items
        last_id = _int(request.query_params.get("laatste"))
        last = decision_by_id(db, last_id) if last_id else None
        last_item = queue.find((last.institution_id, last.normalised_name)) if last else None
        if last and last.withdrawn and last_item and not last_item.decided:
            # Undone first decision: that name is back in the queue; show it first.
            items = [last_item] + [i for i in items if i.key != last_item.key]
        return self.render(
            request,
            "queue.html",
            round=label,
            queue=queue,
            page=page,
            chosen=chosen,
            items=items,
            institution_filter=chosen.institution,
            show_all=chosen.state is None,
            last=last,
            last_item=last_item,
            identical={i.candidate_id: len(queue.identical(i)) for i in items},
            logs={
                i.candidate_id: decision_log(
                    db, institution_id=i.institution_id, normalised_name=i.normalised_name
                )[::-1]
                for i in items
                if i.decided or i is last_item
            },
            evidence=self.evidence(db, label, items),
            history=undo_history(db, queue, label, reviewer_of(request) or ""),
            applied=_int(request.query_params.get("toegepast")),
            skipped=_int(request.query_params.get("overgeslagen")),
            band_labels=BAND_LABELS,
            state_labels=STATE_LABELS,
        )

    def evidence(self, db: Database, label: str, items: list[QueueItem]) -> dict[int, CardEvidence]:
        """The cards' evidence, read for the items on this page only."""
        register = Register.from_db(db)
        before = previous_round(db, label)
        return {i.candidate_id: card_evidence(db, register, i, before=before) for i in items}

    async def decide(self, request: Request) -> Response:
        reviewer = reviewer_of(request)
        if reviewer is None:
            return self.ask_name(request)
        label = request.path_params["round"]
        form = await request.form()
        fields = {k: str(v) for k, v in form.items()}
        db = connect(self.workspace)
        try:
            queue = self.queues.get(db, label)
            key = (_int(fields.get("institution")) or 0, fields.get("name", ""))
            item = item_for(db, label, key, queue)
            choice = parse_choice(fields)
            outcome = decide(
                db,
                Register.from_db(db),
                item,
                choice,
                reviewer=reviewer,
                expected_latest=_int(fields.get("expected_latest")),
                apply_to_identical=fields.get("identical") == "1",
                queue=queue,
            )
        except Conflict as conflict:
            return self.render(
                request,
                "conflict.html",
                409,
                round=label,
                conflict=conflict,
                fields=fields,
                choice_label=choice_label(fields),
            )
        except ActionError as error:
            return self.render(request, "error.html", 400, round=label, error=str(error))
        back = QueueFilter.from_query(dict(parse_qsl(fields.get("terug", ""))))
        if fields.get("instelling"):
            back = replace(back, institution=_int(fields["instelling"]))
        params: dict[str, str | int] = {"laatste": outcome.decision_id}
        if outcome.applied_to_identical or outcome.skipped_identical:
            params["toegepast"] = outcome.applied_to_identical
            params["overgeslagen"] = outcome.skipped_identical
        query = "&".join(q for q in (back.as_query(), urlencode(params)) if q)
        return RedirectResponse(f"/ronde/{quote(label)}?{query}", status_code=303)

    def spot_checks(self, request: Request) -> Response:
        if reviewer_of(request) is None:
            return self.ask_name(request)
        label = request.path_params["round"]
        db = connect(self.workspace)
        if label not in rounds(db):
            raise HTTPException(404, f"Ronde {label} bestaat niet.")
        size = _int(request.query_params.get("n")) or spot_check.DEFAULT_SIZE
        seed = _int(request.query_params.get("zaad")) or spot_check.DEFAULT_SEED
        checked = spot_check.sample(db, label, size=size, seed=seed)
        return self.render(
            request,
            "steekproef.html",
            round=label,
            checked=checked,
            estimate=spot_check.estimate(checked),
            seed=seed,
            query=urlencode({"n": size, "zaad": seed}),
        )

    async def spot_verdict(self, request: Request) -> Response:
        reviewer = reviewer_of(request)
        if reviewer is None:
            return self.ask_name(request)
        label = request.path_params["round"]
        fields = {k: str(v) for k, v in (await request.form()).items()}
        db = connect(self.workspace)
        try:
            spot_check.record_verdict(
                db,
                label,
                (_int(fields.get("institution")) or 0, fields.get("name", "")),
                correct=fields.get("verdict") == "juist",
                code=fields.get("code", "").strip().upper() or None,
                reviewer=reviewer,
                register=Register.from_db(db),
            )
        except spot_check.VerdictError as error:
            return self.render(request, "error.html", 400, round=label, error=str(error))
        back = dict(parse_qsl(fields.get("terug", "")))
        return RedirectResponse(
            f"/ronde/{quote(label)}/steekproef?{urlencode(back)}", status_code=303
        )

    def search(self, request: Request) -> Response:
        db = connect(self.workspace)
        hits = search_register(Register.from_db(db), request.query_params.get("q", ""))
        return JSONResponse([hit.__dict__ for hit in hits])


def undo_history(
    db: Database, queue: RoundQueue, label: str, reviewer: str
) -> list[tuple[DecisionRecord, QueueItem, bool]]:
    """The analyst's latest decisions in the round: (decision, item, still in force)."""
    rows = []
    for decision in recent_decisions_by(db, label, reviewer, limit=6):
        item = queue.find((decision.institution_id, decision.normalised_name))
        if item is None or decision.withdrawn:
            continue
        rows.append((decision, item, item.latest is not None and item.latest.id == decision.id))
    return rows


def parse_choice(fields: dict[str, str]) -> Choice:
    """The form's `choice` button: "accept:K0905", "other" (code field), "none", "b2b"..."""
    raw = fields.get("choice", "")
    action, _, code = raw.partition(":")
    b2b = fields.get("b2b") == "1"
    note = fields.get("note")
    if action == "other":
        return Choice(Action.accept, code=fields.get("code", "").strip(), b2b_only=b2b, note=note)
    try:
        parsed = Action(action)
    except ValueError:
        raise ActionError(f"Onbekende actie: {raw!r}.") from None
    return Choice(parsed, code=code or None, b2b_only=b2b, note=note)


def choice_label(fields: dict[str, str]) -> str:
    action, _, code = fields.get("choice", "").partition(":")
    labels = {
        "none": "geen certificaattraject",
        "b2b": "b2b wisselen",
        "note": "notitie",
        "undo": "ongedaan maken",
    }
    if action == "other":
        return f"code {fields.get('code', '')}"
    return f"code {code}" if action == "accept" else labels.get(action, action)


def code_label(code: str | None) -> str:
    """A decision's code as the pages show it (Dutch for the two sentinel codes)."""
    return DECISION_CODE_LABELS.get(code or WITHDRAWN, code or "")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _local(target: str | None) -> str:
    """Only redirect within this app (no open redirect to another site)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["highlight"] = highlight
    env.globals["cue_labels"] = CUE_LABELS
    env.globals["code_label"] = code_label
    env.globals["page_kind_labels"] = PAGE_KIND_LABELS
    env.filters["urlquote"] = lambda value: quote(str(value), safe="")
    env.filters["local_time"] = local_time
    return Jinja2Templates(env=env)


def create_app(workspace: Workspace, *, token: str | None = None) -> Starlette:
    """The review app for `workspace`; with `token`, every request must present it."""
    open_db(workspace).close()  # apply pending migrations once, before serving
    templates = make_templates()
    handlers = ReviewApp(workspace, templates)
    routes = [
        Route("/", handlers.index),
        Route("/naam", handlers.name_form, methods=["GET"]),
        Route("/naam", handlers.name_submit, methods=["POST"]),
        Route("/ronde/{round}", handlers.queue, methods=["GET"]),
        Route("/ronde/{round}/beslis", handlers.decide, methods=["POST"]),
        Route("/ronde/{round}/steekproef", handlers.spot_checks, methods=["GET"]),
        Route("/ronde/{round}/steekproef", handlers.spot_verdict, methods=["POST"]),
        Route("/zoek", handlers.search),
        *viewer.routes(workspace, templates, connect),
        *offline_view.routes(workspace, templates, connect),
        *reconcile.routes(workspace, connect),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestConnection),
            Middleware(Guard, token=token, csrf_exempt=("/reconcile",)),
        ],
    )
