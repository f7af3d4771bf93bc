"""OpenRefine Reconciliation Service API (version 0.2) over the certificate register.

GET /reconcile                 the service manifest
GET|POST /reconcile?queries=   {"q0": {"query": "Helpende plus", "limit": 3}, ...}
  -> {"q0": {"result": [{"id": "K0905", "name": "Helpende plus", "score": 97.0,
                          "match": true, "type": [...]}]}}
`match` is true only for the code the matcher would accept automatically.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from matcher.normalise import normalise_title
from matcher.register import Register
from matcher.scoring import Decision, match_name, rank_codes
from matcher.vocabulary import CertificateType
from mbo_websearch.labels import TYPE_NAMES

if TYPE_CHECKING:
    import sqlite_utils

    from snapshots.workspace import Workspace

TYPES = [{"id": str(kind), "name": TYPE_NAMES[kind]} for kind in CertificateType]
MAX_QUERIES = 500
CORS = {"Access-Control-Allow-Origin": "*"}


def manifest(base_url: str) -> dict[str, Any]:
    return {
        "versions": ["0.2"],
        "name": "mbo-certificaten register (mbo-websearch)",
        "identifierSpace": "https://mbo-websearch.invalid/certificaat",
        "schemaSpace": "https://mbo-websearch.invalid/type",
        "defaultTypes": TYPES,
        "view": {"url": base_url + "zoek?q={{id}}"},
    }


def reconcile_one(register: Register, query: dict[str, Any]) -> list[dict[str, Any]]:
    """Candidates for one query: ranked codes with scores and a match flag."""
    text = str(query.get("query", ""))[:500]
    limit = query.get("limit")
    limit = max(1, min(limit, 25)) if isinstance(limit, int) else 5
    wanted = query.get("type")
    result = match_name(text, register)
    ranked = rank_codes(text, register, processor=normalise_title, limit=limit)
    out = []
    for ranked_code in ranked:
        certificate = register.get(ranked_code.code)
        kind = certificate.type if certificate else ""
        if wanted and kind != wanted:
            continue
        out.append(
            {
                "id": ranked_code.code,
                "name": ranked_code.title,
                "score": round(float(ranked_code.score), 1),
                "match": result.decision == Decision.auto and result.code == ranked_code.code,
                "type": [t for t in TYPES if t["id"] == kind],
            }
        )
    return out


def parse_queries(raw: str) -> dict[str, dict[str, Any]]:
    try:
        queries = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"queries is not JSON: {exc.msg}") from exc
    if not isinstance(queries, dict) or len(queries) > MAX_QUERIES:
        raise ValueError(f"queries must be an object of at most {MAX_QUERIES} queries")
    if not all(isinstance(q, dict) for q in queries.values()):
        raise ValueError("every query must be an object with a 'query' field")
    return queries


def routes(
    workspace: Workspace, connect: Callable[[Workspace], sqlite_utils.Database]
) -> list[Route]:
    def answer(queries: dict[str, dict[str, Any]]) -> dict[str, Any]:
        register = Register.from_db(connect(workspace))
        return {key: {"result": reconcile_one(register, q)} for key, q in queries.items()}

    async def endpoint(request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            params.update({k: str(v) for k, v in (await request.form()).items()})
        if "queries" not in params and "query" not in params:
            return JSONResponse(manifest(str(request.base_url)), headers=CORS)
        try:
            if "queries" in params:
                queries = parse_queries(params["queries"])
            else:
                single = params["query"]
                queries = {"q": json.loads(single) if single.startswith("{") else {"query": single}}
        except (ValueError, json.JSONDecodeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400, headers=CORS)
        answers = await run_in_threadpool(answer, queries)
        if "queries" not in params:
            return JSONResponse(answers["q"], headers=CORS)
        return JSONResponse(answers, headers=CORS)

    return [Route("/reconcile", endpoint, methods=["GET", "POST"])]
