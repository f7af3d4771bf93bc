"""A page whose scripts never let the DOM settle, in a real Chromium: the round completes in
bounded time, the page is recorded as failed with its cause, the other institution is
untouched; Ctrl-C while it renders still records crawl health, and --resume finishes."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from dataclasses import dataclass

import pytest

from crawler.runner import CrawlOptions, crawl_command, crawl_env
from snapshots.health import health_for_round
from tests.servers import Reply, Resource, SiteServer
from tests.test_crawler.conftest import FAST_SETTINGS, crawl, pages

TEXT = " ".join(["Praktijkgerichte cursus voor werkenden met een mbo-certificaat."] * 10)
# Tells the server it runs (/tick), then appends a line every 50 ms for ever (keeping the
# last 40): the DOM never stops changing.
NEVER_SETTLES = """<!DOCTYPE html><html><head><title>Live agenda</title></head><body>
<div id="app"></div>
<script>
fetch('/tick');
setInterval(function () {
  var app = document.getElementById('app');
  var p = document.createElement('p'); p.textContent = 'Nu: ' + Date.now(); app.appendChild(p);
  if (app.childNodes.length > 40) app.removeChild(app.firstChild);
}, 50);
</script></body></html>"""
#: Short waits so the never-settling page fails fast (the round is bounded by them). A quiet
#: window well above the page's 50 ms ticks: on a machine loaded far beyond its cores the
#: renderer can stall for a few hundred ms, which a 400 ms window takes for a settled DOM.
HOSTILE_SETTINGS = {
    "WEBSEARCH_RENDER_TIMEOUT_MS": "4000",
    "WEBSEARCH_RENDER_STABLE_MS": "1500",
    "WEBSEARCH_RENDER_PAGE_TIMEOUT": "15",
    "WEBSEARCH_DEFAULT_SITEMAP": "False",
}


@dataclass
class Html(Resource):
    body: str

    def handle(self, server, path, query):
        return Reply(200, {"Content-Type": "text/html; charset=utf-8"}, self.body.encode())


def _page(title: str, links: list[str]) -> str:
    anchors = "".join(f"<li><a href='{href}'>{href}</a></li>" for href in links)
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{TEXT}</p>"
        f"<ul>{anchors}</ul></body></html>"
    )


@pytest.fixture(scope="module")
def sites():
    hostile = SiteServer(
        "127.0.0.41",
        resources={
            "/": Html(_page("ROC Levend", ["/agenda.html", "/cursussen/koken.html"])),
            "/agenda.html": Html(NEVER_SETTLES),
            "/tick": Html("ok"),
            "/cursussen/koken.html": Html(_page("Koken", [])),
        },
    ).start()
    calm = SiteServer(
        "127.0.0.42",
        resources={
            "/": Html(_page("ROC Rustig", [f"/cursussen/{n}.html" for n in range(4)])),
            "/cursussen/*": Html(_page("Cursus", [])),
        },
    ).start()
    yield hostile, calm
    hostile.stop()
    calm.stop()


def _workspace(path, sites):
    from snapshots.institutions import import_institutions
    from snapshots.workspace import Workspace

    hostile, calm = sites
    workspace = Workspace(path)
    db = workspace.open()
    csv_path = path / "institutions.csv"
    csv_path.write_text(
        "name,funded,website\n"
        f"ROC Levend,bekostigd,{hostile.url('/')}\n"
        f"ROC Rustig,bekostigd,{calm.url('/')}\n",
        encoding="utf-8",
    )
    import_institutions(db, csv_path)
    db.close()
    return workspace


def _stats(workspace, institution: str, round_label: str = "r1") -> dict:
    db = workspace.open()
    try:
        row = next(
            db.query(
                "SELECT c.stats FROM crawls c JOIN institutions i ON i.id = c.institution_id "
                "WHERE i.name = ? AND c.round = ?",
                [institution, round_label],
            )
        )
    finally:
        db.close()
    return json.loads(row["stats"])


@pytest.mark.parametrize("render", ["auto", "always"])
def test_never_settling_page_fails_alone_and_the_round_completes(sites, tmp_path, render):
    workspace = _workspace(tmp_path / "ws", sites)
    started = time.monotonic()
    result = crawl(workspace, "r1", render=render, settings=HOSTILE_SETTINGS)
    assert time.monotonic() - started < 60
    health = {r.institution: r for r in result.records}
    hostile = health["ROC Levend"]
    assert str(hostile.health) == "partial"
    assert "RenderTimeout 1" in hostile.reason
    assert hostile.errors == 1
    stats = _stats(workspace, "ROC Levend")
    assert stats["render_errors"] == 1
    # the rest of the institution was crawled: home and the course page
    urls = {r["url"].rsplit("/", 1)[-1] for r in pages(workspace, "ROC Levend") if r["status"]}
    assert {"", "koken.html"} <= urls
    calm = health["ROC Rustig"]
    assert (str(calm.health), calm.errors, calm.pages) == ("ok", 0, 5)


def test_ctrl_c_while_rendering_records_health_and_resume_finishes(sites, tmp_path):
    hostile, _calm = sites
    workspace = _workspace(tmp_path / "ws", sites)
    db = workspace.open()
    from snapshots.institutions import list_institutions

    institutions = list_institutions(db, None)
    db.close()
    # long waits: without dropping the render on Ctrl-C, closing would take ~20 s
    settings = {
        **FAST_SETTINGS,
        **HOSTILE_SETTINGS,
        "WEBSEARCH_RENDER_TIMEOUT_MS": "20000",
        "WEBSEARCH_RENDER_PAGE_TIMEOUT": "60",
    }
    options = CrawlOptions(delay=0, render="always", settings=settings)
    logs = workspace.path / "logs"
    logs.mkdir()
    command = crawl_command(
        workspace,
        "r1",
        institutions,
        options,
        progress_file=None,
        log_file=logs / "crawl-r1.log",
    )
    hostile.log.clear()
    process = subprocess.Popen(command, env=crawl_env(), stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        # the page's script runs in Chromium: it is rendering, waiting for a settled DOM
        while not hostile.requests_for("/tick") and time.monotonic() < deadline:
            assert process.poll() is None, "the crawl ended before rendering the page"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        stopped = time.monotonic()
        process.wait(timeout=30)
        assert time.monotonic() - stopped < 10
    finally:
        if process.poll() is None:
            process.kill()
    db = workspace.open()
    recorded = {r.institution: r for r in health_for_round(db, "r1").values()}
    db.close()
    assert set(recorded) == {"ROC Levend", "ROC Rustig"}
    assert str(recorded["ROC Levend"].health) == "partial"
    assert "crawl stopped early" in recorded["ROC Levend"].reason
    assert str(recorded["ROC Rustig"].health) in ("ok", "partial")

    started = time.monotonic()
    result = crawl(workspace, "r1", render="always", resume=True, settings=HOSTILE_SETTINGS)
    assert time.monotonic() - started < 60
    health = {r.institution: r for r in result.records}
    assert "RenderTimeout 1" in health["ROC Levend"].reason
    assert str(health["ROC Rustig"].health) == "ok"
