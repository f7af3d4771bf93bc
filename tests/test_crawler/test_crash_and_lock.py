"""Crashes and two runs at once: kill -9 of the command or of its crawler child at several
points, then --resume, gives the round an uninterrupted crawl gives (same URLs, within the
budget, health counting what is stored, every WARC readable, integrity ok); a second crawl
of a locked workspace is refused at once, naming the running one; a lock left by a killed
crawl is released."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.runner import CrawlOptions, crawl_command, crawl_env
from snapshots.institutions import import_institutions, list_institutions
from snapshots.lock import LOCK_NAME
from snapshots.warc import count_records
from snapshots.workspace import Workspace
from tests.servers import GeneratedSite, SiteServer
from tests.test_crawler.conftest import crawl, make_workspace

INSTITUTION = "Opleider Klein BV"
SITE_PAGES = 60  # smaller than the budget: every crawl of it ends with the same URLs
#: The CLI's default cap on URLs of one shape (/p/N.html), not the fast tests' 10
NO_SHAPE_CAP = {"WEBSEARCH_MAX_PER_PATTERN": "150"}


@pytest.fixture(scope="module")
def small_site() -> Iterator[SiteServer]:
    server = SiteServer("127.0.0.41", resources={"/*": GeneratedSite(SITE_PAGES)}).start()
    yield server
    server.stop()


def small_workspace(path: Path, site: SiteServer) -> Workspace:
    workspace = Workspace(path)
    csv_path = path / "institutions.csv"
    path.mkdir(parents=True)
    csv_path.write_text(f"name,funded,website\n{INSTITUTION},niet-bekostigd,{site.url('/')}\n")
    db = workspace.open()
    import_institutions(db, csv_path)
    db.close()
    return workspace


def start_cli(workspace: Workspace, *args: str) -> subprocess.Popen:
    command = [
        sys.executable,
        "-c",
        "from mbo_websearch.cli import app; app()",
        "--workspace",
        str(workspace.path),
        "crawl",
        "--round",
        "r1",
        "--render",
        "never",
        *args,
    ]
    return subprocess.Popen(
        command, env=crawl_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def stored(workspace: Workspace, *, robots: bool = True) -> list[dict]:
    db = workspace.open()
    try:
        rows = list(db.query("SELECT url, kind, status, gone FROM pages ORDER BY id"))
    finally:
        db.close()
    return [r for r in rows if robots or r["kind"] != "robots"]


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def lock_is_free(workspace: Workspace) -> bool:
    """Nobody holds the lock (tried without touching the holder's description)."""
    fd = os.open(workspace.path / LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def integrity_ok(workspace: Workspace) -> bool:
    db = workspace.open()
    try:
        return next(db.query("PRAGMA integrity_check"))["integrity_check"] == "ok"
    finally:
        db.close()


def test_kill_9_at_several_points_then_resume_gives_the_uninterrupted_round(small_site, tmp_path):
    reference = small_workspace(tmp_path / "reference", small_site)
    crawl(reference, "r1", render="never", settings=NO_SHAPE_CAP)
    expected = {r["url"] for r in stored(reference)}
    assert len(expected) == SITE_PAGES + 3  # pages, home page, sitemap.xml (404), robots.txt

    workspace = small_workspace(tmp_path / "ws", small_site)
    # (who is killed, pages stored by then): the crawler child early, the command half-way
    for number, (victim, after) in enumerate((("child", 3), ("cli", 30))):
        process = start_cli(workspace, "--delay", "0.1", *(["--resume"] if number else []))
        wait_for(lambda: len(stored(workspace)) >= after or process.poll() is not None)  # noqa: B023
        assert process.poll() is None, process.communicate()[1][-2000:]
        (child,) = children(process.pid)
        os.kill(process.pid if victim == "cli" else child, signal.SIGKILL)
        _, stderr = process.communicate(timeout=60)
        if victim == "child":  # the command survives and says how to complete the round
            assert process.returncode == 1
            assert "before recording crawl health" in stderr
            assert (
                f"Complete the round with:\n  mbo-websearch --workspace {workspace.path}" in stderr
            )
        # a killed command takes its crawler with it: nothing writes beside the next run
        wait_for(lambda: not alive(child) and lock_is_free(workspace), timeout=30)  # noqa: B023

    again = start_cli(workspace, "--resume", "--delay", "0")
    stdout, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr[-2000:]
    assert "released the workspace lock left by a crawl that was killed" in stderr

    rows = stored(workspace)
    assert {r["url"] for r in rows} == expected
    assert len(rows) == len(expected)  # no URL stored twice
    db = workspace.open()
    (health,) = db.query("SELECT health, pages FROM crawls WHERE round = 'r1'")
    db.close()
    counted = [r for r in rows if r["kind"] == "page" and r["status"] < 400 and not r["gone"]]
    assert (health["health"], health["pages"]) == ("ok", len(counted))
    assert integrity_ok(workspace)
    (warc,) = (workspace.path / "warc" / "r1").glob("*.warc.gz")
    assert count_records(warc) == len(rows)


def test_resumes_after_kills_stay_within_the_page_budget(farm, tmp_path):
    """A 300-page site and a budget of 40: its crawler killed twice, the round holds 40."""
    workspace = make_workspace(tmp_path / "ws", farm, ["generated"])
    db = workspace.open()
    institutions = list_institutions(db)
    db.close()
    budget = 40
    for after in (8, 24):
        options = CrawlOptions(
            delay=0.05,
            max_pages=budget,
            render="never",
            resume=after != 8,
            settings=NO_SHAPE_CAP,
        )
        command = crawl_command(
            workspace, "r1", institutions, options, progress_file=None, log_file=tmp_path / "log"
        )
        process = subprocess.Popen(command, env=crawl_env(), stderr=subprocess.PIPE, text=True)
        wait_for(lambda: len(stored(workspace)) >= after or process.poll() is not None)  # noqa: B023
        assert process.poll() is None, process.communicate()[1][-2000:]
        process.kill()
        process.communicate(timeout=60)
    result = crawl(
        workspace, "r1", resume=True, max_pages=budget, render="never", settings=NO_SHAPE_CAP
    )
    rows = stored(workspace, robots=False)
    assert len(rows) == budget
    (record,) = result.records
    pages = [r for r in rows if r["kind"] == "page" and r["status"] < 400]
    assert (str(record.health), record.pages) == ("partial", len(pages))
    assert integrity_ok(workspace)


def test_a_second_crawl_is_refused_at_once_naming_the_first(small_site, tmp_path):
    workspace = small_workspace(tmp_path / "ws", small_site)
    first = start_cli(workspace, "--delay", "1")
    try:
        wait_for(lambda: len(stored(workspace)) >= 1 or first.poll() is not None)
        assert first.poll() is None
        started = time.monotonic()
        second = subprocess.run(
            [
                sys.executable,
                "-c",
                "from mbo_websearch.cli import app; app()",
                "--workspace",
                str(workspace.path),
                "crawl",
                "--round",
                "r2",
                "--render",
                "never",
            ],
            env=crawl_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        refused_after = time.monotonic() - started
        # on its own, `scrapy crawl offers` is refused too
        db = workspace.open()
        institutions = list_institutions(db)
        db.close()
        scrapy = subprocess.run(
            crawl_command(
                workspace,
                "r3",
                institutions,
                CrawlOptions(render="never"),
                progress_file=None,
                log_file=tmp_path / "scrapy.log",
            ),
            env=crawl_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=60)
    assert second.returncode == 2
    assert f"the workspace is in use by pid {first.pid} (mbo-websearch --workspace" in (
        second.stderr
    )
    assert "crawl --round r1 --delay 1 --render never" in second.stderr
    assert refused_after < 10, f"refused after {refused_after:.1f} s"
    assert scrapy.returncode != 0
    assert "the workspace is in use by pid" in (tmp_path / "scrapy.log").read_text()
    db = workspace.open()
    rounds = {r["label"] for r in db["rounds"].rows}
    db.close()
    assert rounds == {"r1"}  # the refused crawls wrote nothing
    assert (workspace.path / LOCK_NAME).read_text() == ""  # released by the first crawl
