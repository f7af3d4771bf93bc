"""match-names: one name per line in (file or stdin), CSV out with the workspace register."""

from __future__ import annotations

import csv
import io

from tests.conftest import DATA


def rows(output: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(output)))


def test_stdin_with_the_default_register(cli):
    names = (
        "Mbo-certificaat Helpende Plus\n\nBasiszorg verlenen (niveau 2)\n"
        "Digitale vaardigheden\nVCA Basis\n"
    )
    result = cli("match-names", "-", input=names)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "name,code,title,score,decision"
    got = rows(result.stdout)
    assert [(r["name"], r["code"], r["decision"]) for r in got] == [
        ("Mbo-certificaat Helpende Plus", "K0905", "auto"),
        ("Basiszorg verlenen (niveau 2)", "C0039", "auto"),
        ("Digitale vaardigheden", "K0022", "review"),
        ("VCA Basis", "", "none"),
    ]
    assert got[0]["title"] == "Helpende plus"
    assert got[0]["score"] == "100.0"


def test_file_argument_and_commas_in_names_are_quoted(cli, tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("Kunststoffen en rubber: industriële processen, deeltijd\n", encoding="utf-8")
    result = cli("match-names", path)
    assert result.exit_code == 0, result.output
    (row,) = rows(result.stdout)
    assert row["name"] == "Kunststoffen en rubber: industriële processen, deeltijd"
    assert (row["code"], row["decision"]) == ("K0370", "auto")


def test_uses_the_imported_register(cli):
    assert cli("register", "import", DATA / "register" / "good.csv").exit_code == 0
    result = cli("match-names", "-", input="Helpende plus\nWerken met baby's\n")
    assert result.exit_code == 0, result.output
    assert [(r["code"], r["decision"]) for r in rows(result.stdout)] == [
        ("K0905", "auto"),
        ("", "none"),
    ]  # K0290 is not in the imported register


def test_missing_file_is_exit_2(cli, tmp_path):
    result = cli("match-names", tmp_path / "nope.txt")
    assert result.exit_code == 2
    assert "nope.txt:0: -: cannot read file" in result.stderr


def test_explain_and_config_options(cli, tmp_path):
    config = tmp_path / "strict.json"
    config.write_text('{"auto_accept_at_score": 100.0, "review_at_score": 95.0}', encoding="utf-8")
    name = "Verpleegtechnische handelingen voor verzorgenden\n"
    default = rows(cli("match-names", "--explain", "-", input=name).stdout)[0]
    assert (default["code"], default["decision"]) == ("K0118", "auto")
    assert default["explanation"].startswith("fuzzy: score")
    strict = cli("match-names", "--config", config, "-", input=name)
    assert strict.exit_code == 0, strict.output
    assert rows(strict.stdout)[0]["decision"] == "review"
    assert "explanation" not in rows(strict.stdout)[0]
    config.write_text('{"auto_accept": 90}', encoding="utf-8")
    bad = cli("match-names", "--config", config, "-", input=name)
    assert bad.exit_code == 2
    assert (
        "strict.json:1: -: bad matcher config: unknown MatchConfig key(s): auto_accept"
        in bad.stderr
    )
