"""The workspace folder: a path that cannot be a folder is bad input, not a crash."""

from __future__ import annotations

from typer.testing import CliRunner

from mbo_websearch.cli import app
from tests.conftest import DATA


def test_a_workspace_inside_a_file_is_bad_input(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "--workspace",
            str(blocker / "ws"),
            "institutions",
            "import",
            str(DATA / "institutions" / "good.csv"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert f"{blocker / 'ws'}:0: --workspace: cannot create the workspace folder" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
