"""The `crawl` command and `scrapy crawl offers` from the repo root."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import crawler.runner
from tests.test_crawler.conftest import FAST_SETTINGS, crawl, make_workspace

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fast_crawls(monkeypatch):
    """The CLI has no option for retry timings: append the fast ones to its command."""
    original = crawler.runner.crawl_command

    def command(*args, **kwargs):
        extra = [x for key, value in FAST_SETTINGS.items() for x in ("-s", f"{key}={value}")]
        return original(*args, **kwargs) + extra

    monkeypatch.setattr(crawler.runner, "crawl_command", command)


@pytest.fixture
def imported(cli, farm, workspace, tmp_path):
    csv_path = tmp_path / "institutions.csv"
    csv_path.write_text(farm.institutions_csv(["down", "windows-1252"]), encoding="utf-8")
    result = cli("institutions", "import", csv_path)
    assert result.exit_code == 0, result.output
    return workspace


@pytest.mark.usefixtures("fast_crawls")
def test_crawl_exits_1_and_names_the_failed_institution(cli, imported):
    result = cli("crawl", "--round", "r1", "--delay", "0", "--render", "never")
    assert result.exit_code == 1
    assert "crawl failed for:" in result.output
    assert "ROC Offline: site unreachable: connection refused" in result.output
    assert "Opleidingscentrum Zuidwest" in result.output  # the summary table
    # stdout is no terminal (a cron log): a plain-text table, one line per institution
    lines = result.stdout.splitlines()
    assert lines[0] == "Round r1: crawl health"
    assert lines[1].split() == ["institution", "health", "pages", "errors", "requests", "reason"]
    assert any(line.startswith("ROC Offline ") and " failed " in line for line in lines)
    assert not set("│┃━─\x1b") & set(result.stdout)
    db = imported.open()
    health = {r["institution"]: r["health"] for r in db.query("SELECT * FROM crawl_health")}
    db.close()
    assert health == {"ROC Offline": "failed", "Opleidingscentrum Zuidwest": "ok"}

    again = cli("crawl", "--round", "r1", "--institution", "Opleidingscentrum Zuidwest")
    assert again.exit_code == 2
    assert "add --resume" in again.output


def test_run_round_reports_progress_per_institution(farm, tmp_path):
    workspace = make_workspace(tmp_path / "ws", farm, ["windows-1252", "flaky-503"])
    updates: list[list] = []
    result = crawl(workspace, "r1", render="never", progress=updates.append)
    assert len(updates) >= 2  # live updates while crawling, then the final one
    final = {p.institution: p for p in updates[-1]}
    assert {name: p.status for name, p in final.items()} == {
        "Opleidingscentrum Zuidwest": "ok",
        "ROC Herstel": "ok",
    }
    assert final["ROC Herstel"].pages == next(
        r.pages for r in result.records if r.institution == "ROC Herstel"
    )
    assert any(p.status == "crawling" for update in updates[:-1] for p in update)


def test_crawl_unknown_institution_is_bad_input(cli, imported):
    result = cli("crawl", "--round", "r1", "--institution", "ROC Bestaat Niet")
    assert result.exit_code == 2
    assert "unknown institution(s): ROC Bestaat Niet" in result.output


def test_crawl_rejects_unknown_render_mode(cli, imported):
    result = cli("crawl", "--round", "r1", "--render", "sometimes")
    assert result.exit_code == 2
    assert "render" in result.output


@pytest.mark.parametrize("label", ["2026/11", "../buiten", ".verborgen", "", "r 1"])
def test_crawl_rejects_a_round_label_that_is_no_file_name(cli, imported, label):
    result = cli("crawl", "--round", label, "--delay", "0")
    assert result.exit_code == 2
    assert "--round: use letters, digits, '.', '_' and '-'" in result.output
    assert not (imported.path / "buiten").exists()
    db = imported.open()
    assert db["rounds"].count == 0
    db.close()


def test_scrapy_crawl_offers_from_the_repo_root(imported):
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    env["MBO_WEBSEARCH_WORKSPACE"] = str(imported.path)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "offers",
            "-a",
            "round=r7",
            "-a",
            "institution=Opleidingscentrum Zuidwest",
            "-a",
            "render=never",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "ScrapyPlaywrightDownloadHandler" not in completed.stderr  # no browser for never
    db = imported.open()
    rows = list(db.query("SELECT * FROM crawl_health WHERE round = 'r7'"))
    count = next(db.query("SELECT COUNT(*) AS n FROM pages WHERE round = 'r7'"))["n"]
    db.close()
    assert [(r["institution"], r["health"]) for r in rows] == [("Opleidingscentrum Zuidwest", "ok")]
    assert count >= 4
