"""Shared fixtures: workspaces, CLI runner, paths to test data."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mbo_websearch.workspace import open_db
from snapshots.workspace import Workspace

TESTS = Path(__file__).parent
DATA = TESTS / "data"
SITES = TESTS / "sites"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """An empty workspace folder (read-only commands refuse a folder that does not exist)."""
    (tmp_path / "ws").mkdir()
    return Workspace(tmp_path / "ws")


@pytest.fixture
def db(workspace: Workspace):
    database = open_db(workspace)
    yield database
    database.close()


@pytest.fixture
def cli(workspace: Workspace):
    """Run the CLI in the test workspace: cli("institutions", "import", path)."""
    from mbo_websearch.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        arguments = ["--workspace", str(workspace.path), *map(str, args)]
        return runner.invoke(app, arguments, input=input)

    return run
