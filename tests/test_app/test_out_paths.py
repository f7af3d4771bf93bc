"""--out FILE / --out DIR that cannot be written: bad input (exit 2) before anything runs."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "command",
    [
        ["offers", "--round", "r1", "--format", "csv"],
        ["offers", "--round", "r1", "--format", "xlsx"],
        ["diff", "r0", "r1"],
        ["review", "export", "--round", "r1"],
    ],
)
def test_out_file_in_a_missing_folder_is_bad_input(cli, tmp_path, command):
    out = tmp_path / "bestaat-niet" / "uit.csv"
    result = cli(*command, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"folder {out.parent} does not exist" in result.output
    assert "Traceback" not in result.output
    assert not out.parent.exists()


def test_out_file_that_is_a_folder_is_bad_input(cli, tmp_path):
    result = cli("diff", "r0", "r1", "--out", tmp_path)
    assert result.exit_code == 2, result.output
    assert "is a folder; give a file name" in result.output


def test_report_folder_below_a_file_is_bad_input(cli, tmp_path):
    blocker = tmp_path / "een-bestand"
    blocker.write_text("x", encoding="utf-8")
    result = cli("report", "--round", "r1", "--out", blocker / "rapport")
    assert result.exit_code == 2, result.output
    assert f"{blocker} is a file, not a folder" in result.output
