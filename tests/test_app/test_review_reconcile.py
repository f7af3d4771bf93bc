"""OpenRefine Reconciliation Service API over real HTTP (uvicorn on 127.0.0.1), and `serve`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mbo_websearch.review import create_app
from tests.test_app.conftest import LiveServer


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from snapshots.workspace import Workspace

    workspace = Workspace(tmp_path_factory.mktemp("reconcile") / "ws")
    with LiveServer(create_app(workspace)) as live, httpx.Client(base_url=live.url) as client:
        yield client


def test_service_manifest(server):
    manifest = server.get("/reconcile").json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["name"].startswith("mbo-certificaten register")
    assert {t["id"] for t in manifest["defaultTypes"]} == {
        "keuzedeel",
        "beroepsgericht onderdeel",
        "LNV",  # a register type since LNV certificates are modelled (issue 11)
    }
    assert manifest["identifierSpace"]
    assert manifest["schemaSpace"]


def test_queries_get_candidates_scores_and_a_match_flag(server):
    queries = {
        "q0": {"query": "Mbo-certificaat Helpende Plus"},
        "q1": {"query": "Verpleegtechnische handelingen", "limit": 2},
        "q2": {"query": "BHV herhaling"},
    }
    answer = server.get("/reconcile", params={"queries": json.dumps(queries)}).json()
    assert set(answer) == {"q0", "q1", "q2"}
    best = answer["q0"]["result"][0]
    assert (best["id"], best["name"], best["match"]) == ("K0905", "Helpende plus", True)
    assert best["type"] == [{"id": "keuzedeel", "name": "Keuzedeel (mbo-certificaat)"}]
    assert 0 <= best["score"] <= 100
    assert not any(r["match"] for r in answer["q0"]["result"][1:])
    uncertain = answer["q1"]["result"]
    assert len(uncertain) == 2
    assert {r["id"] for r in uncertain} == {"K0118", "K0119"}
    assert not any(r["match"] for r in uncertain)  # two titles fit: a human decides
    assert not any(r["match"] for r in answer["q2"]["result"])


def test_queries_as_openrefine_posts_them(server):
    queries = {
        "q0": {"query": "individuele basiszorg verlenen", "type": "beroepsgericht onderdeel"}
    }
    response = server.post("/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    results = response.json()["q0"]["result"]
    assert results[0]["id"] == "C0039"
    assert all(r["id"].startswith("C") for r in results)


def test_single_query_form(server):
    answer = server.get("/reconcile", params={"query": "Helpende plus"}).json()
    assert answer["result"][0]["id"] == "K0905"


def test_bad_queries_are_a_clear_400(server):
    response = server.get("/reconcile", params={"queries": "{not json"})
    assert response.status_code == 400
    assert "queries is not JSON" in response.json()["error"]
    listed = server.get("/reconcile", params={"queries": json.dumps(["Helpende plus"])})
    assert listed.status_code == 400


def test_serve_command_answers_over_http(workspace, db):
    """The real `serve` command in its own process, on a free loopback port."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from mbo_websearch.cli import app; app()",
            "--workspace",
            str(workspace.path),
            "serve",
            "--port",
            "0",
        ],
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        url = None
        assert process.stderr is not None
        for line in process.stderr:  # blocks until uvicorn reports its address
            if found := re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line):
                url = found.group(1)
                break
        assert url, "serve did not start"
        assert httpx.get(f"{url}/reconcile").json()["versions"] == ["0.2"]
        home = httpx.get(f"{url}/")
        assert home.status_code == 200
        assert "Rondes" in home.text
    finally:
        process.terminate()
        process.wait(10)
