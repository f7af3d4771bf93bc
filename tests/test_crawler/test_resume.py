"""kill -9 in the middle of a round, then --resume: nothing stored is fetched again, no
duplicate rows, the database passes integrity_check and every WARC file reads back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from warcio.archiveiterator import ArchiveIterator

from crawler.runner import CrawlOptions, crawl_command, crawl_env
from snapshots.institutions import list_institutions
from tests.test_crawler.conftest import FAST_SETTINGS, crawl, make_workspace, pages

SETTINGS = {**FAST_SETTINGS, "WEBSEARCH_MAX_PER_PATTERN": "1000"}
BUDGET = 80


def _stored_count(workspace) -> int:
    db = workspace.open()
    try:
        return next(db.query("SELECT COUNT(*) AS n FROM pages"))["n"]
    finally:
        db.close()


def _wait_for(condition, timeout: float = 60.0, every: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(every)


def test_kill_9_then_resume_completes_the_round(farm, tmp_path):
    workspace = make_workspace(tmp_path / "ws", farm, ["generated"])
    server = farm.servers["generated"]
    server.log.clear()
    db = workspace.open()
    institutions = list_institutions(db)
    db.close()
    options = CrawlOptions(
        delay=0.03,
        max_pages=BUDGET,
        render="never",
        settings={**SETTINGS, "DOWNLOAD_DELAY_JITTER": "0"},
    )
    command = crawl_command(
        workspace, "r1", institutions, options, progress_file=None, log_file=tmp_path / "killed.log"
    )
    process = subprocess.Popen(
        command, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(lambda: _stored_count(workspace) >= 20 or process.poll() is not None)
        assert process.poll() is None, "the crawl finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    before = pages(workspace, "Opleider Groot BV")
    stored_paths = {r["url"].split(":", 2)[2].split("/", 1)[1] for r in before}
    assert 20 <= len(before) < BUDGET
    server.log.clear()

    result = crawl(
        workspace, "r1", resume=True, max_pages=BUDGET, render="never", settings=SETTINGS
    )

    refetched = {path.lstrip("/") for _, path, _ in server.log} & stored_paths
    assert refetched == set()
    after = pages(workspace, "Opleider Groot BV")
    assert len(after) == len({(r["url"], r["rendered"]) for r in after})
    assert len(after) == BUDGET + 1  # the budget (pages and sitemap) plus robots.txt
    (record,) = result.records
    assert str(record.health) == "partial"  # the 80-page budget stopped a 300-page site
    assert record.pages == BUDGET - 1  # every admitted URL but the missing sitemap.xml
    db = workspace.open()
    assert next(db.query("PRAGMA integrity_check"))["integrity_check"] == "ok"
    db.close()
    (warc,) = (workspace.path / "warc" / "r1").glob("*.warc.gz")
    with warc.open("rb") as fh:
        records = [r.rec_type for r in ArchiveIterator(fh) if r.content_stream().read() or 1]
    assert records.count("response") + records.count("revisit") == len(after)


def test_ctrl_c_stops_the_crawl_and_points_at_resume(farm, tmp_path):
    """SIGINT to the command alone (`kill -INT`, a supervisor, Ctrl-C): the crawl stops at
    once (requests waiting for the polite delay are dropped), records its health, the
    message names --resume, and resume completes the round."""
    workspace = make_workspace(tmp_path / "ws", farm, ["generated"])
    command = [
        sys.executable,
        "-c",
        "from mbo_websearch.cli import app; app()",
        "--workspace",
        str(workspace.path),
        "crawl",
        "--round",
        "r1",
        "--delay",
        "1",
        "--max-pages",
        str(BUDGET),
        "--render",
        "never",
    ]
    process = subprocess.Popen(
        command,
        env=crawl_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        _wait_for(lambda: _stored_count(workspace) >= 3 or process.poll() is not None)
        assert process.poll() is None, "the crawl finished before it could be interrupted"
        process.send_signal(signal.SIGINT)
        signalled = time.monotonic()
        _, stderr = process.communicate(timeout=60)
        stopped_after = time.monotonic() - signalled
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130
    assert "Stopping: finishing the requests in flight" in stderr
    # the complete command: pasted in another folder it completes this workspace's round
    assert (
        f"mbo-websearch --workspace {workspace.path.resolve()} crawl --round r1 --delay 1 "
        f"--max-pages {BUDGET} --render never --resume"
    ) in stderr
    assert "Traceback" not in stderr
    db = workspace.open()
    (row,) = db.query("SELECT health, pages FROM crawls WHERE round = 'r1'")
    db.close()
    assert row["health"] == "partial"
    assert row["pages"] < BUDGET
    assert stopped_after < 8, f"{stopped_after:.1f} s from Ctrl-C to exit at a 1 s delay"

    result = crawl(
        workspace, "r1", resume=True, max_pages=BUDGET, render="never", settings=SETTINGS
    )
    assert str(result.records[0].health) == "partial"  # the budget, no longer the stop
    assert result.records[0].pages == BUDGET - 1
