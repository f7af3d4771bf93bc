"""User mistakes change nothing: a mistyped --workspace creates no workspace, a workspace
without institutions never crawls the embedded ones by accident, --resume of a round that
does not exist is refused, serve on a busy port says so in one line."""

from __future__ import annotations

import os
import pty
import socket
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import mbo_websearch.commands.crawl as crawl_command
from crawler.runner import RoundResult
from mbo_websearch.cli import app


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


@pytest.mark.parametrize(
    "command",
    [("offers", "--round", "r1"), ("diff", "r1", "r2"), ("match-names", "-")],
)
def test_read_only_commands_refuse_a_mistyped_workspace(tmp_path, command):
    mistyped = tmp_path / "wokspace"
    result = run("--workspace", str(mistyped), *command, input="Helpende plus\n")
    assert result.exit_code == 2, result.output
    assert f"--workspace: no workspace folder {mistyped}: check --workspace" in result.stderr
    assert not mistyped.exists()


@pytest.mark.parametrize("command", [("offers", "--round", "r1"), ("diff", "r1", "r2")])
def test_offers_and_diff_refuse_a_folder_without_database(tmp_path, command):
    result = run("--workspace", str(tmp_path), *command)
    assert result.exit_code == 2, result.output
    assert f"--workspace: {tmp_path} holds no websearch.db" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_match_names_in_a_folder_without_database_uses_the_embedded_register(tmp_path):
    result = run("--workspace", str(tmp_path), "match-names", "-", input="Helpende Plus\n")
    assert result.exit_code == 0, result.output
    assert "K0905" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_crawl_without_institutions_refuses_unless_asked(tmp_path):
    result = run("--workspace", str(tmp_path), "crawl", "--round", "r1")
    assert result.exit_code == 2, result.output
    assert "no institutions imported" in result.stderr
    assert "--default-institutions" in result.stderr
    assert list(tmp_path.iterdir()) == []  # not even a database


def test_resume_of_a_round_that_does_not_exist_is_refused(cli, tmp_path):
    csv_path = tmp_path / "institutions.csv"
    csv_path.write_text("name,funded,website\nROC A,bekostigd,http://127.0.0.61/\n")
    assert cli("institutions", "import", csv_path).exit_code == 0
    result = cli("crawl", "--round", "r9", "--resume")
    assert result.exit_code == 2, result.output
    assert "--round: round r9 does not exist in this workspace" in result.stderr


def test_default_institutions_are_crawled_when_asked(tmp_path, monkeypatch):
    """The flag loads the embedded list; the crawl itself (real websites) is not run here."""
    asked = []

    def no_internet(workspace, round_label, names, **kwargs):
        db = workspace.open()
        asked.append(db["institutions"].count)
        db.close()
        return RoundResult(round_label, [], 0, workspace.path / "log")

    monkeypatch.setattr(crawl_command, "run_round", no_internet)
    result = run("--workspace", str(tmp_path), "crawl", "--round", "r1", "--default-institutions")
    assert result.exit_code == 0, result.output
    assert "crawling the 68 embedded defaults" in result.stderr
    assert asked == [68]


def test_serve_on_a_busy_port_is_one_line_and_exit_2(workspace):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("--workspace", str(workspace.path), "serve", "--port", str(port))
    assert result.exit_code == 2, result.output
    assert f"--port: cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Traceback" not in result.output


def test_crawl_without_institutions_asks_at_a_terminal(tmp_path):
    """At a terminal the question is asked; no (the default) refuses and changes nothing."""
    primary, terminal = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from mbo_websearch.cli import app; app()",
            "--workspace",
            str(tmp_path),
            "crawl",
            "--round",
            "r1",
        ],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(terminal)
    try:
        os.write(primary, b"n\n")
        _, stderr = process.communicate(timeout=60)
    finally:
        os.close(primary)
    assert process.returncode == 2, stderr
    assert "Crawl the embedded default Dutch mbo institutions? [y/N]" in stderr
    assert "no institutions imported" in stderr
    assert list(tmp_path.iterdir()) == []
