"""Rendering in a real Chromium: one browser context per institution, pages reused within it,
a cap on open contexts that cannot deadlock, idle contexts closed, and nothing loaded that no
offer needs (images, other sites' hosts)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from snapshots.institutions import import_institutions
from snapshots.workspace import Workspace
from tests.servers import Reply, Resource, SiteServer
from tests.test_crawler.conftest import crawl, pages

TEXT = " ".join(["Praktijkgerichte cursus voor werkenden met een mbo-certificaat."] * 10)


@dataclass
class Static(Resource):
    body: str
    content_type: str = "text/html; charset=utf-8"

    def handle(self, server, path, query):
        return Reply(200, {"Content-Type": self.content_type}, server.expand(self.body).encode())


def _script_page(n: int, links: int) -> str:
    """A page built by its script from /api/<n>.json, with a logo and an other site's
    tracker script."""
    return (
        "<html><head><title>Cursussen</title>"
        "<script src='{{site:tracker}}/tracker.js'></script></head><body>"
        f"<img src='/logo.png' alt=''><div id='app'></div><script>"
        f"fetch('/api/{n}.json').then(r => r.json()).then(d => {{"
        "  const app = document.getElementById('app');"
        "  app.innerHTML = '<h1>' + d.title + '</h1><p>' + d.text + '</p>' +"
        "    d.links.map(k => '<a href=\"/p/' + k + '.html\">Cursus ' + k + '</a>').join(' ');"
        "});</script></body></html>"
    )


def _api(n: int, links: list[int]) -> str:
    return json.dumps({"title": f"Cursus {n}", "text": TEXT, "links": links})


@pytest.fixture(scope="module")
def sites():
    bases: dict[str, str] = {}
    tracker = SiteServer(
        "127.0.0.44",
        resources={"/tracker.js": Static("window.tracked = 1;", "text/javascript")},
        others=bases,
    ).start()
    bases["tracker"] = tracker.base
    scripted = {}
    for host, name in (("127.0.0.43", "script-a"), ("127.0.0.45", "script-b")):
        resources: dict[str, Resource] = {
            "/": Static(_script_page(0, 3)),
            "/api/0.json": Static(_api(0, [1, 2, 3]), "application/json"),
            "/logo.png": Static("png", "image/png"),
        }
        for n in (1, 2, 3):
            resources[f"/p/{n}.html"] = Static(_script_page(n, 0))
            resources[f"/api/{n}.json"] = Static(_api(n, []), "application/json")
        scripted[name] = SiteServer(host, resources=resources, others=bases).start()
    yield scripted, tracker
    tracker.stop()
    for server in scripted.values():
        server.stop()


def _workspace(path, scripted) -> Workspace:
    workspace = Workspace(path)
    db = workspace.open()
    csv_path = path / "institutions.csv"
    rows = [f"ROC {name},bekostigd,{server.url('/')}" for name, server in scripted.items()]
    csv_path.write_text("name,funded,website\n" + "\n".join(rows) + "\n", encoding="utf-8")
    import_institutions(db, csv_path)
    db.close()
    return workspace


def _crawl_stats(log_text: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"'((?:playwright|render)/[\w/]+)': (\d+)", log_text)}


SETTINGS = {"WEBSEARCH_DEFAULT_SITEMAP": "False"}


def test_one_context_per_institution_with_reused_pages_and_nothing_unneeded(sites, tmp_path):
    scripted, tracker = sites
    workspace = _workspace(tmp_path / "ws", scripted)
    tracker.log.clear()
    result = crawl(workspace, "r1", render="always", settings=SETTINGS)
    assert {str(r.health) for r in result.records} == {"ok"}
    stats = _crawl_stats(result.log_path.read_text())
    assert stats["playwright/context_count"] == 2  # one per institution
    assert stats["render/pages_reused"] > 0
    assert stats["render/max_open_pages"] <= 2 * 2  # contexts x pages per context
    for name, server in scripted.items():
        rows = pages(workspace, f"ROC {name}")
        rendered = [r for r in rows if r["rendered"]]
        assert len(rendered) == 4  # home and the three pages its script linked
        assert server.requests_for("/api/3.json")  # the page's own data was loaded
        assert not server.requests_for("/logo.png")  # images never
    assert not tracker.requests_for("/tracker.js")  # nor other sites' hosts


def test_context_cap_of_one_finishes_and_closes_idle_contexts(sites, tmp_path):
    scripted, _tracker = sites
    workspace = _workspace(tmp_path / "ws", scripted)
    settings = {**SETTINGS, "PLAYWRIGHT_MAX_CONTEXTS": "1", "WEBSEARCH_RENDER_CONTEXT_IDLE": "0.3"}
    result = crawl(workspace, "r1", render="always", settings=settings)
    assert {str(r.health) for r in result.records} == {"ok"}
    stats = _crawl_stats(result.log_path.read_text())
    assert stats["playwright/context_count/max_concurrent"] == 1
    # each institution's context was closed for the other's, or once it was done
    assert stats["render/contexts_closed"] >= 1
    assert stats["render/contexts_opened"] >= 2
